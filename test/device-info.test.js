// Chapter 2 and 6.5-6.7 over the UART: every form, the exact strings, validation that
// changes nothing stored, and persistence across power cuts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimModule, REAL_ESPRUINO } from './helpers/module.js';

const SET_DEV = 'AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev01","ZHNkIGRzZCA="';
const DEV_QUERY = '+TCDEVINFOSET:0,"CTQS08Y5LG","Dev01",116,"ap-guangzhou"';

let mod;
before(async () => {
  mod = await SimModule.start();
  await mod.command('ATE0');
});
after(() => mod && mod.kill());

async function setOk(line, name) {
  assert.deepEqual(await mod.command(line, { until: new RegExp(`^\\+${name}:(OK|FAIL)`) }), ['OK', `+${name}:OK`], line);
}

test('the acceptance session: set device info, query, power cut, query again, overlong line', async () => {
  assert.deepEqual(await mod.command('AT'), ['OK']);
  await setOk(SET_DEV, 'TCDEVINFOSET');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [DEV_QUERY, 'OK']);
  mod = await mod.restart();
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [DEV_QUERY, 'OK']);
  mod.send('A'.repeat(298));
  assert.deepEqual(await mod.expectLine('ERROR'), ['ERROR']);
  assert.deepEqual(await mod.command('AT'), ['OK']);
});

test('TCDEVINFOSET: test form lists only the TLS modes this runtime can honour', async () => {
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=?'), ['+TCDEVINFOSET:"TLSMODE(0)","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"', 'OK']);
});

test('TCDEVINFOSET: modes 1 and 2 are refused with 204 on the ESP8266, never silently downgraded', async () => {
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=1,"CTQS08Y5LG","Dev02","ZHNkIGRzZCA="'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=2,"CTQS08Y5LG","Dev02","ZHNkIGRzZCA="'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [DEV_QUERY, 'OK']);
});

test('TCDEVINFOSET: every limit is checked and a refusal changes nothing', async () => {
  const refused = [
    'AT+TCDEVINFOSET=0,"CTQS08Y5LGX","Dev01","ZHNkIGRzZCA="', // product id of 11
    'AT+TCDEVINFOSET=0,"","Dev01","ZHNkIGRzZCA="', // empty product id
    `AT+TCDEVINFOSET=0,"CTQS08Y5LG","${'d'.repeat(49)}","ZHNkIGRzZCA="`, // device name of 49
    'AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev/01","ZHNkIGRzZCA="', // a slash would break topics
    `AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev01","${'A'.repeat(45)}"`, // secret of 45
    'AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev01","not base64!"',
    'AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev01","ZHNkIGRzZCA=","Guangzhou!"', // region
    'AT+TCDEVINFOSET=-1,"CTQS08Y5LG","Dev01","ZHNkIGRzZCA="',
  ];
  for (const line of refused) assert.deepEqual(await mod.command(line), ['+CME ERROR:204'], line);
  for (const line of ['AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev01"', 'AT+TCDEVINFOSET="0","CTQS08Y5LG","Dev01","ZHNkIGRzZCA="', 'AT+TCDEVINFOSET=0,CTQS08Y5LG,"Dev01","ZHNkIGRzZCA="']) {
    assert.deepEqual(await mod.command(line), ['ERROR'], line);
  }
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [DEV_QUERY, 'OK']);
});

test('TCDEVINFOSET: limits at their maximum are accepted, region included', async () => {
  const name = 'd'.repeat(48);
  const secret = 'A'.repeat(44);
  await setOk(`AT+TCDEVINFOSET=0,"ABCDEFGHIJ","${name}","${secret}","ap-beijing"`, 'TCDEVINFOSET');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [`+TCDEVINFOSET:0,"ABCDEFGHIJ","${name}",0,"ap-beijing"`, 'OK']);
  await setOk(SET_DEV, 'TCDEVINFOSET');
});

test('no command prints a secret', async () => {
  const before = mod.pending();
  for (const c of ['AT+TCDEVINFOSET?', 'AT+TCPRDINFOSET?', 'AT+TCMODULE', 'AT+TCVER', 'AT+GMR', 'AT+TCMODINFOSET?', 'AT+TCMQTTSRV?']) {
    const lines = await mod.command(c);
    assert.doesNotMatch(lines.join('\n'), /ZHNkIGRzZCA=|PrdSecret0123/, c);
  }
  assert.equal(before, '');
  assert.doesNotMatch(mod.stderr, /ZHNkIGRzZCA=|PrdSecret0123/);
});

test('TCPRDINFOSET: set, query with the BCC of the product secret, limits', async () => {
  assert.deepEqual(await mod.command('AT+TCPRDINFOSET=?'), ['+TCPRDINFOSET:"TLS_MODE(0)","PRODUCT_ID","PRODUCT_SECRET_BCC","DEVICE_NAME","PRODUCT_REGION"', 'OK']);
  await setOk('AT+TCPRDINFOSET=0,"CTQS08Y5LG","PrdSecret0123","Dev09"', 'TCPRDINFOSET');
  const bcc = [...'PrdSecret0123'].reduce((x, c) => x ^ c.charCodeAt(0), 0);
  assert.deepEqual(await mod.command('AT+TCPRDINFOSET?'), [`+TCPRDINFOSET:0,"CTQS08Y5LG",${bcc},"Dev09"`, 'OK']);
  assert.deepEqual(await mod.command(`AT+TCPRDINFOSET=0,"CTQS08Y5LG","${'s'.repeat(33)}","Dev09"`), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCPRDINFOSET=1,"CTQS08Y5LG","PrdSecret0123","Dev09"'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCPRDINFOSET?'), [`+TCPRDINFOSET:0,"CTQS08Y5LG",${bcc},"Dev09"`, 'OK']);
});

test('TCMODINFOSET: defaults, set, and every limit of the spec', async () => {
  assert.deepEqual(await mod.command('AT+TCMODINFOSET=?'), ['+TCMODINFOSET:"MODULE NAME","FLASH_SIZE (2/4)","WIFI LED GPIO","FW BASE ADDR","FW MAX SIZE","FIXED CONNID"', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMODINFOSET?'), ['+TCMODINFOSET:"ESP-WROOM-02D",2,0,1118208,716800,1', 'OK']);
  const refused = [
    'AT+TCMODINFOSET="ESP-WROOM-02D",3,0,1118208,716800,1', // flash 2 or 4
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,17,1118208,716800,1', // GPIO 0-16
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,-1,1118208,716800,1',
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,0,1118209,716800,1', // not a multiple of 0x1000
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,0,0x110000,716800,1', // below 0x111000
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,0,1118208,716801,1', // over 700 KB
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,0,0x1F0000,716800,1', // past the end of a 2 MB chip
    `AT+TCMODINFOSET="${'m'.repeat(31)}",2,0,1118208,716800,1`, // name of 31
    'AT+TCMODINFOSET="ESP-WROOM-02D",2,0,1118208,716800,2', // conn id 0/1
  ];
  for (const line of refused) assert.deepEqual(await mod.command(line), ['+CME ERROR:204'], line);
  await setOk('AT+TCMODINFOSET="MY-BOARD",4,16,0x200000,0x80000,0', 'TCMODINFOSET');
  assert.deepEqual(await mod.command('AT+TCMODINFOSET?'), ['+TCMODINFOSET:"MY-BOARD",4,16,2097152,524288,0', 'OK']);
  const info = await mod.command('AT+TCMODULE');
  assert.equal(info[0], 'Module HW name: MY-BOARD');
  assert.equal(info[4], 'Module Flash size: 4MB');
  await setOk('AT+TCMODINFOSET="ESP-WROOM-02D",2,0,1118208,716800,1', 'TCMODINFOSET');
});

test('TCMQTTSRV: default from the product id, set, reset with an empty host, bad hosts refused', async () => {
  assert.deepEqual(await mod.command('AT+TCMQTTSRV=?'), ['+TCMQTTSRV:"MQTT SERVER IP"', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTSRV?'), ['+TCMQTTSRV:CTQS08Y5LG.iotcloud.tencentdevices.com', 'OK']);
  await setOk('AT+TCMQTTSRV="192.168.10.118"', 'TCMQTTSRV');
  assert.deepEqual(await mod.command('AT+TCMQTTSRV?'), ['+TCMQTTSRV:192.168.10.118', 'OK']);
  assert.deepEqual(await mod.command('AT+TCMQTTSRV="bad host"'), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command(`AT+TCMQTTSRV="${'h'.repeat(65)}"`), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT+TCMQTTSRV?'), ['+TCMQTTSRV:192.168.10.118', 'OK']);
  await setOk('AT+TCMQTTSRV=""', 'TCMQTTSRV');
  assert.deepEqual(await mod.command('AT+TCMQTTSRV?'), ['+TCMQTTSRV:CTQS08Y5LG.iotcloud.tencentdevices.com', 'OK']);
});

test('what Tencent\'s AT test tool sends first: AT+SYSRAM? in ESP-AT\'s format, AT+TCLOG accepted', async () => {
  const [line, ok] = await mod.command('AT+SYSRAM?');
  assert.equal(ok, 'OK');
  const [, heap, vars] = /^\+SYSRAM:(\d+),(\d+)$/.exec(line).map(Number);
  assert.ok(heap >= 0 && vars > 0 && vars < 1600, line);
  assert.deepEqual(await mod.command('AT+TCLOG=1,3'), ['OK']);
  assert.deepEqual(await mod.command('AT+TCLOG=0'), ['OK']);
  assert.deepEqual(await mod.command('AT+TCLOG=?'), ['+TCLOG:"LOG_ON(0/1)","LOG_LEVEL(0-5)"', 'OK']);
  assert.deepEqual(await mod.command('AT+TCLOG="x"'), ['ERROR']);
});

test('TCMODULE, TCVER and GMR print their lines then OK', async () => {
  const info = await mod.command('AT+TCMODULE');
  assert.equal(info.length, 6);
  assert.equal(info[0], 'Module HW name: ESP-WROOM-02D');
  assert.match(info[1], /^Module FW version: QCloud_AT_ESP8266_v2\.0\.0-ts\d+\.\d+\.\d+$/);
  const mac = mod.readyLine.match(/mac=(\S+)/)[1];
  assert.equal(info[2], `Module Mac addr: ${mac}`);
  assert.match(info[3], /^Module FW compiled time: [A-Z][a-z]{2} [ \d]\d \d{4} \d\d:\d\d:\d\d$/);
  assert.equal(info[4], 'Module Flash size: 2MB');
  assert.equal(info[5], 'OK');
  const ver = await mod.command('AT+TCVER');
  assert.match(ver[0], /^Tencent Cloud IoT AT version: QCloud_AT_ESP8266_v/);
  assert.equal(ver[1], 'Tencent Cloud IoT SDK version: 3.2.0');
  assert.match(ver[2], /^Firmware compile time: /);
  assert.equal(ver[ver.length - 1], 'OK');
  const gmr = await mod.command('AT+GMR');
  assert.match(gmr[0], /^AT version:/);
  assert.match(gmr[1], /^SDK version:Espruino 2v\d+(\.\d+)?$/);
  assert.equal(gmr[gmr.length - 1], 'OK');
});

test('SmartConfig: the ESP8266 runtime cannot receive ESP-TOUCH, so AT+TCSTARTSMART fails with 13 and never pretends', async () => {
  assert.deepEqual(await mod.command('AT+TCSTARTSMART=?'), ['AT+TCSTARTSMART: CMD FOR START SMARTCONFIG', 'OK']);
  assert.deepEqual(await mod.command('AT+TCSTARTSMART', { until: /^\+TCSTARTSMART:|ERROR/ }), ['OK', '+TCSTARTSMART:FAIL,13']);
  assert.deepEqual(await mod.command('AT+TCSTOPSMART=?'), ['AT+TCSTOPSMART: CMD TO STOP SMARTCONFIG', 'OK']);
  assert.deepEqual(await mod.command('AT+TCSTOPSMART'), ['OK']);
});

test('AT+RST restarts: OK, then ready, settings kept', async () => {
  mod.send('AT+RST');
  const lines = await mod.expectLine('ready');
  assert.equal(lines[0], 'OK');
  assert.equal(lines[lines.length - 1], 'ready', 'boot noise may come between them, as on the board');
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [DEV_QUERY, 'OK']);
});

test('AT+TCRESTORE clears device and product info, keeps module info and WiFi, restarts', async () => {
  await setOk('AT+TCMODINFOSET="KEEP-ME",2,5,1118208,716800,1', 'TCMODINFOSET');
  assert.deepEqual(await mod.command('AT+TCRESTORE=?'), ['OK']);
  mod.send('AT+TCRESTORE');
  await mod.expectLine('OK');
  await mod.expectLine('ready');
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCPRDINFOSET?'), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCMODINFOSET?'), ['+TCMODINFOSET:"KEEP-ME",2,5,1118208,716800,1', 'OK']);
});

test('AT+RESTORE is a factory reset: settings go, module info stays, the module restarts', async () => {
  await setOk(SET_DEV, 'TCDEVINFOSET');
  mod.send('AT+RESTORE');
  await mod.expectLine('OK');
  await mod.expectLine('ready');
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), ['+CME ERROR:208']);
  assert.deepEqual(await mod.command('AT+TCMODINFOSET?'), ['+TCMODINFOSET:"KEEP-ME",2,5,1118208,716800,1', 'OK']);
});
