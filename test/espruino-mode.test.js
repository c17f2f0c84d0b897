// Without ESPRUINO_BIN, the real-interpreter commands say they were skipped and succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers/module.js';

const withoutBin = { ...process.env, ESPRUINO_BIN: '' };

test('test:espruino without ESPRUINO_BIN says why it skipped and exits 0', () => {
  const r = spawnSync(process.execPath, ['tools/test-espruino.js'], { cwd: ROOT, env: withoutBin, encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /skipped: ESPRUINO_BIN does not name an Espruino interpreter/);
});

test('bench:boot-memory without ESPRUINO_BIN says why it skipped and exits 0', () => {
  const r = spawnSync(process.execPath, ['bench/espruino-boot-memory.js'], { cwd: ROOT, env: withoutBin, encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /skipped: set ESPRUINO_BIN/);
});
