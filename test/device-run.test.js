// npm run test:device run end to end against a module of its own: the simulator under npm test,
// the Linux interpreter under test:espruino. It must log in, run the bundle beside the firmware,
// print every figure and end with "N passed, 0 failed", leaving the firmware answering its MCU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, REAL_ESPRUINO } from './helpers/module.js';

function run(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'tools', 'test-device.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('test:device reports memory, crypto speed, the longest slice, flash and an AT loopback, and passes', async () => {
  const { code, out } = await run([], REAL_ESPRUINO ? { ESPRUINO_BIN: REAL_ESPRUINO } : { ESPRUINO_BIN: '' });
  assert.equal(code, 0, out);
  assert.match(out, /memory: \d+ of 1600 JsVars free \(\d+ in use, 12-byte blocks\)/);
  for (const name of ['MD5', 'HMAC-SHA1', 'SHA-256', 'AES-128-CBC encrypt', 'AES-128-CBC decrypt']) assert.match(out, new RegExp(`${name} +[\\d.]+ ms per KB`), name);
  assert.match(out, /longest event-loop slice in an AT session: [\d.]+ ms/);
  if (REAL_ESPRUINO) assert.match(out, /skip flash \(no staging area on LINUX\)/);
  else assert.match(out, /flash \(staging area\): erase a page [\d.]+ ms, write \d+ KB\/s, read \d+ KB\/s/);
  assert.match(out, /ok {3}AT loopback/);
  assert.match(out, /^\d+ passed, 0 failed/m);
});

test('test:device refuses a --port that is not the debug console\'s TCP address, and a missing password', async () => {
  let r = await run(['--port', '/dev/ttyUSB0', '--password', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.out, /--port takes tcp:\/\/HOST\[:PORT\]/);
  r = await run(['--port', 'tcp://192.168.1.50']);
  assert.equal(r.code, 2);
  assert.match(r.out, /--password/);
});
