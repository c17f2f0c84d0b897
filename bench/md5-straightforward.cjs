// The yardstick for bench/md5.js (CommonJS so Node can load it too): MD5 written the straightforward way (a loop over the 64
// steps with tables of constants and shifts, the round function chosen per step, the block's
// words assembled from bytes with charCodeAt). ES5, runs on Espruino. Not used by the firmware.
var MD5_K = [];
for (var i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
var MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

function md5Straightforward(bytes) {
  var n = bytes.length;
  var padded = bytes + '\x80';
  while (padded.length % 64 !== 56) padded += '\x00';
  var bits = n * 8;
  for (var b = 0; b < 8; b++) padded += String.fromCharCode(b < 4 ? (bits >>> (8 * b)) & 255 : 0);
  var h = [0x67452301, -271733879, -1732584194, 0x10325476];
  for (var off = 0; off < padded.length; off += 64) {
    var x = [];
    for (var j = 0; j < 16; j++) {
      var p = off + j * 4;
      x[j] = padded.charCodeAt(p) | (padded.charCodeAt(p + 1) << 8) | (padded.charCodeAt(p + 2) << 16) | (padded.charCodeAt(p + 3) << 24);
    }
    var a = h[0], bb = h[1], c = h[2], d = h[3];
    for (var s = 0; s < 64; s++) {
      var f, g;
      if (s < 16) { f = (bb & c) | (~bb & d); g = s; }
      else if (s < 32) { f = (bb & d) | (c & ~d); g = (5 * s + 1) % 16; }
      else if (s < 48) { f = bb ^ c ^ d; g = (3 * s + 5) % 16; }
      else { f = c ^ (bb | ~d); g = (7 * s) % 16; }
      var t = (a + f + MD5_K[s] + x[g]) | 0;
      var r = MD5_S[(s >> 4) * 4 + (s & 3)];
      a = d; d = c; c = bb;
      bb = (bb + ((t << r) | (t >>> (32 - r)))) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
  }
  var hex = '';
  for (var k = 0; k < 16; k++) {
    var byte = (h[k >> 2] >>> (8 * (k & 3))) & 255;
    hex += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return hex;
}
if (typeof module !== 'undefined') module.exports = md5Straightforward;
