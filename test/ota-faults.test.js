// OTA of the MCU's firmware when things go wrong: a wrong MD5, an oversized image, a server
// that drops the connection, a server that ignores Range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startHub, CLIENT_ID, until } from './helpers/cloud.js';
import { atEnd, ready, readBack } from './helpers/ota.js';

test('a wrong MD5 gives UPDATEFAIL,-4 and leaves no image; an oversized one is refused before any download', async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  const mod = await ready(hub);
  await hub.pushFirmware(CLIENT_ID, crypto.randomBytes(20000), { version: '2.0.1', md5: '0123456789abcdef0123456789abcdef' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 30000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATEFAIL,-4']);
  assert.deepEqual(await mod.command('AT+TCFWINFO?'), ['+CME ERROR:205']);
  assert.deepEqual(await mod.command('AT+TCREADFWDATA=16'), ['+CME ERROR:205']);
  hub.otaJobs.clear();
  const before = hub.files.requests.length;
  await hub.pushFirmware(CLIENT_ID, Buffer.alloc(1000), { version: '2.0.2', size: 716801 });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/), ['+TCOTASTATUS:UPDATEFAIL,-5']);
  assert.equal(hub.files.requests.length, before, 'no download was even started');
});

test('the image is verified as flash holds it: a worn cell that keeps a bit at 0 fails it with -4 though every byte arrived right', async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  const worn = 5000;
  const mod = await ready(hub, { args: ['--flash-worn', String(0x111000 + worn)] });
  const image = crypto.randomBytes(20000);
  image[worn] |= 1;
  await hub.pushFirmware(CLIENT_ID, image, { version: '2.0.3' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 30000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATEFAIL,-4']);
  assert.deepEqual(await mod.command('AT+TCFWINFO?'), ['+CME ERROR:205']);
});

test('AT+TCOTASET takes only a version (V.R.C, 1-32 bytes): quotes, backslashes and control bytes are refused, nothing reaches the hub', async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  const mod = await ready(hub);
  const reports = hub.otaReports.get(CLIENT_ID).length;
  for (const bad of ['"1\\"x"', '"1\\\\x"', '"1\u0001x"', '"1.0.0\\",\\"y"', `"${'1'.repeat(33)}"`, '""', '"1 0"']) {
    assert.deepEqual(await mod.command(`AT+TCOTASET=1,${bad}`), ['+CME ERROR:204'], bad);
  }
  assert.deepEqual(await mod.command('AT+TCOTASET?'), ['+TCOTASET:1,"1.0.0"', 'OK'], 'the version enabled before is kept');
  assert.deepEqual(await mod.command(`AT+TCOTASET=1,"${'1'.repeat(32)}"`, { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
  const sent = hub.otaReports.get(CLIENT_ID).slice(reports);
  assert.deepEqual(sent.map((r) => r.report && r.report.version), ['1'.repeat(32)], 'one report, and valid JSON (the hub keeps only what parses)');
});

test('a dropped connection is resumed with Range; a server that ignores Range is handled', async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  const mod = await ready(hub);
  const image = crypto.randomBytes(100 * 1024);
  hub.files.faults.dropAfter = 50000;
  await hub.pushFirmware(CLIENT_ID, image, { version: '3.0.0' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 60000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATESUCCESS']);
  const ranges = hub.files.requests.map((r) => r.range);
  assert.equal(ranges[0], 'bytes=0-');
  assert.ok(ranges.length >= 2 && Number(/\d+/.exec(ranges[1])[0]) >= 40000, JSON.stringify(ranges));
  assert.ok((await readBack(mod)).image.equals(image));

  hub.otaJobs.clear();
  hub.files.faults.ignoreRange = true;
  hub.files.faults.dropAfter = 40000;
  const second = crypto.randomBytes(80 * 1024);
  await hub.pushFirmware(CLIENT_ID, second, { version: '3.0.1' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 60000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATESUCCESS']);
  assert.ok((await readBack(mod)).image.equals(second));
});
