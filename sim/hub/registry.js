// The hub's products and devices. A registry file is JSON:
//   {"products":[{"productId":"..","productSecret":"..","register":"off|precreate|autocreate","autoCreateLimit":N,
//     "devices":[{"deviceName":"..","deviceSecret":".."}]}]}
// `register` is the product's dynamic registration: off, only devices created beforehand
// (precreate), or devices created on their first registration, up to autoCreateLimit.
// --device PID,NAME,SECRET adds one more device and --product PID,SECRET,MODE[,LIMIT] one
// more product; the demo device and the demo product are always there so that `npm start`
// works with no set-up.
import fs from 'node:fs';

export const DEMO_DEVICE = { productId: 'DEMOPRD001', deviceName: 'demo-dev', deviceSecret: 'ZGVtby1kZXZpY2Utc2VjcmV0' };
/** A product whose devices register themselves (AT+TCPRDINFOSET, then AT+TCDEVREG). */
export const DEMO_PRODUCT = { productId: 'DEMOPRD002', productSecret: 'demo-product-secret-0123456789ab', register: 'autocreate', autoCreateLimit: 100 };
/** How often one device may register before it first connects (Tencent's ExceedRegisterTimes). */
export const MAX_REGISTRATIONS = 5;
const MODES = ['off', 'precreate', 'autocreate'];

export class Registry {
  constructor() {
    this.products = new Map(); // productId -> {productId, productSecret, devices: Map(name -> {secret})}
    this.addDevice(DEMO_DEVICE.productId, DEMO_DEVICE.deviceName, DEMO_DEVICE.deviceSecret);
    this.addProduct(DEMO_PRODUCT);
  }

  static fromOptions({ file, devices = [], products = [] }) {
    const registry = new Registry();
    for (const spec of products) {
      const [productId, productSecret, register, limit] = spec.split(',');
      if (!productId || !productSecret || !MODES.includes(register)) throw new Error(`--product takes PID,SECRET,off|precreate|autocreate[,LIMIT], not ${spec}`);
      registry.addProduct({ productId, productSecret, register, autoCreateLimit: Number(limit) || 100 });
    }
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
      const product = this.addProduct(p);
      for (const d of p.devices || []) this.addDevice(p.productId, d.deviceName, d.deviceSecret);
    }
  }

  product(productId) {
    let product = this.products.get(productId);
    if (!product) this.products.set(productId, (product = { productId, productSecret: null, register: 'off', autoCreateLimit: 0, autoCreated: 0, devices: new Map() }));
    return product;
  }

  addProduct({ productId, productSecret, register, autoCreateLimit }) {
    const product = this.product(productId);
    if (productSecret) product.productSecret = productSecret;
    if (register) product.register = register;
    if (autoCreateLimit !== undefined) product.autoCreateLimit = autoCreateLimit;
    return product;
  }

  /** `secret` may be null: a device created beforehand for dynamic registration, which gives it one. */
  addDevice(productId, deviceName, deviceSecret) {
    this.product(productId).devices.set(deviceName, { secret: deviceSecret, registrations: 0, activated: false });
  }

  /** A device has connected: from now on it may not register again (Tencent's DeviceHasRegistered). */
  activate(productId, deviceName) {
    const device = this.products.get(productId)?.devices.get(deviceName);
    if (device) device.activated = true;
  }

  /** The device whose MQTT client id is <pid><dev>, with its product id and name. */
  findByClientId(clientId) {
    for (const [pid, product] of this.products) {
      if (!clientId.startsWith(pid)) continue;
      const name = clientId.slice(pid.length);
      const device = product.devices.get(name);
      if (device && device.secret) return { pid, name, secret: device.secret };
    }
    return undefined;
  }
}
