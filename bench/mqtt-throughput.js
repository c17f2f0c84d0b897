#!/usr/bin/env node
// MQTT through the module's UART, on the simulator (UART paced at 115200 baud like the
// board's, the local hub on real sockets):
//   - publish rate at QoS 0 and 1: AT+TCMQTTPUB one after the other, each waiting for its result;
//   - receive rate: the backend sends a burst, the MCU counts +TCMQTTRCVPUB lines;
//   - round trip of AT+TCMQTTPUB at QoS 1, from the first byte sent to +TCMQTTPUB:OK.
// Rates are messages/s and the fraction of the UART's 11520 bytes/s that the traffic used.
//   npm run bench:mqtt [-- --count N --payload BYTES]
import { parseArgs } from 'node:util';
import { startHub, backend, startModule, connectModule, until, PID, DEV } from '../test/helpers/cloud.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100' }, payload: { type: 'string', default: '64' } } });
const COUNT = Number(values.count);
const PAYLOAD = 'p'.repeat(Number(values.payload));
const UART_BYTES_PER_S = 115200 / 10;
const DATA = `${PID}/${DEV}/data`;
const CONTROL = `${PID}/${DEV}/control`;

const hub = await startHub();
const cloud = await backend(hub);
const mod = await startModule(hub, { args: ['--quiet'] });
const connected = await connectModule(mod);
if (connected.at(-1) !== '+TCMQTTCONN:OK') throw new Error(`no connection: ${connected}`);

function line(text) {
  return text.length + 2;
}

async function publishRun(qos) {
  const command = `AT+TCMQTTPUB="${DATA}",${qos},"${PAYLOAD}"`;
  const rtts = [];
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const sent = performance.now();
    const lines = await mod.command(command, { until: until('TCMQTTPUB') });
    rtts.push(performance.now() - sent);
    if (lines.at(-1) !== '+TCMQTTPUB:OK') throw new Error(`publish failed: ${lines}`);
    bytes += line(command) + lines.reduce((n, l) => n + line(l), 0);
  }
  const seconds = (performance.now() - start) / 1000;
  return { rate: COUNT / seconds, uart: bytes / seconds / UART_BYTES_PER_S, rtts };
}

async function receiveRun() {
  await mod.command(`AT+TCMQTTSUB="${CONTROL}",0`, { until: until('TCMQTTSUB') });
  mod.clear();
  const urc = `+TCMQTTRCVPUB:"${CONTROL}",${PAYLOAD.length},"${PAYLOAD}"`;
  const start = performance.now();
  for (let i = 0; i < COUNT; i++) cloud.client.publish(CONTROL, PAYLOAD, { qos: 0 });
  await mod.waitFor((text) => text.split(urc).length - 1 >= COUNT || undefined, { timeout: 120000, what: `${COUNT} URCs` });
  const seconds = (performance.now() - start) / 1000;
  return { rate: COUNT / seconds, uart: (COUNT * line(urc)) / seconds / UART_BYTES_PER_S };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (r) => `${r.rate.toFixed(1)} msg/s, ${(r.uart * 100).toFixed(0)}% of the UART's byte rate`;
const q0 = await publishRun(0);
const q1 = await publishRun(1);
const rx = await receiveRun();
console.log(`simulator, UART 115200 baud, ${COUNT} messages of ${PAYLOAD.length} bytes, topic of ${DATA.length}`);
console.log(`publish QoS 0 (AT+TCMQTTPUB, one at a time): ${fmt(q0)}`);
console.log(`publish QoS 1 (AT+TCMQTTPUB, one at a time): ${fmt(q1)}`);
console.log(`receive QoS 0 (+TCMQTTRCVPUB, backend burst): ${fmt(rx)}`);
console.log(`round trip AT+TCMQTTPUB QoS 1, first byte to +TCMQTTPUB:OK: median ${percentile(q1.rtts, 50).toFixed(1)} ms, p95 ${percentile(q1.rtts, 95).toFixed(1)} ms, max ${Math.max(...q1.rtts).toFixed(1)} ms`);

await mod.kill();
await cloud.close();
await hub.stop();
