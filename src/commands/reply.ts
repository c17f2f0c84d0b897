// Short ways for handlers to end a command, and the refusals commands share.
import { finish } from '../at/engine';
import { sendLine } from '../at/output';
import { activity } from '../state';

export const BUSY_OTA = 200;
export const PARAM_INVALID = 204;
export const FLASH_ERROR = 207;
export const NOT_READY = 208;

export function ok(): void {
  finish('OK');
}

export function cme(code: number): void {
  finish('+CME ERROR:' + code);
}

/** Prints OK now; the command's own result line follows, with the code `work` returns (0 = OK). */
export function okThen(name: string, work: () => number): void {
  sendLine('OK');
  const code = work();
  finish(code ? '+' + name + ':FAIL,' + code : '+' + name + ':OK');
}

/** Settings may not change while MQTT is up (208) or an OTA download runs (200); 0 when they may. */
export function settingsRefusal(): number {
  if (activity.otaDownloading) return BUSY_OTA;
  if (activity.mqttConnected) return NOT_READY;
  return 0;
}

export function quote(text: string): string {
  return '"' + text + '"';
}
