// TLS 1.2 with a pre-shared key (RFC 5246, RFC 4279), as Tencent's tls_mode 1 has it: suites
// TLS_PSK_WITH_AES_128_CBC_SHA and _256_, no certificate; the identity is the client id, the key
// the device secret. Written for Espruino over a `net` socket: the ESP8266 build has no TLS and
// no hash but SHA1 (used for the records' HMAC); SHA-256 (the PRF) and AES are JavaScript.
//
// tlsConnect() returns what the MQTT client uses as its socket: write(), end(), and the events
// 'data', 'drain', 'error' ({code}), 'close'. The connect callback runs once both Finished
// messages are checked.
//
// Time: crypto runs in turns of the event loop, never in a socket callback: AES a few blocks a
// turn, the handshake's PRF steps one a turn, received plaintext handed on a slice a turn.
// RAM: a record being received goes into a buffer of its length as its bytes arrive, is
// decrypted in place, MAC-checked and handed on in slices; one sent carries at most a slice.
// The ClientHello asks for max_fragment_length 512 (RFC 6066): a record's buffer then lives
// beside the MQTT client's buffer of a whole 2048-byte payload without running the heap out;
// a bigger record ends the link. Few functions, helpers nested where they are used: each
// long-lived function costs RAM. A bad MAC, bad padding, an alert or a malformed record ends the link with the
// spec's code: -703 during the handshake, -708 after.
//
// This is the module modules/tlspsk.ts: loaded per connection, it lives as long as the MQTT
// client holds its socket.
import { sha256 } from '../crypto/sha256';
import { prf } from '../crypto/prf';
import { hmac, sha1 } from '../crypto/hmac';
import { aesKey, aesCbc, AesKey } from '../crypto/aes';

/** Record and handshake types, sizes, and the spec's failure codes (7.1). */
const enum T {
  Ccs = 20, Alert = 21, Handshake = 22, AppData = 23,
  ClientHello = 1, ServerHello = 2, ServerKeyExchange = 12, ServerHelloDone = 14, ClientKeyExchange = 16, Finished = 20,
  Aes128Suite = 0x8c, Aes256Suite = 0x8d, MacLength = 20,
  MaxFragment = 512, MaxRecord = 512 + 16 + 20 + 256, MaxBehind = 3072, MaxHandshake = 1024, Slice = 256, TurnMs = 20,
  AlertCloseNotify = 0, AlertBadMac = 20, AlertHandshake = 40, AlertDecode = 50,
  Hello = 0, Keys = 1, Open = 2, Ended = 3,
  ErrInit = -701, ErrConnect = -703, ErrWrite = -706, ErrRead = -708, ErrHere = 1, MinFreeHandshake = 220, MinFreeKeyStep = 100, MinFreeRecord = 40,
}

let raw: any = null; // the TCP socket
let face: any = null; // the socket the MQTT client holds
let phase = T.Hello as number;
let keyedIn = false; // the server has changed cipher spec
let onOpen: (() => void) | null = null;
let identity = '';
let psk = '';
let randoms = ''; // the client's random, then the server's
let transcript = ''; // the handshake messages so far, for Finished
let handshake = ''; // handshake bytes received, not yet a whole message
let master = '';
let suite = 0;
let macOut = '';
let macIn = '';
let keyOut: AesKey | null = null;
let keyIn: AesKey | null = null;
let seqOut = 0;
let seqIn = 0;
let rx = ''; // received bytes not yet in a record buffer
let record: Uint8Array | null = null; // the record being received (its fragment),
let recordType = 0;
let recordAt = 0; // how much of it is in,
let busy = false; // and whether it is being acted on
let pending = ''; // what the MQTT client wrote, waiting to go in records
let writing = false; // a record is being encrypted

/** Connects to host:port and runs the handshake as `id` with key `key`; `connected` once it is done. */
export function tlsConnect(host: string, port: number, id: string, key: string, connected: () => void): any {
  identity = id;
  psk = key;
  onOpen = connected;
  face = {};
  face.write = function (data: string) {
    if (phase === T.Ended) throw new Error('This socket is closed');
    pending += data;
    if (!writing) sendPending();
    return false;
  };
  face.end = function () {
    if (phase === T.Open) seal(T.Alert, '\x01\x00', null);
    fail(0);
  };
  raw = require('net').connect({ host: host, port: port }, function () {
    randoms = random(32);
    // Suites 0x008C and 0x008D, no compression, max_fragment_length (extension 1) = 512 (1).
    transcript = '\x01\x00\x00\x32\x03\x03' + randoms + '\x00\x00\x04\x00\x8c\x00\x8d\x01\x00\x00\x05\x00\x01\x00\x01\x01';
    raw.write('\x16\x03\x03\x00\x36' + transcript);
  });
  raw.on('data', receive);
  raw.on('error', fail);
  raw.on('close', fail);
  return face;
}

/** `n` bytes from the chip's random number generator. */
function random(n: number): string {
  // E.hwRand() is C's rand() on the ESP8266 build; the chip's generator is a register.
  const board = (process.env.BOARD || '').indexOf('ESP8266') === 0;
  let out = '';
  while (out.length < n) {
    const r = board ? (peek32 as any)(0x3ff20e44) : E.hwRand();
    out += String.fromCharCode(r & 255, (r >> 8) & 255, (r >> 16) & 255, (r >>> 24) & 255);
  }
  return out.substr(0, n);
}

/**
 * Ends the connection: with an error `code` (its alert sent first when given), or 0 for a close.
 * `ErrHere` is the error of the phase the link is in: -708 once open, -703 in the handshake.
 * Also the socket's 'error' ({code}: passed on) and 'close' (a boolean: the end).
 */
function fail(code: any, alert?: number): void {
  if (phase === T.Ended) return;
  if (code && typeof code === 'object') return face.emit('error', code);
  if (code === true || code === false) code = 0;
  if (code === T.ErrHere) code = phase === T.Open ? T.ErrRead : T.ErrConnect;
  if (code && alert !== undefined && raw) {
    if (keyOut) seal(T.Alert, String.fromCharCode(2, alert), null);
    else raw.write('\x15\x03\x03\x00\x02\x02' + String.fromCharCode(alert));
  }
  phase = T.Ended;
  const s = raw;
  raw = record = null;
  rx = pending = transcript = master = psk = randoms = '';
  if (s) {
    s.removeAllListeners();
    try {
      s.end();
    } catch (e) {
      // already closed
    }
  }
  if (code) face.emit('error', { code: code, message: 'TLS' });
  face.emit('close', !!code);
}

/** Runs AES-CBC over buf[from,to) a few blocks a turn, then `done`. */
function cbcInTurns(key: AesKey, encrypt: boolean, buf: Uint8Array, from: number, to: number, done: () => void): void {
  let left = (to - from) >> 4;
  (function turn() {
    const started = getTime();
    // An interpreter with AES of its own does a whole record at once.
    if (key.raw) {
      aesCbc(key, encrypt, buf, from, to);
      left = 0;
    }
    while (left && (getTime() - started) * 1000 < T.TurnMs) {
      const at = encrypt ? to - 16 * left : from + 16 * (left - 1);
      aesCbc(key, encrypt, buf, at, at + 16);
      left--;
    }
    if (phase === T.Ended) return;
    if (left) setTimeout(turn, 0);
    else done();
  })();
}

/**
 * Encrypts `body` as one record of `type` (MAC, padding, a random IV) and sends it; then `sent`.
 * Without `sent` (a two-byte alert as the link ends), at once.
 */
function seal(type: number, body: string, sent: (() => void) | null): void {
  // Room for the record, its copy as sent and the MAC's strings.
  if (sent && process.memory().free < T.MinFreeRecord + (body.length >> 2)) return fail(T.ErrWrite);
  const mac = hmac(sha1, macOut, E.toString(0, 0, 0, 0, seqOut >>> 24, (seqOut >> 16) & 255, (seqOut >> 8) & 255, seqOut & 255, type, 3, 3, body.length >> 8, body.length & 255, body));
  seqOut++;
  const pad = 15 - ((body.length + T.MacLength) % 16);
  let padding = '';
  for (let i = 0; i <= pad; i++) padding += String.fromCharCode(pad);
  const buf = E.toUint8Array(random(16), body, mac, padding);
  const send = function () {
    if (raw) raw.write(E.toString(type, 3, 3, buf.length >> 8, buf.length & 255, buf));
    if (sent) sent();
  };
  if (sent) return cbcInTurns(keyOut!, true, buf, 16, buf.length, send);
  aesCbc(keyOut!, true, buf, 16, buf.length);
  send();
}

/** The next slice of what the MQTT client wrote, as a record; 'drain' once all has gone. */
function sendPending(): void {
  if (phase !== T.Open) return;
  writing = !!pending;
  if (!writing) return face.emit('drain');
  const body = pending.substr(0, T.Slice);
  pending = pending.substr(body.length);
  seal(T.AppData, body, function () {
    setTimeout(sendPending, 0);
  });
}

/** TCP bytes: into the record being received, the rest kept; a whole record is acted on. */
function receive(data: string): void {
  // Declared out here, not in the loop: a closure over a loop's own variables costs a function per pass once compiled to ES5.
  let buf: Uint8Array;
  let length = 0;
  rx += data;
  while (!busy && phase !== T.Ended) {
    if (!record) {
      if (rx.length < 5) return;
      recordType = rx.charCodeAt(0);
      length = (rx.charCodeAt(3) << 8) | rx.charCodeAt(4);
      if (rx.charCodeAt(1) !== 3 || recordType < T.Ccs || recordType > T.AppData || !length || length > T.MaxRecord) return fail(T.ErrHere, T.AlertDecode);
      if (process.memory().free < T.MinFreeRecord + (length >> 3)) return fail(T.ErrHere);
      record = new Uint8Array(length);
      recordAt = 0;
      rx = rx.substr(5);
    }
    const n = Math.min(rx.length, record.length - recordAt);
    if (n) record.set(E.toUint8Array(n === rx.length ? rx : rx.substr(0, n)), recordAt);
    rx = n === rx.length ? '' : rx.substr(n);
    recordAt += n;
    if (recordAt < record.length) return;
    busy = true;
    if (!keyedIn) {
      take(0, record.length);
      continue;
    }
    // Decrypted in place; padding and MAC are both checked whatever the padding says (no early answer to learn from).
    buf = record;
    length = buf.length;
    if (length < 48 || length % 16) return fail(T.ErrHere, T.AlertBadMac);
    return cbcInTurns(keyIn!, false, buf, 16, length, function () {
      const pad = buf[length - 1];
      let bad = pad + 1 + T.MacLength > length - 16 ? 1 : 0;
      const end = bad ? length - 1 - T.MacLength : length - 1 - pad - T.MacLength;
      for (let i = end + T.MacLength; i < length; i++) bad |= buf[i] ^ pad;
      const mac = hmac(sha1, macIn, E.toString(0, 0, 0, 0, seqIn >>> 24, (seqIn >> 16) & 255, (seqIn >> 8) & 255, seqIn & 255, recordType, 3, 3, (end - 16) >> 8, (end - 16) & 255, buf.subarray(16, end)));
      seqIn++;
      if (bad || mac !== E.toString(buf.subarray(end, end + T.MacLength))) return fail(T.ErrHere, T.AlertBadMac);
      take(16, end);
    });
  }
  // The hub sends a 2048-byte message as records back to back, faster than they are decrypted: kept
  // raw until their turn (no flow control to slow it down), up to a bound.
  if (rx.length > T.MaxBehind) fail(T.ErrHere, T.AlertDecode);
}

/**
 * The plaintext of the record received (record[from, to)): data for the MQTT client, handshake
 * messages, the change of cipher spec, an alert. The handshake's last steps live in here: made
 * when a record comes, they cost RAM only then.
 */
function take(from: number, to: number): void {
  const buf = record!;
  function next(): void {
    record = null;
    busy = false;
    if (rx) setTimeout(receive, 0, '');
  }
  let type = 0;
  let length = 0;
  let m = '';
  let step = 0;
  let key = '';

  if (recordType === T.AppData) {
    if (phase !== T.Open || to - from > T.MaxFragment) return fail(T.ErrHere, T.AlertDecode);
    // A slice a turn: the MQTT client copies each before the next is made.
    return (function slice() {
      if ((phase as number) === T.Ended) return;
      if (from >= to) return next();
      const n = Math.min(T.Slice, to - from);
      face.emit('data', E.toString(buf.subarray(from, from + n)));
      from += n;
      setTimeout(slice, 0);
    })();
  }
  const body = E.toString(buf.subarray(from, to));
  if (recordType === T.Alert) {
    // close_notify ends the link as a drop; any other alert is an error (a wrong key during the handshake).
    return fail(body.charCodeAt(1) === T.AlertCloseNotify && phase === T.Open ? 0 : T.ErrHere);
  }
  if (recordType === T.Ccs) {
    if (phase !== T.Keys || keyedIn || body !== '\x01') return fail(T.ErrHere, T.AlertDecode);
    keyedIn = true;
    return next();
  }
  if (phase === T.Open) return fail(T.ErrRead, T.AlertDecode); // no renegotiation
  handshake += body;
  if (handshake.length > T.MaxHandshake) return fail(T.ErrConnect, T.AlertDecode);
  // Whole handshake messages from the server, in their order.
  while (handshake.length >= 4) {
    type = handshake.charCodeAt(0);
    length = (handshake.charCodeAt(2) << 8) | handshake.charCodeAt(3);
    if (handshake.charCodeAt(1) || handshake.length < 4 + length) break;
    m = handshake.substr(4, length);
    if (type !== T.Finished) transcript += handshake.substr(0, 4 + length);
    handshake = handshake.substr(4 + length);
    if (type === T.Finished) {
      // What the server's Finished must say was worked out before the AES keys were made (`master` holds it now).
      if (!keyedIn || length !== 12 || m !== master) return fail(T.ErrConnect, T.AlertHandshake);
      phase = T.Open;
      handshake = master = '';
      next();
      const opened = onOpen;
      onOpen = null;
      if (opened) opened();
      return;
    }
    if (type === T.ServerHello) {
      const sessionLength = m.charCodeAt(34);
      suite = (m.charCodeAt(35 + sessionLength) << 8) | m.charCodeAt(36 + sessionLength);
      if (m.substr(0, 2) !== '\x03\x03' || length < 38 + sessionLength || (suite !== T.Aes128Suite && suite !== T.Aes256Suite)) return fail(T.ErrConnect, T.AlertHandshake);
      randoms = randoms.substr(0, 32) + m.substr(2, 32);
    } else if (type === T.ServerHelloDone) {
      if (randoms.length !== 64) return fail(T.ErrConnect, T.AlertHandshake);
      // ClientKeyExchange (the identity), then a step a turn: the master secret, the key block,
      // our Finished, the one the server must send (both known once the transcript has our
      // ClientKeyExchange: the hashing is over before the AES tables take their RAM), the two
      // AES keys, then ChangeCipherSpec and our Finished go.
      phase = T.Keys;
      key = psk;
      psk = '';
      length = suite === T.Aes256Suite ? 32 : 16;
      m = '\x10\x00' + String.fromCharCode((identity.length + 2) >> 8, (identity.length + 2) & 255, identity.length >> 8, identity.length & 255) + identity;
      transcript += m;
      raw.write('\x16\x03\x03' + String.fromCharCode(m.length >> 8, m.length & 255) + m);
      return (function turn() {
        if ((phase as number) === T.Ended) return;
        // Not enough RAM for the next step: a clean failure, not an interpreter out of memory.
        // A PRF step (SHA-256 in JavaScript on the stock build) needs more than making an AES key.
        if (process.memory().free < (step < 4 ? T.MinFreeHandshake : T.MinFreeKeyStep)) return fail(T.ErrInit);
        if (step === 0) {
          // The premaster secret of a PSK suite: as many zeros as the key is long, then the key.
          m = String.fromCharCode(key.length >> 8, key.length & 255);
          master = prf(m + E.toString(new Uint8Array(key.length)) + m + key, 'master secret', randoms, 48);
          key = '';
        } else if (step === 1) {
          key = prf(master, 'key expansion', randoms.substr(32) + randoms.substr(0, 32), 2 * T.MacLength + 2 * length);
          macOut = key.substr(0, T.MacLength);
          macIn = key.substr(T.MacLength, T.MacLength);
          randoms = '';
        } else if (step === 2) {
          m = '\x14\x00\x00\x0c' + prf(master, 'client finished', sha256(transcript), 12);
          transcript += m;
        } else if (step === 3) {
          master = prf(master, 'server finished', sha256(transcript), 12);
          transcript = '';
        } else if (step === 4) {
          keyOut = aesKey(key.substr(2 * T.MacLength, length), null);
        } else if (step === 5) {
          keyIn = aesKey(key.substr(2 * T.MacLength + length), keyOut);
          key = '';
        } else {
          raw.write('\x14\x03\x03\x00\x01\x01');
          return seal(T.Handshake, m, next);
        }
        step++;
        setTimeout(turn, 0);
      })();
    } else if (type !== T.ServerKeyExchange) {
      // A certificate or a certificate request: not a PSK suite's handshake.
      return fail(T.ErrConnect, T.AlertHandshake);
    }
  }
  next();
}
