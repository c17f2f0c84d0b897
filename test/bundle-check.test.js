import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBundle } from '../tools/bundle-check.js';
import { buildEntry } from './helpers/build.js';

const messages = (code, opts) => checkBundle(code, opts).map((p) => p.message).join('\n');

test('the build refuses a bundle that uses new Map(), naming it', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'bad.js');
  const { ok, output } = buildEntry('test/fixtures/uses-map.ts', out);
  assert.equal(ok, false, 'the build must fail');
  assert.match(output, /uses `Map`, a global Espruino lacks/);
  assert.equal(fs.existsSync(out), false, 'no bundle is written');
});

test('the real firmware builds and reports its size against the budget', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'firmware.js');
  const { ok, output } = buildEntry('src/main.ts', out);
  assert.ok(ok, output);
  assert.match(output, /firmware\.js: \d+ bytes \(budget \d+ bytes/);
  assert.deepEqual(checkBundle(fs.readFileSync(out, 'latin1')), []);
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
  assert.deepEqual(checkBundle('function f(Map) { return Map; } var o = { Set: 1 }; o.Set;'), []);
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
