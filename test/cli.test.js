// The simulator's command line as a user meets it: mistakes are one line and exit code 2, --help
// lists every option, and its own terminal edits a line before sending it with CR LF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT, tempState } from './helpers/module.js';

const cli = (...args) => new Promise((resolve) => {
  const child = spawn(process.execPath, [path.join(ROOT, 'sim', 'cli.js'), '--state', tempState('cli-'), '--quiet', ...args], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr }); });
});

test('an unknown option, a bad value, a missing file: one line on stderr and exit code 2', async () => {
  for (const args of [['--frobnicate'], ['--flash', '3'], ['--mqtt-port', 'abc'], ['--firmware', '/no/such/firmware.tcfw'], ['--wifi', '/no/such.json'], ['--cloud', 'nonsense']]) {
    const r = await cli(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^npm start: /);
  }
});

test('a port in use, the hub\'s or the UART\'s: one line and exit code 2', async () => {
  const busy = net.createServer();
  await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const { port } = busy.address();
  try {
    for (const args of [['--mqtt-port', String(port), '--mqtts-port', '0', '--http-port', '0'], ['--uart', `tcp:127.0.0.1:${port}`, '--cloud', 'none']]) {
      const r = await cli(...args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /in use/);
    }
  } finally {
    busy.close();
  }
});

test('--help lists every option, --sap-port included', () => {
  const r = spawnSync(process.execPath, ['sim/cli.js', '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0);
  for (const option of ['--uart', '--state', '--wifi', '--sap-port', '--flash', '--firmware', '--power-cut-after', '--espruino', '--quiet', '--cloud',
    '--mqtt-port', '--mqtts-port', '--http-port', '--admin-password', '--device', '--product', '--registry']) assert.match(r.stdout, new RegExp(`^  ${option} `, 'm'), option);
});

const python = spawnSync('python3', ['--version']).status === 0;

test('the simulator\'s own terminal: Backspace and Ctrl-U edit the line, Enter sends it with CR LF', { skip: python ? false : 'python3 is needed for a pty' }, () => {
  // "AX", Backspace, "T", Enter; then "garbage", Ctrl-U, "ATE0", Enter.
  const r = spawnSync('python3', [path.join(ROOT, 'test', 'helpers', 'pty-terminal.py'), process.execPath, tempState('tty-'),
    'AX\\x7fT\\rgarbage\\x15ATE0\\r', 'ATE0\\r\\nOK'], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
  // The module's echo (ATE1) shows each line as it was sent; both get OK, no ERROR. (The pty
  // turns each LF into CR LF: the output reads CR CR LF.)
  assert.match(r.stdout, /AT(\\r)+\\nOK(\\r)+\\n/, r.stdout + r.stderr);
  assert.match(r.stdout, /ATE0(\\r)+\\nOK(\\r)+\\n/);
  assert.doesNotMatch(r.stdout, /ERROR/);
});
