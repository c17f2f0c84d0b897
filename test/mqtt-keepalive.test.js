// Keepalive: a hub that stops answering (its socket paused, nothing closed) is found dead
// after the keepalive interval and two unanswered PINGREQs, and the module reconnects.
// Takes about a minute: the shortest keepalive the spec allows is 60 s.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, startModule, connectModule, CLIENT_ID } from './helpers/cloud.js';

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

test('a silent hub is detected by keepalive, then the module reconnects', { timeout: 120000 }, async () => {
  const hub = await startHub();
  cleanup.push(() => hub.stop());
  const mod = await startModule(hub);
  cleanup.push(() => mod.kill());
  assert.deepEqual(await connectModule(mod, { conn: 'AT+TCMQTTCONN=0,1000,60,1,1' }), ['OK', '+TCMQTTCONN:OK']);
  hub.pause(CLIENT_ID);
  assert.deepEqual(await mod.expectLine('+TCMQTTRECONNECTING', { timeout: 75000 }), ['+TCMQTTDISCON,-103', '+TCMQTTRECONNECTING']);
  assert.deepEqual(await mod.expectLine('+TCMQTTRECONNECTED', { timeout: 15000 }), ['+TCMQTTRECONNECTED']);
  assert.deepEqual(await mod.command('AT+TCMQTTSTATE?'), ['+TCMQTTSTATE:1', 'OK']);
});
