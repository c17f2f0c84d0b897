// The straightforward SHA-256 and AES-128 that bench:tls-crypto measures the firmware's against:
// SHA-256 as FIPS 180-4 writes it (a loop over a constants table, the schedule in an array), AES
// as FIPS 197 writes it (key expansion, rounds of SubBytes, ShiftRows, MixColumns by
// multiplication in GF(2^8), AddRoundKey; the S-box given). Plain ES5 for Espruino and Node.
function sha256Constants() {
  return [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
}

function rotr(x, n) {
  return (x >>> n) | (x << (32 - n));
}

function sha256Straightforward(data) {
  var n = data.length;
  var bytes = [];
  for (var i = 0; i < n; i++) bytes.push(data.charCodeAt(i));
  bytes.push(0x80);
  while ((bytes.length + 8) % 64) bytes.push(0);
  bytes.push(0, 0, 0, n >>> 29, (n >>> 21) & 255, (n >>> 13) & 255, (n >>> 5) & 255, (n << 3) & 255);
  var K = sha256Constants(); // made per call: a global table would hold its JsVars for good
  var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  for (var o = 0; o < bytes.length; o += 64) {
    var w = [];
    for (var t = 0; t < 64; t++) {
      if (t < 16) w[t] = (bytes[o + 4 * t] << 24) | (bytes[o + 4 * t + 1] << 16) | (bytes[o + 4 * t + 2] << 8) | bytes[o + 4 * t + 3];
      else w[t] = ((rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10)) + w[t - 7] + (rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3)) + w[t - 16]) | 0;
    }
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (t = 0; t < 64; t++) {
      var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
      var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
  }
  var out = '';
  for (i = 0; i < 8; i++) out += String.fromCharCode((h[i] >>> 24) & 255, (h[i] >>> 16) & 255, (h[i] >>> 8) & 255, h[i] & 255);
  return out;
}

function gfMul(a, b) {
  var r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
    b >>= 1;
  }
  return r;
}

/**
 * AES-128 encryption of `data` (whole blocks, a string) in CBC mode under `key` with `iv`: a
 * string. `sbox` is given (building it by inversion takes longer than the cipher).
 */
function aesCbcStraightforward(key, iv, data, sbox) {
  var w = [];
  for (var i = 0; i < 16; i++) w[i] = key.charCodeAt(i);
  var rcon = 1;
  for (i = 16; i < 176; i += 4) {
    var t = [w[i - 4], w[i - 3], w[i - 2], w[i - 1]];
    if (!(i % 16)) {
      t = [sbox[t[1]] ^ rcon, sbox[t[2]], sbox[t[3]], sbox[t[0]]];
      rcon = gfMul(rcon, 2);
    }
    for (var j = 0; j < 4; j++) w[i + j] = w[i - 16 + j] ^ t[j];
  }
  var previous = [];
  for (i = 0; i < 16; i++) previous[i] = iv.charCodeAt(i);
  var out = '';
  for (var at = 0; at < data.length; at += 16) {
    var st = [];
    for (i = 0; i < 16; i++) st[i] = data.charCodeAt(at + i) ^ previous[i] ^ w[i];
    for (var round = 1; round <= 10; round++) {
      var sh = [];
      for (i = 0; i < 16; i++) sh[i] = sbox[st[(i + 4 * (i & 3)) & 15]];
      if (round < 10) {
        for (var c = 0; c < 16; c += 4) {
          st[c] = gfMul(sh[c], 2) ^ gfMul(sh[c + 1], 3) ^ sh[c + 2] ^ sh[c + 3];
          st[c + 1] = sh[c] ^ gfMul(sh[c + 1], 2) ^ gfMul(sh[c + 2], 3) ^ sh[c + 3];
          st[c + 2] = sh[c] ^ sh[c + 1] ^ gfMul(sh[c + 2], 2) ^ gfMul(sh[c + 3], 3);
          st[c + 3] = gfMul(sh[c], 3) ^ sh[c + 1] ^ sh[c + 2] ^ gfMul(sh[c + 3], 2);
        }
      } else {
        st = sh;
      }
      for (i = 0; i < 16; i++) st[i] ^= w[round * 16 + i];
    }
    for (i = 0; i < 16; i++) out += String.fromCharCode(st[i]);
    previous = st;
  }
  return out;
}

if (typeof module !== 'undefined') module.exports = { sha256Straightforward: sha256Straightforward, aesCbcStraightforward: aesCbcStraightforward };
