// What a Linux Espruino interpreter (ESPRUINO_BIN) is, before the benches and test:espruino
// trust its figures: its version, its commit, its variables and their block size (only a
// 32-bit build with 1600 variables has the ESP8266's 12-byte blocks), and whether its UART
// input keeps every byte when more than 64 arrive at once (Espruino 2v29 loses them: fixed by
// commit a3f0859, issue #2718, in the generic jsiHandleIOEventForSerial that the ESP8266's
// UART path uses too).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** {version, commit, blocksize, total}. */
export function interpreterInfo(bin) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-info-'));
  const script = path.join(dir, 'info.js');
  fs.writeFileSync(script, 'var m=process.memory();print("INFO "+JSON.stringify({version:process.env.VERSION,commit:process.env.GIT_COMMIT,'
    + 'blocksize:m.blocksize,total:m.total}));quit();\n');
  const result = spawnSync(bin, [script], { cwd: dir, encoding: 'latin1', timeout: 10000 });
  const line = /INFO (\{.*\})/.exec(result.stdout || '');
  if (!line) throw new Error(`${bin} did not run as an Espruino interpreter: ${(result.stderr || result.stdout || String(result.error)).slice(-300)}`);
  return JSON.parse(line[1]);
}

/**
 * Sends 200 bytes to the interpreter's Serial1 (on a pty) in one write and checks that all
 * arrive, in order. Resolves {ok, got, sent}.
 */
export function uartBurstCheck(bin) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-uart-'));
  const link = path.join(dir, 'uart');
  const burst = crypto.randomBytes(100).toString('hex');
  // Typed into the REPL on standard input; the console then leaves it, so that the next byte
  // there reaches USB's 'data': the signal to report.
  const probe = `Serial1.setup(115200,{path:${JSON.stringify(link)}});var got="";E.setConsole(null,{force:true});`
    + 'Serial1.on("data",function(d){got+=d;});USB.on("data",function(){USB.write("\\x01GOT "+JSON.stringify(got)+"\\n");quit();});USB.write("\\x01LISTENING\\n");\n';
  return new Promise((resolve, reject) => {
    const bridge = spawn('python3', [path.join(here, '..', 'sim', 'pty-bridge.py'), link], { stdio: ['pipe', 'pipe', 'inherit'] });
    let child = null;
    let out = '';
    const timer = setTimeout(() => finish(new Error(`no answer from ${bin}: ${out.slice(-300)}`)), 10000);
    function finish(err, result) {
      clearTimeout(timer);
      bridge.kill('SIGKILL');
      if (child) child.kill('SIGKILL');
      if (err) reject(err);
      else resolve(result);
    }
    bridge.stdout.once('data', () => {
      child = spawn(bin, [], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
      child.stdin.on('error', () => {});
      child.stdin.write(probe);
      child.stdout.on('data', (d) => {
        out += d.toString('latin1');
        if (out.includes('\x01LISTENING') && !child.sent) {
          child.sent = true;
          bridge.stdin.write(burst);
          // Then ask for what arrived, once the bytes have had time to be read.
          setTimeout(() => child.stdin.write('?'), 500);
        }
        const m = /\x01GOT (".*")\n/.exec(out);
        if (m) finish(null, { ok: JSON.parse(m[1]) === burst, got: JSON.parse(m[1]).length, sent: burst.length });
      });
    });
  });
}
