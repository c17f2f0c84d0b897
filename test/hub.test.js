// The local hub's rules on their own: Tencent's signature check, topic permissions, the
// registry's options, and the admin user, with a real MQTT client.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import mqtt from 'mqtt';
import { checkDeviceLogin, signUsername, makeUsername } from '../sim/hub/signature.js';
import { mayPublish, maySubscribe } from '../sim/hub/topics.js';
import { Registry } from '../sim/hub/registry.js';
import { startHub, ADMIN_PASSWORD, PID, DEV, SECRET, CLIENT_ID } from './helpers/cloud.js';
import { pack } from '../tools/firmware-package.js';
import { tempState } from './helpers/module.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

test('signatures: a good one passes; expired, wrong, malformed and unknown ones are refused with a reason', () => {
  const registry = new Registry();
  const findDevice = (id) => registry.findByClientId(id);
  const nowS = 1800000000;
  const login = (username, password = signUsername(SECRET, username), clientId = CLIENT_ID) => checkDeviceLogin({ clientId, username, password, findDevice, nowS });
  assert.equal(login(makeUsername(CLIENT_ID, { expiry: nowS + 60 })), null);
  assert.equal(login(makeUsername(CLIENT_ID, { expiry: nowS + 60 }), signUsername(SECRET, makeUsername(CLIENT_ID, { expiry: nowS + 60 }), 'hmacsha256')), null);
  assert.match(login(makeUsername(CLIENT_ID, { expiry: nowS - 1 })), /expired/);
  assert.match(login(makeUsername(CLIENT_ID, { expiry: nowS + 60 }), signUsername('d3Jvbmc=', makeUsername(CLIENT_ID, { expiry: nowS + 60 }))), /wrong signature/);
  assert.match(login(`${CLIENT_ID};12010126;a1B2c`), /username is not/);
  assert.match(login(makeUsername(CLIENT_ID, { expiry: nowS + 60, connId: 'abc' })), /connid/);
  assert.match(login(makeUsername('NOPRODUCT1dev', { expiry: nowS + 60 }), 'x;hmacsha1', 'NOPRODUCT1dev'), /no device/);
  assert.match(login(makeUsername(CLIENT_ID, { expiry: nowS + 60 }), 'abc;md5'), /hmacsha1 or ;hmacsha256/);
});

test('topics: a device keeps to its own space and the system pairs', () => {
  const own = (t) => `${PID}/${DEV}/${t}`;
  assert.ok(mayPublish(own('data'), PID, DEV) && maySubscribe(own('data'), PID, DEV));
  assert.ok(!mayPublish(own('control'), PID, DEV) && maySubscribe(own('control'), PID, DEV));
  assert.ok(mayPublish(own('event'), PID, DEV) && !maySubscribe(own('event'), PID, DEV));
  assert.ok(maySubscribe(own('#'), PID, DEV) && !mayPublish(own('#'), PID, DEV));
  assert.ok(!mayPublish(`${PID}/other/data`, PID, DEV) && !maySubscribe(`${PID}/+/data`, PID, DEV));
  assert.ok(mayPublish(`$sys/operation/${PID}/${DEV}`, PID, DEV) && maySubscribe(`$sys/operation/result/${PID}/${DEV}`, PID, DEV));
  assert.ok(!maySubscribe(`$sys/operation/${PID}/${DEV}`, PID, DEV));
  assert.ok(mayPublish(`$ota/report/${PID}/${DEV}`, PID, DEV) && maySubscribe(`$ota/update/${PID}/${DEV}`, PID, DEV));
  assert.ok(mayPublish(`$thing/up/property/${PID}/${DEV}`, PID, DEV) && maySubscribe(`$thing/down/service/${PID}/${DEV}`, PID, DEV));
  assert.ok(!mayPublish(`$thing/down/property/${PID}/${DEV}`, PID, DEV) && !maySubscribe(`$thing/up/property/${PID}/${DEV}`, PID, DEV));
});

test('registry: a file and --device options add devices; a bad --device is refused', () => {
  const file = path.join(tempState('registry-'), 'registry.json');
  fs.writeFileSync(file, JSON.stringify({ products: [{ productId: 'PRODUCT001', productSecret: 'ps', devices: [{ deviceName: 'a', deviceSecret: 'c2VjcmV0' }] }] }));
  const registry = Registry.fromOptions({ file, devices: ['PRODUCT002,b,c2VjcmV0Mg=='] });
  assert.deepEqual(registry.findByClientId('PRODUCT001a'), { pid: 'PRODUCT001', name: 'a', secret: 'c2VjcmV0' });
  assert.equal(registry.findByClientId('PRODUCT002b').secret, 'c2VjcmV0Mg==');
  assert.ok(registry.findByClientId(CLIENT_ID), 'the demo device is always there');
  assert.equal(registry.products.get('PRODUCT001').productSecret, 'ps');
  assert.throws(() => Registry.fromOptions({ devices: ['PRODUCT003,c'] }), /PID,NAME,SECRET/);
});

test('the admin user may use every topic; a wrong admin password is refused', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const url = `mqtt://127.0.0.1:${hub.ports.mqtt}`;
  await assert.rejects(mqtt.connectAsync(url, { username: 'admin', password: 'nope', reconnectPeriod: 0 }));
  const admin = await mqtt.connectAsync(url, { username: 'admin', password: ADMIN_PASSWORD, reconnectPeriod: 0 });
  cleanup.push(() => admin.endAsync());
  const granted = await admin.subscribeAsync('#', { qos: 1 });
  assert.equal(granted[0].qos, 1);
  const got = new Promise((resolve) => admin.on('message', (topic, payload) => resolve([topic, payload.toString()])));
  await admin.publishAsync('anything/at/all', 'hi', { qos: 1 });
  assert.deepEqual(await got, ['anything/at/all', 'hi']);
});

test('a device signing with Node\'s crypto connects; the time request is answered', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const username = makeUsername(CLIENT_ID, { expiry: Math.floor(Date.now() / 1000) + 600 });
  const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${hub.ports.mqtt}`, { clientId: CLIENT_ID, username, password: signUsername(SECRET, username), reconnectPeriod: 0 });
  cleanup.push(() => device.endAsync());
  await device.subscribeAsync(`$sys/operation/result/${PID}/${DEV}`);
  const reply = new Promise((resolve) => device.on('message', (topic, payload) => resolve(JSON.parse(payload.toString()))));
  await device.publishAsync(`$sys/operation/${PID}/${DEV}`, '{"type":"get","resource":["time"]}');
  const answer = await reply;
  assert.equal(answer.type, 'get');
  assert.ok(Math.abs(answer.time - Date.now() / 1000) < 5);
});

test('admin over HTTP: npm run ota pushes an MCU image and a module bundle; reports are read back; bad requests refused', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const base = `http://127.0.0.1:${hub.ports.http}`;
  const file = path.join(tempState('push-'), 'image.bin');
  fs.writeFileSync(file, Buffer.from('an MCU image'));
  // The hub runs in this process: the script must run beside it, not block it.
  const run = (...args) => new Promise((resolve) => {
    execFile(process.execPath, ['tools/push-ota.js', '--hub', base, '--device', CLIENT_ID, '--admin-password', ADMIN_PASSWORD, ...args],
      (err, stdout, stderr) => resolve({ status: err ? err.code : 0, stdout, stderr }));
  });
  const pushed = await run('--version', '2.0.0', '--file', file);
  assert.equal(pushed.status, 0, pushed.stderr + pushed.stdout);
  assert.equal(JSON.parse(pushed.stdout).md5, crypto.createHash('md5').update('an MCU image').digest('hex'));
  assert.equal(hub.otaJobs.get(CLIENT_ID).version, '2.0.0');
  const served = await fetch(new URL(hub.otaJobs.get(CLIENT_ID).url.replace(/^https:\/\/[^/]+/, base)));
  assert.equal(await served.text(), 'an MCU image');
  // The module's own: a firmware package built as the version ordered, nothing else.
  const image = path.join(tempState('push-'), 'firmware.tcfw');
  fs.writeFileSync(image, pack('0.2.0', [['boot', '// selector'], ['core', '// core']]));
  assert.equal((await run('--version', '0.2.0', '--file', image, '--module')).status, 0);
  assert.equal(hub.moduleJobs.get(CLIENT_ID).version, '0.2.0');
  const mislabeled = await run('--version', '0.3.0', '--file', image, '--module');
  assert.equal(mislabeled.status, 2);
  assert.match(mislabeled.stderr, /^npm run ota: .*built as version 0\.2\.0, not 0\.3\.0/);
  assert.equal((await run('--version', '0.3.0', '--file', file, '--module')).status, 2, 'not a package');
  const missing = await run('--version', '2.0.0', '--file', path.join(tempState('push-'), 'mcu.bin'));
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.match(missing.stderr, /cannot read .*mcu\.bin: no such file/);
  assert.equal(hub.moduleJobs.get(CLIENT_ID).version, '0.2.0', 'refusals order nothing');
  const reports = JSON.parse((await run('--reports')).stdout);
  assert.deepEqual(reports, { ota: [], service: [] });

  const post = (query, auth) => fetch(`${base}/admin/firmware?${query}`, { method: 'POST', body: 'x', headers: auth ? { authorization: auth } : {} });
  const good = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
  assert.equal((await post(`device=${CLIENT_ID}&version=1`)).status, 401);
  assert.equal((await post(`device=${CLIENT_ID}&version=1`, 'Basic ' + Buffer.from('admin:wrong').toString('base64'))).status, 401);
  assert.equal((await post('device=NOSUCHDEV&version=1', good)).status, 404);
  assert.equal((await post(`device=${CLIENT_ID}&version=${'9'.repeat(33)}`, good)).status, 400);
});
