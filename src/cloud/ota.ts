// OTA orders (spec chapter 4; protocol page, "OTA"), the module modules/ota.ts, loaded for an
// OTA command or message and dropped after. AT+TCOTASET=1 listens on $ota/update (the MCU's
// firmware) and $thing/down/service (the module's own, through the resource protocol) and
// reports both versions. An order that can be taken starts the download module
// (src/cloud/download.ts) once this module is gone (see src/cloud/session.ts); one that cannot
// is refused before flash is touched. A package of the module's own that failed its trial is
// not downloaded again until the hub orders another.
import { md5Start } from '../crypto/md5';
import { settings, Rec } from '../store/settings';
import { saveRecord, loadRecord, storage } from '../store/records';
import { activity, ota } from '../state';
import { urc } from '../at/output';
import { heldModule, Mod } from '../module-loader';
import { deviceTopic, report } from './ota-reports';
import { OtaErr, OtaImage } from './download';
import type * as DownloadModule from '../../modules/download';

const enum Order { ResourcePrefix = 'ESP8266_QCLOUD_AT', ResourceName = 'ESP8266_QCLOUD_AT_JS', MaxPackage = 65536, Factory = 'fw' }

/**
 * AT+TCOTASET=1: listens on $ota/update and $thing/down/service, reports the MCU's version
 * and the module's (and, when the MCU now runs the staged image, that its update is done).
 */
export function updatesEnable(version: string, done: (code: number) => void): void {
  const link = heldModule(Mod.Link);
  link.mqttSubscription(deviceTopic('$ota/update/'), 1, function (code: number) {
    if (code) return done(code);
    link.mqttSubscription(deviceTopic('$thing/down/service/'), 1, function (code: number) {
      if (code) return done(code);
      ota.enabled = true;
      ota.version = version;
      report(false, '', 0, 0, version);
      const image = loadRecord(Rec.OtaInfo);
      if (image && image.valid && image.version === version) report(false, 'done', 100, 0, version);
      link.mqttPublish(deviceTopic('$thing/up/service/'), '{"method":"report_version","report":{"resource_list":[{"resource_name":"' + Order.ResourceName
        + '","version":' + JSON.stringify(__FW_VERSION__) + ',"resource_type":"FILE"}]}}', 0, function () {});
      const pending = ota.pending;
      if (pending) report(true, pending[0], pending[1] ? 0 : 100, pending[1], pending[2], pending[3]);
      ota.pending = null;
      done(0);
    });
  });
}

/** AT+TCOTASET=0 (and the end of the MQTT session): stops listening; a download stops where it is. */
export function otaDisable(): void {
  ota.enabled = false;
  const download: typeof DownloadModule | undefined = heldModule(Mod.Download);
  if (download) download.stopDownload();
}

/** The lowercase MD5 of an update order ({url, md5sum, version, file_size}) that can be taken, or '' if it cannot. */
function acceptedMd5(m: any, max: number): string {
  const size = m.file_size;
  const md5 = typeof m.md5sum === 'string' ? m.md5sum.toLowerCase() : '';
  if (!(size > 0 && size <= max && size % 1 === 0) || !/^[0-9a-f]+$/.test(md5) || md5.length !== 32
    || typeof m.url !== 'string' || !/^https*:\/\/[^\/]/.test(m.url) || typeof m.version !== 'string' || !/^[A-Za-z0-9._+-]+$/.test(m.version) || m.version.length > 32) return '';
  return md5;
}

function parse(payload: string): any {
  try {
    return JSON.parse(payload);
  } catch (e) {
    return null;
  }
}

/** A message on $ota/update: an update of the MCU's firmware into the staging area; returns the image to download, if any. */
export function otaMessage(payload: string): OtaImage | undefined {
  const m = parse(payload);
  if (!ota.enabled || activity.otaDownloading || !m || m.type !== 'update_firmware') return undefined;
  const md5 = acceptedMd5(m, settings.module.max);
  // Checked before flash is touched: an image that does not fit is refused outright.
  if (!md5) {
    report(false, 'fail', 0, OtaErr.Upgrade, String(m.version), 'bad order or image too big');
    urc('+TCOTASTATUS:UPDATEFAIL,' + OtaErr.Upgrade);
    return undefined;
  }
  const size = m.file_size;
  let image: OtaImage | undefined = loadRecord(Rec.OtaInfo);
  if (image && image.valid && image.md5 === md5 && image.size === size) {
    report(false, 'burning', 100, 0, image.version);
    urc('+TCOTASTATUS:UPDATESUCCESS');
    return undefined;
  }
  // The same image half-downloaded resumes; any other starts anew.
  if (!image || image.valid || image.md5 !== md5 || image.size !== size || image.version !== m.version) {
    image = { url: m.url, md5: md5, version: m.version, size: size, offset: 0, hash: md5Start(), valid: false };
  }
  image.url = m.url;
  saveRecord(Rec.OtaInfo, image);
  // Busy from now: the download starts on the next turn of the event loop (src/cloud/session.ts).
  activity.otaDownloading = true;
  return image;
}

/**
 * A message on $thing/down/service: a binding reply (for provisioning) or an update of the
 * module's own firmware; returns the package to download, if any.
 */
export function serviceMessage(payload: string): OtaImage | undefined {
  const m = parse(payload);
  if (m && m.method === 'app_bind_token_reply' && activity.onBindReply) {
    activity.onBindReply(m);
    return undefined;
  }
  if (!ota.enabled || activity.otaDownloading || !m || m.method !== 'update_resource'
    || typeof m.resource_name !== 'string' || m.resource_name.substr(0, 17) !== Order.ResourcePrefix) return undefined;
  const md5 = acceptedMd5(m, Order.MaxPackage);
  const refused = loadRecord(Rec.NoUpdate);
  if (md5 && refused && refused.md5 === md5) {
    // The package that failed its trial: not again (the MCU hears nothing; nothing is downloaded).
    report(true, 'fail', 0, OtaErr.Upgrade, m.version, 'this package failed before: ' + refused.reason);
    return undefined;
  }
  const here: string = (global as any).FWIMAGE || Order.Factory;
  const slot = here === 'fwa' ? 'fwb' : 'fwa';
  storage.erase(slot);
  if (!md5 || storage.getFree() < m.file_size + 64) {
    report(true, 'fail', 0, OtaErr.Upgrade, String(m.version), md5 ? 'no room in flash' : 'bad order or package too big');
    urc('+TCOTASTATUS:UPDATEFAIL,' + OtaErr.Upgrade);
    return undefined;
  }
  activity.otaDownloading = true;
  return { url: m.url, md5: md5, version: m.version, size: m.file_size, offset: 0, hash: md5Start(), valid: false, slot: slot, prev: here };
}
