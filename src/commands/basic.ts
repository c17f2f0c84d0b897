// Chapter 1.3: the ESP-AT basics MCU software sends first.
import { EXEC, setEcho } from '../at/engine';
import { sendLine } from '../at/output';
import { ok } from './reply';
import { restartSoon, restoreAndRestart } from './restart';
import { FW_VERSION, COMPILE_TIME } from '../version';

export function AT(form: number): boolean {
  if (form !== EXEC) return false;
  ok();
  return true;
}

function echo(on: boolean, form: number): boolean {
  if (form !== EXEC) return false;
  setEcho(on);
  ok();
  return true;
}

export function ATE0(form: number): boolean {
  return echo(false, form);
}

export function ATE1(form: number): boolean {
  return echo(true, form);
}

export function RST(form: number): boolean {
  if (form !== EXEC) return false;
  ok();
  restartSoon();
  return true;
}

export function GMR(form: number): boolean {
  if (form !== EXEC) return false;
  sendLine('AT version:' + FW_VERSION + '(' + COMPILE_TIME + ')');
  sendLine('SDK version:Espruino ' + process.env.VERSION);
  sendLine('compile time:' + COMPILE_TIME);
  ok();
  return true;
}

/** Factory reset: everything but module info (the hardware's description), WiFi included. */
export function RESTORE(form: number): boolean {
  return form === EXEC && restoreAndRestart(true);
}
