// The hub's products and devices. A registry file is JSON:
//   {"products":[{"productId":"..","productSecret":"..","devices":[{"deviceName":"..","deviceSecret":".."}]}]}
// --device PID,NAME,SECRET adds one more; the demo device is always there so that
// `npm start` works with no set-up.
import fs from 'node:fs';

export const DEMO_DEVICE = { productId: 'DEMOPRD001', deviceName: 'demo-dev', deviceSecret: 'ZGVtby1kZXZpY2Utc2VjcmV0' };

export class Registry {
  constructor() {
    this.products = new Map(); // productId -> {productId, productSecret, devices: Map(name -> {secret})}
    this.addDevice(DEMO_DEVICE.productId, DEMO_DEVICE.deviceName, DEMO_DEVICE.deviceSecret);
  }

  static fromOptions({ file, devices = [] }) {
    const registry = new Registry();
    if (file) registry.load(JSON.parse(fs.readFileSync(file, 'utf8')));
    for (const spec of devices) {
      const [pid, name, secret] = spec.split(',');
      if (!pid || !name || !secret) throw new Error(`--device takes PID,NAME,SECRET, not ${spec}`);
      registry.addDevice(pid, name, secret);
    }
    return registry;
  }

  load(data) {
    for (const p of data.products || []) {
      const product = this.product(p.productId);
      if (p.productSecret) product.productSecret = p.productSecret;
      for (const d of p.devices || []) this.addDevice(p.productId, d.deviceName, d.deviceSecret);
    }
  }

  product(productId) {
    let product = this.products.get(productId);
    if (!product) this.products.set(productId, (product = { productId, productSecret: null, devices: new Map() }));
    return product;
  }

  addDevice(productId, deviceName, deviceSecret) {
    this.product(productId).devices.set(deviceName, { secret: deviceSecret });
  }

  /** The device whose MQTT client id is <pid><dev>, with its product id and name. */
  findByClientId(clientId) {
    for (const [pid, product] of this.products) {
      if (!clientId.startsWith(pid)) continue;
      const name = clientId.slice(pid.length);
      const device = product.devices.get(name);
      if (device) return { pid, name, secret: device.secret };
    }
    return undefined;
  }
}
