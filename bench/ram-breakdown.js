#!/usr/bin/env node
// Where the JsVars go, on the real interpreter (ESPRUINO_BIN, 32-bit with 1600 variables):
// E.dumpVariables() after boot, then connected with 10 subscriptions, then during an MCU OTA
// download, each attributed to what holds it. A module's share is what would be freed without
// its scope and exports (its functions, their scopes and its data); the core's likewise; the
// rest is the harness (shims, UART bridge, sampler), Espruino's own objects (sockets, timers,
// Wifi listeners) and what modules share.
//   ESPRUINO_BIN=/path/to/espruino npm run bench:ram [-- --names] [-- --tls]   (--names: a build
//   that keeps the source's names, to read which function or variable is which; those names cost
//   RAM. --tls: also the module in a TLS-PSK handshake, its ClientHello sent, with a build that
//   takes tls_mode 1)
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildIfNeeded, root } from '../sim/build-if-needed.js';
import { startHub, connectModule, until, PID, DEV, CLIENT_ID, SECRET } from '../test/helpers/cloud.js';
import { RealModule, cloudOf, stagedImage } from './real-module.js';
import { unpack } from '../tools/firmware-package.js';

const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('bench:ram skipped: set ESPRUINO_BIN to an Espruino interpreter built for Linux, 32-bit with 1600 variables');
  process.exit(0);
}
const { values } = parseArgs({ options: { names: { type: 'boolean', default: false }, tls: { type: 'boolean', default: false } } });

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

/** The shims of sim/espruino-host.js and bench/real-module.js: the Linux harness's, not the firmware's. */
const HARNESS = ['net', 'http', 'Wifi', 'Flash', 'ESP8266', 'tls'];

/**
 * The part of the package a module scope belongs to: the one whose code holds the code of a
 * function defined in that scope (the dump shows a function's code, a flash string, by its first
 * characters); else the name the module cache knows it by.
 */
function partOf(vars, scope, parts) {
  for (const [, v] of vars) {
    if (v.label !== 'name \\xFFsco' || v.links[0] !== scope) continue;
    for (const [, fn] of vars) {
      if (!fn.links.some((l) => vars.get(l) === v)) continue;
      const code = fn.links.map((l) => vars.get(l)).find((c) => c && c.label === 'name \\xFFcod');
      const text = code && vars.get(code.links[0]) && vars.get(code.links[0]).label;
      const m = text && /^String (.*?)(\.\.\.)?$/.exec(text);
      if (!m) continue;
      let snippet;
      try { snippet = JSON.parse(`"${m[1]}"`); } catch { continue; }
      const found = Object.entries(parts).filter(([, c]) => c.includes(snippet));
      if (found.length === 1) return found[0][0];
    }
  }
  return null;
}

/** {total, firmware, parts: [[label, JsVars, top entries]]}: modules' scopes (they hold `exports` and `module`) and what each holds alone. */
function breakdown(lines, packageParts) {
  const vars = parseDump(lines);
  const all = reachable(vars, new Set());
  const scopes = [...vars.keys()].filter((r) => child(vars, r, 'exports') && child(vars, r, 'module'));
  const names = new Map();
  for (const [, v] of vars) {
    if (!v.label.startsWith('name ') || v.label === 'name exports') continue;
    for (const s of scopes) if (v.links[0] === valueOf(vars, child(vars, s, 'exports')) && HARNESS.includes(v.label.slice(5))) names.set(s, v.label.slice(5));
  }
  const parts = [];
  let modules = 0;
  for (const s of scopes) {
    const exports = valueOf(vars, child(vars, s, 'exports'));
    const freed = new Set([...all].filter((r) => !reachable(vars, new Set([s, exports])).has(r)));
    const entries = vars.get(s).links.map((e) => [vars.get(e).label.slice(5), sizeOf(vars, new Set([...all].filter((r) => !reachable(vars, new Set([e])).has(r))))])
      .filter(([name]) => name !== 'exports' && name !== 'module').sort((a, b) => b[1] - a[1]).slice(0, 6);
    if (names.has(s)) continue; // the harness's
    const part = partOf(vars, s, packageParts) || `scope ${s}`;
    parts.push([part, sizeOf(vars, freed), entries]);
    modules += sizeOf(vars, freed);
  }
  parts.sort((a, b) => b[1] - a[1]);
  return { total: sizeOf(vars, all), modules, parts };
}

function report(what, { total, modules, parts }, harness) {
  const firmware = total - harness;
  console.log(`\n${what}: ${total} JsVars in use (12-byte blocks), ${harness} of them the harness's: the firmware's ${firmware}`);
  for (const [name, n, entries] of parts) {
    console.log(`  ${name.padEnd(12)} ${String(n).padStart(4)}   largest names in its scope: ${entries.map(([e, m]) => `${e} ${m}`).join(', ')}`);
  }
  console.log(`  ${'the rest'.padEnd(12)} ${String(firmware - modules).padStart(4)}   sockets, timers, listeners, the module cache, what parts share`);
}

let image;
if (values.names || values.tls) {
  // --names: the source's names kept; --tls: a build that takes tls_mode 1 (FIRMWARE_TLS_PSK).
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ram-')), 'firmware.tcfw');
  const env = { ...process.env, ...(values.names ? { FIRMWARE_MANGLE: '0' } : {}), ...(values.tls ? { FIRMWARE_TLS_PSK: '1' } : {}) };
  const built = spawnSync(process.execPath, [path.join(root, 'tools', 'build.js'), '--out', out], { env, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stdout + built.stderr);
  image = fs.readFileSync(out, 'latin1');
} else {
  image = fs.readFileSync(buildIfNeeded(() => {}), 'latin1');
}
const packageParts = unpack(Buffer.from(image, 'latin1')).parts;
const hub = await startHub();
const harness = await RealModule.harness(bin, cloudOf(hub));
const silent = net.createServer(() => {});
await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
const cloud = cloudOf(hub);
if (values.tls) cloud.ports[8883] = silent.address().port;
const mod = await RealModule.start(bin, image, cloud);
try {
  await mod.command('AT');
  report('after boot', breakdown(await mod.dumpVariables(), packageParts), harness);
  await connectModule(mod);
  for (let i = 0; i < 10; i++) await mod.command(`AT+TCMQTTSUB="${PID}/${DEV}/t${i}",1`, { until: until('TCMQTTSUB') });
  report('MQTT connected, 10 subscriptions', breakdown(await mod.dumpVariables(), packageParts), harness);
  if (values.tls) {
    // TLS-PSK against a hub that takes the connection and never answers: the module as it waits for ServerHello.
    await mod.command('AT+TCMQTTDISCONN');
    await mod.command(`AT+TCDEVINFOSET=1,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
    mod.send('AT+TCMQTTCONN=1,10000,240,1,1');
    await new Promise((resolve) => silent.once('connection', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    report('TLS-PSK: ClientHello sent, waiting for the hub', breakdown(await mod.dumpVariables(), packageParts), harness);
    await mod.expectLine(until('TCMQTTCONN'), { timeout: 20000 });
    await connectModule(mod);
  }
  await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') });
  hub.files.faults.bytesPerSecond = 8 * 1024;
  await hub.pushFirmware(CLIENT_ID, stagedImage(64 * 1024), { version: '2.0.0' });
  await mod.expectLine('+TCOTASTATUS:ENTERUPDATE', { timeout: 20000 });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  report('during an MCU OTA download', breakdown(await mod.dumpVariables(), packageParts), harness);
} finally {
  await mod.kill();
  await hub.stop();
  silent.close();
}
