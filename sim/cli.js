#!/usr/bin/env node
// npm start -- [options]: the simulated module (npm start -- --help lists them). A mistake in
// the options or the setup (a port in use, a file missing) is one line on stderr and exit code 2.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Device } from './device.js';
import { EspruinoHost } from './espruino-host.js';
import { openUartLink } from './uart-link.js';
import { buildIfNeeded, root } from './build-if-needed.js';
import { startCloud, routeCloud } from './cloud.js';

const HELP = `Simulated ESP-WROOM-02D running the Tencent Cloud IoT AT firmware on Espruino.

  --uart stdio|tcp:HOST:PORT|PATH  where the MCU is (default: this terminal)
  --state DIR                      the module's flash (default: state/default)
  --wifi FILE                      access points around the module (JSON, see sim/wifi.example.json)
  --sap-port N                     this host's UDP port for the module's softAP provisioning port 8266 (default 8266)
  --console-port N                 this host's TCP port for the module's debug console, its port 23 (AT+TCDEBUG; default 2323; 0: any free port)
  --flash 2|4                      flash chip size in MB (default 2)
  --firmware FILE                  firmware package to install (default: dist/firmware.tcfw, built when needed)
  --power-cut-after N              die after N flash operations (power-cut tests)
  --flash-worn ADDR                a worn flash cell at byte ADDR whose lowest bit stays 0 (fault tests)
  --espruino BIN                   run the firmware on a real Espruino built for Linux instead
  --native-crypto                  require('crypto') as an Espruino built with USE_SHA256 and USE_AES has it
                                   (SHA256, AES in C) instead of the stock ESP8266 build's SHA1 alone
  --quiet                          no simulator log on stderr

  The cloud (a local stand-in for Tencent Cloud IoT's hub, started unless --cloud none):
  --cloud local|none|HOST:PORT[:TLSPORT[:HTTPPORT]]  the hub the module's cloud names resolve to (default local)
  --mqtt-port N                    the local hub's MQTT port (default 1883; 0 = any free port)
  --mqtts-port N                   its MQTT over TLS port (default 8883)
  --http-port N                    its OTA file server's and admin endpoint's port (default 8088; 0: any free port)
  --admin-password PW              password of the hub's backend user "admin" (default admin)
  --device PID,NAME,SECRET         a device the hub knows (repeatable); DEMOPRD001,demo-dev is built in
  --product PID,SECRET,MODE[,N]    a product for dynamic registration, MODE off|precreate|autocreate, N
                                   auto-created devices at most (repeatable); DEMOPRD002 (autocreate) is built in
  --registry FILE                  products and devices as JSON (see README)
`;

/** A mistake of the user's: one clear line, exit code 2, no stack trace. */
function usageError(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(2);
}

/** `port`, or a free port of this host's when it is 0 (the Linux interpreter cannot say which port it got). */
async function hostPort(port) {
  if (port) return port;
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

let values;
try {
  ({ values } = parseArgs({
  options: {
    uart: { type: 'string', default: 'stdio' },
    state: { type: 'string', default: path.join(root, 'state', 'default') },
    wifi: { type: 'string' },
    'sap-port': { type: 'string', default: '8266' },
    'console-port': { type: 'string', default: '2323' },
    flash: { type: 'string', default: '2' },
    firmware: { type: 'string' },
    'power-cut-after': { type: 'string', default: '0' },
    'flash-worn': { type: 'string', default: '' },
    espruino: { type: 'string' },
    'native-crypto': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    cloud: { type: 'string', default: 'local' },
    'mqtt-port': { type: 'string', default: '1883' },
    'mqtts-port': { type: 'string', default: '8883' },
    'http-port': { type: 'string', default: '8088' },
    'admin-password': { type: 'string', default: 'admin' },
    device: { type: 'string', multiple: true, default: [] },
    product: { type: 'string', multiple: true, default: [] },
    registry: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  }));
} catch (err) {
  usageError(`${err.message.split('\n')[0]} (npm start -- --help lists the options)`);
}

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const log = values.quiet ? () => {} : (tag, text) => process.stderr.write(`[${tag}] ${text}\n`);
const flashMB = Number(values.flash);
if (flashMB !== 2 && flashMB !== 4) usageError('--flash takes 2 or 4');
if (values['flash-worn'] && !/^(0x[0-9a-f]+|\d+)$/i.test(values['flash-worn'])) usageError(`--flash-worn takes an address, not ${JSON.stringify(values['flash-worn'])}`);
for (const name of ['mqtt-port', 'mqtts-port', 'http-port', 'sap-port', 'console-port', 'power-cut-after']) {
  if (!/^\d+$/.test(values[name])) usageError(`--${name} takes a number, not ${JSON.stringify(values[name])}`);
}
if (values.firmware && !fs.existsSync(values.firmware)) usageError(`--firmware ${values.firmware}: no such file`);
let world = {};
if (values.wifi) {
  try {
    world = JSON.parse(fs.readFileSync(values.wifi, 'utf8'));
  } catch (err) {
    usageError(`--wifi ${values.wifi}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}
const firmwarePath = values.firmware ? path.resolve(values.firmware) : buildIfNeeded(log);

let cloud;
try {
  cloud = await startCloud({
    cloud: values.cloud, mqttPort: Number(values['mqtt-port']), mqttsPort: Number(values['mqtts-port']), httpPort: Number(values['http-port']),
    adminPassword: values['admin-password'], registryFile: values.registry, devices: values.device, products: values.product,
    stateDir: path.resolve(values.state), log,
  });
} catch (err) {
  usageError(err.message);
}
const hubText = cloud ? ` hub=${cloud.host}:${cloud.ports[1883]}/${cloud.ports[8883]}/${cloud.ports[80]}` : '';

const consolePort = await hostPort(Number(values['console-port']));
let link = null;
let announced = false;
const options = {
  stateDir: path.resolve(values.state),
  log,
  toHost: (buf) => link && link.send(buf),
  onLine: (line) => {
    if (line !== 'ready' || announced) return;
    announced = true;
    const text = `READY uart=${link.describe()} state=${path.resolve(values.state)} mac=${device.mac} console=127.0.0.1:${consolePort}${hubText}\n`;
    (link.toStdout ? process.stderr : process.stdout).write(text);
  },
};
const device = values.espruino
  ? new EspruinoHost({ ...options, bin: values.espruino, cloud, listen: { 23: consolePort }, nativeCrypto: values['native-crypto'] })
  : new Device({ ...options, nativeCrypto: values['native-crypto'], flashMB, world, cutAfterOps: Number(values['power-cut-after']), wornAt: values['flash-worn'] ? Number(values['flash-worn']) : -1 });
if (device.network) routeCloud(device.network, cloud);
// The softAP provisioning server's UDP port 8266 (at 192.168.4.1 on the board) on this host's port.
if (device.network) device.network.udpPorts[8266] = Number(values['sap-port']);
// The debug console's port 23 (AT+TCDEBUG) on this host's.
if (device.network) device.network.tcpPorts[23] = consolePort;
try {
  link = await openUartLink(values.uart, (buf) => device.receive(buf), log);
} catch (err) {
  usageError(`--uart ${values.uart}: ${err.code === 'EADDRINUSE' ? 'that port is in use (tcp:HOST:0 picks a free one)' : err.code === 'ENOENT' ? 'no such device' : err.message}`);
}
try {
  device.install(fs.readFileSync(firmwarePath, 'latin1'));
} catch (err) {
  usageError(`${firmwarePath}: ${err.message}`);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
device.powerOn();
