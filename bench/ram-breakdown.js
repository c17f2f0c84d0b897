#!/usr/bin/env node
// Where the JsVars go, on the real interpreter (ESPRUINO_BIN, 32-bit with 1600 variables):
// E.dumpVariables() after boot, then connected with 10 subscriptions, then during an MCU OTA
// download, each attributed to what holds it. A module's share is what would be freed without
// its scope and exports (its functions, their scopes and its data); the core's likewise; the
// rest is the harness (shims, UART bridge, sampler), Espruino's own objects (sockets, timers,
// Wifi listeners) and what modules share.
//   ESPRUINO_BIN=/path/to/espruino npm run bench:ram [-- --names]   (--names: a build that keeps
//   the source's names, to read which function or variable is which; those names cost RAM)
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildIfNeeded, root } from '../sim/build-if-needed.js';
import { startHub, connectModule, until, PID, DEV, CLIENT_ID } from '../test/helpers/cloud.js';
import { RealModule, cloudOf } from './real-module.js';

const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('bench:ram skipped: set ESPRUINO_BIN to an Espruino interpreter built for Linux, 32-bit with 1600 variables');
  process.exit(0);
}
const { values } = parseArgs({ options: { names: { type: 'boolean', default: false } } });

/** The variables of a dump: ref -> {size, label, links}. */
function parseDump(lines) {
  const vars = new Map();
  for (const line of lines) {
    const m = /^(\d+),(\d+),(\d+),(.*)$/.exec(line);
    if (!m) continue;
    let rest = m[4];
    let label = '';
    const quoted = /^(String )?"((?:[^"\\]|\\.)*)",?/.exec(rest);
    if (quoted) {
      label = (quoted[1] ? 'String ' : 'name ') + quoted[2];
      rest = rest.slice(quoted[0].length);
    } else {
      const k = rest.indexOf(',');
      label = k < 0 ? rest : rest.slice(0, k);
      rest = k < 0 ? '' : rest.slice(k + 1);
    }
    vars.set(Number(m[1]), { size: Number(m[2]), label, links: rest.split(',').filter(Boolean).map(Number) });
  }
  return vars;
}

function reachable(vars, without) {
  const seen = new Set();
  const stack = [1];
  while (stack.length) {
    const ref = stack.pop();
    if (seen.has(ref) || without.has(ref) || !vars.has(ref)) continue;
    seen.add(ref);
    stack.push(...vars.get(ref).links);
  }
  return seen;
}

const sizeOf = (vars, refs) => [...refs].reduce((n, r) => n + vars.get(r).size, 0);
const child = (vars, ref, name) => vars.get(ref).links.find((l) => vars.get(l) && vars.get(l).label === `name ${name}`);
const valueOf = (vars, nameRef) => nameRef && vars.get(nameRef).links[0];

/** {total, parts: [[label, JsVars, top entries]]}: modules' scopes (they hold `exports` and `module`) and what holds each. */
function breakdown(lines) {
  const vars = parseDump(lines);
  const all = reachable(vars, new Set());
  const scopes = [...vars.keys()].filter((r) => child(vars, r, 'exports') && child(vars, r, 'module'));
  // A module's name: the module cache's entry for its exports, or the core's held[] entry.
  const names = new Map();
  for (const [, v] of vars) {
    if (!v.label.startsWith('name ') || v.label === 'name exports') continue;
    for (const s of scopes) if (v.links[0] === valueOf(vars, child(vars, s, 'exports'))) names.set(s, v.label.slice(5));
  }
  const parts = [];
  let modules = 0;
  for (const s of scopes) {
    const exports = valueOf(vars, child(vars, s, 'exports'));
    const freed = new Set([...all].filter((r) => !reachable(vars, new Set([s, exports])).has(r)));
    const entries = vars.get(s).links.map((e) => [vars.get(e).label.slice(5), sizeOf(vars, new Set([...all].filter((r) => !reachable(vars, new Set([e])).has(r))))])
      .filter(([name]) => name !== 'exports' && name !== 'module').sort((a, b) => b[1] - a[1]).slice(0, 6);
    parts.push([names.get(s) || `scope ${s}`, sizeOf(vars, freed), entries]);
    modules += sizeOf(vars, freed);
  }
  parts.sort((a, b) => b[1] - a[1]);
  return { total: sizeOf(vars, all), modules, parts };
}

function report(what, { total, modules, parts }, harness) {
  console.log(`\n${what}: ${total} JsVars in use (12-byte blocks), ${harness} of them the harness's`);
  for (const [name, n, entries] of parts) {
    console.log(`  ${name.padEnd(16)} ${String(n).padStart(4)}   ${entries.map(([e, m]) => `${e} ${m}`).join(', ')}`);
  }
  console.log(`  ${'(modules above)'.padEnd(16)} ${String(modules).padStart(4)}; the rest, ${total - modules - harness}: sockets, timers, listeners, Espruino's objects, what modules share`);
}

let image;
if (values.names) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ram-')), 'firmware.tcfw');
  const built = spawnSync(process.execPath, [path.join(root, 'tools', 'build.js'), '--out', out], { env: { ...process.env, FIRMWARE_MANGLE: '0' }, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stdout + built.stderr);
  image = fs.readFileSync(out, 'latin1');
} else {
  image = fs.readFileSync(buildIfNeeded(() => {}), 'latin1');
}
const hub = await startHub();
const harness = await RealModule.harness(bin, cloudOf(hub));
const mod = await RealModule.start(bin, image, cloudOf(hub));
try {
  await mod.command('AT');
  report('after boot', breakdown(await mod.dumpVariables()), harness);
  await connectModule(mod);
  for (let i = 0; i < 10; i++) await mod.command(`AT+TCMQTTSUB="${PID}/${DEV}/t${i}",1`, { until: until('TCMQTTSUB') });
  report('MQTT connected, 10 subscriptions', breakdown(await mod.dumpVariables()), harness);
  await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') });
  hub.files.faults.bytesPerSecond = 8 * 1024;
  await hub.pushFirmware(CLIENT_ID, crypto.randomBytes(64 * 1024), { version: '2.0.0' });
  await mod.expectLine('+TCOTASTATUS:ENTERUPDATE', { timeout: 20000 });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  report('during an MCU OTA download', breakdown(await mod.dumpVariables()), harness);
} finally {
  await mod.kill();
  await hub.stop();
}
