#!/usr/bin/env node
// npm run test:device: the firmware's figures and a health check, on the module itself, through
// its debug console (AT+TCDEBUG) over WiFi:
//   npm run test:device -- --port tcp://192.168.1.50[:23] --password PW    a board
//   ESPRUINO_BIN=/path/to/espruino npm run test:device                      the Linux interpreter here
//   npm run test:device                                                    the simulator
// Without --port it starts a module of its own (the simulator, or the firmware on ESPRUINO_BIN
// through `npm start -- --espruino`), turns the console on over the UART as the MCU would, and
// off again at the end. It logs in, stores the bundle built from test/device/ in Storage, runs
// it beside the firmware (test/device/device-tests.ts: memory, crypto speed with the firmware's
// own code, the longest event-loop slice in an AT session, flash speed, an AT loopback), prints
// the report and "N passed, N failed", and leaves: the bundle's file erased, the console
// locked again when the client goes. Exit code 0 when nothing failed.
//
// The espruino CLI (`npx espruino -p tcp://...`) connects to the same console but cannot answer
// its password prompt, so this tool speaks to the console itself (plain TCP: a line, then the
// answer). A serial port is not offered: the firmware's UART belongs to the MCU and never
// carries the console.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConsoleClient } from './console-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WATCHDOG_MS = 1600;

/** A usage mistake: one line, exit code 2. */
function usage(message) {
  process.stderr.write(`test:device: ${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { port: { type: 'string' }, password: { type: 'string' }, timeout: { type: 'string', default: '600' } } }));
} catch (err) {
  usage(err.message.split('\n')[0]);
}

function buildBundle() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'test-device-')), 'device-tests.js');
  const built = spawnSync(process.execPath, [path.join(root, 'tools', 'build.js'), '--entry', 'test/device/device-tests.ts', '--out', out], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building test/device failed:\n${built.stdout}${built.stderr}`);
  return fs.readFileSync(out, 'latin1');
}

/** The whole run against a logged-in console; returns {results, failed}. */
async function runOn(client, bundle, timeoutMs) {
  let n = 0;
  const from = client.text.length;
  await client.run('print("TDV "+process.version+" "+process.env.BOARD+" "+(process.memory().blocksize||"?"))', ++n, 30000);
  const [, version, board, blocksize] = client.text.slice(from).match(/TDV (\S+) (\S+) (\S+)/);
  // Stored 256 bytes a line, each acknowledged: the console has no flow control of its own.
  await client.run('require("Storage").erase("tcdevtst")', ++n, 30000);
  for (let at = 0; at < bundle.length; at += 256) {
    await client.run(`require("Storage").write("tcdevtst",${JSON.stringify(bundle.slice(at, at + 256))},${at},${bundle.length})`, ++n, 30000);
  }
  const start = client.text.length;
  client.send('\x10eval(require("Storage").read("tcdevtst"))\n');
  await client.expect(/TD \{"k":"end"/, { from: start, timeoutMs, what: 'the end of the run' });
  await client.run('require("Storage").erase("tcdevtst")', ++n, 30000);
  // A line may start behind the REPL's prompt.
  const results = [...client.text.slice(start).matchAll(/TD (\{.*\})\r?\n/g)].map((m) => JSON.parse(m[1]));
  return { version, board, blocksize: Number(blocksize), results };
}

function report(where, { version, board, blocksize, results }, local) {
  const lines = [`test:device on ${where}: Espruino ${version}, board ${board}, ${blocksize}-byte JsVars`];
  const memory = results.find((r) => r.k === 'memory');
  if (memory) {
    const m = memory.d;
    lines.push(`  memory: ${m.free} of ${m.total} JsVars free (${m.usage} in use, ${blocksize}-byte blocks); history ${m.history}, gc ${m.gc}, gctime ${m.gctime}`);
  }
  const here = local ? ' (this machine\'s, not the board\'s)' : '';
  for (const r of results.filter((x) => x.k === 'speed')) lines.push(`  ${r.d.name.padEnd(20)} ${r.d.msPerKB.toFixed(1).padStart(9)} ms per KB${here}`);
  const slice = results.find((r) => r.k === 'slice');
  if (slice) {
    const ms = slice.d.longestMs;
    lines.push(`  longest event-loop slice in an AT session: ${ms.toFixed(1)} ms${here} (the ESP8266's watchdog: ~${WATCHDOG_MS} ms)`);
  }
  const flash = results.find((r) => r.k === 'flash');
  if (flash) lines.push(`  flash (staging area): erase a page ${flash.d.eraseMs.toFixed(1)} ms, write ${flash.d.writeKBs.toFixed(0)} KB/s, read ${flash.d.readKBs.toFixed(0)} KB/s`);
  const checks = results.filter((r) => r.k === 'check');
  for (const c of checks) lines.push(`  ${c.d.ok === null ? 'skip' : c.d.ok ? 'ok  ' : 'FAIL'} ${c.d.name}${c.d.detail ? ` (${c.d.detail})` : ''}`);
  const passed = checks.filter((c) => c.d.ok === true).length;
  const failed = checks.filter((c) => c.d.ok === false).length;
  const skipped = checks.filter((c) => c.d.ok === null).length;
  lines.push(`${passed} passed, ${failed} failed${skipped ? ` (${skipped} skipped)` : ''}`);
  console.log(lines.join('\n'));
  return failed;
}

/** A module of our own: the simulator, or the firmware on ESPRUINO_BIN; its console turned on over the UART. */
async function localModule(password) {
  if (process.env.ESPRUINO_BIN) process.env.ESPRUINO_UNDER_TEST = process.env.ESPRUINO_BIN;
  const { SimModule } = await import('../test/helpers/module.js');
  const mod = await SimModule.start({ args: ['--wifi', path.join(root, 'sim', 'wifi.example.json'), '--cloud', 'none', '--console-port', '0', '--quiet'] });
  await mod.command('ATE0');
  const on = await mod.command(`AT+TCDEBUG=1,"${password}"`);
  if (on.at(-1) !== 'OK') throw new Error(`AT+TCDEBUG answered ${on.join(' ')}`);
  const port = Number(mod.readyLine.match(/ console=127\.0\.0\.1:(\d+)/)[1]);
  return { mod, port };
}

async function connectWhenListening(host, port, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await ConsoleClient.connect(host, port);
    } catch (err) {
      // The station may still be joining: the console opens when it has an address.
      if (err.code !== 'ECONNREFUSED' || Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function main() {
  const timeoutMs = Number(values.timeout) * 1000;
  let local = null;
  let host;
  let port;
  let password = values.password;
  if (values.port) {
    const m = values.port.match(/^tcp:\/\/([^:/]+)(?::(\d+))?\/?$/);
    if (!m) usage(`--port takes tcp://HOST[:PORT] (the module's debug console), not ${JSON.stringify(values.port)}`);
    if (!password) usage('--password: the one given with AT+TCDEBUG=1,"<password>"');
    [host, port] = [m[1], Number(m[2] || 23)];
  } else {
    password = `td-${crypto.randomBytes(6).toString('hex')}`;
    local = await localModule(password);
    [host, port] = ['127.0.0.1', local.port];
  }
  const bundle = buildBundle();
  const where = values.port ? `${host}:${port}` : process.env.ESPRUINO_BIN ? `the Linux interpreter ${process.env.ESPRUINO_BIN}` : 'the simulator';
  let failed = 1;
  try {
    const client = await connectWhenListening(host, port, 20000);
    await client.login(password);
    const run = await runOn(client, bundle, timeoutMs);
    await client.close();
    failed = report(where, run, !values.port);
    if (local) {
      // The firmware still answers its MCU, and the console goes off as asked.
      const off = await local.mod.command('AT+TCDEBUG=0');
      if (off.at(-1) !== 'OK') throw new Error(`AT+TCDEBUG=0 answered ${off.join(' ')}`);
    }
  } finally {
    if (local) await local.mod.kill();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`test:device: ${err.message}\n`);
  process.exit(1);
});
