// ESP-AT's WiFi commands as MCU software sends them: the lines ESP-AT prints, its WIFI URCs,
// the joined network kept across power cuts, AT+RESTORE forgetting it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimModule, tempState, REAL_ESPRUINO } from './helpers/module.js';
import { Device } from '../sim/device.js';

const SIMULATOR_ONLY = REAL_ESPRUINO ? 'the Linux interpreter has no WiFi: its Wifi stand-in is always joined' : false;
const JOIN = /^(OK|FAIL|ERROR)$/;
const mods = [];
after(async () => {
  for (const mod of mods) await mod.kill();
});

// Two access points (sim/wifi.example.json), no cloud: these tests are about the radio.
async function start(state) {
  const mod = await SimModule.start({ state, args: ['--wifi', 'sim/wifi.example.json', '--cloud', 'none'] });
  mods.push(mod);
  await mod.command('ATE0');
  return mod;
}

test('CWMODE, CWJAP?, CIPSTA? and CWLAP answer as ESP-AT does on the joined network', { skip: SIMULATOR_ONLY }, async () => {
  const mod = await start();
  await mod.expectLine('WIFI GOT IP');
  assert.deepEqual(await mod.command('AT+CWMODE=?'), ['+CWMODE:(1-3)', 'OK']);
  assert.deepEqual(await mod.command('AT+CWMODE?'), ['+CWMODE:1', 'OK']);
  assert.deepEqual(await mod.command('AT+CWMODE=1'), ['OK']);
  assert.deepEqual(await mod.command('AT+CWMODE_DEF=1'), ['OK']);
  assert.deepEqual(await mod.command('AT+CWMODE=2'), ['ERROR']);
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['+CWJAP:"SimHome","02:5a:11:00:00:01",6,-48', 'OK']);
  assert.deepEqual(await mod.command('AT+CIPSTA?'), ['+CIPSTA:ip:"192.168.1.50"', '+CIPSTA:gateway:"192.168.1.1"', '+CIPSTA:netmask:"255.255.255.0"', 'OK']);
  assert.deepEqual(await mod.command('AT+CWLAP'), ['+CWLAP:(3,"SimHome",-48,"02:5a:11:00:00:01",6)', '+CWLAP:(0,"CoffeeShop",-71,"02:5a:11:00:00:02",11)', 'OK']);
  assert.deepEqual(await mod.command('AT+CWQAP', { wifiUrcs: true }), ['OK']);
  assert.deepEqual(await mod.expectLine('WIFI DISCONNECT'), ['WIFI DISCONNECT']);
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['No AP', 'OK']);
  assert.deepEqual(await mod.command('AT+CIPSTA?'), ['+CIPSTA:ip:"0.0.0.0"', '+CIPSTA:gateway:"0.0.0.0"', '+CIPSTA:netmask:"0.0.0.0"', 'OK']);
  await mod.kill();
});

test('CWJAP: wrong password, unknown network, bad parameters; then a join that is kept across a power cut until AT+RESTORE', { skip: SIMULATOR_ONLY }, async () => {
  const state = tempState();
  let mod = await start(state);
  await mod.expectLine('WIFI GOT IP');
  // Leaving the joined network for a failed join is part of the command's output.
  assert.deepEqual(await mod.command('AT+CWJAP="SimHome","wrongpassword"', { until: JOIN, wifiUrcs: true }), ['WIFI DISCONNECT', '+CWJAP:2', 'FAIL']);
  assert.deepEqual(await mod.command('AT+CWJAP="Nowhere","12345678"', { until: JOIN, wifiUrcs: true }), ['+CWJAP:3', 'FAIL']);
  for (const bad of ['AT+CWJAP=""', 'AT+CWJAP="x","short"', `AT+CWJAP="${'s'.repeat(33)}","12345678"`, 'AT+CWJAP=1']) {
    assert.deepEqual(await mod.command(bad), ['ERROR'], bad);
  }
  assert.deepEqual(await mod.command('AT+CWJAP="CoffeeShop"', { until: JOIN, wifiUrcs: true }), ['WIFI CONNECTED', 'WIFI GOT IP', 'OK']);
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['+CWJAP:"CoffeeShop","02:5a:11:00:00:02",11,-71', 'OK']);
  // The same network again: joined already, the same lines, no second pair of URCs later.
  assert.deepEqual(await mod.command('AT+CWJAP_CUR="CoffeeShop",""', { until: JOIN, wifiUrcs: true }), ['WIFI CONNECTED', 'WIFI GOT IP', 'OK']);
  assert.deepEqual(await mod.command('AT', { wifiUrcs: true }), ['OK']);

  await mod.kill();
  mod = await start(state);
  assert.deepEqual(await mod.expectLine('WIFI GOT IP', { wifiUrcs: true }), ['WIFI CONNECTED', 'WIFI GOT IP']);
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['+CWJAP:"CoffeeShop","02:5a:11:00:00:02",11,-71', 'OK']);

  // .wificfg lost (a cut while the runtime rewrote it): the firmware's record brings it back.
  await mod.kill();
  const device = new Device({ stateDir: state });
  device.storage.erase('.wificfg');
  device.shutdown();
  mod = await start(state);
  await mod.expectLine('WIFI GOT IP');
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['+CWJAP:"CoffeeShop","02:5a:11:00:00:02",11,-71', 'OK']);

  mod.send('AT+RESTORE');
  await mod.expectLine('ready');
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['No AP', 'OK']);
  await mod.kill();
  mod = await start(state);
  assert.deepEqual(await mod.command('AT+CWJAP?'), ['No AP', 'OK']);
});
