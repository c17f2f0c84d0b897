// AT+TCDEBUG and the debug console over WiFi it opens: loaded for the command, held while the console listens.
export { command, openHeld, listenIfOn } from '../src/commands/debug-console';
