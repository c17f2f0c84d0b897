// The AT commands of chapters 2 and 6 (device and product info, registration, provisioning, module settings): loaded for one command, dropped after.
export { command } from '../src/commands/device';
