// HMAC-SHA1 over the runtime's native SHA1, the only hash the ESP8266 build has.
// Strings here are byte strings (Espruino strings are 8-bit).

export function sha1(data: string): string {
  const digest = new Uint8Array(require('crypto').SHA1(data));
  let out = '';
  for (let i = 0; i < digest.length; i++) out += String.fromCharCode(digest[i]);
  return out;
}

function xorPad(key: string, pad: number): string {
  let out = '';
  for (let i = 0; i < 64; i++) out += String.fromCharCode((i < key.length ? key.charCodeAt(i) : 0) ^ pad);
  return out;
}

/** HMAC-SHA1 of `message` under `key`, as 20 raw bytes. */
export function hmacSha1(key: string, message: string): string {
  if (key.length > 64) key = sha1(key);
  return sha1(xorPad(key, 0x5c) + sha1(xorPad(key, 0x36) + message));
}

export function toHex(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    out += (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}
