// npm run app -- plays the phone's part of softAP provisioning against the simulator, as
// Tencent's Lianlian app does: it gets a binding token from the hub, sends the module the
// WiFi and the token (cmdType 1) on its UDP port, prints the module's answer (cmdType 2),
// and waits until the hub has bound the device.
//   npm start                      (in another terminal), then on the MCU side AT+TCSAP="Sim-SoftAP"
//   npm run app -- --ssid SimHome --password simpassword [--module 127.0.0.1:8266] [--hub http://127.0.0.1:8088]
//   npm run app -- --log            asks the module for its provisioning log (cmdType 3)
// --timeout S (default 60): how long to wait for the module's answer and for the binding.
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    module: { type: 'string', default: '127.0.0.1:8266' }, hub: { type: 'string', default: 'http://127.0.0.1:8088' },
    ssid: { type: 'string' }, password: { type: 'string', default: '' }, log: { type: 'boolean', default: false },
    'admin-password': { type: 'string', default: 'admin' }, timeout: { type: 'string', default: '60' },
  },
});
if (!values.log && !values.ssid) {
  console.error('usage: npm run app -- --ssid SSID [--password PW] [--module HOST:PORT] [--hub URL] [--timeout S] | --log');
  process.exit(2);
}
if (!/^[^:]+:\d+$/.test(values.module) || !(Number(values.timeout) > 0)) {
  console.error('npm run app: --module takes HOST:PORT and --timeout a number of seconds');
  process.exit(2);
}
const [host, port] = values.module.split(':');
const auth = 'Basic ' + Buffer.from(`admin:${values['admin-password']}`).toString('base64');
const socket = dgram.createSocket('udp4');
const answer = new Promise((resolve) => socket.on('message', (msg) => resolve(JSON.parse(msg.toString()))));
let waitingFor = 'the module';
const deadline = setTimeout(() => {
  console.error(`no answer from ${waitingFor} within ${values.timeout} s (--timeout)`);
  process.exit(1);
}, Number(values.timeout) * 1000);

console.error(`waiting up to ${values.timeout} s for the module's answer on udp ${host}:${port}: the MCU must have sent AT+TCSAP="<ssid>" (its +TCSAP:OK means it listens)`);
if (values.log) {
  socket.send(JSON.stringify({ cmdType: 3 }), Number(port), host);
  console.log(JSON.stringify(await answer, null, 2));
  process.exit(0);
}
let token;
try {
  ({ token } = await (await fetch(`${values.hub}/admin/bind-token`, { method: 'POST', headers: { authorization: auth } })).json());
} catch (err) {
  console.error(`npm run app: no hub at ${values.hub} (${err.cause ? err.cause.code || err.cause.message : err.message}): its port is the last in the simulator's READY line`);
  process.exit(2);
}
socket.send(JSON.stringify({ cmdType: 1, ssid: values.ssid, password: values.password, token }), Number(port), host);
const device = await answer;
console.log('module:', JSON.stringify(device));
if (device.errorCode) process.exit(1);
const clientId = device.productId + device.deviceName;
waitingFor = 'the hub (the module joins the WiFi, connects MQTT and sends the token)';
console.error(`waiting for ${waitingFor}`);
for (;;) {
  const response = await fetch(`${values.hub}/admin/binding?device=${encodeURIComponent(clientId)}`, { headers: { authorization: auth } });
  if (response.ok && (await response.json()).bound) break;
  await new Promise((r) => setTimeout(r, 500));
}
clearTimeout(deadline);
console.log(`bound: ${clientId}`);
process.exit(0);
