// OTA of the MCU's firmware through the local hub: an image pushed by the backend is staged
// in the module's flash and read back by the MCU byte for byte; wrong MD5, oversized images,
// dropped connections, servers that ignore Range, and power cuts mid-download.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startHub, startModule, connectModule, until, CLIENT_ID } from './helpers/cloud.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function ready(hub, options) {
  const mod = await startModule(hub, options);
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
  return mod;
}

/** Reads the staged image with AT+TCFWINFO? and AT+TCREADFWDATA=4096 until it ends. */
async function readBack(mod) {
  mod.send('AT+TCFWINFO?');
  const info = (await mod.expectLine(/^\+TCFWINFO:|^\+CME ERROR/)).at(-1);
  const m = /^\+TCFWINFO:"([^"]*)",(\d+),"([0-9a-f]{32})",(\d+)$/.exec(info);
  assert.ok(m, info);
  const size = Number(m[2]);
  const parts = [];
  let got = 0;
  while (got < size) {
    mod.send('AT+TCREADFWDATA=4096');
    const head = await mod.waitFor((t) => /^OK\r\n\+TCREADFWDATA:(\d+),/.exec(t), { what: 'a TCREADFWDATA header' });
    const n = Number(head[1]);
    const total = head[0].length + n + 2;
    const text = await mod.waitFor((t) => (t.length >= total ? t : undefined), { what: `${n} bytes of firmware`, timeout: 20000 });
    assert.equal(text.slice(head[0].length + n, total), '\r\n');
    parts.push(Buffer.from(text.slice(head[0].length, head[0].length + n), 'latin1'));
    mod.received = mod.received.subarray(total);
    got += n;
  }
  return { version: m[1], size, md5: m[3], max: Number(m[4]), image: Buffer.concat(parts) };
}

test('a 700 KB image pushed from the hub is staged and read back unchanged', { timeout: 300000 }, async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await ready(hub);
  const image = crypto.randomBytes(700 * 1024);
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
  const reports = hub.otaReports.get(CLIENT_ID).map((r) => (r.type === 'report_progress' ? r.report.progress.state : r.type));
  assert.equal(reports[0], 'report_version');
  assert.ok(reports.includes('downloading'));
  assert.equal(reports.at(-1), 'burning');
  // The MCU runs it and says so: the update is done.
  await mod.command('AT+TCOTASET=1,"2.0.0"', { until: until('TCOTASET') });
  await waitUntil(() => hub.otaReports.get(CLIENT_ID).some((r) => r.report && r.report.progress && r.report.progress.state === 'done'));
});

async function waitUntil(check, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a wrong MD5 gives UPDATEFAIL,-4 and leaves no image; an oversized one is refused before any download', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
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

test('a dropped connection is resumed with Range; a server that ignores Range is handled', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await ready(hub);
  const image = crypto.randomBytes(150 * 1024);
  hub.files.faults.dropAfter = 50000;
  await hub.pushFirmware(CLIENT_ID, image, { version: '3.0.0' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 60000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATESUCCESS']);
  const ranges = hub.files.requests.map((r) => r.range);
  assert.equal(ranges[0], 'bytes=0-');
  assert.ok(ranges.length >= 2 && Number(/\d+/.exec(ranges[1])[0]) >= 40000, JSON.stringify(ranges));
  assert.ok((await readBack(mod)).image.equals(image));

  hub.otaJobs.clear();
  hub.files.faults.ignoreRange = true;
  hub.files.faults.dropAfter = 60000;
  const second = crypto.randomBytes(120 * 1024);
  await hub.pushFirmware(CLIENT_ID, second, { version: '3.0.1' });
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 60000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATESUCCESS']);
  assert.ok((await readBack(mod)).image.equals(second));
});

test('power cuts at random points of the download: each restart resumes where flash has it', { timeout: 240000 }, async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  let mod = await ready(hub);
  const image = crypto.randomBytes(400 * 1024);
  hub.files.faults.bytesPerSecond = 80 * 1024; // about 5 s, so that the cuts land mid-way
  await hub.pushFirmware(CLIENT_ID, image, { version: '4.0.0' });
  const percents = [15 + Math.floor(Math.random() * 20), 45 + Math.floor(Math.random() * 20)];
  for (const percent of percents) {
    await mod.expectLine('+TCOTASTATUS:ENTERUPDATE');
    const reports = hub.otaReports.get(CLIENT_ID);
    await waitUntil(() => reports.some((r) => r.report && r.report.progress && Number(r.report.progress.percent) >= percent), 60000);
    await mod.kill();
    hub.otaReports.set(CLIENT_ID, []);
    const served = hub.files.requests.length;
    mod = await startModule(hub, { state: mod.state });
    cleanup.push(() => mod.kill());
    assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
    assert.deepEqual(await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') }), ['OK', '+TCOTASET:OK']);
    // The hub orders the update again; the module asks only for what flash does not have.
    await waitUntil(() => hub.files.requests.length > served);
    const from = Number(/\d+/.exec(hub.files.requests[served].range)[0]);
    assert.ok(from > 0, `resumed from ${from}`);
  }
  assert.deepEqual(await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 60000 }), ['+TCOTASTATUS:ENTERUPDATE', '+TCOTASTATUS:UPDATESUCCESS']);
  const back = await readBack(mod);
  assert.ok(back.image.equals(image));
});
