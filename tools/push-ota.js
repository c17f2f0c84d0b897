// npm run ota -- orders an update from the simulator's hub, as Tencent's console does:
//   npm run ota -- --hub http://127.0.0.1:<http port> --device <pid><dev> --version 2.0.0 --file image.bin [--module]
//   npm run ota -- --hub ... --device <pid><dev> --reports
// The port is the last of the hub's ports in the simulator's READY line (hub=host:mqtt/mqtts/http).
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    hub: { type: 'string' }, device: { type: 'string' }, version: { type: 'string' }, file: { type: 'string' },
    module: { type: 'boolean', default: false }, reports: { type: 'boolean', default: false },
    'admin-password': { type: 'string', default: 'admin' },
  },
});
if (!values.hub || !values.device || (!values.reports && (!values.version || !values.file))) {
  console.error('usage: npm run ota -- --hub http://HOST:PORT --device PIDDEV (--version V --file F [--module] | --reports) [--admin-password PW]');
  process.exit(2);
}
const auth = 'Basic ' + Buffer.from(`admin:${values['admin-password']}`).toString('base64');
const query = new URLSearchParams({ device: values.device, ...(values.version ? { version: values.version } : {}) });
const url = `${values.hub.replace(/\/$/, '')}/admin/${values.reports ? 'reports' : values.module ? 'module' : 'firmware'}?${query}`;
const response = await fetch(url, values.reports
  ? { headers: { authorization: auth } }
  : { method: 'POST', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body: fs.readFileSync(values.file) });
console.log(JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);
