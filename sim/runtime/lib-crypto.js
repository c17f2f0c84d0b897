// require('crypto') on the ESP8266: SHA1 and nothing else on the stock build. With `native`
// (--native-crypto), what an Espruino built with USE_SHA256 and USE_AES adds: SHA224, SHA256 and
// AES.encrypt/decrypt (libs/crypto/jswrap_crypto.c): no padding, the IV zeros unless given, CTR
// from a zero counter; bad options, a bad key, a length not a whole number of blocks or OFB (in
// its list of modes but not done) printed as an error with undefined returned; an unknown mode thrown.
import crypto from 'node:crypto';
import { toBytes } from './bytes.js';

const MODES = { CBC: 'cbc', ECB: 'ecb', CFB: 'cfb8', CTR: 'ctr' };

export function createCryptoModule(rt, { native = false } = {}) {
  const bytesOf = (data) => Buffer.from(toBytes(data, rt.C, { typedArrays: 'raw' }));
  const hash = (algorithm) => (data) => {
    if (data === undefined) return undefined;
    return rt.arrayBuffer(crypto.createHash(algorithm).update(bytesOf(data)).digest());
  };
  const module = { SHA1: hash('sha1') };
  if (!native) return rt.object(module);

  const aes = (encrypt) => (message, key, options) => {
    const fail = (text) => {
      rt.consolePrint(`ERROR: ${text}\r\n`);
      return undefined;
    };
    if (options !== undefined && (options === null || typeof options !== 'object')) return fail("'options' must be undefined, or an Object");
    const mode = options && options.mode !== undefined ? String(options.mode) : 'CBC';
    if (!MODES[mode] && mode !== 'OFB') throw new rt.C.Error(`Unknown Crypto mode ${JSON.stringify(mode)}`);
    const iv = Buffer.alloc(16);
    if (options && options.iv !== undefined) bytesOf(options.iv).copy(iv, 0, 0, 16);
    const input = bytesOf(message);
    const k = bytesOf(key);
    if (![16, 24, 32].includes(k.length)) return fail('Unknown error: -0x20'); // mbedTLS's bad key length
    if ((mode === 'CBC' || mode === 'ECB') && input.length % 16) return fail('Invalid input length');
    if (mode === 'OFB') return fail('Feature unavailable');
    const cipherIv = mode === 'ECB' ? null : mode === 'CTR' ? Buffer.alloc(16) : iv;
    const name = `aes-${k.length * 8}-${MODES[mode]}`;
    const c = encrypt ? crypto.createCipheriv(name, k, cipherIv) : crypto.createDecipheriv(name, k, cipherIv);
    c.setAutoPadding(false);
    return rt.arrayBuffer(Buffer.concat([c.update(input), c.final()]));
  };
  module.SHA224 = hash('sha224');
  module.SHA256 = hash('sha256');
  module.AES = rt.object({ encrypt: aes(true), decrypt: aes(false) });
  return rt.object(module);
}
