// The simulator's Espruino is as strict as the board: what Espruino lacks is absent, and
// the APIs behave as shared/docs/espruino-api-reference.md records.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import fs from 'node:fs';
import path from 'node:path';
import { Device } from '../sim/device.js';
import { tempState } from './helpers/module.js';

const devices = [];
after(() => devices.forEach((d) => d.shutdown()));

// A bare board: no WiFi saved in its flash (the CLI's modules come with one).
function boot(code = '', { state = tempState('rt-'), world, presetWifi = false, nativeCrypto = false } = {}) {
  const sent = [];
  const device = new Device({ stateDir: state, world, presetWifi, nativeCrypto, toHost: (b) => sent.push(b) });
  devices.push(device);
  device.install(code || '// idle');
  device.powerOn();
  // Arrays and objects come back from the firmware's realm; copy them into ours to compare.
  const run = (expr) => {
    const value = vm.runInContext(expr, device.runtime.context);
    const plain = Array.isArray(value) || (value && value.constructor && value.constructor.name === 'Object');
    return plain ? JSON.parse(JSON.stringify(value)) : value;
  };
  const uart = () => Buffer.concat(sent).toString('latin1');
  return { device, run, uart, state };
}

const until = (check, ms = 3000) => new Promise((resolve, reject) => {
  const start = Date.now();
  const poll = () => {
    const v = check();
    if (v) return resolve(v);
    if (Date.now() - start > ms) return reject(new Error('condition not met'));
    setTimeout(poll, 5);
  };
  poll();
});

test('globals, statics and methods Espruino lacks are absent', () => {
  const { run } = boot();
  for (const name of ['Map', 'Set', 'WeakMap', 'Symbol', 'Proxy', 'Reflect', 'BigInt', 'TextEncoder', 'Buffer', 'setImmediate', 'queueMicrotask', 'Intl', 'RangeError']) {
    assert.equal(run(`typeof ${name}`), 'undefined', name);
  }
  for (const expr of ['Array.from', 'Number.isInteger', 'Math.trunc', 'Promise.prototype.finally', 'Promise.race', 'Promise.allSettled',
    'Object.freeze', '[].lastIndexOf', '"".search', '"".codePointAt', 'Date.UTC', 'new Date().toLocaleString', '(1).toPrecision']) {
    assert.equal(run(`typeof ${expr}`), 'undefined', expr);
  }
  assert.equal(run('typeof process.nextTick'), 'undefined');
  assert.equal(run('typeof global'), 'object');
});

test('String indexOf, includes and replace find a pattern that runs past the end, as Espruino 2v29 and later do', () => {
  const { run } = boot();
  assert.deepEqual(run("['abc'.indexOf('cd'), 'ab\\r'.indexOf('\\r\\n'), 'x+'.indexOf('++'), 'ab+'.indexOf('+++\\r\\n'), 'abcabc'.indexOf('bc', 2), 'abc'.indexOf('x')]"),
    [2, 2, 1, -1, 4, -1]);
  assert.equal(run("'abc'.includes('cd')"), true);
  assert.equal(run("'ab\\r'.replace('\\r\\n', 'X')"), 'abX');
  assert.equal(run("'aXa'.replace(/a/g, 'b')"), 'bXb', 'a RegExp pattern is unaffected');
  assert.equal(run("Modules.addCached('m', 'exports.f = function (t, n) { var i = t.indexOf(n); return i >= 0 && i + n.length > t.length ? -1 : i; };'), require('m').f('ab\\r', '\\r\\n')"), -1);
});

test('code with syntax Espruino lacks is refused before it runs', () => {
  const { device } = boot();
  for (const code of ['a: for (;;) break a;', 'var {x} = {x: 1};', 'f(...args);', 'function f(a = 1) {}', 'async function f() {}',
    'function* g() {}', 'var y = a?.b;', 'var z = 2 ** 3;', 'var o = {[k]: 1};', 'var r = /a{2}/;', 'var q = /^-?1$/;', 'var n = /(?:a)b/;']) {
    assert.throws(() => device.runtime.run(code, 'test.js'), /Espruino cannot run/, code);
  }
});

test('require knows only the ESP8266 modules; tls is absent and crypto has only SHA1', () => {
  const { run } = boot();
  assert.throws(() => run('require("tls")'), /Module "tls" not found/);
  assert.throws(() => run('require("fs")'), /Module "fs" not found/);
  assert.deepEqual(run('Object.keys(require("crypto"))'), ['SHA1']);
  const hex = run('var h = new Uint8Array(require("crypto").SHA1("abc")), s = ""; for (var i = 0; i < h.length; i++) s += (256 + h[i]).toString(16).substr(1); s');
  assert.equal(hex, 'a9993e364706816aba3e25717850c26c9cd0d89d');
});

test('timers: small integer ids, reused; clearTimeout(undefined) throws; no argument clears all', () => {
  const { run } = boot();
  assert.deepEqual(run('[setTimeout(function(){}, 1000), setTimeout(function(){}, 1000)]'), [1, 2]);
  run('clearTimeout(2)');
  assert.equal(run('setTimeout(function(){}, 1000)'), 2);
  assert.throws(() => run('clearTimeout(undefined)'), /not allowed/);
  run('clearTimeout()');
  assert.equal(run('setTimeout(function(){}, 1000)'), 1);
  assert.throws(() => run('setTimeout(1, 5)'), /Function or String not supplied/);
});

test('due timers run in creation order, not in due order', async () => {
  const { run } = boot();
  run('global.order = []; setTimeout(function(){ order.push(10); }, 10); setTimeout(function(){ order.push(5); }, 5); var t = Date.now(); while (Date.now() - t < 20) {}');
  await until(() => run('order.length') === 2);
  assert.deepEqual(run('order'), [10, 5]);
});

test('emit is asynchronous', async () => {
  const { run } = boot();
  run('global.got = []; var o = {}; o.on("x", function (v) { got.push(v); }); o.emit("x", 1); got.push(0);');
  assert.deepEqual(run('got'), [0]);
  await until(() => run('got.length') === 2);
  assert.deepEqual(run('got'), [0, 1]);
});

test('time starts at 0 at power-on; E.CRC32 and the byte rules match Espruino', () => {
  const { run } = boot();
  assert.ok(run('getTime()') < 5);
  assert.equal(run('new Date().getFullYear()'), 1970);
  assert.equal(run('E.CRC32("hello")'), 907060870);
  assert.equal(run('E.toString([65, 66, 300], 67)'), 'AB,C');
  assert.equal(run('E.toString("\\u20ac")'), '\xac');
  assert.throws(() => run('E.toString({a: 1})'), /must be of the form/);
  assert.equal(run('btoa("\\xff\\x00")'), '/wA=');
});

test('Storage follows Espruino\'s write rules', () => {
  const { run, device } = boot();
  run('var S = require("Storage")');
  assert.equal(run('S.write("a", "hello")'), true);
  const before = device.storage.getStats();
  assert.equal(run('S.write("a", "hello")'), true, 'identical data: nothing written');
  assert.deepEqual(device.storage.getStats(), before);
  assert.throws(() => run('S.write("b", "")'), /zero length/);
  assert.throws(() => run('S.write("b", undefined)'), /Can't get pointer/);
  assert.equal(run('S.write("b", "x", -1)'), false);
  assert.equal(run('S.write("big", "ab", 0, 6)'), true);
  assert.equal(run('S.read("big")'), 'ab\xff\xff\xff\xff');
  assert.equal(run('S.write("big", "cd", 2)'), true);
  assert.throws(() => run('S.write("big", "cd", 2)'), /already written with different data/);
  assert.throws(() => run('S.write("big", "xyz", 4)'), /Too much data/);
  assert.throws(() => run('S.write("nothere", "x", 1)'), /Unable to find or create file/);
  assert.throws(() => run('S.write("q", "abcdef", 0, 3)'), /Too much data/);
  assert.equal(run('S.read("q")'), '\xff\xff\xff', 'an empty 3-byte file is left behind');
  run('S.write("' + 'n'.repeat(28) + 'X", "1"); S.write("' + 'n'.repeat(28) + 'Y", "2")');
  assert.equal(run('S.read("' + 'n'.repeat(28) + '")'), '2', 'names are cut to 28 characters');
  assert.equal(run('S.read("a", 1, 2)'), 'el');
  assert.equal(run('S.read("missing")'), undefined);
  run('S.write("j", "{a:1,}")');
  assert.deepEqual(run('S.readJSON("j")'), { a: 1 });
  run('S.write("k", "{bad")');
  assert.equal(run('S.readJSON("k", true)'), undefined);
  assert.throws(() => run('S.readJSON("k")'));
  run('S.erase("a")');
  assert.equal(run('S.list().indexOf("a")'), -1);
  assert.ok(run('S.getFree()') < 196608);
});

test('Storage and Flash live in the state folder across a power cut', () => {
  const first = boot();
  first.run('require("Storage").write("keep", "me"); require("Flash").erasePage(0x111000); require("Flash").write([1,2,3,4], 0x111000)');
  first.device.shutdown();
  const second = boot('', { state: first.state });
  assert.equal(second.run('require("Storage").read("keep")'), 'me');
  assert.deepEqual([...second.run('require("Flash").read(4, 0x111000)')], [1, 2, 3, 4]);
  assert.ok(fs.existsSync(path.join(first.state, 'flash.bin')));
});

test('Flash writes only clear bits; erasePage wants an integer', () => {
  const { run } = boot();
  run('var F = require("Flash"); F.erasePage(0x120000); F.write([0xF0], 0x120000); F.write([0x0F], 0x120000)');
  assert.equal(run('F.read(1, 0x120000)[0]'), 0);
  assert.throws(() => run('F.erasePage("0x120000")'), /Address should be an integer/);
  assert.deepEqual(run('F.getPage(0x120123)'), { addr: 0x120000, length: 4096 });
  assert.deepEqual(run('F.getFree()'), []);
});

test('Serial1: options checked as on the ESP8266, data arrives in chunks of at most 64 bytes', async () => {
  const { run, device } = boot();
  assert.throws(() => run('Serial1.setup(115200, {path: "/dev/x"})'), /Unknown option "path"/);
  assert.throws(() => run('Serial1.setup(50)'), /Invalid baud rate/);
  assert.throws(() => run('Serial1.setup(115200, {errors: true})'), /framing\/parity/);
  run('E.setConsole(null); global.chunks = []; Serial1.on("data", function (d) { chunks.push(d.length); })');
  device.receive(Buffer.alloc(300, 0x41));
  await until(() => run('chunks.reduce(function (a, b) { return a + b; }, 0)') === 300);
  assert.ok(run('chunks').every((n) => n <= 64));
});

test('bytes sent while the console is still on Serial1 go to the REPL, not to the handler', async () => {
  const { run, device } = boot();
  run('global.got = 0; Serial1.on("data", function (d) { got += d.length; })');
  device.receive(Buffer.from('AT\r\n'));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(run('got'), 0);
});

// As the Linux build of 2v29 (which has USE_SHA256 and USE_AES) answers the same calls.
test('--native-crypto: crypto as a build with USE_SHA256 and USE_AES has it, errors and all', async () => {
  const { run, uart } = boot('', { nativeCrypto: true });
  assert.equal(run('var c = require("crypto"); [typeof c.SHA1, typeof c.SHA224, typeof c.SHA256, typeof c.AES.encrypt, typeof c.AES.decrypt, typeof c.PBKDF2].join()'),
    'function,function,function,function,function,undefined', 'PBKDF2 is USE_TLS\'s');
  const hex = 'function hex(b) { b = new Uint8Array(b); var s = ""; for (var i = 0; i < b.length; i++) s += (256 + b[i]).toString(16).substr(1); return s; }';
  run(hex);
  assert.equal(run('hex(require("crypto").SHA256("abc"))'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // NIST SP 800-38A, F.2.1: CBC-AES128, the first two blocks; no padding is added.
  run('var A = require("crypto").AES, key = E.toString(E.toUint8Array([0x2b,0x7e,0x15,0x16,0x28,0xae,0xd2,0xa6,0xab,0xf7,0x15,0x88,0x09,0xcf,0x4f,0x3c])),'
    + ' iv = new Uint8Array(16); for (var i = 0; i < 16; i++) iv[i] = i;'
    + ' var plain = E.toUint8Array([0x6b,0xc1,0xbe,0xe2,0x2e,0x40,0x9f,0x96,0xe9,0x3d,0x7e,0x11,0x73,0x93,0x17,0x2a,0xae,0x2d,0x8a,0x57,0x1e,0x03,0xac,0x9c,0x9e,0xb7,0x6f,0xac,0x45,0xaf,0x8e,0x51]);');
  assert.equal(run('hex(A.encrypt(plain, key, { iv: iv, mode: "CBC" }))'), '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2');
  assert.equal(run('hex(A.decrypt(A.encrypt(plain, key, { iv: iv }), key, { iv: iv }))'), run('hex(plain)'));
  assert.equal(run('hex(A.encrypt(plain, key, { mode: "CTR", iv: iv })) === hex(A.encrypt(plain, key, { mode: "CTR" }))'), true, 'CTR starts from a zero counter');
  // Errors are printed and give undefined, but for an unknown mode, which throws.
  assert.equal(run('typeof A.encrypt(plain, "short")'), 'undefined');
  assert.equal(run('typeof A.encrypt("abc", key)'), 'undefined');
  assert.equal(run('typeof A.encrypt(plain, key, { mode: "OFB" })'), 'undefined');
  assert.equal(run('typeof A.encrypt(plain, key, 5)'), 'undefined');
  assert.throws(() => run('A.encrypt(plain, key, { mode: "XYZ" })'), /Unknown Crypto mode "XYZ"/);
  for (const message of ['ERROR: Unknown error: -0x20', 'ERROR: Invalid input length', 'ERROR: Feature unavailable', "ERROR: 'options' must be undefined, or an Object"]) {
    await until(() => uart().includes(message));
  }
});

test('uncaught errors are reported on the console, which starts on Serial1', async () => {
  const { run, uart } = boot();
  run('setTimeout(function () { undefinedFunction(); }, 1)');
  await until(() => /Uncaught ReferenceError/.test(uart()));
});

test('Wifi joins networks from the world file, with Espruino\'s callback shapes', async () => {
  const world = { networks: [{ ssid: 'Lab', password: 'labpassword', rssi: -40, channel: 3, authMode: 'wpa2', mac: '02:00:00:00:00:09' }] };
  const { run } = boot('', { world });
  run('var W = require("Wifi"); global.r = [];');
  assert.throws(() => run('W.connect("Lab", function () {})'), /Expecting Object, got Function/);
  run('W.connect("Lab", {password: "wrong"}, function (e) { r.push(e); })');
  await until(() => run('r.length') === 1);
  assert.equal(run('r[0]'), 'bad_password');
  run('W.connect("Lab", {password: "labpassword"}, function (e) { r.push(e); })');
  await until(() => run('r.length') === 2);
  assert.equal(run('r[1]'), null);
  assert.equal(run('W.getIP().ip'), '192.168.1.50');
  assert.equal(run('W.getStatus().station'), 'connected');
  run('W.scan(function (list) { r.push(list.length); })');
  await until(() => run('r.length') === 3);
  assert.equal(run('r[2]'), 1);
});

test('net: an unknown host name fails as on the ESP8266 (error -6, end, close)', async () => {
  const { run } = boot('', {});
  run('global.ev = []; require("Wifi").connect("SimHome", {password: "simpassword"}, function () {' +
    'var s = require("net").connect({host: "nowhere.example", port: 80}, function () { ev.push("connect"); });' +
    's.on("error", function (e) { ev.push("error" + e.code); }); s.on("end", function () { ev.push("end"); });' +
    's.on("close", function (h) { ev.push("close" + h); }); })');
  await until(() => run('ev.length') === 3);
  assert.deepEqual(run('ev'), ['error-6', 'end', 'closetrue']);
});

async function online(run) {
  run('global.up = false; require("Wifi").connect("SimHome", {password: "simpassword"}, function (e) { up = e === null; })');
  await until(() => run('up'));
}

test('net: a TCP client gets connect, data, end and close; write returns false; 10 sockets at most', async () => {
  const net = await import('node:net');
  const server = net.createServer((s) => { s.on('data', (d) => s.end(`echo:${d}`)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { run } = boot();
  await online(run);
  run(`global.ev = []; var s = require("net").connect({host: "127.0.0.1", port: ${server.address().port}}, function () {
    ev.push("connect"); ev.push(s.write("hi")); });
    s.on("data", function (d) { ev.push(d); }); s.on("end", function () { ev.push("end"); });
    s.on("close", function (h) { ev.push("close" + h); });`);
  await until(() => run('ev.indexOf("closefalse") >= 0'));
  assert.deepEqual(run('ev'), ['connect', false, 'echo:hi', 'end', 'closefalse']);
  assert.throws(() => run('s.write("late")'), /This socket is closed/);
  assert.throws(() => run(`var c = require("net").connect({host: "127.0.0.1", port: 1}, function () {}); c.on("connect", function () {})`), /Execution Interrupted/);
  run('global.cClosed = false; c.on("close", function () { cClosed = true; })');
  await until(() => run('cClosed'));
  run(`global.socks = []; for (var i = 0; i < 10; i++) socks.push(require("net").connect({host: "127.0.0.1", port: ${server.address().port}}));`);
  assert.throws(() => run(`require("net").connect({host: "127.0.0.1", port: ${server.address().port}})`), /Unable to create socket/);
  run('socks.forEach(function (k) { k.end(); })');
  server.close();
});

test('http: the response status is a String, headers keep their case, and Espruino\'s headers are sent', async () => {
  const http = await import('node:http');
  let seen;
  const server = http.createServer((req, res) => { seen = req.headers; res.writeHead(201, { 'X-Thing': 'yes', 'Content-Length': 5 }); res.end('hello'); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { run } = boot();
  await online(run);
  run(`global.out = {}; require("http").get("http://127.0.0.1:${server.address().port}/x", function (res) {
    out.status = res.statusCode; out.header = res.headers["X-Thing"]; out.body = "";
    res.on("data", function (d) { out.body += d; }); res.on("end", function () { out.done = true; }); });`);
  await until(() => run('out.done'));
  assert.deepEqual(run('out'), { status: '201', header: 'yes', body: 'hello', done: true });
  assert.equal(seen['user-agent'], 'Espruino 2v29.277');
  assert.equal(seen.connection, 'close');
  server.close();
});

test('dgram: datagrams arrive as strings with rinfo; over 268 bytes they are dropped', async () => {
  const dgram = await import('node:dgram');
  const { run } = boot();
  run('global.msgs = []; global.u = require("dgram").createSocket("udp4"); u.on("message", function (m, r) { msgs.push([m, r.size]); }); u.bind(0)');
  await until(() => run('u.address().port'));
  const port = run('u.address().port');
  const client = dgram.createSocket('udp4');
  client.send(Buffer.alloc(300, 0x61), port, '127.0.0.1');
  client.send('{"cmdType":1}', port, '127.0.0.1');
  await until(() => run('msgs.length') === 1);
  assert.deepEqual(run('msgs'), [['{"cmdType":1}', 13]]);
  client.close();
  run('u.close()');
});
