// Chapter 1.3: the ESP-AT basics MCU software sends first, and two commands Tencent's AT test
// tool sends: AT+SYSRAM? (ESP-AT's free memory) and AT+TCLOG (the shipped firmware's log level).
import { Form, engineOptions, finish } from '../at/engine';
import { parseArgs } from '../at/args';
import { sendLine } from '../at/output';
import { help } from './reply';
import { restartSoon, restoreAndRestart } from './restart';

export function command(form: number, params: string, name: string): boolean {
  if (name === 'AT+SYSRAM') {
    // ESP-AT's two numbers: the C heap's free bytes (sockets and the SDK live there), then the
    // JavaScript heap's free variables (12 bytes each: what the firmware itself runs out of).
    if (form !== Form.Query) return false;
    const esp = require('ESP8266');
    const heap = esp.getState ? esp.getState().freeHeap : 0;
    return help('+SYSRAM:' + heap + ',' + process.memory(false).free);
  }
  if (name === 'AT+TCLOG') {
    // Accepted as the shipped firmware does (its test tool sends it first); this firmware prints
    // no log on the UART, so there is nothing to change.
    if (form === Form.Test) return help('+TCLOG:"LOG_ON(0/1)","LOG_LEVEL(0-5)"');
    const a = form === Form.Set ? parseArgs(params, 'n?n') : null;
    return !!a && help('');
  }
  if (form !== Form.Exec) return false;
  switch (name) {
    case 'ATE0':
    case 'ATE1':
      engineOptions.echo = name === 'ATE1';
      break;
    case 'AT+RST':
      restartSoon();
      break;
    case 'AT+GMR':
      sendLine('AT version:' + __AT_VERSION__ + '(' + __COMPILE_TIME__ + ')');
      sendLine('SDK version:Espruino ' + process.env.VERSION);
      sendLine('compile time:' + __COMPILE_TIME__);
      break;
    case 'AT+RESTORE':
      // Factory reset: everything but module info (the hardware's description), WiFi included.
      return restoreAndRestart(true);
  }
  finish('OK');
  return true;
}
