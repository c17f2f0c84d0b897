#!/usr/bin/env node
// A soak: 300 cycles over TCP of AT+TCMQTTPUB (200 bytes, QoS 1), with AT+TCMQTTPUBL of 1500
// bytes (QoS 1) every 10th, while the backend publishes to the device every 200 ms (QoS 1).
// Passes when every publish succeeds, the link never drops (no +TCMQTTDISCON or reconnect), the
// backend gets every message the MCU sent and the MCU every message the backend sent, in order.
// On the real interpreter (ESPRUINO_BIN, the ESP8266's memory model) it also prints the
// firmware's JsVars peak; without it, it runs on the simulator.
//   [ESPRUINO_BIN=/path/to/espruino] npm run bench:soak [-- --cycles 300]
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../sim/build-if-needed.js';
import { startHub, backend, startModule, connectModule, until, PID, DEV } from '../test/helpers/cloud.js';
import { interpreterInfo } from '../tools/espruino-build.js';
import { RealModule, cloudOf } from './real-module.js';

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '300' } } });
const CYCLES = Number(values.cycles);
const DATA = `${PID}/${DEV}/data`;
const CONTROL = `${PID}/${DEV}/control`;
const bin = process.env.ESPRUINO_BIN;

const hub = await startHub();
const client = await backend(hub);
await client.client.subscribeAsync(DATA, { qos: 1 });
let harness = 0;
let mod;
if (bin) {
  const info = interpreterInfo(bin);
  console.log(`on Espruino ${info.version} (${info.commit}), ${info.total} variables of ${info.blocksize} bytes${info.blocksize === 12 ? '' : ': NOT the ESP8266\'s memory model'}`);
  harness = await RealModule.harness(bin, cloudOf(hub));
  mod = await RealModule.start(bin, fs.readFileSync(buildIfNeeded(() => {}), 'latin1'), cloudOf(hub));
} else {
  console.log('on the simulator (set ESPRUINO_BIN for the real interpreter and its memory figures)');
  mod = await startModule(hub);
}

const problems = [];
const sentByMcu = [];
// Every line the MCU read (URCs come between and within the commands' own lines).
const transcript = [];
const seen = (lines) => {
  transcript.push(...lines);
  return lines;
};
try {
  const conn = await connectModule(mod);
  if (conn.at(-1) !== '+TCMQTTCONN:OK') throw new Error(`no connection: ${conn}`);
  const sub = await mod.command(`AT+TCMQTTSUB="${CONTROL}",1`, { until: until('TCMQTTSUB') });
  if (sub.at(-1) !== '+TCMQTTSUB:OK') throw new Error(`no subscription: ${sub}`);

  let backendSent = 0;
  const backendTimer = setInterval(() => {
    client.client.publish(CONTROL, `msg-${String(backendSent++).padStart(5, '0')}`, { qos: 1 });
  }, 200);
  const started = Date.now();
  let publs = 0;
  let peak = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const pub = `pub-${cycle}-${crypto.randomBytes(96).toString('hex')}`.slice(0, 200);
    const lines = seen(await mod.command(`AT+TCMQTTPUB="${DATA}",1,"${pub}"`, { until: until('TCMQTTPUB'), timeout: 20000 }));
    if (lines.at(-1) !== '+TCMQTTPUB:OK') problems.push(`cycle ${cycle}: PUB ${lines.at(-1)}`);
    else sentByMcu.push(pub);
    if (cycle % 10 === 9) {
      const publ = `publ-${cycle}-${crypto.randomBytes(750).toString('hex')}`.slice(0, 1500);
      mod.send(`AT+TCMQTTPUBL="${DATA}",1,1500`);
      seen(await mod.expectLine('>', { timeout: 20000 }));
      mod.write(publ + '\r\n');
      const result = seen(await mod.expectLine(until('TCMQTTPUBL'), { timeout: 30000 })).at(-1);
      publs++;
      if (result !== '+TCMQTTPUBL:OK') problems.push(`cycle ${cycle}: PUBL ${result}`);
      else sentByMcu.push(publ);
      if (bin) peak = Math.max(peak, (await mod.memory()).peak - harness);
    }
  }
  clearInterval(backendTimer);
  const seconds = (Date.now() - started) / 1000;
  // Every message the backend sent, as URCs, in order (the last ones may still be on the way).
  const last = `msg-${String(backendSent - 1).padStart(5, '0')}`;
  if (!transcript.some((l) => l.includes(last))) seen(await mod.expectLine(new RegExp(`"${last}"$`), { timeout: 20000 }));
  const text = transcript.join('\n');
  const received = [...text.matchAll(new RegExp(`\\+TCMQTTRCVPUB:"${CONTROL}",9,"(msg-\\d{5})"`, 'g'))].map((m) => m[1]);
  const expected = Array.from({ length: backendSent }, (_, i) => `msg-${String(i).padStart(5, '0')}`);
  if (received.join() !== expected.join()) problems.push(`the MCU got ${received.length} of ${backendSent} backend messages (or out of order)`);
  if (/\+TCMQTT(DISCON|RECONNECTING|RECONNECTED)/.test(text)) problems.push('the link dropped: ' + text.match(/\+TCMQTT(DISCON|RECONNECTING|RECONNECTED)\S*/)[0]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const atBackend = client.messages.filter((m) => m.topic === DATA).map((m) => m.payload.toString('latin1'));
  if (atBackend.join() !== sentByMcu.join()) problems.push(`the backend got ${atBackend.length} of the MCU's ${sentByMcu.length} messages (or changed or out of order)`);
  console.log(`${CYCLES} cycles in ${seconds.toFixed(0)} s: ${CYCLES} PUB of 200 bytes, ${publs} PUBL of 1500 bytes, ${backendSent} backend messages received`);
  if (bin) console.log(`firmware's JsVars peak around the PUBLs: ${peak} of 1600`);
} finally {
  await mod.kill();
  await client.close();
  await hub.stop();
}
if (problems.length) {
  console.log(`FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('every publish succeeded, no reconnect, no message lost');
