// HMAC (RFC 2104) with its padded keys made once, for a key that signs several messages in a row:
// TLS's PRF secret. Building the pads costs more than hashing a short message where the
// interpreter hashes in C. hmac() in ./hmac builds them per call: the resident core's, for
// Tencent's signatures, and the records' MACs (128 bytes of pads kept per direction for a whole
// session would cost RAM the handshake's last steps need).

/** The two padded keys for `key`, K xor ipad then K xor opad (128 bytes). */
export function hmacPads(hash: (data: string) => string, key: string): string {
  if (key.length > 64) key = hash(key);
  const pads = new Uint8Array(128);
  const k = E.toUint8Array(key);
  pads.set(k);
  pads.set(k, 64);
  for (let i = 0; i < 128; i++) pads[i] ^= i < 64 ? 0x36 : 0x5c;
  return E.toString(pads);
}

/** HMAC of `message` with the padded keys `pads` (hmacPads) and `hash` (64-byte blocks), as raw bytes. */
export function hmacPadded(hash: (data: string) => string, pads: string, message: string): string {
  return hash(pads.substr(64) + hash(pads.substr(0, 64) + message));
}
