#!/usr/bin/env node
// TLS-PSK's crypto on the real interpreter (ESPRUINO_BIN, built as the ESP8266 is): the
// firmware's SHA-256, AES-128-CBC and record HMAC per KB, against straightforward versions
// (bench/tls-straightforward.cjs); one handshake's crypto; and each slice the firmware runs in
// one turn of the event loop (a handshake step, one AES block): ms on this machine and x86
// instructions counted by callgrind (a run that only sets up the data is subtracted). The board
// runs the same interpreter on an 80 MHz core, by our estimate some 240 times slower: the
// instruction counts are the figures that carry over, as ratios and as slice lengths.
//   ESPRUINO_BIN=/path/to/espruino npm run bench:tls-crypto [-- --native-crypto]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEntry } from '../test/helpers/build.js';
import { root } from '../sim/build-if-needed.js';
import { runStored } from './interpreter-run.js';
import { interpreterInfo } from '../tools/espruino-build.js';
import { STOCK_CRYPTO_SHIM } from '../sim/espruino-host.js';

const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('bench:tls-crypto skipped: set ESPRUINO_BIN to an Espruino interpreter built for Linux, 32-bit with 1600 variables (see README)');
  process.exit(0);
}
const info = interpreterInfo(bin);
console.log(`Espruino ${info.version} (${info.commit}), ${info.total} variables of ${info.blocksize} bytes${info.blocksize === 12 && info.total === 1600 ? '' : ': NOT the ESP8266\'s memory model'}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tls-'));
const bundle = path.join(dir, 'tls.js');
const built = buildEntry('bench/tls-crypto-entry.ts', bundle);
if (!built.ok) throw new Error(built.output);
// The Linux build has crypto's SHA256 and AES, the stock ESP8266 build only SHA1: hidden unless
// --native-crypto (an Espruino built with USE_SHA256 and USE_AES, where the firmware hands them the work).
const native = process.argv.includes('--native-crypto');
console.log(native ? 'crypto as a build with USE_SHA256 and USE_AES has it: SHA-256 and AES in C' : 'crypto as the stock ESP8266 build has it: SHA1 alone (SHA-256 and AES in JavaScript)');
const library = (native ? '' : `${STOCK_CRYPTO_SHIM}\n`) + fs.readFileSync(bundle, 'latin1') + '\n'
  + fs.readFileSync(path.join(root, 'bench', 'tls-straightforward.cjs'), 'latin1').replace(/^if \(typeof module.*$/m, '');

// Set-up shared by every case: 512 bytes of data, keys, a transcript-sized message. (1 KB at once
// does not fit beside the straightforward versions' arrays in 1600 JsVars: they run on 256
// bytes, four times for a KB.)
const SETUP = 'var u=new Uint8Array(512),x=7;for(var i=0;i<u.length;i++){x=(x*1103515245+12345)%2147483648;u[i]=x>>16;}var KB=E.toString(u);u=undefined;var Q=KB.substr(0,256);'
  + 'var K16=KB.substr(0,16),IV=KB.substr(16,16),R64=KB.substr(32,64),T300=KB.substr(100,300),PM=KB.substr(400,36),MS=KB.substr(500,48),key=TC.aesKey(K16,null),r;';
const CASES = {
  'SHA-256, 1 KB (firmware)': 'for(var n=0;n<4;n++)r=TC.sha256(Q);',
  'SHA-256, 1 KB (straightforward)': 'for(var n=0;n<4;n++)r=sha256Straightforward(Q);',
  'AES-128-CBC encryption, 1 KB (firmware)': 'for(var n=0;n<4;n++){var b=E.toUint8Array(IV,Q);TC.aesCbc(key,true,b,16,b.length);}',
  'AES-128-CBC encryption, 1 KB (straightforward)': 'for(var n=0;n<4;n++)r=aesCbcStraightforward(K16,IV,Q,key.s);',
  'AES-128-CBC decryption, 1 KB (firmware)': 'for(var n=0;n<4;n++){var b=E.toUint8Array(IV,Q);TC.aesCbc(key,false,b,16,b.length);}',
  'record MACs, 1 KB as 4 records of 256 bytes (HMAC-SHA1 over the native SHA1)': 'for(var n=0;n<4;n++)r=TC.hmacSha1(K16+IV,Q);',
  'slice: the master secret (PRF, 48 bytes)': 'r=TC.prf(PM,"master secret",R64,48);',
  'slice: the key block (PRF, 72 bytes)': 'r=TC.prf(MS,"key expansion",R64,72);',
  'slice: a Finished (SHA-256 of the transcript, PRF 12 bytes)': 'r=TC.prf(MS,"client finished",TC.sha256(T300),12);',
  'slice: an AES key (S-boxes and schedule)': 'r=TC.aesKey(K16,null);',
  'slice: one AES block, encrypted': 'var b=E.toUint8Array(IV,KB.substr(0,16));TC.aesCbc(key,true,b,16,32);',
  'slice: one AES block, decrypted': 'var b=E.toUint8Array(IV,KB.substr(0,16));TC.aesCbc(key,false,b,16,32);',
};

/** Runs `body` after the set-up, stored as .bootcde as the firmware is; {ms, instructions}. */
async function run(body, valgrind) {
  const r = await runStored(bin, `${library}\n${SETUP}var t0=getTime();${body}var line="RESULT "+((getTime()-t0)*1000).toFixed(2);console.log(line);`, { dir, valgrind });
  if (r.result === null) throw new Error(`${body}: ${r.printed.slice(0, 400)}`);
  return { ms: Number(r.result), instructions: r.instructions };
}

const valgrind = spawnSync('valgrind', ['--version']).status === 0;
const base = valgrind ? (await run('', true)).instructions : 0;
const figures = {};
// The straightforward versions are JavaScript's baseline: beside C they say nothing.
for (const [what, body] of Object.entries(CASES).filter(([w]) => !(native && w.includes('straightforward')))) {
  const { ms } = await run(body, false);
  const instructions = valgrind ? (await run(body, true)).instructions - base : null;
  figures[what] = instructions;
  console.log(`  ${what}: ${ms.toFixed(1)} ms${valgrind ? `, ${(instructions / 1e6).toFixed(1)} million instructions` : ''}`);
}
if (!valgrind) {
  console.log('  instructions: skipped (valgrind not installed)');
  process.exit(0);
}
const ratio = (a, b) => (figures[b] / figures[a]).toFixed(1);
if (!native) {
  console.log(`SHA-256: the firmware's takes ${ratio('SHA-256, 1 KB (firmware)', 'SHA-256, 1 KB (straightforward)')} times fewer instructions per KB than the straightforward one`);
  console.log(`AES-128-CBC: the firmware's takes ${ratio('AES-128-CBC encryption, 1 KB (firmware)', 'AES-128-CBC encryption, 1 KB (straightforward)')} times fewer instructions per KB than the straightforward one`);
}
const handshake = figures['slice: the master secret (PRF, 48 bytes)'] + figures['slice: the key block (PRF, 72 bytes)']
  + 2 * figures['slice: a Finished (SHA-256 of the transcript, PRF 12 bytes)'] + 2 * figures['slice: an AES key (S-boxes and schedule)'];
console.log(`one handshake's crypto (master secret, key block, two Finished, two AES keys): ${(handshake / 1e6).toFixed(1)} million instructions`);
const longest = Object.entries(figures).filter(([w]) => w.startsWith('slice:')).sort((a, b) => b[1] - a[1])[0];
console.log(`longest slice: ${longest[0].slice(7)}, ${(longest[1] / 1e6).toFixed(1)} million instructions`);
