// A local IoT hub run by the test itself (so it can be killed, restarted and paused), its
// backend client, and a simulated module whose cloud names resolve to it.
import mqtt from 'mqtt';
import { IotHub } from '../../sim/hub/hub.js';
import { Registry, DEMO_DEVICE } from '../../sim/hub/registry.js';
import { SimModule, tempState } from './module.js';

export const PID = DEMO_DEVICE.productId;
export const DEV = DEMO_DEVICE.deviceName;
export const SECRET = DEMO_DEVICE.deviceSecret;
export const CLIENT_ID = PID + DEV;
export const ADMIN_PASSWORD = 'test-admin';

export async function startHub({ ports = { mqttPort: 0, mqttsPort: 0 }, stateDir = tempState('hub-'), pskCiphers } = {}) {
  const hub = new IotHub({ registry: new Registry(), adminPassword: ADMIN_PASSWORD, stateDir, pskCiphers });
  await hub.start(ports);
  return hub;
}

/** The backend: the hub's admin user, collecting what it receives. */
export async function backend(hub) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${hub.ports.mqtt}`, {
    username: 'admin', password: ADMIN_PASSWORD, clientId: 'backend-' + Math.random().toString(16).slice(2), reconnectPeriod: 0,
  });
  const messages = [];
  const waiters = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload, qos: packet.qos });
    for (const w of waiters.slice()) w();
  });
  return {
    client,
    messages,
    /** Resolves with the next message on `topic` (one already received counts). */
    next(topic, timeout = 10000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const i = messages.findIndex((m) => m.topic === topic);
          if (i < 0) return false;
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          resolve(messages.splice(i, 1)[0]);
          return true;
        };
        const timer = setTimeout(() => { waiters.splice(waiters.indexOf(check), 1); reject(new Error(`no message on ${topic}`)); }, timeout);
        waiters.push(check);
        check();
      });
    },
    close: () => client.endAsync(),
  };
}

export function startModule(hub, { args = [], state } = {}) {
  return SimModule.start({ state, args: ['--cloud', `127.0.0.1:${hub.ports.mqtt}:${hub.ports.mqtts}:${hub.ports.http}`, ...args] });
}

export const until = (name) => new RegExp(`^(\\+${name}:(OK|FAIL.*)|\\+CME ERROR:\\d+|ERROR)$`);

/** Echo off, a device's identity (the demo device's unless told), then AT+TCMQTTCONN once the saved WiFi is joined. */
/** Sets device info (unless `secret` is null: the stored info is used) and connects, waiting for WiFi. */
export async function connectModule(mod, { conn = 'AT+TCMQTTCONN=0,5000,240,1,1', pid = PID, dev = DEV, secret = SECRET } = {}) {
  await mod.command('ATE0');
  if (secret !== null) await mod.command(`AT+TCDEVINFOSET=0,"${pid}","${dev}","${secret}"`, { until: until('TCDEVINFOSET') });
  for (let i = 0; i < 50; i++) {
    const lines = await mod.command(conn, { until: until('TCMQTTCONN') });
    if (lines.at(-1) !== '+CME ERROR:208') return lines;
    await new Promise((resolve) => setTimeout(resolve, 100)); // WiFi still joining
  }
  throw new Error('WiFi never joined');
}
