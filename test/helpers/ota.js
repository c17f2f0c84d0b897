// Shared steps of the OTA tests: a module connected with OTA enabled, the MCU's read-back of
// the staged image, and polling of the hub's records.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startModule, connectModule, until } from './cloud.js';
import { buildEntry } from './build.js';
export { readBack } from './read-back.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** Runs fn when the test file ends (hubs and modules are stopped in reverse order). */
export function atEnd(fn) {
  cleanup.push(fn);
}

/** A module connected to the hub with OTA enabled at version 1.0.0. */
export async function ready(hub, options) {
  const mod = await startModule(hub, options);
  atEnd(() => mod.kill());
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
  return mod;
}

/** Resolves when the emitter has emitted `event` with arguments that match(...args) returns truthy for. */
export function whenEmitted(emitter, event, match, { timeout = 10000, what = event } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeout);
    function listener(...args) {
      const found = match(...args);
      if (!found) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(found);
    }
    emitter.on(event, listener);
  });
}

/** The first OTA report of the device, already received or still to come, that match(report) accepts. */
export function otaReport(hub, clientId, match, options) {
  const seen = (hub.otaReports.get(clientId) || []).find(match);
  if (seen) return Promise.resolve(seen);
  return whenEmitted(hub, 'otaReport', (id, report) => id === clientId && match(report) && report, { what: 'an OTA report', ...options });
}

/** The progress state of a report_progress record (report_version's type otherwise). */
export function stateOf(report) {
  return report.type === 'report_progress' ? report.report.progress.state : report.type;
}

/** The states of every OTA report the device sent. */
export function reportStates(hub, clientId) {
  return (hub.otaReports.get(clientId) || []).map(stateOf);
}

/** The first message of the device on $thing/up/service, already received or still to come, that match() accepts. */
export function serviceMessage(hub, clientId, match, options) {
  const seen = (hub.serviceReports.get(clientId) || []).find(match);
  if (seen) return Promise.resolve(seen);
  return whenEmitted(hub, 'serviceMessage', (id, message) => id === clientId && match(message) && message, { what: 'a service message', ...options });
}

/** A resource report_progress in `state` for `version`. */
export const resourceProgress = (state, version) => (m) => m.method === 'report_progress' && m.report.progress.state === state && m.report.version === version;

/** The firmware built again as version `version` (the bytes a self-update would bring). */
export function firmwareVersion(version) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'firmware.tcfw');
  const built = buildEntry('src/main.ts', out, { FIRMWARE_VERSION: version });
  assert.ok(built.ok, built.output);
  return fs.readFileSync(out);
}

/** The version AT+GMR prints. */
export async function runningVersion(mod) {
  const lines = await mod.command('AT+GMR');
  return /-ts([^(]*)\(/.exec(lines.find((l) => l.startsWith('AT version:')))[1];
}

/** The firmware built with other build-time settings (FIRMWARE_VERSION, FIRMWARE_SAP_WAIT_MS, ...); its path. */
export function firmwareBuild(env) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'firmware.tcfw');
  const built = buildEntry('src/main.ts', out, env);
  assert.ok(built.ok, built.output);
  return out;
}
