// Chapter 2 (device and product identity) and 6.5-6.7 (module info, server, versions).
// RegExp literals stay inside the functions: made when used, they cost no RAM between commands.
import { EXEC, QUERY, TEST, SET } from '../at/engine';
import { parseArgs, Arg } from '../at/args';
import { sendLine } from '../at/output';
import { ok, cme, okThen, settingsRefusal, quote, PARAM_INVALID, NOT_READY, FLASH_ERROR } from './reply';
import { restoreAndRestart } from './restart';
import { settings, store, DEVICE, PRODUCT, MODULE, SERVER, ModuleInfo, SettingKey } from '../store/settings';
import { bcc } from '../crypto/bcc';
import { FW_VERSION, SDK_VERSION, COMPILE_TIME } from '../version';
import { tlsModes, tlsModeOk } from '../cloud/tls';

const DEFAULT_REGION = 'ap-guangzhou';

/** Espruino's RegExp has no {n,m}: the length is checked apart. */
export function matches(value: Arg, pattern: RegExp, maxLength: number): boolean {
  return typeof value === 'string' && value.length <= maxLength && pattern.test(value);
}

function productIdOk(v: Arg): boolean {
  return matches(v, /^[A-Za-z0-9_-]+$/, 10);
}

function deviceNameOk(v: Arg): boolean {
  return matches(v, /^[A-Za-z0-9_:@.-]+$/, 48);
}

/**
 * The set form every settings command shares: parameters of `spec`, refused while MQTT or
 * OTA runs, checked by `check`, then OK and +NAME:OK (or FAIL,207 when flash refused).
 */
export function setting(name: string, params: string, spec: string, check: (a: Arg[]) => any, file: string, key: SettingKey): boolean {
  const a = parseArgs(params, spec);
  if (!a) return false;
  const refusal = settingsRefusal();
  if (refusal) {
    cme(refusal);
    return true;
  }
  const value = check(a);
  if (value === undefined) {
    cme(PARAM_INVALID);
    return true;
  }
  okThen(name, function () {
    return store(file, key, value) ? 0 : FLASH_ERROR;
  });
  return true;
}

/** Prints the help line of a test form (`=?`). */
export function help(line: string): boolean {
  sendLine(line);
  ok();
  return true;
}

export function TCDEVINFOSET(form: number, params: string): boolean {
  if (form === TEST) return help('+TCDEVINFOSET:"TLSMODE(' + tlsModes().join('/') + ')","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"');
  if (form === QUERY) {
    const d = settings.device;
    if (!d) cme(NOT_READY);
    else help('+TCDEVINFOSET:' + d.tls + ',' + quote(d.pid) + ',' + quote(d.dev) + ',' + bcc(d.secret) + ',' + quote(d.region));
    return true;
  }
  if (form !== SET) return false;
  return setting('TCDEVINFOSET', params, 'nsss?s', function (a) {
    const valid = tlsModeOk(a[0]) && productIdOk(a[1]) && deviceNameOk(a[2]) && matches(a[3], /^[A-Za-z0-9+\/=]+$/, 44)
      && (a[4] === undefined || matches(a[4], /^[a-z0-9-]+$/, 32));
    return valid ? { tls: a[0], pid: a[1], dev: a[2], secret: a[3], region: a[4] || DEFAULT_REGION } : undefined;
  }, DEVICE, 'device');
}

export function TCPRDINFOSET(form: number, params: string): boolean {
  if (form === TEST) return help('+TCPRDINFOSET:"TLS_MODE(' + tlsModes().join('/') + ')","PRODUCT_ID","PRODUCT_SECRET","DEVICE_NAME"');
  if (form === QUERY) {
    const p = settings.product;
    if (!p) cme(NOT_READY);
    else help('+TCPRDINFOSET:' + p.tls + ',' + quote(p.pid) + ',' + bcc(p.secret) + ',' + quote(p.dev));
    return true;
  }
  if (form !== SET) return false;
  return setting('TCPRDINFOSET', params, 'nsss', function (a) {
    const valid = tlsModeOk(a[0]) && productIdOk(a[1]) && matches(a[2], /^[!-~]+$/, 32) && deviceNameOk(a[3]);
    return valid ? { tls: a[0], pid: a[1], secret: a[2], dev: a[3] } : undefined;
  }, PRODUCT, 'product');
}

/** The staging area must end before the SDK's last 20 KB of the chip. */
function moduleInfoOk(m: ModuleInfo): boolean {
  return matches(m.name, /^[ -~]+$/, 30) && (m.flash === 2 || m.flash === 4) && m.led >= 0 && m.led <= 16
    && m.base % 0x1000 === 0 && m.base >= 0x111000 && m.max >= 131072 && m.max <= 716800
    && m.base + m.max <= m.flash * 0x100000 - 0x5000 && (m.connId === 0 || m.connId === 1);
}

export function TCMODINFOSET(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMODINFOSET:"MODULE NAME","FLASH_SIZE (2/4)","WIFI LED GPIO","FW BASE ADDR","FW MAX SIZE","FIXED CONNID"');
  if (form === QUERY) {
    const m = settings.module;
    return help('+TCMODINFOSET:' + quote(m.name) + ',' + m.flash + ',' + m.led + ',' + m.base + ',' + m.max + ',' + m.connId);
  }
  if (form !== SET) return false;
  return setting('TCMODINFOSET', params, 'snnnnn', function (a) {
    const m = { name: a[0], flash: a[1], led: a[2], base: a[3], max: a[4], connId: a[5] } as ModuleInfo;
    return moduleInfoOk(m) ? m : undefined;
  }, MODULE, 'module');
}

function defaultServer(): string {
  const id = settings.device || settings.product;
  return (id ? id.pid + '.' : '') + 'iotcloud.tencentdevices.com';
}

export function TCMQTTSRV(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMQTTSRV:"MQTT SERVER IP"');
  if (form === QUERY) return help('+TCMQTTSRV:' + (settings.server || defaultServer()));
  if (form !== SET) return false;
  // An empty host goes back to the default, <ProductId>.iotcloud.tencentdevices.com.
  return setting('TCMQTTSRV', params, 's', function (a) {
    return a[0] === '' || matches(a[0], /^[A-Za-z0-9.-]+$/, 64) ? a[0] : undefined;
  }, SERVER, 'server');
}

export function TCRESTORE(form: number): boolean {
  if (form !== TEST) return form === EXEC && restoreAndRestart(false);
  ok();
  return true;
}

export function TCMODULE(form: number): boolean {
  if (form !== EXEC) return false;
  sendLine('Module HW name: ' + settings.module.name);
  sendLine('Module FW version: ' + FW_VERSION);
  sendLine('Module Mac addr: ' + require('Wifi').getIP().mac);
  sendLine('Module FW compiled time: ' + COMPILE_TIME);
  sendLine('Module Flash size: ' + settings.module.flash + 'MB');
  ok();
  return true;
}

export function TCVER(form: number): boolean {
  if (form !== EXEC) return false;
  sendLine('Tencent Cloud IoT AT version: ' + FW_VERSION);
  sendLine('Tencent Cloud IoT SDK version: ' + SDK_VERSION);
  sendLine('Firmware compile time: ' + COMPILE_TIME);
  sendLine('Open TypeScript firmware for Espruino');
  ok();
  return true;
}
