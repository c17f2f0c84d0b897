// The module updating its own firmware through the resource protocol: a new bundle is
// downloaded into Storage, verified, run on trial after UPDATERESET, and kept once it confirms
// itself; a wrong MD5 changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, startModule, connectModule, until, CLIENT_ID } from './helpers/cloud.js';
import { atEnd, ready, serviceMessage, resourceProgress, firmwareVersion, runningVersion } from './helpers/ota.js';

const OLD = JSON.parse((await import('node:fs')).readFileSync(new URL('../package.json', import.meta.url))).version;

test('a new bundle replaces the boot code only after verification, and stays after it confirms itself', { timeout: 90000 }, async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  let mod = await ready(hub);
  const listed = await serviceMessage(hub, CLIENT_ID, (m) => m.method === 'report_version');
  assert.deepEqual(listed.report.resource_list, [{ resource_name: 'ESP8266_QCLOUD_AT_JS', version: OLD, resource_type: 'FILE' }]);
  assert.equal(await runningVersion(mod), OLD);

  // A wrong MD5: refused, nothing restarts, the old bundle still runs.
  const next = firmwareVersion('7.7.7');
  hub.files.faults.bytesPerSecond = 32 * 1024;
  await hub.pushModule(CLIENT_ID, next, { version: '7.7.6', md5: '00000000000000000000000000000000' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 20000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATEFAIL,-4']);
  await serviceMessage(hub, CLIENT_ID, resourceProgress('fail', '7.7.6'));
  assert.equal(await runningVersion(mod), OLD);

  // The right one: verified, UPDATERESET, restart 2 s later into the new bundle.
  await hub.pushModule(CLIENT_ID, next, { version: '7.7.7' });
  assert.deepEqual(await mod.expectLine('+TCOTASTATUS:ENTERUPDATE', { timeout: 20000 }), ['+TCOTASTATUS:ENTERUPDATE']);
  // During the download the MCU's own OTA commands are refused as busy.
  assert.deepEqual(await mod.command('AT+TCFWINFO?'), ['+CME ERROR:200']);
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 20000 }), ['+TCOTASTATUS:UPDATERESET']);
  await serviceMessage(hub, CLIENT_ID, resourceProgress('burning', '7.7.7'));
  const restarted = Date.now();
  await mod.expectLine('ready', { timeout: 10000 });
  assert.ok(Date.now() - restarted >= 1500, 'the restart comes about 2 s after UPDATERESET');
  assert.equal(await runningVersion(mod), '7.7.7');

  // It confirms itself after running 10 s, and says the update is done; a power cut then keeps it.
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
  const now = await serviceMessage(hub, CLIENT_ID, (m) => m.method === 'report_version' && m.report.resource_list[0].version === '7.7.7');
  assert.ok(now);
  await serviceMessage(hub, CLIENT_ID, resourceProgress('done', '7.7.7'), { timeout: 15000 });
  await mod.kill();
  mod = await startModule(hub, { state: mod.state });
  atEnd(() => mod.kill());
  assert.equal(await runningVersion(mod), '7.7.7');
});
