// The dynamic registration gateway (gateway.tencentdevices.com/register/dev, plain HTTP as
// the module uses it): the request signed with the product secret is checked, the device is
// found or (auto-create products) created, given a new secret, and that secret is sent back
// AES-128-CBC encrypted under the product secret's first 16 characters, IV sixteen '0's, zero
// padded, as Tencent does. Refusals carry the codes of the spec's chapter 7.3.
import crypto from 'node:crypto';
import { MAX_REGISTRATIONS } from './registry.js';

const MAX_BODY = 4096;
const CLOCK_SKEW_S = 300;
export const REG = { INTERNAL: 1000, NO_PRODUCT: 1004, BAD_PARAM: 1006, BAD_SIGNATURE: 1010, NOT_SUPPORTED: 1011,
  TOO_MANY_TIMES: 1012, NO_DEVICE: 1020, REGISTERED: 1021, AUTO_LIMIT: 1031 };

export function registrationSignature(productSecret, { deviceName, nonce, productId, timestamp }) {
  const text = `deviceName=${deviceName}&nonce=${nonce}&productId=${productId}&timestamp=${timestamp}`;
  return Buffer.from(crypto.createHmac('sha1', Buffer.from(productSecret, 'latin1')).update(text).digest('hex')).toString('base64');
}

export function encryptPayload(productSecret, plaintext) {
  const data = Buffer.from(plaintext);
  const padded = Buffer.concat([data, Buffer.alloc((16 - (data.length % 16)) % 16)]);
  const cipher = crypto.createCipheriv('aes-128-cbc', Buffer.from(productSecret.slice(0, 16), 'latin1'), Buffer.from('0'.repeat(16)));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

export function registrationHandler(hub) {
  return (req, res) => {
    const answer = (data) => {
      const body = JSON.stringify(data);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const refuse = (code, message) => {
      hub.log('hub', `registration refused: ${code} ${message}`);
      hub.registrations.push({ code });
      answer({ code, message });
    };
    let text = '';
    req.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      let request;
      try { request = JSON.parse(text); } catch { return refuse(REG.BAD_PARAM, 'the body is not JSON'); }
      const { productId, deviceName, nonce, timestamp, signature } = request || {};
      if (typeof productId !== 'string' || typeof deviceName !== 'string' || !deviceName || !Number.isInteger(nonce)
        || !Number.isInteger(timestamp) || typeof signature !== 'string') return refuse(REG.BAD_PARAM, 'missing or malformed fields');
      if (Math.abs(timestamp - hub.clock() / 1000) > CLOCK_SKEW_S) return refuse(REG.BAD_PARAM, 'timestamp out of range');
      const product = hub.registry.products.get(productId);
      if (!product || !product.productSecret) return refuse(REG.NO_PRODUCT, `no product ${productId}`);
      if (signature !== registrationSignature(product.productSecret, request)) return refuse(REG.BAD_SIGNATURE, 'wrong signature');
      if (product.register === 'off') return refuse(REG.NOT_SUPPORTED, 'dynamic registration is off for this product');
      let device = product.devices.get(deviceName);
      if (!device) {
        if (product.register !== 'autocreate') return refuse(REG.NO_DEVICE, `no device ${deviceName} was created beforehand`);
        if (product.autoCreated >= product.autoCreateLimit) return refuse(REG.AUTO_LIMIT, 'auto-created devices at their limit');
        hub.registry.addDevice(productId, deviceName, null);
        product.autoCreated++;
        device = product.devices.get(deviceName);
      } else if (device.activated) {
        return refuse(REG.REGISTERED, `${deviceName} has connected already`);
      }
      if (device.registrations >= MAX_REGISTRATIONS) return refuse(REG.TOO_MANY_TIMES, `${deviceName} registered too often`);
      device.registrations++;
      device.secret = crypto.randomBytes(18).toString('base64');
      hub.registrations.push({ code: 0, productId, deviceName });
      hub.log('hub', `registered ${productId}/${deviceName}`);
      const plaintext = JSON.stringify({ encryptionType: 2, psk: device.secret });
      answer({ code: 0, message: 'success', len: plaintext.length, payload: encryptPayload(product.productSecret, plaintext) });
    });
  };
}
