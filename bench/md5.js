#!/usr/bin/env node
// MD5 speed: the firmware's (src/crypto/md5.ts) against the straightforward version
// (bench/md5-straightforward.cjs), on the simulator (KB/s, V8's speed) and, with ESPRUINO_BIN,
// on the real interpreter: ms per KB, and x86 instructions per KB counted by valgrind's
// callgrind (when valgrind is installed), the work of hashing only (a run that builds the same
// data without hashing it is subtracted).
//   npm run bench:md5 [-- --kb N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Device } from '../sim/device.js';
import { buildEntry } from '../test/helpers/build.js';
import { root } from '../sim/build-if-needed.js';
import { runStored } from './interpreter-run.js';

const { values } = parseArgs({ options: { kb: { type: 'string', default: '16' } } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-md5-'));
const bundle = path.join(dir, 'md5.js');
const built = buildEntry('bench/md5-entry.ts', bundle);
if (!built.ok) throw new Error(built.output);
const firmwareMd5 = fs.readFileSync(bundle, 'latin1');
const straightforward = fs.readFileSync(path.join(root, 'bench', 'md5-straightforward.cjs'), 'latin1').replace(/^if \(typeof module.*$/m, '');

// 1600 JsVars hold only a few KB of data besides the script, so the real interpreter hashes the
// same 2 KB `rounds` times (the firmware's MD5 as one stream; the straightforward one, which
// takes a whole string, once per round: its hex is checked on the first round's).
const BLOCK_KB = 2;

/** A script that builds 2 KB of data, hashes it `rounds` times with `which` ('firmware', 'straightforward' or 'none') and sets `line` to "RESULT <ms> <hex>". */
function script(which, rounds) {
  return `${firmwareMd5}\n${straightforward}\n`
    + `var u=new Uint8Array(${BLOCK_KB * 1024}),x=7;for(var i=0;i<u.length;i++){x=(x*1103515245+12345)%2147483648;u[i]=x>>16;}var data=E.toString(u);u=undefined;`
    + `var t0=getTime(),hex="",st,r;`
    + (which === 'firmware' ? `st=MD5.start();for(r=0;r<${rounds};r++)for(var o=0;o<data.length;o+=1024)MD5.update(st,data.substr(o,1024));hex=MD5.hex(st);` : '')
    + (which === 'straightforward' ? `for(r=0;r<${rounds};r++){var h=md5Straightforward(data);if(!r)hex=h;}` : '')
    + 'var ms=(getTime()-t0)*1000;var line="RESULT "+ms.toFixed(1)+" "+hex;';
}

async function onSimulator(which, rounds) {
  const out = [];
  const device = new Device({ stateDir: fs.mkdtempSync(path.join(dir, 'sim-')), presetWifi: false, toHost: (b) => out.push(b) });
  device.install(`Serial1.setup(115200,{});${script(which, rounds)}Serial1.write(line+"\\n");`);
  device.powerOn();
  for (let i = 0; i < 600 && !/RESULT .*\n/.test(Buffer.concat(out).toString('latin1')); i++) await new Promise((r) => setTimeout(r, 50));
  device.shutdown();
  return Buffer.concat(out).toString('latin1').match(/RESULT (\S+) (\S*)/);
}

async function onInterpreter(bin, which, rounds, valgrind) {
  const { result, instructions } = await runStored(bin, `${script(which, rounds)}console.log(line);`, { dir, valgrind });
  const [ms, hex] = (result || '').split(' ');
  return { ms: result && Number(ms), hex, instructions };
}

const rounds = Math.max(1, Math.round(Number(values.kb) / BLOCK_KB));
const kb = rounds * BLOCK_KB;
const crypto = await import('node:crypto');
const block = Buffer.alloc(BLOCK_KB * 1024);
for (let i = 0, x = 7; i < block.length; i++) { x = (x * 1103515245 + 12345) % 2147483648; block[i] = (x >> 16) & 255; }
const want = { firmware: crypto.createHash('md5').update(Buffer.concat(Array(rounds).fill(block))).digest('hex'), straightforward: crypto.createHash('md5').update(block).digest('hex') };
console.log(`MD5 of ${kb} KB (${rounds} x ${BLOCK_KB} KB)`);
for (const which of ['firmware', 'straightforward']) {
  const r = await onSimulator(which, rounds);
  if (r[2] !== want[which]) throw new Error(`${which} MD5 on the simulator is wrong: ${r[2]}`);
  console.log(`  simulator, ${which}: ${(kb / (Number(r[1]) / 1000)).toFixed(0)} KB/s`);
}
const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('  real interpreter: skipped (set ESPRUINO_BIN)');
  process.exit(0);
}
const perKb = {};
for (const which of ['firmware', 'straightforward']) {
  const r = await onInterpreter(bin, which, rounds, false);
  if (r.hex !== want[which]) throw new Error(`${which} MD5 on the interpreter is wrong: ${r.hex}`);
  perKb[which] = r.ms / kb;
  console.log(`  ${bin}, ${which}: ${(r.ms / kb).toFixed(1)} ms per KB`);
}
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.log('  instructions: skipped (valgrind not installed)');
  process.exit(0);
}
const base = (await onInterpreter(bin, 'none', 1, true)).instructions;
const counts = {};
for (const which of ['firmware', 'straightforward']) {
  counts[which] = ((await onInterpreter(bin, which, 1, true)).instructions - base) / BLOCK_KB;
  console.log(`  callgrind, ${which}: ${(counts[which] / 1e6).toFixed(1)} million instructions per KB`);
}
console.log(`  the firmware's MD5 takes ${(counts.straightforward / counts.firmware).toFixed(1)} times fewer instructions per KB`);
