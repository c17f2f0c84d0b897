// require('crypto') on the ESP8266: SHA1 and nothing else.
import crypto from 'node:crypto';
import { toBytes } from './bytes.js';

export function createCryptoModule(rt) {
  return rt.object({
    SHA1: (data) => {
      if (data === undefined) return undefined;
      const bytes = toBytes(data, rt.C, { typedArrays: 'raw' });
      return rt.arrayBuffer(crypto.createHash('sha1').update(bytes).digest());
    },
  });
}
