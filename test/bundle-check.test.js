import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBundle } from '../tools/bundle-check.js';
import { unpack } from '../tools/firmware-package.js';
import { hoistVars } from '../tools/hoist-vars.js';
import { buildEntry } from './helpers/build.js';

const messages = (code, opts) => checkBundle(code, opts).map((p) => p.message).join('\n');

test('the build refuses a bundle that uses new Map(), naming it', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'bad.js');
  const { ok, output } = buildEntry('test/fixtures/uses-map.ts', out);
  assert.equal(ok, false, 'the build must fail');
  assert.match(output, /uses `Map`, a global Espruino lacks/);
  assert.equal(fs.existsSync(out), false, 'no bundle is written');
});

test('the real firmware builds into a package of checked parts and reports its size against the budget', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'firmware.tcfw');
  const { ok, output } = buildEntry('src/main.ts', out);
  assert.ok(ok, output);
  assert.match(output, /firmware\.tcfw: \d+ bytes, version [\d.]+ \(budget \d+ bytes/);
  const { parts, layout } = unpack(fs.readFileSync(out));
  assert.deepEqual(layout.slice(0, 2).map((p) => p.name), ['boot', 'core']);
  for (const name of ['start', 'link', 'ota', 'register', 'provision', 'cmdbasic', 'cmddevice', 'cmdmqtt', 'cmdota', 'cmdwifi']) assert.ok(parts[name], `part ${name}`);
  for (const [name, code] of Object.entries(parts)) assert.deepEqual(checkBundle(code), [], name);
});

test('syntax beyond ES5 is refused', () => {
  assert.match(messages('let a = 1;'), /not ES5/);
  assert.match(messages('var f = () => 1;'), /not ES5/);
  assert.match(messages('var s = `x`;'), /not ES5/);
});

test('globals and statics Espruino lacks are refused', () => {
  for (const code of ['new Set()', 'Symbol("x")', 'Reflect.ownKeys({})', 'new Proxy({}, {})', 'BigInt(1)', 'new WeakMap()']) {
    assert.match(messages(code), /a global Espruino lacks/, code);
  }
  for (const code of ['Array.from([1])', 'Number.isInteger(1)', 'Math.trunc(1.5)', 'Promise.race([])', 'Promise.allSettled([])', 'Object.freeze({})']) {
    assert.match(messages(code), /which Espruino lacks/, code);
  }
  assert.match(messages('p.then(f).finally(g)'), /calls `\.finally\(\)`/);
  assert.match(messages('"abc".search(/b/)'), /calls `\.search\(\)`/);
});

test('a local variable named like a missing global is not an offender', () => {
  assert.deepEqual(checkBundle('var o = { Set: 1 }; function f(Map) { return Map; } o.Set;'), []);
});

test('a var declared anywhere but at the start of its function is refused; the build hoists them all', () => {
  // Espruino creates a var only when its declaration runs: on a path that skipped it, an
  // assignment changes the outer variable of the same name.
  const code = 'var u = 1; function f(A) { if (A) { var u = 2; } u = 3; return u; }';
  assert.match(messages(code), /declares `u` after the start of its function/);
  const hoisted = hoistVars(code);
  assert.deepEqual(checkBundle(hoisted), []);
  assert.match(hoisted, /^var u;u = 1; function f\(A\) \{var u; if \(A\) \{ u = 2; \} u = 3; return u; \}$/);
  assert.equal(hoistVars('function g(a) { for (var i = 0, n; i < 2; i++) a += i; for (var k in {}) a++; var a; return a; }'),
    'function g(a) {var i,n,k; for (i = 0, n; i < 2; i++) a += i; for (k in {}) a++; a; return a; }', 'parameters are not declared again');
});

test('labels, prototype method access and RegExp features Espruino lacks are refused', () => {
  assert.match(messages('outer: for (;;) { break outer; }'), /label/);
  assert.match(messages('Array.prototype.slice.call(arguments)'), /not reachable through the prototype/);
  assert.match(messages('/^a{2}$/.test(s)'), /no \{n,m\} repetition/);
  assert.match(messages('/(?=a)/.test(s)'), /no \(\?: groups or lookaround/);
  // Checked on Espruino 2v29: /^-?[0-9]+$/.test("1") is false there.
  assert.match(messages('/^-?[0-9]+$/.test(s)'), /no \? quantifier/);
  assert.match(messages('/a+?/.test(s)'), /no \? quantifier/);
  assert.deepEqual(checkBundle('/^[?a-z]+$/.test(s); /\\?/.test(s);'), [], 'a ? inside a class or escaped is fine');
});

test('long chains of assignments to one variable nested in one expression are refused', () => {
  let chain = '1';
  for (let i = 0; i < 20; i++) chain = `(${'tb'[i % 2]}=${chain}+1)`;
  assert.match(messages(`var t,b; t=${chain};`), /assigns `t` inside 8 pending assignments to it/);
  assert.deepEqual(checkBundle('var t,b; t=(b=(t=1)+1)+1;'), [], 'a few are fine');
});

test('a bundle over its budget or holding non-ASCII is refused', () => {
  assert.match(messages('var a = 1;', { budget: 5 }), /over its budget of 5 bytes/);
  assert.match(messages('var a = "\u00e9";'), /non-ASCII/);
});
