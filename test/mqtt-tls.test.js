// TLS modes on the ESP8266: mode 0 (plain TCP, signed password) is the one this firmware runs
// today; mode 1 (Tencent's TLS-PSK) is refused with 204 until the firmware's own TLS-PSK client
// exists, never run in clear; mode 2 (certificates) is not the ESP8266's. The earlier CA and
// fallback commands are gone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, startModule, until, PID, DEV, SECRET } from './helpers/cloud.js';

let hub;
let mod;
after(async () => {
  if (mod) await mod.kill();
  if (hub) await hub.stop();
});

test('modes 1 and 2 are refused with 204 and change nothing; the test form lists mode 0 only; the CA and fallback commands are unknown', async () => {
  hub = await startHub();
  mod = await startModule(hub);
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET=?'), ['+TCDEVINFOSET:"TLSMODE(0)","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"', 'OK']);
  assert.deepEqual(await mod.command(`AT+TCDEVINFOSET=0,"${PID}","${DEV}","${SECRET}"`, { until: until('TCDEVINFOSET') }), ['OK', '+TCDEVINFOSET:OK']);
  for (const mode of [1, 2]) {
    assert.deepEqual(await mod.command(`AT+TCDEVINFOSET=${mode},"${PID}","${DEV}","${SECRET}"`), ['+CME ERROR:204']);
    assert.deepEqual(await mod.command(`AT+TCMQTTCONN=${mode},5000,240,1,1`), ['+CME ERROR:204']);
  }
  assert.deepEqual(await mod.command('AT+TCDEVINFOSET?'), [`+TCDEVINFOSET:0,"${PID}","${DEV}",${[...SECRET].reduce((x, c) => x ^ c.charCodeAt(0), 0)},"ap-guangzhou"`, 'OK']);
  for (const line of ['AT+TCCASET?', 'AT+TCCASET=100', 'AT+TCTLSFALLBACK=1', 'AT+TCTLSFALLBACK?']) {
    assert.deepEqual(await mod.command(line), ['ERR CODE:0x01090000', 'ERROR'], line);
  }
});
