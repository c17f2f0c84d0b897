// The AT commands of chapter 1.3 (ESP-AT's basics): loaded for one command, dropped after.
export { command } from '../src/commands/basic';
