// The module updating its own firmware (protocol page, "OTA"): the resource protocol on
// $thing/up|down/service/<pid>/<dev>. With AT+TCOTASET=1 the module reports its bundle's
// version in a resource_list; an update_resource for a resource named ESP8266_QCLOUD_AT...
// is downloaded into the Storage slot not running (fwa or fwb), checked by MD5 as it arrives
// and again as flash holds it, and only then named in the boot record for a trial boot:
// +TCOTASTATUS:UPDATERESET, restart 2 s later. The image selector (src/boot/select-image.js)
// gives the new bundle one boot; it confirms itself after running 10 s. A bundle that throws
// while loading or does not confirm within 30 s is replaced by the previous one at the next
// boot, which reports the failure.
import { mqttPublish, mqttSubscription } from '../net/mqtt-client';
import { settings } from '../store/settings';
import { loadRecord, saveRecord } from '../store/records';
import { md5Start, md5Update, md5Hex } from '../crypto/md5';
import { ota, otaStart, updateRefusal, ERR_OTA_MD5, ERR_OTA_UPGRADE } from './ota';
import { activity } from '../state';
import { urc } from '../at/output';
import { BUNDLE_VERSION } from '../version';

export const BOOT = 'tcboot';
const TRIED = 'tctried';
const FACTORY = '.bootcde';
const RESOURCE_PREFIX = 'ESP8266_QCLOUD_AT';
const RESOURCE_NAME = 'ESP8266_QCLOUD_AT_JS';
const MAX_BUNDLE = 65536;
const CONFIRM_AFTER_MS = 10000;
const RESTART_AFTER_MS = 2000;
const VERIFY_SLICE = 1024;

const storage = require('Storage');
/** A report for the hub from this boot (the update done, or rolled back), sent when OTA is enabled. */
let pending: any[] | null = null;

function topic(direction: string): string {
  return '$thing/' + direction + '/service/' + settings.device!.pid + '/' + settings.device!.dev;
}

function running(): string {
  return (global as any).FWIMAGE || FACTORY;
}

function report(state: string, percent: number, code: number, version: string): void {
  mqttPublish(topic('up'), '{"method":"report_progress","report":{"progress":{"resource_name":"' + RESOURCE_NAME + '","state":"' + state
    + '","percent":"' + percent + '","result_code":"' + code + '","result_msg":""},"version":"' + version + '"}}', 0, function () {});
}

/** At boot: a trial bundle that runs confirms itself after a while; a boot after a failed trial cleans up. */
export function selfUpdateBoot(): void {
  const record = loadRecord(BOOT);
  if (!record || !record.trial) return;
  const here = running();
  if (record.run !== here) {
    storage.erase(TRIED);
    saveRecord(BOOT, { run: here });
    storage.erase(record.run);
    pending = ['fail', ERR_OTA_UPGRADE, record.version];
    return;
  }
  setTimeout(function () {
    const trial = (global as any).FWTRIAL;
    if (trial) clearTimeout(trial);
    saveRecord(BOOT, { run: here, prev: record.prev });
    storage.erase(TRIED);
    pending = ['done', 0, record.version];
    if (ota.enabled && activity.mqttConnected) sendPending();
  }, CONFIRM_AFTER_MS);
}

function sendPending(): void {
  if (pending) report(pending[0], pending[1] ? 0 : 100, pending[1], pending[2]);
  pending = null;
}

/** Part of AT+TCOTASET=1: listens on the service topic and reports the bundle's version. */
export function selfUpdateEnable(done: (code: number) => void): void {
  mqttSubscription(topic('down'), 1, function (code) {
    if (code) return done(code);
    mqttPublish(topic('up'), '{"method":"report_version","report":{"resource_list":[{"resource_name":"' + RESOURCE_NAME
      + '","version":"' + BUNDLE_VERSION + '","resource_type":"FILE"}]}}', 0, function () {});
    sendPending();
    done(0);
  });
}

export function selfUpdateResubscribe(): void {
  if (ota.enabled) mqttSubscription(topic('down'), 1, null);
}

export function selfUpdateMessage(payload: string): void {
  let m: any;
  try {
    m = JSON.parse(payload);
  } catch (e) {
    return;
  }
  if (!ota.enabled || activity.otaDownloading || !m || m.method !== 'update_resource'
    || typeof m.resource_name !== 'string' || m.resource_name.indexOf(RESOURCE_PREFIX) !== 0) return;
  const md5 = updateRefusal(m, MAX_BUNDLE);
  const slot = running() === 'fwa' ? 'fwb' : 'fwa';
  storage.erase(slot);
  if (!md5 || storage.getFree() < m.file_size + 64) {
    report('fail', 0, ERR_OTA_UPGRADE, String(m.version));
    return urc('+TCOTASTATUS:UPDATEFAIL,' + ERR_OTA_UPGRADE);
  }
  const version = m.version;
  otaStart({
    url: m.url, md5: md5, version: version, size: m.file_size, offset: 0, hash: md5Start(), valid: false, slot: slot, report: report,
    done: function (code) {
      if (code) return failed(slot, code, version);
      verifyStored(slot, md5, function (ok) {
        if (!ok) return failed(slot, ERR_OTA_MD5, version);
        // In this order, a cut at any point leaves the old boot or a complete trial.
        storage.erase(TRIED);
        if (!saveRecord(BOOT, { run: slot, prev: running(), trial: 1, version: version })) return failed(slot, ERR_OTA_UPGRADE, version);
        report('burning', 100, 0, version);
        urc('+TCOTASTATUS:UPDATERESET');
        setTimeout(function () {
          require('ESP8266').reboot();
        }, RESTART_AFTER_MS);
      });
    },
  });
}

function failed(slot: string, code: number, version: string): void {
  storage.erase(slot);
  report('fail', 0, code, version);
  urc('+TCOTASTATUS:UPDATEFAIL,' + code);
}

/** Hashes the bundle as flash holds it, a slice per turn of the event loop. */
function verifyStored(slot: string, md5: string, done: (ok: boolean) => void): void {
  const state = md5Start();
  let at = 0;
  function next(): void {
    const part = storage.read(slot, at, VERIFY_SLICE) || '';
    md5Update(state, part);
    at += part.length;
    if (part.length === VERIFY_SLICE) {
      setTimeout(next, 0);
      return;
    }
    done(md5Hex(state) === md5);
  }
  next();
}
