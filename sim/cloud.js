// Where the simulated module's cloud is: the local hub started here (default), an external
// one (HOST:MQTT_PORT[:MQTTS_PORT], e.g. a hub a test runs), or none.
import path from 'node:path';
import { IotHub } from './hub/hub.js';
import { Registry } from './hub/registry.js';

export const CLOUD_NAMES = ['*.iotcloud.tencentdevices.com', 'gateway.tencentdevices.com', '*.myqcloud.com'];

/** Returns {hub, host, ports: {1883: port, 8883: port, 80: port}} or null for --cloud none. */
export async function startCloud({ cloud, mqttPort, mqttsPort, httpPort = 0, adminPassword, registryFile, devices, products, stateDir, log }) {
  if (cloud === 'none') return null;
  if (cloud !== 'local') {
    const [host, mqtt, mqtts, http] = cloud.split(':');
    if (!host || !Number(mqtt)) throw new Error('--cloud takes local, none or HOST:MQTT_PORT[:MQTTS_PORT[:HTTP_PORT]]');
    return { hub: null, host, ports: { 1883: Number(mqtt), 8883: Number(mqtts) || Number(mqtt), 80: Number(http) || 80 } };
  }
  const registry = Registry.fromOptions({ file: registryFile, devices, products });
  const hub = new IotHub({ registry, adminPassword, stateDir: path.join(stateDir, 'hub'), log });
  try {
    const ports = await hub.start({ mqttPort, mqttsPort, httpPort });
    return { hub, host: ports.host, ports: { 1883: ports.mqtt, 8883: ports.mqtts, 80: ports.http } };
  } catch (err) {
    if (err.code === 'EADDRINUSE') throw new Error(`port ${err.port} is in use: pick others with --mqtt-port/--mqtts-port/--http-port (0 = any free port)`);
    throw err;
  }
}

/** The module's DNS: the cloud's names (hub, registration gateway, OTA file host) point at the hub, and their standard ports at the hub's. */
export function routeCloud(network, cloud) {
  if (!cloud) return;
  for (const name of CLOUD_NAMES) network.addHost(name, cloud.host, cloud.ports);
}
