// MD5 in JavaScript for Espruino, fast and resumable. The whole state is four words, the byte
// count and the bytes of a partial block (in base64: the state goes through JSON, and an
// interpreter built with Unicode support would turn raw bytes over 0x7F into UTF-8 there), so it
// can be saved with a download's offset and a power cut resumes hashing where it stopped.
//
// Speed on an interpreter: the 64 steps are unrolled (no loop, no table lookups, no calls),
// and the message words are read 32 bits at a time through a Uint32Array over the block's
// bytes (E.toArrayBuffer shares a flat string's memory) instead of four charCodeAt() calls and
// shifts each. Sums may leave 32 bits between steps: shifts and bit operations take them modulo
// 2^32, and each block ends with |0. (Both targets are little-endian, as MD5 is.)

/** `tail`: the partial block's bytes, in base64. */
export interface Md5State { a: number; b: number; c: number; d: number; n: number; tail: string }

export function md5Start(): Md5State {
  return { a: 0x67452301, b: -271733879, c: -1732584194, d: 0x10325476, n: 0, tail: '' };
}

/** Hashes `data` (a byte string) into `state`. */
export function md5Update(state: Md5State, data: string): void {
  state.n += data.length;
  // One flat string for the partial block and the data (E.toString makes it flat where it can),
  // which E.toArrayBuffer then shares instead of copying; the view stops at the last whole block.
  let bytes = state.tail ? E.toString(atob(state.tail), data) : data;
  const whole = bytes.length & ~63;
  state.tail = btoa(bytes.substr(whole));
  if (!whole) return;
  const w = new Uint32Array(E.toArrayBuffer(bytes), 0, whole >> 2);
  bytes = '';
  let a = state.a;
  let b = state.b;
  let c = state.c;
  let d = state.d;
  let t: number;
  for (let o = 0; o < w.length; o += 16) {
    const a0 = a;
    const b0 = b;
    const c0 = c;
    const d0 = d;
    t = a + ((b & c) | (~b & d)) + w[o + 0] + -680876936;
    a = ((t << 7) | (t >>> 25)) + b;
    t = d + ((a & b) | (~a & c)) + w[o + 1] + -389564586;
    d = ((t << 12) | (t >>> 20)) + a;
    t = c + ((d & a) | (~d & b)) + w[o + 2] + 606105819;
    c = ((t << 17) | (t >>> 15)) + d;
    t = b + ((c & d) | (~c & a)) + w[o + 3] + -1044525330;
    b = ((t << 22) | (t >>> 10)) + c;
    t = a + ((b & c) | (~b & d)) + w[o + 4] + -176418897;
    a = ((t << 7) | (t >>> 25)) + b;
    t = d + ((a & b) | (~a & c)) + w[o + 5] + 1200080426;
    d = ((t << 12) | (t >>> 20)) + a;
    t = c + ((d & a) | (~d & b)) + w[o + 6] + -1473231341;
    c = ((t << 17) | (t >>> 15)) + d;
    t = b + ((c & d) | (~c & a)) + w[o + 7] + -45705983;
    b = ((t << 22) | (t >>> 10)) + c;
    t = a + ((b & c) | (~b & d)) + w[o + 8] + 1770035416;
    a = ((t << 7) | (t >>> 25)) + b;
    t = d + ((a & b) | (~a & c)) + w[o + 9] + -1958414417;
    d = ((t << 12) | (t >>> 20)) + a;
    t = c + ((d & a) | (~d & b)) + w[o + 10] + -42063;
    c = ((t << 17) | (t >>> 15)) + d;
    t = b + ((c & d) | (~c & a)) + w[o + 11] + -1990404162;
    b = ((t << 22) | (t >>> 10)) + c;
    t = a + ((b & c) | (~b & d)) + w[o + 12] + 1804603682;
    a = ((t << 7) | (t >>> 25)) + b;
    t = d + ((a & b) | (~a & c)) + w[o + 13] + -40341101;
    d = ((t << 12) | (t >>> 20)) + a;
    t = c + ((d & a) | (~d & b)) + w[o + 14] + -1502002290;
    c = ((t << 17) | (t >>> 15)) + d;
    t = b + ((c & d) | (~c & a)) + w[o + 15] + 1236535329;
    b = ((t << 22) | (t >>> 10)) + c;
    t = a + ((b & d) | (c & ~d)) + w[o + 1] + -165796510;
    a = ((t << 5) | (t >>> 27)) + b;
    t = d + ((a & c) | (b & ~c)) + w[o + 6] + -1069501632;
    d = ((t << 9) | (t >>> 23)) + a;
    t = c + ((d & b) | (a & ~b)) + w[o + 11] + 643717713;
    c = ((t << 14) | (t >>> 18)) + d;
    t = b + ((c & a) | (d & ~a)) + w[o + 0] + -373897302;
    b = ((t << 20) | (t >>> 12)) + c;
    t = a + ((b & d) | (c & ~d)) + w[o + 5] + -701558691;
    a = ((t << 5) | (t >>> 27)) + b;
    t = d + ((a & c) | (b & ~c)) + w[o + 10] + 38016083;
    d = ((t << 9) | (t >>> 23)) + a;
    t = c + ((d & b) | (a & ~b)) + w[o + 15] + -660478335;
    c = ((t << 14) | (t >>> 18)) + d;
    t = b + ((c & a) | (d & ~a)) + w[o + 4] + -405537848;
    b = ((t << 20) | (t >>> 12)) + c;
    t = a + ((b & d) | (c & ~d)) + w[o + 9] + 568446438;
    a = ((t << 5) | (t >>> 27)) + b;
    t = d + ((a & c) | (b & ~c)) + w[o + 14] + -1019803690;
    d = ((t << 9) | (t >>> 23)) + a;
    t = c + ((d & b) | (a & ~b)) + w[o + 3] + -187363961;
    c = ((t << 14) | (t >>> 18)) + d;
    t = b + ((c & a) | (d & ~a)) + w[o + 8] + 1163531501;
    b = ((t << 20) | (t >>> 12)) + c;
    t = a + ((b & d) | (c & ~d)) + w[o + 13] + -1444681467;
    a = ((t << 5) | (t >>> 27)) + b;
    t = d + ((a & c) | (b & ~c)) + w[o + 2] + -51403784;
    d = ((t << 9) | (t >>> 23)) + a;
    t = c + ((d & b) | (a & ~b)) + w[o + 7] + 1735328473;
    c = ((t << 14) | (t >>> 18)) + d;
    t = b + ((c & a) | (d & ~a)) + w[o + 12] + -1926607734;
    b = ((t << 20) | (t >>> 12)) + c;
    t = a + (b ^ c ^ d) + w[o + 5] + -378558;
    a = ((t << 4) | (t >>> 28)) + b;
    t = d + (a ^ b ^ c) + w[o + 8] + -2022574463;
    d = ((t << 11) | (t >>> 21)) + a;
    t = c + (d ^ a ^ b) + w[o + 11] + 1839030562;
    c = ((t << 16) | (t >>> 16)) + d;
    t = b + (c ^ d ^ a) + w[o + 14] + -35309556;
    b = ((t << 23) | (t >>> 9)) + c;
    t = a + (b ^ c ^ d) + w[o + 1] + -1530992060;
    a = ((t << 4) | (t >>> 28)) + b;
    t = d + (a ^ b ^ c) + w[o + 4] + 1272893353;
    d = ((t << 11) | (t >>> 21)) + a;
    t = c + (d ^ a ^ b) + w[o + 7] + -155497632;
    c = ((t << 16) | (t >>> 16)) + d;
    t = b + (c ^ d ^ a) + w[o + 10] + -1094730640;
    b = ((t << 23) | (t >>> 9)) + c;
    t = a + (b ^ c ^ d) + w[o + 13] + 681279174;
    a = ((t << 4) | (t >>> 28)) + b;
    t = d + (a ^ b ^ c) + w[o + 0] + -358537222;
    d = ((t << 11) | (t >>> 21)) + a;
    t = c + (d ^ a ^ b) + w[o + 3] + -722521979;
    c = ((t << 16) | (t >>> 16)) + d;
    t = b + (c ^ d ^ a) + w[o + 6] + 76029189;
    b = ((t << 23) | (t >>> 9)) + c;
    t = a + (b ^ c ^ d) + w[o + 9] + -640364487;
    a = ((t << 4) | (t >>> 28)) + b;
    t = d + (a ^ b ^ c) + w[o + 12] + -421815835;
    d = ((t << 11) | (t >>> 21)) + a;
    t = c + (d ^ a ^ b) + w[o + 15] + 530742520;
    c = ((t << 16) | (t >>> 16)) + d;
    t = b + (c ^ d ^ a) + w[o + 2] + -995338651;
    b = ((t << 23) | (t >>> 9)) + c;
    t = a + (c ^ (b | ~d)) + w[o + 0] + -198630844;
    a = ((t << 6) | (t >>> 26)) + b;
    t = d + (b ^ (a | ~c)) + w[o + 7] + 1126891415;
    d = ((t << 10) | (t >>> 22)) + a;
    t = c + (a ^ (d | ~b)) + w[o + 14] + -1416354905;
    c = ((t << 15) | (t >>> 17)) + d;
    t = b + (d ^ (c | ~a)) + w[o + 5] + -57434055;
    b = ((t << 21) | (t >>> 11)) + c;
    t = a + (c ^ (b | ~d)) + w[o + 12] + 1700485571;
    a = ((t << 6) | (t >>> 26)) + b;
    t = d + (b ^ (a | ~c)) + w[o + 3] + -1894986606;
    d = ((t << 10) | (t >>> 22)) + a;
    t = c + (a ^ (d | ~b)) + w[o + 10] + -1051523;
    c = ((t << 15) | (t >>> 17)) + d;
    t = b + (d ^ (c | ~a)) + w[o + 1] + -2054922799;
    b = ((t << 21) | (t >>> 11)) + c;
    t = a + (c ^ (b | ~d)) + w[o + 8] + 1873313359;
    a = ((t << 6) | (t >>> 26)) + b;
    t = d + (b ^ (a | ~c)) + w[o + 15] + -30611744;
    d = ((t << 10) | (t >>> 22)) + a;
    t = c + (a ^ (d | ~b)) + w[o + 6] + -1560198380;
    c = ((t << 15) | (t >>> 17)) + d;
    t = b + (d ^ (c | ~a)) + w[o + 13] + 1309151649;
    b = ((t << 21) | (t >>> 11)) + c;
    t = a + (c ^ (b | ~d)) + w[o + 4] + -145523070;
    a = ((t << 6) | (t >>> 26)) + b;
    t = d + (b ^ (a | ~c)) + w[o + 11] + -1120210379;
    d = ((t << 10) | (t >>> 22)) + a;
    t = c + (a ^ (d | ~b)) + w[o + 2] + 718787259;
    c = ((t << 15) | (t >>> 17)) + d;
    t = b + (d ^ (c | ~a)) + w[o + 9] + -343485551;
    b = ((t << 21) | (t >>> 11)) + c;
    a = (a + a0) | 0;
    b = (b + b0) | 0;
    c = (c + c0) | 0;
    d = (d + d0) | 0;
  }
  state.a = a;
  state.b = b;
  state.c = c;
  state.d = d;
}

/** The digest as 32 lowercase hex characters (the state is used up). */
export function md5Hex(state: Md5State): string {
  const bits = state.n * 8;
  let pad = '\x80';
  while (((state.n & 63) + pad.length) % 64 !== 56) pad += '\x00';
  for (let i = 0; i < 8; i++) pad += String.fromCharCode(i < 4 ? (bits >>> (8 * i)) & 255 : Math.floor(bits / 4294967296) >>> (8 * (i - 4)) & 255);
  const n = state.n;
  md5Update(state, pad);
  state.n = n;
  let hex = '';
  const words = [state.a, state.b, state.c, state.d];
  for (let i = 0; i < 16; i++) {
    const byte = (words[i >> 2] >>> (8 * (i & 3))) & 255;
    hex += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return hex;
}
