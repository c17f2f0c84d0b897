// The AT engine, driven over the simulated UART as an MCU would, with a probe firmware that
// adds long-running, data-mode and URC commands to the real engine and command table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { REAL_ESPRUINO } from './helpers/module.js';
import { startProbe } from './helpers/probe.js';

let mod;
before(async () => {
  mod = await startProbe('test/fixtures/engine-probe.ts', 'probe.tcfw');
  await mod.command('ATE0');
  mod.clear();
});
after(() => mod && mod.kill());

test('boot moves the console off the UART and switches Telnet off before reading a byte', { skip: REAL_ESPRUINO ? 'reads the simulator\'s log' : false }, () => {
  assert.match(mod.stderr, /console moved to null/);
  assert.match(mod.stderr, /telnet off/);
  assert.doesNotMatch(mod.stderr, /went to the JavaScript REPL/);
});

test('echo: ATE1 echoes command lines before their results, ATE0 stops it', async () => {
  assert.deepEqual(await mod.command('ATE1'), ['OK']);
  assert.deepEqual(await mod.command('AT'), ['AT', 'OK']);
  assert.deepEqual(await mod.command('ATE0'), ['ATE0', 'OK']);
  assert.deepEqual(await mod.command('AT'), ['OK']);
});

test('unknown commands and lines that are not AT commands get ERR CODE and ERROR', async () => {
  assert.deepEqual(await mod.command('AT+NOSUCH'), ['ERR CODE:0x01090000', 'ERROR']);
  assert.deepEqual(await mod.command('at'), ['ERR CODE:0x01090000', 'ERROR']);
  assert.deepEqual(await mod.command('hello'), ['ERR CODE:0x01090000', 'ERROR']);
});

test('a form the command does not have is ERROR', async () => {
  assert.deepEqual(await mod.command('AT+TCVER?'), ['ERROR']);
  assert.deepEqual(await mod.command('AT+TCVER=1'), ['ERROR']);
  assert.deepEqual(await mod.command('AT+TCMODULE=?'), ['ERROR']);
});

test('a line of 256 bytes with its CR LF works; 257 bytes gets ERROR and is discarded whole', async () => {
  const prefix = 'AT+PROBEARGS="';
  const suffix = '",1';
  const fill = (total) => prefix + 'x'.repeat(total - 2 - prefix.length - suffix.length) + suffix;
  assert.equal(fill(256).length + 2, 256);
  const ok = await mod.command(fill(256));
  assert.equal(ok[ok.length - 1], 'OK');
  assert.deepEqual(await mod.command(fill(257)), ['ERROR']);
  assert.deepEqual(await mod.command('AT'), ['OK']);
});

test('a 300-byte line sent in pieces gets one ERROR; the next AT gets OK', async () => {
  const line = 'AT+TCMQTTSRV="' + 'a'.repeat(284) + '"';
  for (let i = 0; i < line.length; i += 37) mod.write(line.slice(i, i + 37));
  mod.write('\r\n');
  assert.deepEqual(await mod.expectLine('ERROR'), ['ERROR']);
  assert.deepEqual(await mod.command('AT'), ['OK']);
  assert.equal(mod.pending(), '');
});

test('parameters: quoted strings with \\" \\, \\\\ escapes, numbers, hex, optional ones', async () => {
  assert.deepEqual(await mod.command('AT+PROBEARGS="a\\"b\\,c\\\\d",42'), ['+PROBEARGS:["a\\"b,c\\\\d",42,null]', 'OK']);
  assert.deepEqual(await mod.command('AT+PROBEARGS="",0x1F,"opt"'), ['+PROBEARGS:["",31,"opt"]', 'OK']);
  assert.deepEqual(await mod.command('AT+PROBEARGS="{\\"k\\":1}",-5'), ['+PROBEARGS:["{\\"k\\":1}",-5,null]', 'OK']);
});

test('a bare LF inside a quoted parameter is part of it; only CR LF ends a line', async () => {
  assert.deepEqual(await mod.command('AT+PROBEARGS="line1\nline2",1'), ['+PROBEARGS:["line1\\nline2",1,null]', 'OK']);
});

test('malformed parameters get ERROR', async () => {
  for (const bad of [
    'AT+PROBEARGS="unterminated,1', // unterminated quote
    'AT+PROBEARGS=unquoted,1', // string without quotes
    'AT+PROBEARGS="a","1"', // quoted number
    'AT+PROBEARGS="a",1x', // not a number
    'AT+PROBEARGS="a"', // missing required
    'AT+PROBEARGS=,1', // empty required
    'AT+PROBEARGS="a",1,"b",2', // one too many
    'AT+PROBEARGS="a"x,1', // junk after a quote
    'AT+PROBEARGS="a",99999999999', // out of range number
  ]) {
    assert.deepEqual(await mod.command(bad), ['ERROR'], bad);
  }
});

test('a line that arrives while a command runs gets busy p...', async () => {
  mod.send('AT+PROBEWAIT=400');
  await mod.expectLine('OK');
  assert.deepEqual(await mod.command('AT', { until: 'busy p...' }), ['ERR CODE:0x010b0000', 'busy p...']);
  await mod.expectLine('+PROBEWAIT:OK');
  assert.deepEqual(await mod.command('AT'), ['OK']);
});

test('data mode reads exactly <len> raw bytes, any byte included, then swallows the CR LF', async () => {
  mod.send('AT+PROBEDATA=6,5000');
  await mod.expectLine('>');
  mod.write(Buffer.from([0x00, 0x0d, 0x0a, 0x22, 0x2c, 0xff]));
  mod.write('\r\n');
  assert.deepEqual(await mod.expectLine(/^\+PROBEDATA:/), ['+PROBEDATA:6,000d0a222cff']);
  assert.deepEqual(await mod.command('AT'), ['OK'], 'the CR LF after the payload is not a command');
});

test('data mode: bytes sent before the > prompt belong to the payload', async () => {
  mod.write('AT+PROBEDATA=5,5000\r\nhello\r\nAT\r\n');
  assert.deepEqual(await mod.expectLine(/^\+PROBEDATA:/), ['OK', '>', '+PROBEDATA:5,68656c6c6f']);
  assert.deepEqual(await mod.expectLine('OK'), ['OK']);
});

test('data mode: +++ CR LF aborts, and so does the timeout', async () => {
  mod.send('AT+PROBEDATA=100,5000');
  await mod.expectLine('>');
  mod.write('abc+++\r\n');
  assert.deepEqual(await mod.expectLine(/^\+CME ERROR/), ['+CME ERROR:204']);
  mod.send('AT+PROBEDATA=100,300');
  await mod.expectLine('>');
  mod.write('short');
  assert.deepEqual(await mod.expectLine(/^\+CME ERROR/), ['+CME ERROR:204']);
  assert.deepEqual(await mod.command('AT'), ['OK']);
});

test('a line whose CR and LF arrive apart is one line; a payload cut after a + is not aborted', async () => {
  mod.write('AT\r');
  await new Promise((r) => setTimeout(r, 50));
  mod.write('\nAT\r\n');
  assert.deepEqual(await mod.expectLine('OK'), ['OK']);
  assert.deepEqual(await mod.expectLine('OK'), ['OK']);
  mod.send('AT+PROBEDATA=6,5000');
  await mod.expectLine('>');
  mod.write('ab+');
  await new Promise((r) => setTimeout(r, 50));
  mod.write('cd+\r\n');
  assert.deepEqual(await mod.expectLine(/^\+PROBEDATA/), ['+PROBEDATA:6,61622b63642b']);
});

test('data mode: +++ CR LF aborts wherever it falls in what arrives, and what follows it is the next command line', async () => {
  // One burst: the abort, then a command, both before the payload's length is reached.
  mod.send('AT+PROBEDATA=20,20000');
  await mod.expectLine('>');
  const started = Date.now();
  mod.write('abc+++\r\nAT\r\n');
  assert.deepEqual(await mod.expectLine('OK'), ['+CME ERROR:204', 'OK']);
  assert.ok(Date.now() - started < 5000, 'no wait for the 20 s timeout');
  // Split across writes: ++ then +\r\n.
  mod.send('AT+PROBEDATA=20,20000');
  await mod.expectLine('>');
  mod.write('xy++');
  await new Promise((r) => setTimeout(r, 50));
  mod.write('+\r\nATE0\r\n');
  assert.deepEqual(await mod.expectLine('OK'), ['+CME ERROR:204', 'OK']);
  // Sent before the prompt (MCU software that does not wait for >) counts too.
  mod.write('AT+PROBEDATA=20,20000\r\n+++\r\nAT\r\n');
  assert.deepEqual(await mod.expectLine('+CME ERROR:204', { timeout: 5000 }), ['OK', '>', '+CME ERROR:204']);
  assert.deepEqual(await mod.expectLine('OK'), ['OK']);
});

test('data mode, raw (as PUBRAW): +++ CR LF is payload like any other bytes', async () => {
  mod.send('AT+PROBEDATA=8,5000,1');
  await mod.expectLine('>');
  mod.write('a+++\r\nbc\r\n');
  assert.deepEqual(await mod.expectLine(/^\+PROBEDATA/), ['+PROBEDATA:8,612b2b2b0d0a6263']);
  assert.deepEqual(await mod.command('AT'), ['OK']);
});

test('data mode, escaped (as PUBL): \\" and \\, are undone, other backslashes kept', async () => {
  const sent = '{\\"a\\":1\\,\\\\x}';
  mod.send(`AT+PROBEDATA=${sent.length},5000`);
  await mod.expectLine('>');
  mod.write(sent + '\r\n');
  const hex = Buffer.from('{"a":1,\\\\x}', 'latin1').toString('hex');
  assert.deepEqual(await mod.expectLine(/^\+PROBEDATA/), [`+PROBEDATA:${hex.length / 2},${hex}`]);
});

test('a URC never splits a > prompt and its payload: it waits until the data is read', async () => {
  await mod.command('AT+PROBEURC="late",300');
  mod.send('AT+PROBEDATA=4,5000');
  const beforePrompt = await mod.expectLine('>');
  assert.ok(!beforePrompt.includes('+PROBEURC:late'), 'the prompt must open before the URC falls due');
  // A quiet period on purpose: the URC falls due while the prompt is open, and must not show.
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(mod.pending(), '', 'nothing after the prompt while it waits for data');
  mod.write('data');
  assert.deepEqual(await mod.expectLine('+PROBEURC:late'), ['+PROBEDATA:4,64617461', '+PROBEURC:late']);
});

test('URCs come out whole between commands', async () => {
  await mod.command('AT+PROBEURC="now",1');
  assert.deepEqual(await mod.expectLine('+PROBEURC:now'), ['+PROBEURC:now']);
});

test('random binary bytes get ERROR lines at worst and never stop the engine', async () => {
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed & 0xff; };
  const junk = Buffer.alloc(2000);
  for (let i = 0; i < junk.length; i++) junk[i] = rand();
  mod.write(junk);
  mod.write('\r\n');
  await mod.command('AT', { until: 'OK', timeout: 15000 });
  const before = mod.pending();
  assert.doesNotMatch(before, /Uncaught|Error:/);
  assert.deepEqual(await mod.command('AT'), ['OK']);
  assert.doesNotMatch(mod.stderr, /Uncaught/);
});
