// Tencent's MQTT key authentication, checked the way the IoT hub checks it:
// username "<pid><dev>;<sdkappid>;<connid>;<expiry>", password
// "<hex HMAC(base64-decoded device secret, username)>;hmacsha1|hmacsha256".
import crypto from 'node:crypto';

const ALGORITHMS = { hmacsha1: 'sha1', hmacsha256: 'sha256' };

export function signUsername(deviceSecret, username, method = 'hmacsha1') {
  const key = Buffer.from(deviceSecret, 'base64');
  return crypto.createHmac(ALGORITHMS[method], key).update(username).digest('hex') + ';' + method;
}

export function makeUsername(clientId, { appId = '12010126', connId = 'a1B2c', expiry }) {
  return `${clientId};${appId};${connId};${expiry}`;
}

/**
 * Why a device's CONNECT is refused, or null when it is accepted.
 * `findDevice(clientId)` gives {secret} or undefined; `nowS` is the hub's Unix time.
 */
export function checkDeviceLogin({ clientId, username, password, findDevice, nowS, pskIdentity }) {
  const parts = String(username || '').split(';');
  if (parts.length !== 4) return 'username is not <clientid>;<sdkappid>;<connid>;<expiry>';
  const [id, appId, connId, expiryText] = parts;
  if (id !== clientId) return `username names ${id}, client id is ${clientId}`;
  if (!/^[0-9]+$/.test(appId) || !/^[A-Za-z0-9]{5}$/.test(connId)) return 'bad sdkappid or connid';
  const device = findDevice(clientId);
  if (!device) return `no device ${clientId} in the registry`;
  const expiry = Number(expiryText);
  if (!/^[0-9]+$/.test(expiryText) || expiry <= nowS) return `signature expired at ${expiryText} (now ${nowS})`;
  // Over TLS-PSK the handshake was the authentication: the client id must be its identity, no password is needed.
  if (pskIdentity !== undefined) return pskIdentity === clientId ? null : `client id ${clientId} is not the TLS-PSK identity ${pskIdentity}`;
  const text = String(password || '');
  const method = text.slice(text.lastIndexOf(';') + 1);
  if (!ALGORITHMS[method]) return 'password does not end in ;hmacsha1 or ;hmacsha256';
  const expected = signUsername(device.secret, username, method);
  const a = Buffer.from(text);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return 'wrong signature';
  return null;
}
