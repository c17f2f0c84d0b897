// AT+TCDEBUG: the JavaScript console over WiFi (port 23, here the host port the READY line
// names), off by default, locked by a password that is never printed, never on the MCU's UART,
// and the AT engine answering the MCU while a session is open.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { SimModule, tempState, REAL_ESPRUINO } from './helpers/module.js';
import { ConsoleClient } from '../tools/console-client.js';

const PASSWORD = 'dbg-Pa55word';
const mods = [];
after(async () => {
  for (const mod of mods) await mod.kill();
});

async function start(state = tempState()) {
  const mod = await SimModule.start({ state, args: ['--wifi', 'sim/wifi.example.json', '--cloud', 'none', '--console-port', '0'] });
  mods.push(mod);
  await mod.command('ATE0');
  if (!REAL_ESPRUINO) await mod.expectLine('WIFI GOT IP');
  return mod;
}

/** The simulator opens its host port a moment after the firmware's listen(); the Linux interpreter before the command's answer. */
async function listening(mod, times = 1) {
  if (!REAL_ESPRUINO) await mod.waitFor(() => mod.stderr.split('TCP port 23 listens').length > times, { what: 'the console port open' });
}

function consolePort(mod) {
  return Number(mod.readyLine.match(/ console=127\.0\.0\.1:(\d+)/)[1]);
}

function openConsole(port) {
  return ConsoleClient.connect('127.0.0.1', port, { timeoutMs: 15000 });
}

function refused(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => { socket.destroy(); resolve(false); });
    socket.on('error', (err) => resolve(err.code === 'ECONNREFUSED'));
  });
}

test('off by default: nothing listens; bad settings are refused and leave it off', async () => {
  const mod = await start();
  assert.deepEqual(await mod.command('AT+TCDEBUG?'), ['+TCDEBUG:0', 'OK']);
  assert.deepEqual(await mod.command('AT+TCDEBUG=?'), ['+TCDEBUG:(0,1),"password"', 'OK']);
  assert.equal(await refused(consolePort(mod)), true);
  for (const bad of ['AT+TCDEBUG=1', 'AT+TCDEBUG=1,"short"', `AT+TCDEBUG=1,"${'p'.repeat(21)}"`, 'AT+TCDEBUG=1,"has space1"',
    'AT+TCDEBUG=2,"longenough"', 'AT+TCDEBUG=0,"longenough"']) {
    assert.deepEqual(await mod.command(bad), ['+CME ERROR:204'], bad);
  }
  assert.deepEqual(await mod.command('AT+TCDEBUG="x"'), ['ERROR']);
  assert.deepEqual(await mod.command('AT+TCDEBUG?'), ['+TCDEBUG:0', 'OK']);
  assert.equal(await refused(consolePort(mod)), true);
});

test('on: a wrong password gets no REPL, the right one does, while the MCU\'s AT commands keep answering; the password is never printed', async () => {
  const mod = await start();
  const port = consolePort(mod);
  assert.deepEqual(await mod.command(`AT+TCDEBUG=1,"${PASSWORD}"`), ['OK']);
  await listening(mod);
  assert.deepEqual(await mod.command('AT+TCDEBUG?'), ['+TCDEBUG:1', 'OK']);

  const intruder = await openConsole(port);
  await intruder.expect(/password>/);
  intruder.send('6*7\r');
  intruder.send('not-the-password\r');
  await intruder.expect(/Invalid password/);
  intruder.send('6*7\r');
  await intruder.expect(/Invalid password[\s\S]*Invalid password[\s\S]*Invalid password/);
  assert.doesNotMatch(intruder.text, /=42/);
  await intruder.close();

  const user = await openConsole(port);
  await user.expect(/password>/);
  user.send(`${PASSWORD}\r`);
  await user.expect(/Logged in/);
  user.send('6*7\r');
  await user.expect(/=42/);
  user.send('process.memory().total\r');
  await user.expect(/=1600/);
  // A second client is turned away while the first is in.
  const second = await openConsole(port);
  await second.expect(/busy/);
  // The MCU's side goes on as before, and hears nothing of the console.
  assert.deepEqual(await mod.command('AT'), ['OK']);
  assert.deepEqual(await mod.command('AT+TCDEBUG?'), ['+TCDEBUG:1', 'OK']);
  user.send('1+1\r');
  await user.expect(/=2/);
  assert.equal(mod.pending(), '');
  const uart = mod.received.toString('latin1');
  assert.doesNotMatch(uart, /Logged in|=42|password>/);
  assert.equal(uart.includes(PASSWORD), false);
  assert.equal(user.text.includes(PASSWORD), false, 'the password is not echoed');
  await user.close();

  // The next client finds it locked again.
  const next = await openConsole(port);
  await next.expect(/password>/);
  next.send('6*7\r');
  await next.expect(/Invalid password/);
  assert.doesNotMatch(next.text, /=42/);
  await next.close();
});

test('kept across a power cut; AT+TCDEBUG=0 closes the port; AT+RESTORE turns it off', async () => {
  const state = tempState();
  let mod = await start(state);
  const port = consolePort(mod);
  assert.deepEqual(await mod.command(`AT+TCDEBUG=1,"${PASSWORD}"`), ['OK']);
  await listening(mod);
  await mod.kill();
  mod = await SimModule.start({ state, args: ['--wifi', 'sim/wifi.example.json', '--cloud', 'none', '--console-port', String(port)] });
  mods.push(mod);
  await mod.command('ATE0');
  await listening(mod);
  const user = await openConsole(port);
  user.send(`${PASSWORD}\r`);
  await user.expect(/Logged in/);
  assert.deepEqual(await mod.command('AT+TCDEBUG=0'), ['OK']);
  await user.whenClosed();
  assert.equal(await refused(port), true);
  assert.deepEqual(await mod.command('AT+TCDEBUG?'), ['+TCDEBUG:0', 'OK']);

  assert.deepEqual(await mod.command(`AT+TCDEBUG=1,"${PASSWORD}"`), ['OK']);
  await listening(mod, 2);
  assert.equal(await refused(port), false);
  assert.deepEqual(await mod.command('AT+RESTORE'), ['OK']);
  await mod.expectLine('ready', { timeout: 20000 });
  await mod.command('ATE0');
  assert.deepEqual(await mod.command('AT+TCDEBUG?'), ['+TCDEBUG:0', 'OK']);
  assert.equal(await refused(port), true);
});
