// The link itself: the signature the hub checks, reconnection after the hub dies, and bad
// packets from the broker side, which must end the connection with a URC, never the firmware.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, backend, startModule, connectModule, until, PID, DEV, CLIENT_ID } from './helpers/cloud.js';
import { startFakeBroker, publish } from './helpers/fake-broker.js';
import { SimModule, REAL_ESPRUINO } from './helpers/module.js';
import { signUsername } from '../sim/hub/signature.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

test('the worked example of the protocol page signs to its published password', () => {
  assert.equal(signUsername('ZHNkIGRzZCA=', 'CTQS08Y5LGDev01;21010406;a1B2c;2147483647'), 'c350fba859186930d18de363c33299e199c4f4ce;hmacsha1');
});

test('a wrong secret gives +TCMQTTCONN:FAIL,-116 and leaves the module disconnected', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod, { secret: 'd3Jvbmctc2VjcmV0' }), ['OK', '+TCMQTTCONN:FAIL,-116']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:0', 'OK']);
});

test('hub killed and restarted: DISCON, RECONNECTING, RECONNECTED, and the subscriptions work without a new SUB', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
  // Without a clock (the board's starts at 1970) the module signs with the largest expiry,
  // then learns the hub's time. The Linux interpreter's clock is already right.
  if (!REAL_ESPRUINO) assert.match(hub.logins.get(CLIENT_ID), /;2147483647$/);
  const control = `${PID}/${DEV}/control`;
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${control}",1`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:OK']);

  const ports = { mqttPort: hub.ports.mqtt, mqttsPort: hub.ports.mqtts };
  await hub.stop();
  assert.deepEqual(await mod.expectLine('+TCMQTTRECONNECTING'), ['+TCMQTTDISCON,-103', '+TCMQTTRECONNECTING']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:0', 'OK']);
  await hub.start(ports);
  assert.deepEqual(await mod.expectLine('+TCMQTTRECONNECTED', { timeout: 15000 }), ['+TCMQTTRECONNECTED']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:1', 'OK']);

  // The second signature is short-lived: the hub's time plus an hour at most.
  const expiry = Number(hub.logins.get(CLIENT_ID).split(';')[3]);
  const now = Date.now() / 1000;
  assert.ok(expiry > now && expiry <= now + 3600 + 5, `expiry ${expiry}, now ${now}`);

  const cloud = await backend(hub);
  cleanup.push(() => cloud.close());
  await cloud.client.publishAsync(control, 'after restart', { qos: 1 });
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTRCVPUB/), [`+TCMQTTRCVPUB:"${control}",13,"after restart"`]);
});

test('reconnect off: a drop gives one DISCON and nothing more', async () => {
  const broker = await startFakeBroker();
  cleanup.push(() => broker.close());
  const mod = await SimModule.start({ args: ['--cloud', `127.0.0.1:${broker.port}`] });
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod, { conn: 'AT+TCMQTTCONN=0,2000,60,1,0' }), ['OK', '+TCMQTTCONN:OK']);
  broker.socket.destroy();
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTDISCON/), ['+TCMQTTDISCON,-103']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:0', 'OK']);
  assert.doesNotMatch(mod.pending(), /RECONNECTING/);
});

test('bad packets from the broker end the connection with a URC; oversized messages are dropped with one', async () => {
  const broker = await startFakeBroker();
  cleanup.push(() => broker.close());
  const mod = await SimModule.start({ args: ['--cloud', `127.0.0.1:${broker.port}`] });
  cleanup.push(() => mod.kill());
  const topic = `${PID}/${DEV}/control`;
  assert.deepEqual(await connectModule(mod, { conn: 'AT+TCMQTTCONN=0,2000,60,1,0' }), ['OK', '+TCMQTTCONN:OK']);

  const malformed = {
    'topic longer than the packet': Buffer.from([0x30, 0x05, 0x00, 0x10, 0x61, 0x62, 0x63]),
    'remaining length over 4 bytes': Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]),
    'a packet type only clients send': Buffer.from([0x10, 0x00]),
    'PUBACK of the wrong length': Buffer.from([0x40, 0x03, 0x00, 0x01, 0x00]),
    'QoS 3': Buffer.concat([Buffer.from([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])]),
  };
  for (const [what, bytes] of Object.entries(malformed)) {
    broker.send(bytes);
    assert.deepEqual(await mod.expectLine(/^\+TCMQTTDISCON/), ['+TCMQTTDISCON,-110'], what);
    assert.deepEqual(await mod.command('AT'), ['OK'], what);
    assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,2000,60,1,0', { until: until('TCMQTTCONN') }), ['OK', '+TCMQTTCONN:OK'], what);
  }

  // A SUBACK of the wrong length fails the SUB and the link.
  broker.onSubscribe = (p) => (p.subscriptions[0].topic === topic ? Buffer.from([0x90, 0x04, p.messageId >> 8, p.messageId & 255, 0, 0]) : null);
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${topic}",1`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:FAIL,-103']);
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTDISCON/), ['+TCMQTTDISCON,-110']);
  broker.onSubscribe = null;

  // Truncated: half a packet, then the broker goes away.
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,2000,60,1,0', { until: until('TCMQTTCONN') }), ['OK', '+TCMQTTCONN:OK']);
  broker.send(publish(topic, 'x'.repeat(100)).subarray(0, 50));
  broker.socket.end();
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTDISCON/), ['+TCMQTTDISCON,-103']);

  // Oversized: acknowledged, reported, skipped; the link and the next message are fine.
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,2000,60,1,0', { until: until('TCMQTTCONN') }), ['OK', '+TCMQTTCONN:OK']);
  const from = broker.received.length;
  const big = publish(topic, 'B'.repeat(5000), { qos: 1, messageId: 41 });
  for (let at = 0; at < big.length; at += 700) broker.send(big.subarray(at, at + 700));
  broker.send(publish(topic, 'small', { qos: 1, messageId: 42 }));
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTRCVPUB/), [`+TCMQTTMSGDROP:"${topic}",5000,-119`, `+TCMQTTRCVPUB:"${topic}",5,"small"`]);
  await broker.next((p) => p.cmd === 'puback' && p.messageId === 41, from);
  await broker.next((p) => p.cmd === 'puback' && p.messageId === 42, from);

  // A QoS 1 redelivery (DUP set, same id) is acknowledged again but reported once.
  broker.send(publish(topic, 'once', { qos: 1, messageId: 43 }));
  broker.send(publish(topic, 'once', { qos: 1, messageId: 43, dup: true }));
  broker.send(publish(topic, 'next', { qos: 0 }));
  assert.deepEqual(await mod.expectLine(`+TCMQTTRCVPUB:"${topic}",4,"next"`), [`+TCMQTTRCVPUB:"${topic}",4,"once"`, `+TCMQTTRCVPUB:"${topic}",4,"next"`]);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:1', 'OK']);
});

test('CONN refuses bad parameters with 204 and a module without device info with 208', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,5000,240,1,1'), ['+CME ERROR:208']);
  for (const line of ['AT+TCMQTTCONN=0,999,240,1,1', 'AT+TCMQTTCONN=0,10001,240,1,1', 'AT+TCMQTTCONN=0,5000,59,1,1',
    'AT+TCMQTTCONN=0,5000,691,1,1', 'AT+TCMQTTCONN=0,5000,240,2,1', 'AT+TCMQTTCONN=0,5000,240,1,2', 'AT+TCMQTTCONN=2,5000,240,1,1']) {
    assert.deepEqual(await mod.command(line), ['+CME ERROR:204'], line);
  }
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,5000,240,1'), ['ERROR']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN?'), ['+TCMQTTCONN:0,5000,240,1,1', 'OK']);
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${PID}/${DEV}/data",0`), ['+CME ERROR:208']);
});

test('npm start\'s own hub: a device given with --device connects', async () => {
  const mod = await SimModule.start({ args: ['--mqtt-port', '0', '--mqtts-port', '0', '--device', 'PRODUCT777,dev7,c2VjcmV0Nw=='] });
  cleanup.push(() => mod.kill());
  assert.match(mod.readyLine, / hub=127\.0\.0\.1:\d+\/\d+\/\d+$/);
  assert.deepEqual(await connectModule(mod, { pid: 'PRODUCT777', dev: 'dev7', secret: 'c2VjcmV0Nw==' }), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), ['+TCDEVINFOSET:0,"PRODUCT777","dev7",60,"ap-guangzhou"', 'OK']);
});
