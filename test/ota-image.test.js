// OTA of the MCU's firmware: a 700 KB image pushed by the backend is staged in the module's
// flash and read back by the MCU byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startHub, CLIENT_ID, until } from './helpers/cloud.js';
import { atEnd, ready, readBack, otaReport, reportStates, stateOf } from './helpers/ota.js';

test('a 700 KB image pushed from the hub is staged and read back unchanged', { timeout: 300000 }, async () => {
  const hub = await startHub();
  atEnd(() => hub.stop());
  const mod = await ready(hub);
  const image = crypto.randomBytes(700 * 1024);
  hub.files.faults.bytesPerSecond = 256 * 1024; // about 3 s: a link an ESP8266 keeps up with, and time to ask during it
  await hub.pushFirmware(CLIENT_ID, image, { version: '2.0.0' });
  assert.deepEqual(await mod.expectLine('+TCOTASTATUS:ENTERUPDATE'), ['+TCOTASTATUS:ENTERUPDATE']);
  // While the download runs, most commands are refused with 200.
  assert.deepEqual(await mod.command('AT+TCFWINFO?'), ['+CME ERROR:200']);
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 120000 }), ['+TCOTASTATUS:UPDATESUCCESS']);
  const back = await readBack(mod);
  assert.equal(back.version, '2.0.0');
  assert.equal(back.size, image.length);
  assert.equal(back.max, 716800);
  assert.equal(back.md5, crypto.createHash('md5').update(image).digest('hex'));
  assert.equal(crypto.createHash('md5').update(back.image).digest('hex'), back.md5);
  // Past the end: refused until AT+TCFWINFO? starts again.
  assert.deepEqual(await mod.command('AT+TCREADFWDATA=16'), ['+CME ERROR:209']);
  const states = reportStates(hub, CLIENT_ID);
  assert.equal(states[0], 'report_version');
  assert.ok(states.includes('downloading'));
  assert.equal(states.at(-1), 'burning');
  // The MCU runs it and says so: the update is done.
  await mod.command('AT+TCOTASET=1,"2.0.0"', { until: until('TCOTASET') });
  await otaReport(hub, CLIENT_ID, (r) => stateOf(r) === 'done');
});
