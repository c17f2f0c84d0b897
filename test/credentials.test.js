// The MQTT password the firmware computes with HMAC over Espruino's native SHA1, checked
// against Node's crypto and the worked example of the protocol page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startProbe } from './helpers/probe.js';

let mod;
before(async () => {
  mod = await startProbe('test/fixtures/credentials-probe.ts', 'credentials.tcfw', ['--cloud', 'none']);
  await mod.command('ATE0');
});
after(() => mod && mod.kill());

async function probe(name, a, b) {
  const lines = await mod.command(`AT+${name}="${a}","${b}"`);
  assert.equal(lines.at(-1), 'OK');
  return lines[0].slice(name.length + 2);
}

test('the worked example: CTQS08Y5LG/Dev01 signs to c350fba8...;hmacsha1', async () => {
  assert.equal(await probe('PROBESIGN', 'ZHNkIGRzZCA=', 'CTQS08Y5LGDev01;21010406;a1B2c;2147483647'), 'c350fba859186930d18de363c33299e199c4f4ce;hmacsha1');
});

test('passwords match Node\'s HMAC-SHA1 for secrets of every length the spec allows', async () => {
  for (const bytes of [1, 16, 24, 33]) {
    const secret = crypto.randomBytes(bytes).toString('base64');
    const username = `ABCDEFGHIJdev-${bytes};12010126;Zz9aB;${1700000000 + bytes}`;
    const expected = crypto.createHmac('sha1', Buffer.from(secret, 'base64')).update(username).digest('hex') + ';hmacsha1';
    assert.equal(await probe('PROBESIGN', secret, username), expected, secret);
  }
});

test('HMAC keys longer than the SHA1 block are hashed first, as RFC 2104 says', async () => {
  const key = 'k'.repeat(100);
  assert.equal(await probe('PROBEHMAC', key, 'message'), crypto.createHmac('sha1', key).update('message').digest('hex'));
});
