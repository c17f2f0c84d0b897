// WiFi loss and return are handled like any other drop: DISCON, RECONNECTING, and once the
// access point is back, RECONNECTED with the subscriptions restored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, backend, connectModule, until, PID, DEV, SECRET } from './helpers/cloud.js';
import { InProcessModule } from './helpers/in-process.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

test('the access point goes away and comes back', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await InProcessModule.start({ hub });
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod), ['OK', '+TCMQTTCONN:OK']);
  const control = `${PID}/${DEV}/control`;
  assert.deepEqual(await mod.command(`AT+TCMQTTSUB="${control}",0`, { until: until('TCMQTTSUB') }), ['OK', '+TCMQTTSUB:OK']);

  mod.device.radio.dropAp('SimHome');
  assert.deepEqual(await mod.expectLine('+TCMQTTRECONNECTING'), ['+TCMQTTDISCON,-103', '+TCMQTTRECONNECTING']);
  assert.deepEqual(await mod.command(`AT+TCMQTTPUB="${PID}/${DEV}/data",0,"x"`), ['+CME ERROR:208']);
  mod.device.radio.restoreAp('SimHome');
  assert.deepEqual(await mod.expectLine('+TCMQTTRECONNECTED', { timeout: 20000 }), ['+TCMQTTRECONNECTED']);

  const cloud = await backend(hub);
  cleanup.push(() => cloud.close());
  await cloud.client.publishAsync(control, 'welcome back', { qos: 0 });
  assert.deepEqual(await mod.expectLine(/^\+TCMQTTRCVPUB/), [`+TCMQTTRCVPUB:"${control}",12,"welcome back"`]);
});

test('without WiFi, CONN is refused with 208', async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await InProcessModule.start({ hub });
  cleanup.push(() => mod.kill());
  mod.device.radio.dropAp('SimHome');
  await mod.command('ATE0');
  await mod.command(`AT+TCDEVINFOSET=0,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') });
  assert.deepEqual(await mod.command('AT+TCMQTTCONN=0,5000,240,1,1'), ['+CME ERROR:208']);
});
