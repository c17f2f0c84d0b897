#!/usr/bin/env node
// OTA of the MCU's firmware in the simulator, end to end (the local hub's file server on a
// real socket, the UART paced at 115200 baud as on the board):
//   - download: from the hub's update order to +TCOTASTATUS:UPDATESUCCESS, the link not throttled,
//     so the figure is what the module's side costs (HTTP, MD5, flash erase and writes, records);
//   - read-back: AT+TCFWINFO? then AT+TCREADFWDATA=4096 until the end, as the MCU does, in
//     bytes/s against the UART's 11520 bytes/s.
//   npm run bench:ota [-- --kb 700]
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { startHub, startModule, connectModule, until, CLIENT_ID } from '../test/helpers/cloud.js';
import { readBack } from '../test/helpers/read-back.js';

const { values } = parseArgs({ options: { kb: { type: 'string', default: '700' } } });
const SIZE = Number(values.kb) * 1024;
const UART_BYTES_PER_S = 115200 / 10;

const hub = await startHub();
const mod = await startModule(hub, { args: ['--quiet'] });
try {
  if ((await connectModule(mod)).at(-1) !== '+TCMQTTCONN:OK') throw new Error('no MQTT connection');
  if ((await mod.command('AT+TCOTASET=1,"1.0.0"', { until: until('TCOTASET') })).at(-1) !== '+TCOTASET:OK') throw new Error('TCOTASET failed');
  const image = crypto.randomBytes(SIZE);
  const ordered = performance.now();
  await hub.pushFirmware(CLIENT_ID, image, { version: '2.0.0' });
  const result = await mod.expectLine(/^\+TCOTASTATUS:UPDATE/, { timeout: 600000 });
  const downloaded = performance.now();
  if (result.at(-1) !== '+TCOTASTATUS:UPDATESUCCESS') throw new Error(`OTA failed: ${result}`);
  const back = await readBack(mod);
  const read = performance.now();
  if (!back.image.equals(image)) throw new Error('the image read back differs');
  const downloadS = (downloaded - ordered) / 1000;
  const readS = (read - downloaded) / 1000;
  console.log(`OTA of a ${values.kb} KB image, simulator`);
  console.log(`  download to UPDATESUCCESS: ${downloadS.toFixed(1)} s (${Math.round(SIZE / 1024 / downloadS)} KB/s)`);
  console.log(`  read back with AT+TCREADFWDATA=4096: ${readS.toFixed(1)} s, ${Math.round(SIZE / readS)} bytes/s of payload,`
    + ` ${Math.round((SIZE / readS / UART_BYTES_PER_S) * 100)}% of the UART's ${UART_BYTES_PER_S} bytes/s`);
} finally {
  await mod.kill();
  await hub.stop();
}
