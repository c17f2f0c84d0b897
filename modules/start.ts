// Run once at every boot, then dropped: settings into RAM, the radio's events, the module's own update confirmed.
export { boot } from '../src/boot/start';
