// softAP provisioning with device binding: the app stand-in (and this test playing the app)
// against the module's UDP server, registration on the way from product info only, the hub's
// app_bind_token reply, and each failure's URC with the stored settings left as they were.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import { startHub, startModule, connectModule, until, CLIENT_ID, PID, DEV, SECRET, ADMIN_PASSWORD } from './helpers/cloud.js';
import { firmwareBuild } from './helpers/ota.js';
import { DEMO_PRODUCT } from '../sim/hub/registry.js';
import { REAL_ESPRUINO } from './helpers/module.js';
import { Device } from '../sim/device.js';

// The Linux interpreter has no radio: its Wifi stand-in can neither open an access point nor join.
const SIMULATOR_ONLY = REAL_ESPRUINO ? 'the Linux interpreter has no WiFi radio (no access point, no join)' : false;

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function freeUdpPort() {
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  s.close();
  return port;
}

async function setup(extra = []) {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const sapPort = await freeUdpPort();
  const mod = await startModule(hub, { args: ['--wifi', 'sim/wifi.example.json', '--sap-port', String(sapPort), ...extra] });
  cleanup.push(() => mod.kill());
  await mod.command('ATE0');
  return { hub, mod, sapPort };
}

/** The phone: sends `message` to the module's UDP port and collects what comes back. */
function phone(sapPort) {
  const socket = dgram.createSocket('udp4');
  const received = [];
  const waiters = [];
  socket.on('message', (msg) => {
    received.push(JSON.parse(msg.toString()));
    for (const w of waiters.splice(0)) w();
  });
  cleanup.push(() => socket.close());
  return {
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message), sapPort, '127.0.0.1'),
    received,
    async replies(n) {
      while (received.length < n) await new Promise((r) => waiters.push(r));
      return received.slice(0, n);
    },
  };
}

const sap = (mod, line) => mod.command(line, { until: until('TCSAP') });

test('npm run app binds a module that has device info; the module then connects with AT+TCMQTTCONN', { timeout: 60000, skip: SIMULATOR_ONLY }, async () => {
  const { hub, mod, sapPort } = await setup();
  await mod.command(`AT+TCDEVINFOSET=0,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP","12345678"'), ['OK', '+TCSAP:OK']);
  const app = new Promise((resolve) => execFile(process.execPath, ['tools/app.js', '--module', `127.0.0.1:${sapPort}`,
    '--hub', `http://127.0.0.1:${hub.ports.http}`, '--admin-password', ADMIN_PASSWORD, '--ssid', 'SimHome', '--password', 'simpassword'],
  (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr })));
  assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 30000 }), ['+TCSAP:WIFI_CONNECT_SUCCESS']);
  const ran = await app;
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /"cmdType":2,"productId":"DEMOPRD001","deviceName":"demo-dev","protoVersion":"2.0"/);
  assert.match(ran.stdout, new RegExp(`bound: ${CLIENT_ID}`));
  assert.ok(hub.bindings.has(CLIENT_ID));
  assert.deepEqual(await connectModule(mod, { secret: null }), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['+CME ERROR:208'], 'refused while MQTT is connected');
});

test('from product info only: the app gets three answers, the module registers on the way and is bound', { timeout: 60000, skip: SIMULATOR_ONLY }, async () => {
  const { hub, mod, sapPort } = await setup();
  await mod.command(`AT+TCPRDINFOSET=0,"${DEMO_PRODUCT.productId}","${DEMO_PRODUCT.productSecret}","sap-dev"`, { until: until('TCPRDINFOSET') });
  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['OK', '+TCSAP:OK']);
  const app = phone(sapPort);
  app.send({ cmdType: 1, ssid: 'CoffeeShop', password: '', token: hub.newBindToken() });
  const answers = await app.replies(3);
  for (const a of answers) assert.deepEqual(a, { cmdType: 2, productId: DEMO_PRODUCT.productId, deviceName: 'sap-dev', protoVersion: '2.0', productRegion: 'ap-guangzhou' });
  assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 30000 }), ['+TCSAP:WIFI_CONNECT_SUCCESS']);
  assert.ok(hub.bindings.has(`${DEMO_PRODUCT.productId}sap-dev`));
  assert.match((await mod.command('AT+TCDEVINFOSET?'))[0], new RegExp(`^\\+TCDEVINFOSET:0,"${DEMO_PRODUCT.productId}","sap-dev",\\d+,"ap-guangzhou"$`));
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['+CWJAP:"CoffeeShop","02:5a:11:00:00:02",11,-71', 'OK'], 'the WiFi the app gave is joined and kept');
  await mod.kill();
  const flash = new Device({ stateDir: mod.state });
  const saved = JSON.parse(flash.storage.read('.wificfg'));
  flash.shutdown();
  assert.equal(saved.ssid, 'CoffeeShop');
  assert.equal(saved.apSsid, '', 'the saved configuration does not open the access point again');
});

test('the identity set last wins: product info then device info binds the device as it is; device then product info registers', { timeout: 60000, skip: SIMULATOR_ONLY }, async () => {
  const { hub, mod, sapPort } = await setup();
  const provision = async () => {
    assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['OK', '+TCSAP:OK']);
    const app = phone(sapPort);
    app.send({ cmdType: 1, ssid: 'SimHome', password: 'simpassword', token: hub.newBindToken() });
    const [answer] = await app.replies(1);
    assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 30000 }), ['+TCSAP:WIFI_CONNECT_SUCCESS']);
    return answer.productId + answer.deviceName;
  };
  // Product info left from before, then the device info the MCU sets now: the device, no registration.
  await mod.command(`AT+TCPRDINFOSET=0,"${DEMO_PRODUCT.productId}","${DEMO_PRODUCT.productSecret}","stale-dev"`, { until: until('TCPRDINFOSET') });
  await mod.command(`AT+TCDEVINFOSET=0,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
  assert.equal(await provision(), CLIENT_ID);
  assert.deepEqual(hub.registrations, [], 'nothing registered');
  // Device info, then product info set after it: registered from product info.
  await mod.command(`AT+TCPRDINFOSET=0,"${DEMO_PRODUCT.productId}","${DEMO_PRODUCT.productSecret}","fresh-dev"`, { until: until('TCPRDINFOSET') });
  assert.equal(await provision(), `${DEMO_PRODUCT.productId}fresh-dev`);
  assert.equal(hub.registrations.length, 1);
  assert.match((await mod.command('AT+TCDEVINFOSET?'))[0], /^\+TCDEVINFOSET:0,"DEMOPRD002","fresh-dev",/);
});

test('failures: a refused token, a wrong WiFi password, a refused registration; hostile datagrams; nothing stored', { timeout: 60000, skip: SIMULATOR_ONLY }, async () => {
  const { hub, mod, sapPort } = await setup();
  await mod.command(`AT+TCDEVINFOSET=0,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
  const before = await mod.command('AT+TCDEVINFOSET?');
  for (const bad of ['AT+TCSAP="x","short"', 'AT+TCSAP="x","12345678",14', `AT+TCSAP="${'s'.repeat(33)}"`]) assert.deepEqual(await sap(mod, bad), ['+CME ERROR:204'], bad);

  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['OK', '+TCSAP:OK']);
  let app = phone(sapPort);
  // Garbage, wrong shapes and bad fields: ignored or answered with an error; the module keeps answering.
  for (const junk of ['not json', '[1,2]', '{"cmdType":"1"}', '{"cmdType":9}', '\u0000\u00ff{', 'x'.repeat(200)]) app.send(junk);
  app.send({ cmdType: 1, ssid: 42, password: 'p', token: 't' });
  const [error] = await app.replies(1);
  assert.deepEqual(error, { cmdType: 2, errorCode: 2, errorMsg: 'bad ssid, password or token' });
  assert.deepEqual(await mod.command('AT'), ['OK']);
  // The app's token goes into the module's JSON escaped: with quotes, a backslash and a control byte it still reaches the hub.
  app.send({ cmdType: 1, ssid: 'CoffeeShop', password: '', token: 'not "a" token\\ the\u0001hub gave' });
  assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 30000 }), ['+TCSAP:WIFI_CONNECT_FAILED,24,1']);
  assert.equal(hub.bindings.size, 0);

  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['OK', '+TCSAP:OK']);
  app = phone(sapPort);
  app.send({ cmdType: 1, ssid: 'SimHome', password: 'wrong-password', token: hub.newBindToken() });
  assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 30000 }), ['+TCSAP:WIFI_CONNECT_FAILED,10,2']);
  // The station goes back to the network it had stored.
  await mod.expectLine('WIFI GOT IP');
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['+CWJAP:"SimHome","02:5a:11:00:00:01",6,-48', 'OK']);
  app.send({ cmdType: 3 });
  assert.deepEqual(await mod.command('AT'), ['OK']);

  // The hub refuses the registration on the way (a wrong product secret): 1, then its code.
  await mod.command(`AT+TCPRDINFOSET=0,"${DEMO_PRODUCT.productId}","not-the-product-secret-000000000","other-dev"`, { until: until('TCPRDINFOSET') });
  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['OK', '+TCSAP:OK']);
  app = phone(sapPort);
  app.send({ cmdType: 1, ssid: 'CoffeeShop', password: '', token: hub.newBindToken() });
  const [named] = await app.replies(1);
  assert.equal(named.deviceName, 'other-dev', 'the answer names the device product info will register');
  assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 30000 }), ['+TCSAP:WIFI_CONNECT_FAILED,1,1010']);

  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), before);
  await mod.kill();
  const again = await startModule(hub, { state: mod.state, args: ['--wifi', 'sim/wifi.example.json', '--sap-port', String(sapPort)] });
  cleanup.push(() => again.kill());
  await again.command('ATE0');
  await again.expectLine('WIFI GOT IP');
  assert.deepEqual(await again.command('AT+CWJAP?'), ['+CWJAP:"SimHome","02:5a:11:00:00:01",6,-48', 'OK'], 'the WiFi of a failed attempt was not kept');
});

test('no app within the wait: +TCSAP:FAIL,202 (a build that waits 2 s); AT+TCSTOPSAP ends provisioning; the log query holds no password', { timeout: 60000, skip: SIMULATOR_ONLY }, async () => {
  const firmware = firmwareBuild({ FIRMWARE_SAP_WAIT_MS: '2000' });
  const { mod, sapPort } = await setup(['--firmware', firmware]);
  await mod.command(`AT+TCDEVINFOSET=0,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
  assert.deepEqual(await mod.command('AT+TCSAP=?'), ['+TCSAP=<ssid>,<pwd>', 'OK']);
  assert.deepEqual(await mod.command('AT+TCSTOPSAP=?'), ['AT+TCSTOPSAP: CMD TO STOP SOFTAP', 'OK']);
  const started = Date.now();
  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP","12345678",6'), ['OK', '+TCSAP:OK']);
  const app = phone(sapPort);
  app.send({ cmdType: 3 });
  const [log] = await app.replies(1);
  assert.equal(log.cmdType, 3);
  assert.ok(log.deviceLog.some((l) => /softap on/.test(l)));
  assert.doesNotMatch(JSON.stringify(log), /12345678/);
  assert.deepEqual(await mod.expectLine(/^\+TCSAP:/, { timeout: 10000 }), ['+TCSAP:FAIL,202']);
  assert.ok(Date.now() - started >= 1800);

  assert.deepEqual(await sap(mod, 'AT+TCSAP="Sim-SoftAP"'), ['OK', '+TCSAP:OK']);
  assert.deepEqual(await mod.command('AT+TCSTOPSAP'), ['OK']);
  app.send({ cmdType: 3 });
  assert.deepEqual(await mod.command('AT'), ['OK']);
  assert.equal(app.received.length, 1, 'nobody answers on the UDP port once provisioning has ended');
});
