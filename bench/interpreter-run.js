// Runs a script on the real interpreter as the firmware runs on the board: stored as .bootcde
// (its code stays in flash; given as a file argument, its whole text would sit in the 1600
// variables). Standard input stays open (the Linux build restarts when it ends) and the Linux
// build ignores SIGTERM, so once a line "RESULT ..." is out the interpreter gets Ctrl-D on its
// console, which ends it cleanly (valgrind then writes its count).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installScript } from '../sim/espruino-host.js';

/** {result: what follows "RESULT " (null if it never came), instructions: callgrind's count or null}. */
export function runStored(bin, script, { dir, valgrind = false }) {
  const input = installScript(script, {});
  const args = valgrind ? ['--tool=callgrind', '--callgrind-out-file=/dev/null', bin] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(valgrind ? 'valgrind' : bin, args, { cwd: fs.mkdtempSync(path.join(dir, 'run-')), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // What the script printed after the install (the REPL echoes the install's own text first).
    const printed = () => stdout.slice(stdout.indexOf('<<LOAD>>'));
    child.stdout.on('data', (d) => {
      stdout += d.toString('latin1');
      if (/RESULT [^\r\n]*\r?\n|Uncaught/.test(printed())) child.stdin.write('\x04');
    });
    child.stderr.on('data', (d) => { stderr += d.toString('latin1'); });
    child.stdin.on('error', () => {});
    child.stdin.write(input);
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no result from ${bin}`)); }, 600000);
    child.on('exit', () => {
      clearTimeout(timer);
      const result = printed().match(/RESULT ([^\r\n]*)/);
      const collected = stderr.match(/Collected : (\d+)/);
      resolve({ result: result && result[1], printed: printed(), instructions: collected && Number(collected[1]) });
    });
  });
}
