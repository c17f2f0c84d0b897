// The simulated module in the test's own process, for tests that change the world around
// it (an access point going away): same Device as the CLI's, same line helpers as SimModule.
import fs from 'node:fs';
import { Device } from '../../sim/device.js';
import { routeCloud } from '../../sim/cloud.js';
import { buildIfNeeded } from '../../sim/build-if-needed.js';
import { SimModule, tempState } from './module.js';

export class InProcessModule extends SimModule {
  static async start({ state = tempState(), hub, world } = {}) {
    const mod = new InProcessModule(state);
    mod.device = new Device({ stateDir: state, world, toHost: (buf) => { mod.received = Buffer.concat([mod.received, buf]); mod.wake(); } });
    if (hub) routeCloud(mod.device.network, { host: hub.ports.host, ports: { 1883: hub.ports.mqtt, 8883: hub.ports.mqtts, 80: hub.ports.http } });
    mod.device.install(fs.readFileSync(buildIfNeeded(() => {}), 'latin1'));
    mod.device.powerOn();
    await mod.expectLine('ready');
    return mod;
  }

  write(data) {
    this.device.receive(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  async kill() {
    this.device.shutdown();
  }
}
