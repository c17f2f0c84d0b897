// Chapter 2 (device and product identity) and 6.5-6.7 (module info, server, versions).
import { Command } from '../at/engine';
import { Arg } from '../at/args';
import { sendLine } from '../at/output';
import { ok, cme, okThen, settingsRefusal, quote, PARAM_INVALID, NOT_READY, FLASH_ERROR } from './reply';
import { restartSoon } from './restart';
import { settings, store, eraseCloudSettings, DEVICE, PRODUCT, MODULE, SERVER, ModuleInfo } from '../store/settings';
import { bcc } from '../crypto/bcc';
import { FW_VERSION, SDK_VERSION, COMPILE_TIME } from '../version';

// Espruino's RegExp has no {n,m}: lengths are checked apart (see `matches`).
const PRODUCT_ID = /^[A-Za-z0-9_-]+$/;
const DEVICE_NAME = /^[A-Za-z0-9_:@.-]+$/;
const DEVICE_SECRET = /^[A-Za-z0-9+\/=]+$/;
const PRINTABLE_NO_SPACE = /^[!-~]+$/;
const REGION = /^[a-z0-9-]+$/;
const PRINTABLE = /^[ -~]+$/;
const HOST = /^[A-Za-z0-9.-]+$/;
const DEFAULT_REGION = 'ap-guangzhou';

function runtimeHasTls(): boolean {
  try {
    return !!require('tls');
  } catch (e) {
    return false;
  }
}

/** Mode 0 (plain TCP, signed password) always; 1 (TLS with key) only where the runtime has TLS. */
function tlsModes(): number[] {
  return runtimeHasTls() ? [0, 1] : [0];
}

function tlsModeAllowed(mode: number): boolean {
  return tlsModes().indexOf(mode) >= 0;
}

function tlsHelp(): string {
  return tlsModes().join('/');
}

function matches(value: Arg, pattern: RegExp, maxLength: number): boolean {
  return typeof value === 'string' && value.length <= maxLength && pattern.test(value);
}

/** Runs the checks every settings change shares, then stores `value` with OK / +NAME:OK|FAIL. */
function storeSetting(name: string, file: string, key: 'device' | 'product' | 'module' | 'server', valid: boolean, value: any): void {
  const refusal = settingsRefusal();
  if (refusal) return cme(refusal);
  if (!valid) return cme(PARAM_INVALID);
  okThen(name, function () {
    return store(file, key, value) ? 0 : FLASH_ERROR;
  });
}

export const TCDEVINFOSET: Command = {
  params: 'nsss?s',
  test: function () {
    sendLine('+TCDEVINFOSET:"TLSMODE(' + tlsHelp() + ')","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"');
    ok();
  },
  query: function () {
    const d = settings.device;
    if (!d) return cme(NOT_READY);
    sendLine('+TCDEVINFOSET:' + d.tls + ',' + quote(d.pid) + ',' + quote(d.dev) + ',' + bcc(d.secret) + ',' + quote(d.region));
    ok();
  },
  set: function (a) {
    const valid = tlsModeAllowed(a[0] as number) && matches(a[1], PRODUCT_ID, 10) && matches(a[2], DEVICE_NAME, 48)
      && matches(a[3], DEVICE_SECRET, 44) && (a[4] === undefined || matches(a[4], REGION, 32));
    storeSetting('TCDEVINFOSET', DEVICE, 'device', valid, { tls: a[0], pid: a[1], dev: a[2], secret: a[3], region: a[4] || DEFAULT_REGION });
  },
};

export const TCPRDINFOSET: Command = {
  params: 'nsss',
  test: function () {
    sendLine('+TCPRDINFOSET:"TLS_MODE(' + tlsHelp() + ')","PRODUCT_ID","PRODUCT_SECRET","DEVICE_NAME"');
    ok();
  },
  query: function () {
    const p = settings.product;
    if (!p) return cme(NOT_READY);
    sendLine('+TCPRDINFOSET:' + p.tls + ',' + quote(p.pid) + ',' + bcc(p.secret) + ',' + quote(p.dev));
    ok();
  },
  set: function (a) {
    const valid = tlsModeAllowed(a[0] as number) && matches(a[1], PRODUCT_ID, 10) && matches(a[2], PRINTABLE_NO_SPACE, 32)
      && matches(a[3], DEVICE_NAME, 48);
    storeSetting('TCPRDINFOSET', PRODUCT, 'product', valid, { tls: a[0], pid: a[1], secret: a[2], dev: a[3] });
  },
};

/** Last usable flash address for the staging area: the SDK keeps the chip's last 20 KB. */
function flashEnd(megabytes: number): number {
  return megabytes * 0x100000 - 0x5000;
}

function moduleInfoValid(m: ModuleInfo): boolean {
  return matches(m.name, PRINTABLE, 30) && (m.flash === 2 || m.flash === 4) && m.led >= 0 && m.led <= 16
    && m.base % 0x1000 === 0 && m.base >= 0x111000 && m.max >= 131072 && m.max <= 716800
    && m.base + m.max <= flashEnd(m.flash) && (m.connId === 0 || m.connId === 1);
}

export const TCMODINFOSET: Command = {
  params: 'snnnnn',
  test: function () {
    sendLine('+TCMODINFOSET:"MODULE NAME","FLASH_SIZE (2/4)","WIFI LED GPIO","FW BASE ADDR","FW MAX SIZE","FIXED CONNID"');
    ok();
  },
  query: function () {
    const m = settings.module;
    sendLine('+TCMODINFOSET:' + quote(m.name) + ',' + m.flash + ',' + m.led + ',' + m.base + ',' + m.max + ',' + m.connId);
    ok();
  },
  set: function (a) {
    const m = { name: a[0], flash: a[1], led: a[2], base: a[3], max: a[4], connId: a[5] } as ModuleInfo;
    storeSetting('TCMODINFOSET', MODULE, 'module', moduleInfoValid(m), m);
  },
};

function defaultServer(): string {
  const id = settings.device || settings.product;
  return (id ? id.pid + '.' : '') + 'iotcloud.tencentdevices.com';
}

export const TCMQTTSRV: Command = {
  params: 's',
  test: function () {
    sendLine('+TCMQTTSRV:"MQTT SERVER IP"');
    ok();
  },
  query: function () {
    sendLine('+TCMQTTSRV:' + (settings.server || defaultServer()));
    ok();
  },
  set: function (a) {
    // An empty host goes back to the default, <ProductId>.iotcloud.tencentdevices.com.
    storeSetting('TCMQTTSRV', SERVER, 'server', a[0] === '' || matches(a[0], HOST, 64), a[0]);
  },
};

export const TCRESTORE: Command = {
  test: ok,
  exec: function () {
    const refusal = settingsRefusal();
    if (refusal) return cme(refusal);
    ok();
    eraseCloudSettings();
    restartSoon();
  },
};

export const TCMODULE: Command = {
  exec: function () {
    sendLine('Module HW name: ' + settings.module.name);
    sendLine('Module FW version: ' + FW_VERSION);
    sendLine('Module Mac addr: ' + require('Wifi').getIP().mac);
    sendLine('Module FW compiled time: ' + COMPILE_TIME);
    sendLine('Module Flash size: ' + settings.module.flash + 'MB');
    ok();
  },
};

export const TCVER: Command = {
  exec: function () {
    sendLine('Tencent Cloud IoT AT version: ' + FW_VERSION);
    sendLine('Tencent Cloud IoT SDK version: ' + SDK_VERSION);
    sendLine('Firmware compile time: ' + COMPILE_TIME);
    sendLine('Open TypeScript firmware for Espruino');
    ok();
  },
};
