// TLS 1.2's PRF (RFC 5246, section 5): P_SHA256 over HMAC-SHA256.
import { hmac } from './hmac';
import { sha256 } from './sha256';

/** `length` bytes of PRF(secret, label, seed). */
export function prf(secret: string, label: string, seed: string, length: number): string {
  const labelSeed = label + seed;
  let a = labelSeed;
  let out = '';
  while (out.length < length) {
    a = hmac(sha256, secret, a);
    out += hmac(sha256, secret, a + labelSeed);
  }
  return out.substr(0, length);
}
