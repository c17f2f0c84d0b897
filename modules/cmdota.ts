// The AT commands of chapter 4 (OTA of the MCU's firmware): loaded for one command, dropped after.
export { command } from '../src/commands/ota';
