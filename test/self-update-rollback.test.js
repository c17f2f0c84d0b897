// A firmware package that does not come up is rolled back: one whose core throws while
// loading at once, one that never confirms itself after 30 s. The previous image boots and
// reports the failure; the hub does not order the failed package again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startHub, connectModule, until, CLIENT_ID } from './helpers/cloud.js';
import { atEnd, ready, serviceMessage, resourceProgress, runningVersion } from './helpers/ota.js';
import { pack } from '../tools/firmware-package.js';

const OLD = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url))).version;

/** A package whose core is `core` (the selector is never used from an update). */
const brokenPackage = (version, core) => pack(version, [['boot', '// unused'], ['core', core]]);

async function rollback(image, version, restartWithin) {
  const hub = await startHub();
  atEnd(() => hub.stop());
  const mod = await ready(hub);
  await hub.pushModule(CLIENT_ID, image, { version });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 20000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATERESET']);
  const started = Date.now();
  // The trial boot, then the previous bundle's boot: its `ready` is the first the MCU sees.
  await mod.expectLine('ready', { timeout: restartWithin });
  assert.equal(await runningVersion(mod), OLD);
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
  const failed = await serviceMessage(hub, CLIENT_ID, resourceProgress('fail', version));
  assert.equal(failed.report.progress.result_code, '-5');
  assert.equal(hub.moduleJobs.has(CLIENT_ID), false, 'the failed bundle is not ordered again');
  return Date.now() - started;
}

test('a package whose core throws while loading is rolled back at once', async () => {
  const took = await rollback(brokenPackage('8.0.0', 'throw new Error("this core is broken");'), '8.0.0', 10000);
  assert.ok(took < 10000, `${took} ms`);
});

test('a package that never confirms itself is rolled back after 30 s', { timeout: 90000 }, async () => {
  const took = await rollback(brokenPackage('8.0.1', 'exports.start = function () { Serial1.setup(115200, {}); };'), '8.0.1', 45000);
  assert.ok(took >= 28000, `${took} ms`);
});
