// Boot: lock the UART away from the JavaScript console and Telnet before reading a byte,
// load the settings, start answering AT commands, say `ready`.
import { startEngine } from './at/engine';
import { lookupCommand } from './commands/table';
// Importing these loads the settings, the OTA state and the update trial, and listens to the
// link and the radio (each module's boot code).
import './store/settings';
import './cloud/self-update';
import './cloud/session';

E.setConsole(null, { force: true });
require('TelnetServer').setOptions({ mode: 'off' });
// The ESP8266 opens an open access point on first boot; only provisioning may open one.
require('Wifi').stopAP();
Serial1.setup(115200, {});
startEngine(lookupCommand);
Serial1.write('\r\nready\r\n');
