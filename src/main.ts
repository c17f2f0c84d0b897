// The core's entry: what the image selector (src/boot/select-image.js) loads at every boot.
// Loading it locks the UART away from the JavaScript console and Telnet before a byte is read;
// start() then runs the start module (settings, the radio's events, a self-update's
// confirmation), starts answering AT commands and says `ready`. Everything the core imports stays in RAM for as long
// as the firmware runs; the rest of the firmware is in modules/, loaded when needed.
import { startEngine } from './at/engine';
import { lookupCommand } from './commands/table';
import { loadModule, Mod } from './module-loader';
import type * as StartModule from '../modules/start';

// Without echo, moving the console prints nothing ("-> null") on the UART the MCU reads.
echo(false);
E.setConsole(null, { force: true });
require('TelnetServer').setOptions({ mode: 'off' });

export function start(): void {
  // The ESP8266 opens an open access point on first boot; only provisioning may open one.
  require('Wifi').stopAP();
  Serial1.setup(115200, {});
  (loadModule(Mod.Start) as typeof StartModule).boot();
  startEngine(lookupCommand);
  Serial1.write('ready\r\n');
}
