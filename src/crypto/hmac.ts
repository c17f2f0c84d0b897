// HMAC-SHA1 over the runtime's native SHA1, the only hash the ESP8266 build has.
// Strings here are byte strings (Espruino strings are 8-bit).

export function sha1(data: string): string {
  const digest = new Uint8Array(require('crypto').SHA1(data));
  let out = '';
  for (let i = 0; i < digest.length; i++) out += String.fromCharCode(digest[i]);
  return out;
}

/** HMAC-SHA1 of `message` under `key`, as 20 raw bytes. */
export function hmacSha1(key: string, message: string): string {
  if (key.length > 64) key = sha1(key);
  let inner = '';
  let outer = '';
  for (let i = 0; i < 64; i++) {
    const k = i < key.length ? key.charCodeAt(i) : 0;
    inner += String.fromCharCode(k ^ 0x36);
    outer += String.fromCharCode(k ^ 0x5c);
  }
  return sha1(outer + sha1(inner + message));
}

export function toHex(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    out += (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}
