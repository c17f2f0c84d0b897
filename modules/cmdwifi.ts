// ESP-AT's WiFi commands (AT+CWMODE, AT+CWJAP, AT+CWQAP, AT+CWLAP, AT+CIPSTA): loaded for one command, dropped after.
export { command } from '../src/commands/wifi';
