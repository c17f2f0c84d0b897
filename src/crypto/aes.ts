// AES-128 and AES-256 for Espruino, both ways, in CBC mode: TLS-PSK's records and dynamic
// registration's answer. Small rather than fast: no T-tables (4 KB of them would be a quarter of
// the free RAM), only the S-box and its inverse, built when a key is made (512 bytes), and
// MixColumns from xtime. Blocks are worked on in place in Uint8Arrays.

/**
 * An expanded key: the S-boxes, the round keys and the number of rounds; or, where the interpreter
 * has AES of its own (an Espruino built with USE_AES; the stock ESP8266 build is not), only the
 * raw key, which the interpreter's AES then takes, in C: no tables in RAM, a block in microseconds.
 */
export interface AesKey { s: Uint8Array; i: Uint8Array; rk: Uint8Array; rounds: number; raw: string }

/** The interpreter's AES (`require('crypto').AES`), or undefined on a build without it. */
export function nativeAes(): any {
  return (require('crypto') as any).AES;
}

/** The key schedule of `key` (16 or 32 raw bytes); the S-boxes those of `other` when given (they are the same for every key). */
export function aesKey(key: string, other: AesKey | null): AesKey {
  if (nativeAes()) return { raw: key } as AesKey;
  const s = other ? other.s : new Uint8Array(256);
  const inverse = other ? other.i : new Uint8Array(256);
  // p runs through the field's elements by multiplying by 3, q through their inverses.
  let p = 1;
  let q = other ? 0 : 1;
  while (q) {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff;
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const x = (q ^ (q << 1 | q >> 7) ^ (q << 2 | q >> 6) ^ (q << 3 | q >> 5) ^ (q << 4 | q >> 4) ^ 0x63) & 0xff;
    s[p] = x;
    inverse[x] = p;
    if (p === 1) break;
  }
  s[0] = 0x63;
  inverse[0x63] = 0;
  const nk = key.length;
  const rounds = (nk >> 2) + 6;
  const rk = new Uint8Array(16 * (rounds + 1));
  for (let i = 0; i < nk; i++) rk[i] = key.charCodeAt(i);
  let rcon = 1;
  for (let i = nk; i < rk.length; i += 4) {
    let t0 = rk[i - 4];
    let t1 = rk[i - 3];
    let t2 = rk[i - 2];
    let t3 = rk[i - 1];
    if (!(i % nk)) {
      const t = t0;
      t0 = s[t1] ^ rcon;
      t1 = s[t2];
      t2 = s[t3];
      t3 = s[t];
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0)) & 0xff;
    } else if (nk > 24 && i % nk === 16) {
      t0 = s[t0];
      t1 = s[t1];
      t2 = s[t2];
      t3 = s[t3];
    }
    rk[i] = rk[i - nk] ^ t0;
    rk[i + 1] = rk[i - nk + 1] ^ t1;
    rk[i + 2] = rk[i - nk + 2] ^ t2;
    rk[i + 3] = rk[i - nk + 3] ^ t3;
  }
  return { s: s, i: inverse, rk: rk, rounds: rounds, raw: '' };
}

/**
 * CBC over the blocks of `data` in [from, to), in place; the 16 bytes before `from` are the IV (in
 * TLS 1.2 a record's explicit IV stands just before its blocks). Encryption goes forward;
 * decryption goes backward, so that each block's predecessor is still ciphertext when it is
 * needed: a long run can be done a range at a time, forward ranges in order when encrypting,
 * backward when decrypting. (One function, xtime written out: every function object costs RAM.)
 */
export function aesCbc(k: AesKey, encrypt: boolean, data: Uint8Array, from: number, to: number): void {
  if (k.raw) {
    // The interpreter's CBC (no padding: TLS pads), the 16 bytes before `from` as the IV.
    const aes = nativeAes();
    const out = (encrypt ? aes.encrypt : aes.decrypt)(data.subarray(from, to), k.raw, { iv: data.subarray(from - 16, from), mode: 'CBC' });
    data.set(new Uint8Array(out), from);
    return;
  }
  const rk = k.rk;
  const rounds = k.rounds;
  const box = encrypt ? k.s : k.i;
  const t = new Uint8Array(16);
  let x: number;
  let y: number;
  for (let n = (to - from) >> 4, j = 0; j < n; j++) {
    const at = encrypt ? from + 16 * j : to - 16 * (j + 1);
    for (let i = 0; i < 16; i++) data[at + i] ^= encrypt ? data[at - 16 + i] ^ rk[i] : rk[rounds * 16 + i];
    for (let r = 1; r <= rounds; r++) {
      // Encrypting: SubBytes and ShiftRows, MixColumns but in the last round, AddRoundKey. Decrypting:
      // InvShiftRows and InvSubBytes with AddRoundKey, then InvMixColumns but in the last round (a
      // step that undoes MixColumns' square, then MixColumns).
      const key = (encrypt ? r : rounds - r) * 16;
      for (let i = 0; i < 16; i++) t[i] = box[data[at + ((encrypt ? i + 4 * (i & 3) : i - 4 * (i & 3)) & 15)]] ^ (encrypt ? 0 : rk[key + i]);
      data.set(t, at);
      if (r < rounds) {
        for (let c = at; c < at + 16; c += 4) {
          if (!encrypt) {
            x = data[c] ^ data[c + 2];
            x = ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;
            x = ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;
            y = data[c + 1] ^ data[c + 3];
            y = ((y << 1) ^ (y & 0x80 ? 0x1b : 0)) & 0xff;
            y = ((y << 1) ^ (y & 0x80 ? 0x1b : 0)) & 0xff;
            data[c] ^= x;
            data[c + 1] ^= y;
            data[c + 2] ^= x;
            data[c + 3] ^= y;
          }
          const a0 = data[c];
          const a1 = data[c + 1];
          const a2 = data[c + 2];
          const a3 = data[c + 3];
          const all = a0 ^ a1 ^ a2 ^ a3;
          x = a0 ^ a1;
          data[c] = a0 ^ all ^ (((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff);
          x = a1 ^ a2;
          data[c + 1] = a1 ^ all ^ (((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff);
          x = a2 ^ a3;
          data[c + 2] = a2 ^ all ^ (((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff);
          x = a3 ^ a0;
          data[c + 3] = a3 ^ all ^ (((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff);
        }
      }
      if (encrypt) for (let i = 0; i < 16; i++) data[at + i] ^= rk[key + i];
    }
    if (!encrypt) for (let i = 0; i < 16; i++) data[at + i] ^= data[at - 16 + i];
  }
}
