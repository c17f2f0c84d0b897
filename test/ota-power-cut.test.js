// OTA of the MCU's firmware across power cuts: each restart resumes the download from what
// flash holds, and the image is right in the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startHub, startModule, connectModule, until, CLIENT_ID } from './helpers/cloud.js';
import { atEnd, ready, readBack, otaReport, whenEmitted } from './helpers/ota.js';

test('power cuts at random points of the download: each restart resumes where flash has it', { timeout: 240000 }, async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  let mod = await ready(hub);
  const image = crypto.randomBytes(400 * 1024);
  hub.files.faults.bytesPerSecond = 80 * 1024; // about 5 s, so that the cuts land mid-way
  await hub.pushFirmware(CLIENT_ID, image, { version: '4.0.0' });
  const percents = [15 + Math.floor(Math.random() * 20), 45 + Math.floor(Math.random() * 20)];
  for (const percent of percents) {
    await mod.expectLine('+TCOTASTATUS:ENTERUPDATE');
    await otaReport(hub, CLIENT_ID, (r) => r.report && r.report.progress && Number(r.report.progress.percent) >= percent, { timeout: 60000 });
    await mod.kill();
    hub.otaReports.set(CLIENT_ID, []);
    const resumed = whenEmitted(hub.files, 'request', (request) => request, { timeout: 30000, what: 'the resumed download' });
    mod = await startModule(hub, { state: mod.state });
    atEnd(() => mod.kill());
    assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
    assert.deepEqual(await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
    // The hub orders the update again; the module asks only for what flash does not have.
    const from = Number(/\d+/.exec((await resumed).range)[0]);
    assert.ok(from > 0, `resumed from ${from}`);
  }
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 60000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATESUCCESS']);
  const back = await readBack(mod);
  assert.ok(back.image.equals(image));
});
