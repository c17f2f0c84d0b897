// TLS 1.2's PRF (RFC 5246, section 5): P_SHA256 over HMAC-SHA256.
import { hmacPads, hmacPadded } from './hmac-pads';
import { sha256 } from './sha256';

/** `length` bytes of PRF(secret, label, seed). */
export function prf(secret: string, label: string, seed: string, length: number): string {
  const labelSeed = label + seed;
  const pads = hmacPads(sha256, secret);
  let a = labelSeed;
  let out = '';
  while (out.length < length) {
    a = hmacPadded(sha256, pads, a);
    out += hmacPadded(sha256, pads, a + labelSeed);
  }
  return out.substr(0, length);
}
