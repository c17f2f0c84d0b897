// Dynamic registration (AT+TCPRDINFOSET then AT+TCDEVREG) against the local hub's gateway:
// the five cases of the spec's 2.3 and every failure code of its 7.3, the secret decrypted
// by the firmware's AES (the hub encrypts with Node's crypto), and stored device info that a
// failure leaves as it was.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, startModule, connectModule, until } from './helpers/cloud.js';
import { DEMO_PRODUCT } from '../sim/hub/registry.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

const bcc = (text) => [...Buffer.from(text, 'latin1')].reduce((x, b) => x ^ b, 0);
const AUTO = DEMO_PRODUCT.productId;
const AUTO_SECRET = DEMO_PRODUCT.productSecret;

async function setup() {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  await mod.command('ATE0');
  return { hub, mod };
}

const product = (mod, pid, secret, dev) => mod.command(`AT+TCPRDINFOSET=0,"${pid}","${secret}","${dev}"`, { until: until('TCPRDINFOSET') });
const register = (mod) => mod.command('AT+TCDEVREG', { until: until('TCDEVREG'), timeout: 15000 });
const deviceInfo = async (mod) => (await mod.command('AT+TCDEVINFOSET?'))[0];
const hubSecret = (hub, pid, dev) => hub.registry.products.get(pid).devices.get(dev).secret;

test('the five cases: new device, same unactivated device again, same activated device refused, another device replaces it, a failure keeps it', { timeout: 60000 }, async () => {
  const { hub, mod } = await setup();
  assert.deepEqual(await mod.command('AT+TCDEVREG=?'), ['OK']);
  assert.deepEqual(await mod.command('AT+TCDEVREG'), ['+CME ERROR:208'], 'no product info yet');

  // 1. No device info: registered; the psk the hub made is the stored secret, and it connects.
  await product(mod, AUTO, AUTO_SECRET, 'dev-a');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:OK']);
  const a = hubSecret(hub, AUTO, 'dev-a');
  assert.equal(await deviceInfo(mod), `+TCDEVINFOSET:0,"${AUTO}","dev-a",${bcc(a)},"ap-guangzhou"`);
  assert.deepEqual(await connectModule(mod, { pid: AUTO, dev: 'dev-a', secret: null }), ['OK', '+TCMQTTCONN:OK']);
  assert.deepEqual(await mod.command('AT+TCDEVREG'), ['+CME ERROR:208'], 'refused while connected');
  await mod.command('AT+TCMQTTDISCONN');

  // 3. The same device, now activated (it connected): refused with 1021, device info unchanged.
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1021']);
  assert.equal(await deviceInfo(mod), `+TCDEVINFOSET:0,"${AUTO}","dev-a",${bcc(a)},"ap-guangzhou"`);

  // 4. Another device B: registered, and B replaces A.
  await product(mod, AUTO, AUTO_SECRET, 'dev-b');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:OK']);
  const b = hubSecret(hub, AUTO, 'dev-b');
  assert.equal(await deviceInfo(mod), `+TCDEVINFOSET:0,"${AUTO}","dev-b",${bcc(b)},"ap-guangzhou"`);

  // 2. B again before it ever connected: registered again, with the new psk the hub gave it.
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:OK']);
  const b2 = hubSecret(hub, AUTO, 'dev-b');
  assert.notEqual(b2, b);
  assert.equal(await deviceInfo(mod), `+TCDEVINFOSET:0,"${AUTO}","dev-b",${bcc(b2)},"ap-guangzhou"`);

  // 4, failing: device C with a wrong product secret is refused (1010) and B stays.
  await product(mod, AUTO, 'not-the-product-secret-000000000', 'dev-c');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1010']);
  assert.equal(await deviceInfo(mod), `+TCDEVINFOSET:0,"${AUTO}","dev-b",${bcc(b2)},"ap-guangzhou"`);
  assert.equal(hub.registry.products.get(AUTO).devices.has('dev-c'), false);

  // 5. Stored: a power cut later, the device info is there.
  await mod.kill();
  const again = await startModule(hub, { state: mod.state });
  cleanup.push(() => again.kill());
  await again.command('ATE0');
  assert.equal(await deviceInfo(again), `+TCDEVINFOSET:0,"${AUTO}","dev-b",${bcc(b2)},"ap-guangzhou"`);
});

test('failure codes: unknown product 1004, registration off 1011, device not created beforehand 1020, too many registrations 1012, auto-create limit 1031, clock off 1006, no gateway 1000', { timeout: 60000 }, async () => {
  const { hub, mod } = await setup();
  hub.registry.addProduct({ productId: 'OFFPRD0001', productSecret: 'off-product-secret-0123456789abc', register: 'off' });
  hub.registry.addProduct({ productId: 'PREPRD0001', productSecret: 'pre-product-secret-0123456789abc', register: 'precreate' });
  hub.registry.addDevice('PREPRD0001', 'made-before', null);
  hub.registry.addProduct({ productId: 'LIMPRD0001', productSecret: 'lim-product-secret-0123456789abc', register: 'autocreate', autoCreateLimit: 1 });

  await product(mod, 'NOSUCHPRD1', 'whatever-secret-0123456789abcdef', 'd1');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1004']);
  await product(mod, 'OFFPRD0001', 'off-product-secret-0123456789abc', 'd1');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1011']);
  await product(mod, 'PREPRD0001', 'pre-product-secret-0123456789abc', 'not-made');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1020']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), ['+CME ERROR:208'], 'no failure stored anything');

  await product(mod, 'PREPRD0001', 'pre-product-secret-0123456789abc', 'made-before');
  for (let i = 0; i < 5; i++) assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:OK'], `registration ${i + 1}`);
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1012']);

  await product(mod, 'LIMPRD0001', 'lim-product-secret-0123456789abc', 'first');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:OK']);
  await product(mod, 'LIMPRD0001', 'lim-product-secret-0123456789abc', 'second');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1031']);
  assert.deepEqual(hub.registrations.map((r) => r.code), [1004, 1011, 1020, 0, 0, 0, 0, 0, 1012, 0, 1031]);

  // The module's clock an hour away from the gateway's: the request is refused (1006).
  const before = await mod.command('AT+TCDEVINFOSET?');
  const clock = hub.clock;
  hub.clock = () => clock() + 3600 * 1000;
  await product(mod, 'LIMPRD0001', 'lim-product-secret-0123456789abc', 'first');
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1006']);
  hub.clock = clock;
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), before);

  // No gateway at all (its server down): 1000, and the device registered before stays.
  hub.files.stop();
  assert.deepEqual(await register(mod), ['OK', '+TCDEVREG:FAIL,1000']);
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), before);
});
