// HMAC (RFC 2104) over a hash given as a function: SHA1 (native, the only hash the ESP8266 build
// has) for Tencent's signatures and TLS records, SHA-256 (src/crypto/sha256.ts) for TLS's PRF.
// Strings here are byte strings (Espruino strings are 8-bit).

export function sha1(data: string): string {
  return E.toString(require('crypto').SHA1(data));
}

/** HMAC of `message` under `key` with `hash` (64-byte blocks), as raw bytes. */
export function hmac(hash: (data: string) => string, key: string, message: string): string {
  if (key.length > 64) key = hash(key);
  let inner = '';
  let outer = '';
  for (let i = 0; i < 64; i++) {
    const k = i < key.length ? key.charCodeAt(i) : 0;
    inner += String.fromCharCode(k ^ 0x36);
    outer += String.fromCharCode(k ^ 0x5c);
  }
  return hash(outer + hash(inner + message));
}

/** HMAC-SHA1 of `message` under `key`, as 20 raw bytes. */
export function hmacSha1(key: string, message: string): string {
  return hmac(sha1, key, message);
}

export function toHex(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    out += (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}
