// Listening for updates (AT+TCOTASET=1) of the MCU's firmware (cloud/ota.ts) and of the
// module's own, and the module's own update (protocol page, "OTA"): the resource protocol on
// $thing/up|down/service/<pid>/<dev>. With AT+TCOTASET=1 the module reports its bundle's
// version in a resource_list; an update_resource for a resource named ESP8266_QCLOUD_AT...
// is downloaded into the Storage slot not running (fwa or fwb), checked by MD5 as it arrives
// and again as flash holds it, and only then named in the boot record for a trial boot:
// +TCOTASTATUS:UPDATERESET, restart 2 s later. The image selector (src/boot/select-image.js)
// gives the new bundle one boot; it confirms itself after running 10 s. A bundle that throws
// while loading or does not confirm within 30 s is replaced by the previous one at the next
// boot, which reports the failure.
import { mqttPublish, mqttSubscription } from '../net/mqtt-client';
import { Rec } from '../store/settings';
import { loadRecord, saveRecord, storage } from '../store/records';
import { md5Start, md5Update, md5Hex } from '../crypto/md5';
import { ota, otaStart, otaReport, deviceTopic, acceptedMd5, OtaErr } from './ota';
import { activity } from '../state';
import { urc } from '../at/output';

// Names and limits (a const enum is inlined: module-level consts would cost JsVars).
const enum Self {
  Tried = 'tctried', Factory = '.bootcde', ResourcePrefix = 'ESP8266_QCLOUD_AT', ResourceName = 'ESP8266_QCLOUD_AT_JS',
  Up = '$thing/up/service/', Down = '$thing/down/service/', McuUpdates = '$ota/update/',
  MaxBundle = 65536, ConfirmAfterMs = 10000, RestartAfterMs = 2000, VerifySlice = 1024,
}
/** A report for the hub from this boot (the update done, or rolled back), sent when OTA is enabled. */
let pending: any[] | null = null;

function report(state: string, percent: number, code: number, version: string): void {
  mqttPublish(deviceTopic(Self.Up), '{"method":"report_progress","report":{"progress":{"resource_name":"' + Self.ResourceName + '","state":"' + state
    + '","percent":"' + percent + '","result_code":"' + code + '","result_msg":""},"version":"' + version + '"}}', 0, function () {});
}

// At boot (run once in place, no function kept): the MCU's staged image is loaded; a trial
// bundle that runs confirms itself after a while; a boot after a failed trial cleans up.
(function (): void {
  ota.image = loadRecord(Rec.OtaInfo);
  const record = loadRecord(Rec.Boot);
  if (!record || !record.trial) return;
  const here = (global as any).FWIMAGE || Self.Factory;
  if (record.run !== here) {
    storage.erase(Self.Tried);
    saveRecord(Rec.Boot, { run: here });
    storage.erase(record.run);
    pending = ['fail', OtaErr.Upgrade, record.version];
    return;
  }
  setTimeout(function () {
    const trial = (global as any).FWTRIAL;
    if (trial) clearTimeout(trial);
    saveRecord(Rec.Boot, { run: here, prev: record.prev });
    storage.erase(Self.Tried);
    pending = ['done', 0, record.version];
    if (ota.enabled && activity.mqttConnected) {
      report('done', 100, 0, record.version);
      pending = null;
    }
  }, Self.ConfirmAfterMs);
})();

/**
 * AT+TCOTASET=1: listens on $ota/update and $thing/down/service, reports the MCU's version
 * and the bundle's (and, when the MCU now runs the staged image, that its update is done).
 */
export function updatesEnable(version: string, done: (code: number) => void): void {
  mqttSubscription(deviceTopic(Self.McuUpdates), 1, function (code) {
    if (code) return done(code);
    mqttSubscription(deviceTopic(Self.Down), 1, function (code) {
      if (code) return done(code);
      ota.enabled = true;
      ota.version = version;
      otaReport('', 0, 0, version);
      const image = ota.image;
      if (image && image.valid && image.version === version) otaReport('done', 100, 0, version);
      mqttPublish(deviceTopic(Self.Up), '{"method":"report_version","report":{"resource_list":[{"resource_name":"' + Self.ResourceName
        + '","version":"' + __FW_VERSION__ + '","resource_type":"FILE"}]}}', 0, function () {});
      if (pending) report(pending[0], pending[1] ? 0 : 100, pending[1], pending[2]);
      pending = null;
      done(0);
    });
  });
}

/** After a reconnect: listening again, without waiting for the acks. */
export function updatesResubscribe(): void {
  if (!ota.enabled) return;
  mqttSubscription(deviceTopic(Self.McuUpdates), 1, null);
  mqttSubscription(deviceTopic(Self.Down), 1, null);
}

/** A message on $thing/down/service: a binding reply (for provisioning) or an update of the module's own firmware. */
export function serviceMessage(payload: string): void {
  let m: any;
  try {
    m = JSON.parse(payload);
  } catch (e) {
    return;
  }
  if (m && m.method === 'app_bind_token_reply' && activity.onBindReply) return activity.onBindReply(m);
  if (!ota.enabled || activity.otaDownloading || !m || m.method !== 'update_resource'
    || typeof m.resource_name !== 'string' || m.resource_name.indexOf(Self.ResourcePrefix) !== 0) return;
  const md5 = acceptedMd5(m, Self.MaxBundle);
  const here = (global as any).FWIMAGE || Self.Factory;
  const slot = here === 'fwa' ? 'fwb' : 'fwa';
  storage.erase(slot);
  if (!md5 || storage.getFree() < m.file_size + 64) {
    report('fail', 0, OtaErr.Upgrade, String(m.version));
    return urc('+TCOTASTATUS:UPDATEFAIL,' + OtaErr.Upgrade);
  }
  const version = m.version;
  function failed(code: number): void {
    storage.erase(slot);
    report('fail', 0, code, version);
    urc('+TCOTASTATUS:UPDATEFAIL,' + code);
  }

  /** Hashes the bundle as flash holds it, a slice per turn of the event loop. */
  function verifyStored(done: (ok: boolean) => void): void {
    const state = md5Start();
    let at = 0;
    function next(): void {
      const part = storage.read(slot, at, Self.VerifySlice) || '';
      md5Update(state, part);
      at += part.length;
      if (part.length === Self.VerifySlice) {
        setTimeout(next, 0);
        return;
      }
      done(md5Hex(state) === md5);
    }
    next();
  }

  otaStart({
    url: m.url, md5: md5, version: version, size: m.file_size, offset: 0, hash: md5Start(), valid: false, slot: slot, report: report,
    done: function (code) {
      if (code) return failed(code);
      verifyStored(function (ok) {
        if (!ok) return failed(OtaErr.Md5);
        // In this order, a cut at any point leaves the old boot or a complete trial.
        storage.erase(Self.Tried);
        if (!saveRecord(Rec.Boot, { run: slot, prev: here, trial: 1, version: version })) return failed(OtaErr.Upgrade);
        report('burning', 100, 0, version);
        urc('+TCOTASTATUS:UPDATERESET');
        setTimeout(function () {
          require('ESP8266').reboot();
        }, Self.RestartAfterMs);
      });
    },
  });
}
