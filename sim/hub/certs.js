// The hub's TLS material: a CA of its own (kept in the state folder, so a module that stored
// it keeps trusting the hub) and a server certificate for *.iotcloud.tencentdevices.com.
import fs from 'node:fs';
import path from 'node:path';
import selfsigned from 'selfsigned';

const SERVER_NAMES = ['*.iotcloud.tencentdevices.com', 'iotcloud.tencentdevices.com', 'localhost'];

export async function loadOrCreateCerts(dir) {
  const file = path.join(dir, 'hub-tls.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const days = (n) => new Date(Date.now() + n * 86400000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Local IoT hub CA' }], {
    keyType: 'ec', algorithm: 'sha256', notAfterDate: days(3650),
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: SERVER_NAMES[0] }], {
    keyType: 'ec', algorithm: 'sha256', notAfterDate: days(3650), ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...SERVER_NAMES.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const certs = { ca: ca.cert, cert: server.cert, key: server.private };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(certs));
  return certs;
}
