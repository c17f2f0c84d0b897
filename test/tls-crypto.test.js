// TLS-PSK's crypto pieces in the firmware against Node's crypto: SHA-256 at every padding edge,
// HMAC-SHA256 with short and long keys, TLS 1.2's PRF (RFC 5246's P_SHA256 built here from
// Node's HMAC), AES-128 and AES-256 in CBC both ways, done a range of blocks at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startProbe, pseudoRandomBytes as data } from './helpers/probe.js';

const hmac = (key, message) => crypto.createHmac('sha256', key).update(message).digest();

/** RFC 5246, section 5: P_SHA256(secret, label + seed). */
function prf(secret, label, seed, length) {
  const labelSeed = Buffer.concat([Buffer.from(label), seed]);
  let a = labelSeed;
  let out = Buffer.alloc(0);
  while (out.length < length) {
    a = hmac(secret, a);
    out = Buffer.concat([out, hmac(secret, Buffer.concat([a, labelSeed]))]);
  }
  return out.subarray(0, length);
}

// The stock ESP8266 build: all in JavaScript. A build with USE_SHA256 and USE_AES (--native-crypto):
// the same functions hand SHA-256 and AES to the interpreter.
for (const native of [false, true]) {
  test(`SHA-256, HMAC-SHA256, the PRF and AES-CBC of the firmware match Node's (${native ? 'the interpreter\'s SHA256 and AES' : 'in JavaScript, as on the stock build'})`, { timeout: 60000 }, async () => {
    const mod = await startProbe('test/fixtures/crypto-probe.ts', 'crypto.js', ['--cloud', 'none', ...(native ? ['--native-crypto'] : [])]);
    try {
      const lines = await mod.expectLine('CRYPTO DONE', { timeout: 50000 });
      const got = Object.fromEntries(lines.filter((l) => /^CRYPTO \S+ /.test(l)).map((l) => l.split(' ').slice(1)));
      assert.equal(got.native, native ? 'yes' : 'no', 'which SHA-256 and AES did the work');
      for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
        assert.equal(got[`sha256-${n}`], crypto.createHash('sha256').update(data(n, 1)).digest('hex'), `SHA-256 of ${n} bytes`);
      }
      assert.equal(got['hmac-16-100'], hmac(data(16, 2), data(100, 3)).toString('hex'));
      assert.equal(got['hmac-100-10'], hmac(data(100, 4), data(10, 5)).toString('hex'), 'a key longer than a block is hashed first');
      assert.equal(got['prf-48-100'], prf(data(48, 6), 'key expansion', data(64, 7), 100).toString('hex'));
      for (const bits of [128, 256]) {
        const key = data(bits / 8, 8);
        const plain = data(96, 9);
        const cipher = crypto.createCipheriv(`aes-${bits}-cbc`, key, plain.subarray(0, 16)).setAutoPadding(false);
        const encrypted = Buffer.concat([plain.subarray(0, 16), cipher.update(plain.subarray(16)), cipher.final()]);
        assert.equal(got[`aes${bits}-enc`], encrypted.toString('hex'), `AES-${bits}-CBC encryption`);
        assert.equal(got[`aes${bits}-dec`], plain.toString('hex'), `AES-${bits}-CBC decryption gives the plaintext back`);
      }
    } finally {
      await mod.kill();
    }
  });
}
