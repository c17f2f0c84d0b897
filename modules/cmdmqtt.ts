// The AT commands of chapter 3 (MQTT): loaded for one command, dropped after.
export { command } from '../src/commands/mqtt';
