// Chapter 4: OTA of the MCU's firmware. AT+TCOTASET starts listening for updates (cloud/ota.ts);
// AT+TCFWINFO? and AT+TCREADFWDATA let the MCU read a verified image out of the staging area.
import { QUERY, TEST, SET, finish } from '../at/engine';
import { parseArgs } from '../at/args';
import { sendLine } from '../at/output';
import { cme, help, result, Cme } from './reply';
import { settings } from '../store/settings';
import { activity } from '../state';
import { session, UP } from '../cloud/session';
import { ota, otaDisable } from '../cloud/ota';
import { updatesEnable } from '../cloud/self-update';

const NO_FIRMWARE = 205;
const EXECUTION_ERROR = 209;
const MAX_READ = 4096;
const READ_SLICE = 512;

export function otaCommand(form: number, params: string, name: string): boolean {
  const image = ota.image && ota.image.valid ? ota.image : undefined;
  if (name === 'AT+TCOTASET') {
    if (form === TEST) return help('+TCOTASET:1(ENABLE)/0(DISABLE),"FW_version"');
    if (form === QUERY) return help('+TCOTASET:' + (ota.enabled ? 1 : 0) + ',"' + ota.version + '"');
    const a = form === SET ? parseArgs(params, 'ns') : null;
    if (!a) return false;
    const version = a[1] as string;
    if (!(a[0] === 0 || a[0] === 1) || !version || version.length > 32) return cme(Cme.ParamInvalid);
    if (activity.otaDownloading && a[0] === 1) return cme(Cme.BusyOta);
    if (session.state !== UP) return cme(Cme.NotReady);
    sendLine('OK');
    if (a[0] === 0) {
      otaDisable();
      finish(result('TCOTASET', 0));
      return true;
    }
    updatesEnable(version, function (code) {
      finish(result('TCOTASET', code));
    });
    return true;
  }
  if (name === 'AT+TCFWINFO') {
    if (form === TEST) return help('+TCFWINFO:"FW_VERSION","FW_SIZE","FW_MD5","FW_MAX_SIZE_OF_MODULE"');
    if (form !== QUERY) return false;
    if (activity.otaDownloading) return cme(Cme.BusyOta);
    if (!image) return cme(NO_FIRMWARE);
    // OK comes first here, as on the shipped firmware; the read offset starts again.
    ota.readAt = 0;
    sendLine('OK');
    finish('+TCFWINFO:"' + image.version + '",' + image.size + ',"' + image.md5 + '",' + settings.module.max);
    return true;
  }
  // AT+TCREADFWDATA=<len>: OK, then +TCREADFWDATA:<n>, and n raw bytes (fewer at the end).
  if (form === TEST) return help('+TCREADFWDATA:"LEN_FOR_READ"');
  const a = form === SET ? parseArgs(params, 'n') : null;
  if (!a) return false;
  const want = a[0] as number;
  if (!(want >= 1 && want <= MAX_READ)) return cme(Cme.ParamInvalid);
  if (activity.otaDownloading) return cme(Cme.BusyOta);
  if (!image) return cme(NO_FIRMWARE);
  const n = Math.min(want, image.size - ota.readAt);
  if (n <= 0) return cme(EXECUTION_ERROR);
  sendLine('OK');
  Serial1.write('+TCREADFWDATA:' + n + ',');
  const flash = require('Flash');
  for (let at = 0; at < n; at += READ_SLICE) Serial1.write(flash.read(Math.min(READ_SLICE, n - at), settings.module.base + ota.readAt + at));
  ota.readAt += n;
  sendLine('');
  finish();
  return true;
}
