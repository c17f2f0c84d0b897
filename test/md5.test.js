// MD5 in the firmware against Node's crypto: every length around the block and padding
// edges, chunkings that split blocks anywhere, a state saved and restored half-way, and no
// memory kept by repeated updates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimModule } from './helpers/module.js';
import { buildEntry } from './helpers/build.js';

function data(length) {
  let x = 12345;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = (x >> 16) & 255;
  }
  return out;
}

test('the firmware\'s MD5 matches Node\'s for every case, resumed from JSON half-way', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'probe-')), 'md5.js');
  const built = buildEntry('test/fixtures/md5-probe.ts', out);
  assert.ok(built.ok, built.output);
  const mod = await SimModule.start({ args: ['--firmware', out, '--cloud', 'none'] });
  try {
    const all = await mod.expectLine('MD5 DONE', { timeout: 30000 });
    const lines = all.filter((l) => /^MD5 \d/.test(l));
    assert.equal(lines.length, 10);
    for (const line of lines) {
      const [, length, chunk, hex] = line.split(' ');
      assert.equal(hex, crypto.createHash('md5').update(data(Number(length))).digest('hex'), `length ${length}, chunks of ${chunk}`);
    }
    // On the real interpreter, a bundle minified into deeply nested assignments leaked ~4 JsVars a call.
    const leak = Number(/^MD5 LEAK (-?\d+)$/.exec(all.find((l) => l.startsWith('MD5 LEAK')))[1]);
    assert.ok(leak <= 4, `50 updates kept ${leak} JsVars`);
  } finally {
    await mod.kill();
  }
});
