// Probe firmware: a small firmware built from a test fixture (test/fixtures/*-probe.ts) that runs
// the firmware's own code and prints what the test checks, and the pseudo-random data the
// fixtures and the tests both compute.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimModule } from './module.js';
import { buildEntry } from './build.js';

/** The simulator (or ESPRUINO_UNDER_TEST) running `entry` built as `name` (.tcfw: a package around it as core), with more CLI `args`. */
export async function startProbe(entry, name, args = []) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'probe-')), name);
  const built = buildEntry(entry, out);
  assert.ok(built.ok, built.output);
  return SimModule.start({ args: ['--firmware', out, ...args] });
}

/** `length` bytes of the fixtures' linear congruential sequence from `seed` (12345 unless told). */
export function pseudoRandomBytes(length, seed = 12345) {
  let x = seed;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = (x >> 16) & 255;
  }
  return out;
}
