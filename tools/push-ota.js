// npm run ota -- orders an update from the simulator's hub, as Tencent's console does:
//   npm run ota -- --hub http://127.0.0.1:<http port> --device <pid><dev> --version 2.0.0 --file image.bin [--module]
//   npm run ota -- --hub ... --device <pid><dev> --reports
// The port is the last of the hub's ports in the simulator's READY line (hub=host:mqtt/mqtts/http).
// Nothing happens on the module until its MCU has sent AT+TCOTASET=1,"<its version>": the hub
// orders the update when the module reports its version. With --module the file must be a
// firmware package (npm run build) built as --version: a package that says it is another
// version would be ordered again and again.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { unpack } from './firmware-package.js';

const USAGE = 'usage: npm run ota -- --hub http://HOST:PORT --device PIDDEV (--version V --file F [--module] | --reports) [--admin-password PW]';

function fail(message) {
  console.error(`npm run ota: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      hub: { type: 'string' }, device: { type: 'string' }, version: { type: 'string' }, file: { type: 'string' },
      module: { type: 'boolean', default: false }, reports: { type: 'boolean', default: false },
      'admin-password': { type: 'string', default: 'admin' }, help: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  fail(`${err.message}\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.hub || !values.device || (!values.reports && (!values.version || !values.file))) fail(USAGE);
let body;
if (!values.reports) {
  try {
    body = fs.readFileSync(values.file);
  } catch (err) {
    fail(`cannot read ${values.file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  if (values.module) {
    let version;
    try {
      version = unpack(body).version;
    } catch (err) {
      fail(`${values.file} is not a firmware package (npm run build makes dist/firmware.tcfw): ${err.message}`);
    }
    if (version !== values.version) {
      fail(`${values.file} was built as version ${version}, not ${values.version}: build it as ${values.version} (FIRMWARE_VERSION=${values.version} npm run build), or order ${version}`);
    }
  }
}
const auth = 'Basic ' + Buffer.from(`admin:${values['admin-password']}`).toString('base64');
const query = new URLSearchParams({ device: values.device, ...(values.version ? { version: values.version } : {}) });
const url = `${values.hub.replace(/\/$/, '')}/admin/${values.reports ? 'reports' : values.module ? 'module' : 'firmware'}?${query}`;
let response;
try {
  response = await fetch(url, values.reports
    ? { headers: { authorization: auth } }
    : { method: 'POST', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body });
} catch (err) {
  fail(`no hub at ${values.hub} (${err.cause ? err.cause.code || err.cause.message : err.message}): is the simulator running, and is this its HTTP port (the last one in its READY line)?`);
}
const text = await response.text();
if (!response.ok) {
  console.error(`npm run ota: the hub refused: ${response.status} ${text}`);
  process.exit(1);
}
console.log(text.startsWith('{') || text.startsWith('[') ? JSON.stringify(JSON.parse(text), null, 2) : text);
if (!values.reports) console.error(`ordered: ${values.module ? 'the module\'s own firmware' : 'the MCU\'s firmware'} ${values.version}; the module takes it once its MCU has sent AT+TCOTASET=1,"<version>"`);
