// npm run test:device's bundle (tools/test-device.js builds it, stores it in Storage as
// "tcdevtst" through the debug console and evaluates it there, beside the running firmware).
// It runs one step per event-loop turn, so the firmware keeps answering the MCU between steps,
// and prints each result as a line "TD {json}" on the console; "TD {"k":"end"}" ends the run
// (the tool then erases the file: its functions run from it until then). The crypto is the firmware's own source (src/crypto), built by the
// same compiler and minifier.
import { md5Start, md5Update, md5Hex } from '../../src/crypto/md5';
import { sha256 } from '../../src/crypto/sha256';
import { aesKey, aesCbc } from '../../src/crypto/aes';
import { hmacSha1, toHex } from '../../src/crypto/hmac';
import { loadRecord } from '../../src/store/records';

const enum Run {
  /** A step predicted to hold the event loop longer than this is skipped: the ESP8266's watchdog bites at about 1.6 s. */
  LongestStepMs = 1000,
  /** x86 instructions per 64-byte block on the 32-bit interpreter (bench:md5, bench:tls-crypto): MD5 6.1 M, SHA-256 34 M, AES 203 M. */
  Sha256PerMd5 = 5.6, AesPerMd5 = 33,
}

function say(kind: string, data: any): void {
  console.log('TD ' + JSON.stringify({ k: kind, d: data }));
}

function check(name: string, ok: boolean, detail: any): void {
  say('check', { name: name, ok: ok, detail: detail });
}

function skip(name: string, why: string): void {
  say('check', { name: name, ok: null, detail: why });
}

/** Milliseconds `work` takes, the best of `times` runs. */
function timed(work: () => void, times: number): number {
  let best = 1e9;
  for (let i = 0; i < times; i++) {
    const t = getTime();
    work();
    best = Math.min(best, (getTime() - t) * 1000);
  }
  return best;
}

const block = 'The quick brown fox jumps over the lazy dog, 64 bytes in all....';
let md5BlockMs = 0;
let longestGapMs = 0;
let lastTick = 0;
let sampler: any = 0;

const steps: (() => void)[] = [
  function memory() {
    const m = process.memory() as any;
    say('memory', { free: m.free, usage: m.usage, total: m.total, blocksize: m.blocksize, history: m.history, gc: m.gc, gctime: m.gctime });
    check('JsVars free', m.free > 0, m.free + ' of ' + m.total);
  },
  function md5() {
    const s = md5Start();
    md5Update(s, 'abc');
    check('MD5 ("abc")', md5Hex(s) === '900150983cd24fb0d6963f7d28e17f72', md5Hex(s));
    const state = md5Start();
    md5BlockMs = timed(function () { md5Update(state, block); }, 3);
    say('speed', { name: 'MD5', msPerKB: md5BlockMs * 16 });
  },
  function hmac() {
    check('HMAC-SHA1 (RFC 2202 case 2)', toHex(hmacSha1('Jefe', 'what do ya want for nothing?')) === 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', '');
    let kb = '';
    for (let i = 0; i < 16; i++) kb += block;
    say('speed', { name: 'HMAC-SHA1', msPerKB: timed(function () { hmacSha1('key', kb); }, 3) });
  },
  function sha() {
    if (md5BlockMs * Run.Sha256PerMd5 > Run.LongestStepMs) return skip('SHA-256', 'one block would take about ' + Math.round(md5BlockMs * Run.Sha256PerMd5) + ' ms here, past the watchdog');
    check('SHA-256 ("abc")', toHex(sha256('abc')) === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', '');
    // 55 bytes: one compression.
    say('speed', { name: 'SHA-256', msPerKB: 16 * timed(function () { sha256(block.substr(0, 55)); }, 2) });
  },
  function aes() {
    if (md5BlockMs * Run.AesPerMd5 > Run.LongestStepMs) return skip('AES-128-CBC', 'one block would take about ' + Math.round(md5BlockMs * Run.AesPerMd5) + ' ms here, past the watchdog');
    // FIPS-197 C.1: with a zero IV, CBC's first block is the cipher's.
    let key = '';
    for (let i = 0; i < 16; i++) key += String.fromCharCode(i);
    const k = aesKey(key, null);
    const data = new Uint8Array(32);
    for (let i = 0; i < 16; i++) data[16 + i] = i * 0x11;
    let encrypted = '';
    const enc = timed(function () {
      for (let i = 0; i < 16; i++) data[16 + i] = i * 0x11;
      aesCbc(k, true, data, 16, 32);
    }, 1);
    encrypted = toHex(E.toString(data.subarray(16)));
    const dec = timed(function () { aesCbc(k, false, data, 16, 32); }, 1);
    check('AES-128 (FIPS-197 C.1) both ways', encrypted === '69c4e0d86a7b0430d8cdb78070b4c55a' && data[17] === 0x11, encrypted);
    say('speed', { name: 'AES-128-CBC encrypt', msPerKB: enc * 64 });
    say('speed', { name: 'AES-128-CBC decrypt', msPerKB: dec * 64 });
  },
  function flash() {
    // The staging area's last page, put back as it was.
    const info = loadRecord('tcmod') || { base: 0x111000, max: 716800 };
    const page = (info.base + info.max - 4096) & ~4095;
    // The Linux build's flash is its Storage alone: a read there outside it ends the interpreter.
    if (process.env.BOARD.indexOf('ESP8266') < 0) return skip('flash', 'no staging area on ' + process.env.BOARD);
    const f = require('Flash');
    let saved: any;
    try {
      saved = f.read(4096, page);
    } catch (e) {
      saved = undefined;
    }
    if (!saved || saved.length !== 4096) return skip('flash', 'no staging area at 0x' + page.toString(16) + ' on this runtime');
    const pattern = new Uint8Array(4096);
    for (let i = 0; i < 4096; i++) pattern[i] = (i * 7 + 3) & 255;
    let t = getTime();
    f.erasePage(page);
    const eraseMs = (getTime() - t) * 1000;
    t = getTime();
    f.write(pattern, page);
    const writeMs = (getTime() - t) * 1000;
    t = getTime();
    const back = f.read(4096, page);
    const readMs = (getTime() - t) * 1000;
    let same = back.length === 4096;
    for (let i = 0; same && i < 4096; i++) same = back[i] === pattern[i];
    f.erasePage(page);
    f.write(saved, page);
    check('flash write and read back (staging area, page 0x' + page.toString(16) + ')', same, '');
    say('flash', { eraseMs: eraseMs, writeKBs: 4000 / writeMs, readKBs: 4000 / readMs });
  },
  function loopback() {
    // AT lines into the engine as if from the MCU, its answers caught before they reach the UART.
    const uart = Serial1 as any;
    const own = uart.hasOwnProperty('write');
    const write = uart.write;
    let heard = '';
    uart.write = function (d: any) { heard += E.toString(d); };
    lastTick = getTime();
    longestGapMs = 0;
    sampler = setInterval(function () {
      const t = getTime();
      longestGapMs = Math.max(longestGapMs, (t - lastTick) * 1000);
      lastTick = t;
    }, 5);
    uart.inject('AT\r\nAT+TCDEBUG?\r\nAT+TCMQTTSTATE?\r\nAT+GMR\r\n');
    let waited = 0;
    const done = setInterval(function () {
      if (heard.indexOf('compile time:') < 0 && (waited += 50) < 5000) return;
      clearInterval(done);
      clearInterval(sampler);
      if (own) uart.write = write;
      else delete uart.write;
      check('AT loopback (AT, AT+TCDEBUG?, AT+TCMQTTSTATE?, AT+GMR)', /OK\r\n/.test(heard) && heard.indexOf('+TCDEBUG:1\r\n') >= 0 && heard.indexOf('+TCMQTTSTATE:') >= 0, heard.length + ' bytes');
      say('slice', { longestMs: longestGapMs });
      next();
    }, 50);
  },
];

let at = 0;
function next(): void {
  if (at >= steps.length) {
    say('end', 0);
    return;
  }
  const step = steps[at++];
  setTimeout(function () {
    try {
      step();
    } catch (e) {
      check('step ' + at, false, String(e));
    }
    if (step !== steps[steps.length - 1]) next();
  }, 10);
}

next();
