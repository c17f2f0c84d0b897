// TLS mode 1: over TLS where the runtime has `tls` (the simulator's tls profile), verified
// against the CA the user stored; on the ESP8266 (no TLS) refused unless the user stored
// permission to run it as mode 0.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startHub, startModule, connectModule, until, PID, DEV, SECRET, CLIENT_ID } from './helpers/cloud.js';
import { loadOrCreateCerts } from '../sim/hub/certs.js';
import { tempState, REAL_ESPRUINO } from './helpers/module.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function storeCa(mod, pem) {
  mod.send(`AT+TCCASET=${pem.length}`);
  assert.deepEqual(await mod.expectLine('>'), ['OK', '>']);
  mod.write(pem + '\r\n');
  return mod.expectLine(until('TCCASET'));
}

test('ESP8266 profile: mode 1 is refused until AT+TCTLSFALLBACK=1, which persists and runs it as mode 0', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  let mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod, { conn: 'AT+TCMQTTCONN=1,5000,240,1,1' }), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=1,"CTQS08Y5LG","Dev01","ZHNkIGRzZCA="'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCTLSFALLBACK?'), ['+TCTLSFALLBACK:0', 'OK']);
  assert.deepEqual(await mod.command('AT+TCTLSFALLBACK=2'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCTLSFALLBACK=1', { until: until('TCTLSFALLBACK') }), ['OK', '+TCTLSFALLBACK:OK']);
  mod = await mod.restart(['--cloud', `127.0.0.1:${hub.ports.mqtt}:${hub.ports.mqtts}:${hub.ports.http}`]);
  cleanup.push(() => mod.kill());
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCTLSFALLBACK?'), ['+TCTLSFALLBACK:1', 'OK']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=?'), ['+TCDEVINFOSET:"TLSMODE(0/1)","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"', 'OK']);
  await mod.command(`AT+TCDEVINFOSET=1,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
  assert.deepEqual(await connectModule(mod, { conn: 'AT+TCMQTTCONN=1,5000,240,1,1' }), ['OK', '+TCMQTTCONN:OK']);
  assert.equal(hub.transports.get(CLIENT_ID), 'tcp');
  assert.deepEqual(await mod.command('AT+TCMQTTCONN?'), ['+TCMQTTCONN:1,5000,240,1,1', 'OK']);
});

test('tls profile: mode 1 verifies the hub against the stored CA and connects over TLS', { skip: REAL_ESPRUINO ? 'the tls profile is the simulator\'s; the Linux build here has no tls' : false }, async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub, { args: ['--profile', 'tls'] });
  cleanup.push(() => mod.kill());
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=?'), ['+TCDEVINFOSET:"TLSMODE(0/1)","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"', 'OK']);
  assert.deepEqual(await mod.command('AT+TCCASET?'), ['+TCCASET:0', 'OK']);

  // Without a CA the module cannot verify anything: it does not connect.
  assert.deepEqual(await connectModule(mod, { conn: 'AT+TCMQTTCONN=1,5000,240,1,1' }), ['OK', '+TCMQTTCONN:FAIL,-702']);

  // A CA that did not sign the hub's certificate fails the handshake.
  const stranger = await loadOrCreateCerts(tempState('other-ca-'));
  assert.deepEqual(await storeCa(mod, stranger.ca), ['+TCCASET:OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=1,5000,240,1,1', { until: until('TCMQTTCONN') }), ['OK', '+TCMQTTCONN:FAIL,-703']);

  assert.deepEqual(await storeCa(mod, hub.certs.ca), ['+TCCASET:OK']);
  const fingerprint = new crypto.X509Certificate(hub.certs.ca).fingerprint.replace(/:/g, '').toLowerCase();
  const der = new crypto.X509Certificate(hub.certs.ca).raw.length;
  assert.deepEqual(await mod.command('AT+TCCASET?'), [`+TCCASET:${der},"${fingerprint}"`, 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=1,5000,240,1,1', { until: until('TCMQTTCONN') }), ['OK', '+TCMQTTCONN:OK']);
  assert.equal(hub.transports.get(CLIENT_ID), 'tls');
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${PID}/${DEV}/data",1,"over tls"`, { until: until('TCMQTTPUB') }), ['OK', '+TCMQTTPUB:OK']);
});

test('TCCASET refuses what is not a PEM certificate and keeps the stored one', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  await mod.command('ATE0');
  assert.deepEqual(await storeCa(mod, hub.certs.ca), ['+TCCASET:OK']);
  const before = await mod.command('AT+TCCASET?');
  assert.deepEqual(await storeCa(mod, 'not a certificate at all'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCCASET=3073'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCCASET?'), before);
  assert.deepEqual(await mod.command('AT+TCCASET=0', { until: until('TCCASET') }), ['OK', '+TCCASET:OK']);
  assert.deepEqual(await mod.command('AT+TCCASET?'), ['+TCCASET:0', 'OK']);
});
