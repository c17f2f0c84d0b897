// Chapter 1.3: the ESP-AT basics MCU software sends first.
import { Form, engineOptions, finish } from '../at/engine';
import { sendLine } from '../at/output';
import { restartSoon, restoreAndRestart } from './restart';

export function command(form: number, params: string, name: string): boolean {
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
