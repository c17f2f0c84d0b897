// Chapter 4: OTA of the MCU's firmware. AT+TCOTASET starts listening for updates (the module
// modules/ota.ts does the rest); AT+TCFWINFO? and AT+TCREADFWDATA let the MCU read a verified
// image out of the staging area.
import { Form, finish, resultTo } from '../at/engine';
import { parseArgs, matches } from '../at/args';
import { sendLine } from '../at/output';
import { cme, help, Cme } from './reply';
import { settings, Rec } from '../store/settings';
import { loadRecord } from '../store/records';
import { activity, ota } from '../state';
import { loadModule, Mod } from '../module-loader';
import type * as OtaModule from '../../modules/ota';

const NO_FIRMWARE = 205;
const EXECUTION_ERROR = 209;
const MAX_READ = 4096;
const READ_SLICE = 512;

export function command(form: number, params: string, name: string): boolean {
  const record = loadRecord(Rec.OtaInfo);
  const image = record && record.valid ? record : undefined;
  if (name === 'AT+TCOTASET') {
    if (form === Form.Test) return help('+TCOTASET:1(ENABLE)/0(DISABLE),"FW_version"');
    if (form === Form.Query) return help('+TCOTASET:' + (ota.enabled ? 1 : 0) + ',"' + ota.version + '"');
    const a = form === Form.Set ? parseArgs(params, 'ns') : null;
    if (!a) return false;
    // The spec's V.R.C, 1-32 bytes: letters, digits and . _ + - only (it goes into the hub's JSON).
    const version = a[1] as string;
    if (!(a[0] === 0 || a[0] === 1) || !matches(version, /^[A-Za-z0-9._+-]+$/, 32)) return cme(Cme.ParamInvalid);
    if (activity.otaDownloading && a[0] === 1) return cme(Cme.BusyOta);
    if (!activity.mqttConnected) return cme(Cme.NotReady);
    sendLine('OK');
    const updates: typeof OtaModule = loadModule(Mod.Ota);
    if (a[0] === 0) {
      updates.otaDisable();
      finish('+TCOTASET:OK');
      return true;
    }
    updates.updatesEnable(version, resultTo('TCOTASET'));
    return true;
  }
  if (name === 'AT+TCFWINFO') {
    if (form === Form.Test) return help('+TCFWINFO:"FW_VERSION","FW_SIZE","FW_MD5","FW_MAX_SIZE_OF_MODULE"');
    if (form !== Form.Query) return false;
    if (activity.otaDownloading) return cme(Cme.BusyOta);
    if (!image) return cme(NO_FIRMWARE);
    // OK comes first here, as on the shipped firmware; the read offset starts again.
    ota.readAt = 0;
    sendLine('OK');
    finish('+TCFWINFO:"' + image.version + '",' + image.size + ',"' + image.md5 + '",' + settings.module.max);
    return true;
  }
  // AT+TCREADFWDATA=<len>: OK, then +TCREADFWDATA:<n>, and n raw bytes (fewer at the end).
  if (form === Form.Test) return help('+TCREADFWDATA:"LEN_FOR_READ"');
  const a = form === Form.Set ? parseArgs(params, 'n') : null;
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
