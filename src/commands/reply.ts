// Short ways for handlers to end a command, and the refusals commands share.
import { finish } from '../at/engine';
import { sendLine } from '../at/output';
import { activity } from '../state';

/** +CME ERROR codes (a const enum: inlined, no RAM on the device). */
export const enum Cme { BusyOta = 200, ParamInvalid = 204, FlashError = 207, NotReady = 208 }

export function cme(code: number): boolean {
  finish('+CME ERROR:' + code);
  return true;
}

/** Prints `line` (a query's data or a test form's help line), then OK. */
export function help(line: string): boolean {
  if (line) sendLine(line);
  finish('OK');
  return true;
}

/** `+<name>:OK`, or `:FAIL,<code>` (0 is success). */
export function result(name: string, code: number): string {
  return '+' + name + (code ? ':FAIL,' + code : ':OK');
}

/** Prints OK now; the command's own result line follows, with the code `work` returns (0 = OK). */
export function okThen(name: string, work: () => number): boolean {
  sendLine('OK');
  finish(result(name, work()));
  return true;
}

/** Settings may not change while MQTT is up (208) or an OTA download runs (200); 0 when they may. */
export function settingsRefusal(): number {
  if (activity.otaDownloading) return Cme.BusyOta;
  if (activity.mqttConnected) return Cme.NotReady;
  return 0;
}
