// MD5 in the firmware against Node's crypto: every length around the block and padding
// edges, chunkings that split blocks anywhere, a state saved and restored half-way, and no
// memory kept by repeated updates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startProbe, pseudoRandomBytes } from './helpers/probe.js';

test('the firmware\'s MD5 matches Node\'s for every case, resumed from JSON half-way', async () => {
  const mod = await startProbe('test/fixtures/md5-probe.ts', 'md5.js', ['--cloud', 'none']);
  try {
    const all = await mod.expectLine('MD5 DONE', { timeout: 30000 });
    const lines = all.filter((l) => /^MD5 \d/.test(l));
    assert.equal(lines.length, 10);
    for (const line of lines) {
      const [, length, chunk, hex] = line.split(' ');
      assert.equal(hex, crypto.createHash('md5').update(pseudoRandomBytes(Number(length))).digest('hex'), `length ${length}, chunks of ${chunk}`);
    }
    // On the real interpreter, a bundle minified into deeply nested assignments leaked ~4 JsVars a
    // call (200 over 50 calls). Without a leak the count still moves by a few JsVars from run to run
    // (0 to 5 seen on 2v29 for 50 calls, with no growth over 200): under half a JsVar a call passes.
    const leak = Number(/^MD5 LEAK (-?\d+)$/.exec(all.find((l) => l.startsWith('MD5 LEAK')))[1]);
    assert.ok(leak < 25, `50 updates kept ${leak} JsVars`);
  } finally {
    await mod.kill();
  }
});
