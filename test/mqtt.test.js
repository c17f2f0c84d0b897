// Chapter 3 and 5.1-5.4 over the UART, against the local hub with a real MQTT client as
// the backend: what the MCU sends arrives byte for byte, what the backend sends reaches the
// MCU as exact URCs, the hub's refusals come back with the documented codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, backend, startModule, connectModule, until, PID, DEV } from './helpers/cloud.js';

const DATA = `${PID}/${DEV}/data`;
const CONTROL = `${PID}/${DEV}/control`;
let hub;
let cloud;
let mod;

before(async () => {
  hub = await startHub();
  cloud = await backend(hub);
  await cloud.client.subscribeAsync(`${PID}/${DEV}/#`, { qos: 1 });
  mod = await startModule(hub);
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
});
after(async () => {
  if (mod) await mod.kill();
  if (cloud) await cloud.close();
  if (hub) await hub.stop();
});

test('connected: SmartConfig is refused with 208, as the spec says for a connected module', async () => {
  assert.deepEqual(await mod.command('AT+TCSTARTSMART'), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCSTOPSMART'), ['+CME ERROR:208']);
});

test('connected: state 1, the query shows the parameters, a second CONN is refused with 208', async () => {
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:1', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN?'), ['+TCMQTTCONN:0,5000,240,1,1', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,5000,240,1,1'), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=0,"AAAAAAAAAA","x","ZHNkIGRzZCA="'), ['+CME ERROR:208']);
});

test('PUB: the escaped payload arrives un-escaped at the backend, at QoS 0 and 1', async () => {
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${DATA}",1,"{\\"a\\":1\\,\\"b\\":\\"x\\\\y\\"}"`, { until: until('TCMQTTPUB') }), ['OK', '+TCMQTTPUB:OK']);
  const m = await cloud.next(DATA);
  assert.equal(m.payload.toString('latin1'), '{"a":1,"b":"x\\y"}');
  assert.equal(m.qos, 1);
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${DATA}",0,"plain"`, { until: until('TCMQTTPUB') }), ['OK', '+TCMQTTPUB:OK']);
  assert.equal((await cloud.next(DATA)).payload.toString(), 'plain');
});

test('PUBL: 2048 bytes full of quotes, commas, CR and LF arrive unchanged', async () => {
  let payload = '';
  const pieces = ['"', ',', '\r', '\n', '{"k":"v"}', 'AT+RST\r\n', 'OK\r\n', 'x'];
  for (let i = 0; payload.length < 2048; i++) payload += pieces[i % pieces.length];
  payload = payload.slice(0, 2048);
  mod.send(`AT+TCMQTTPUBL="${DATA}",1,2048`);
  assert.deepEqual(await mod.expectLine('>'), ['OK', '>']);
  mod.write(payload + '\r\n');
  assert.deepEqual(await mod.expectLine(until('TCMQTTPUBL')), ['+TCMQTTPUBL:OK']);
  assert.equal((await cloud.next(DATA)).payload.toString('latin1'), payload);
});

test('PUBL un-escapes \\" and \\, as the shipped firmware does; +++ aborts and sends nothing', async () => {
  const sent = '{\\"t\\":1\\,\\"u\\":2}';
  mod.send(`AT+TCMQTTPUBL="${DATA}",0,${sent.length}`);
  await mod.expectLine('>');
  mod.write(sent + '\r\n');
  assert.deepEqual(await mod.expectLine(until('TCMQTTPUBL')), ['+TCMQTTPUBL:OK']);
  assert.equal((await cloud.next(DATA)).payload.toString(), '{"t":1,"u":2}');
  mod.send(`AT+TCMQTTPUBL="${DATA}",0,100`);
  await mod.expectLine('>');
  mod.write('abc+++\r\n');
  assert.deepEqual(await mod.expectLine(/^\+CME ERROR/), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${DATA}",1,"after"`, { until: until('TCMQTTPUB') }), ['OK', '+TCMQTTPUB:OK']);
  assert.equal((await cloud.next(DATA)).payload.toString(), 'after');
});

test('PUBRAW: all 256 byte values arrive unchanged, backslashes included', async () => {
  const payload = Buffer.from([...Array(256).keys()]);
  mod.send(`AT+TCMQTTPUBRAW="${DATA}",1,${payload.length}`);
  await mod.expectLine('>');
  mod.write(Buffer.concat([payload, Buffer.from('\r\n')]));
  assert.deepEqual(await mod.expectLine(until('TCMQTTPUBRAW')), ['+TCMQTTPUBRAW:OK']);
  assert.deepEqual((await cloud.next(DATA)).payload, payload);
});

test('PUB/PUBL refuse bad topics, QoS and lengths with 204', async () => {
  for (const line of [`AT+TCMQTTPUB="${DATA}",2,"x"`, 'AT+TCMQTTPUB="",0,"x"', `AT+TCMQTTPUB="${PID}/${DEV}/#",0,"x"`,
    `AT+TCMQTTPUB="${'t'.repeat(129)}",0,"x"`, `AT+TCMQTTPUBL="${DATA}",0,0`, `AT+TCMQTTPUBL="${DATA}",0,2049`, `AT+TCMQTTPUBRAW="${DATA}",3,10`]) {
    assert.deepEqual(await mod.command(line), ['+CME ERROR:204'], line);
  }
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${DATA}",0`), ['ERROR']);
});

test('backend messages at QoS 0 and 1 reach the MCU as exact URCs, payload raw and framed by its length', async () => {
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${CONTROL}",1`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:OK']);
  const binary = Buffer.from('a"b,c\r\nd\\e\x00\xff', 'latin1');
  await cloud.client.publishAsync(CONTROL, binary, { qos: 1 });
  const expected = Buffer.concat([Buffer.from(`+TCMQTTRCVPUB:"${CONTROL}",${binary.length},"`, 'latin1'), binary, Buffer.from('"\r\n')]);
  const text = await mod.waitFor((t) => (t.length >= expected.length ? t : undefined), { what: 'the QoS 1 URC' });
  assert.equal(text.slice(0, expected.length), expected.toString('latin1'));
  mod.clear();
  await cloud.client.publishAsync(CONTROL, 'qos zero', { qos: 0 });
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTRCVPUB/), [`+TCMQTTRCVPUB:"${CONTROL}",8,"qos zero"`]);
});

test('SUB: a topic outside the device\'s own gives -108, the 11th gives -107, the query lists the ten', async () => {
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${PID}/other/data",0`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:FAIL,-108']);
  const have = (await mod.command('AT+TCMQTTSUB?')).filter((l) => l.startsWith('+TCMQTTSUB:')).length;
  for (let i = have; i < 10; i++) {
    assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${PID}/${DEV}/t${i}",0`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:OK']);
  }
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${PID}/${DEV}/eleven",0`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:FAIL,-107']);
  const list = await mod.command('AT+TCMQTTSUB?');
  assert.equal(list.length, 11);
  assert.equal(list[0], `+TCMQTTSUB:"${CONTROL}",1`);
  // Subscribing again to a listed topic changes its QoS and takes no new slot.
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${CONTROL}",0`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:OK']);
  assert.deepEqual(await mod.command(`AT+TCMQTTUNSUB="${PID}/${DEV}/t9"`, { until: until('TCMQTTUNSUB') }), ['OK', '+TCMQTTUNSUB:OK']);
  assert.deepEqual(await mod.command(`AT+TCMQTTUNSUB="${PID}/${DEV}/t9"`, { until: until('TCMQTTUNSUB') }), ['OK', '+TCMQTTUNSUB:FAIL,-121']);
  assert.equal((await mod.command('AT+TCMQTTSUB?')).length, 10);
});

test('PUB to a topic the device may not use: QoS 1 times out with 202, QoS 0 reports OK; the link stays', async () => {
  assert.deepEqual(await mod.command(`AT+TCMQTTCONN?`), ['+TCMQTTCONN:0,5000,240,1,1', 'OK']);
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${PID}/other/data",1,"x"`, { until: until('TCMQTTPUB'), timeout: 8000 }), ['OK', '+TCMQTTPUB:FAIL,202']);
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${PID}/other/data",0,"x"`, { until: until('TCMQTTPUB') }), ['OK', '+TCMQTTPUB:OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:1', 'OK']);
});

test('DISCONN prints +TCMQTTDISCON,2 then OK; then PUB gets 208 and a second DISCONN is refused', async () => {
  assert.deepEqual(await mod.command('AT+TCMQTTDISCONN'), ['+TCMQTTDISCON,2', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:0', 'OK']);
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${DATA}",0,"x"`), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCMQTTDISCONN'), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCMQTTSUB?'), ['OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,5000,240,1,1', { until: until('TCMQTTCONN') }), ['OK', '+TCMQTTCONN:OK']);
});

test('the test forms print their help lines', async () => {
  assert.deepEqual(await mod.command('AT+TCMQTTPUBL=?'), ['+TCMQTTPUBL:"TOPIC_NAME(maxlen 128)","QOS(0/1)","LEN(1-2048)"', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTSUB=?'), ['+TCMQTTSUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)"', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE=?'), ['OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=?'), ['+TCMQTTCONN:<TLSMODE_SELECTED>,<CMDTIMEOUT_VALUE>,<KEEPALIVE>(max 690s),<CLEAN_SESSION>(0/1),<RECONNECT>(0/1)', 'OK']);
});
