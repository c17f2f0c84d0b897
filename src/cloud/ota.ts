// OTA of the MCU's firmware (spec chapter 4; protocol page, "OTA"). The hub orders an update
// on $ota/update/<pid>/<dev>; the image is downloaded with HTTP GET and Range into the flash
// staging area of the module info, hashed with MD5 as it arrives, and its progress reported on
// $ota/report/<pid>/<dev>. The download's record (offset and MD5 state) is saved every 32 KB,
// so a power cut resumes where flash has it, without hashing the staged bytes again.
import { md5Start, md5Update, md5Hex, Md5State } from '../crypto/md5';
import { mqttPublish } from '../net/mqtt-client';
import { settings, Rec } from '../store/settings';
import { loadRecord, saveRecord, eraseRecord } from '../store/records';
import { activity } from '../state';
import { urc } from '../at/output';

/** The protocol's OTA result codes, and the flash sector (const enums are inlined: no JsVars). */
export const enum OtaErr { Timeout = -1, NotFound = -2, Auth = -3, Md5 = -4, Upgrade = -5 }
const enum Flash { Sector = 4096 }

/**
 * What is (being) staged: `valid` once the whole image matched its MD5. The MCU's image goes to
 * the flash staging area; the module's own bundle (`slot` set) to that Storage file, and
 * `done` is then called instead of the MCU's reporting (cloud/self-update.ts).
 */
export interface OtaImage {
  url: string; md5: string; version: string; size: number; offset: number; hash: Md5State; valid: boolean;
  slot?: string; done?: (code: number) => void; report?: (state: string, percent: number, code: number, version: string) => void;
}

const SAVE_EVERY = 32768;
const STALL_MS = 15000;
const MAX_RETRIES = 3;

/** `enabled`/`version`: AT+TCOTASET; `image`: the staged image's record; `readAt`: AT+TCREADFWDATA's offset. */
export const ota = { enabled: false, version: '', image: undefined as OtaImage | undefined, readAt: 0 };

let attempt = 0; // which download attempt events belong to; older ones are ignored
let retries = 0;

/** `prefix` followed by this device's <pid>/<dev>. */
export function deviceTopic(prefix: string): string {
  return prefix + settings.device!.pid + '/' + settings.device!.dev;
}

/** report_version (no `state`), or report_progress of `version` in `state` (downloading, burning, done, fail). */
export function otaReport(state: string, percent: number, code: number, version: string): void {
  mqttPublish(deviceTopic('$ota/report/'), state
    ? '{"type":"report_progress","report":{"progress":{"state":"' + state + '","percent":"' + percent + '","result_code":"' + code + '","result_msg":""},"version":"' + version + '"}}'
    : '{"type":"report_version","report":{"version":"' + version + '"}}', 0, function () {});
}

/** AT+TCOTASET=0 (and AT+TCMQTTDISCONN): stops listening; a download stops where it is and resumes next time. */
export function otaDisable(): void {
  ota.enabled = false;
  if (activity.otaDownloading) {
    attempt++;
    activity.otaDownloading = false;
  }
}

export function otaMessage(payload: string): void {
  let m: any;
  try {
    m = JSON.parse(payload);
  } catch (e) {
    return;
  }
  if (!ota.enabled || activity.otaDownloading || !m || m.type !== 'update_firmware') return;
  const md5 = acceptedMd5(m, settings.module.max);
  // Checked before flash is touched: an image that does not fit is refused outright.
  if (!md5) {
    otaReport('fail', 0, OtaErr.Upgrade, String(m.version));
    return urc('+TCOTASTATUS:UPDATEFAIL,' + OtaErr.Upgrade);
  }
  const size = m.file_size;
  const old = ota.image;
  if (old && old.valid && old.md5 === md5 && old.size === size) {
    otaReport('burning', 100, 0, old.version);
    return urc('+TCOTASTATUS:UPDATESUCCESS');
  }
  if (!old || old.valid || old.md5 !== md5 || old.size !== size || old.version !== m.version) {
    ota.image = { url: m.url, md5: md5, version: m.version, size: size, offset: 0, hash: md5Start(), valid: false };
  }
  ota.image!.url = m.url;
  saveRecord(Rec.OtaInfo, ota.image);
  otaStart(ota.image!);
}

/** The lowercase MD5 of an update order ({url, md5sum, version, file_size}) that can be taken, or '' if it cannot. */
export function acceptedMd5(m: any, max: number): string {
  const size = m.file_size;
  const md5 = typeof m.md5sum === 'string' ? m.md5sum.toLowerCase() : '';
  if (!(size > 0 && size <= max && size % 1 === 0) || !/^[0-9a-f]+$/.test(md5) || md5.length !== 32
    || typeof m.url !== 'string' || !/^https*:\/\/[^\/]/.test(m.url) || typeof m.version !== 'string' || !m.version || m.version.length > 32) return '';
  return md5;
}

/** Starts downloading `image` from its offset (the MCU's, or the module's own bundle). */
export function otaStart(image: OtaImage): void {
  ota.image = image;
  activity.otaDownloading = true;
  retries = 0;
  urc('+TCOTASTATUS:ENTERUPDATE');
  download();
}

/**
 * One HTTP GET from the image's offset (Range; plain HTTP even for an https URL, as the
 * shipped firmware does). A server that ignores Range and sends the whole file has the
 * staged part skipped. A stall, a drop or an error retries, 3 times at most.
 */
function download(): void {
  const mine = ++attempt;
  const image = ota.image!;
  const rest = image.url.substr(image.url.indexOf('://') + 3);
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.substr(0, slash);
  const colon = hostPort.indexOf(':');
  let skip = 0;
  let stall = 0;
  let lastReport = 0;
  let unsaved = 0;
  const flash = require('Flash');

  function retry(code: number): void {
    if (mine !== attempt) return;
    attempt++;
    if (stall) clearTimeout(stall);
    if (!image.slot) saveRecord(Rec.OtaInfo, image);
    if (++retries > MAX_RETRIES) return finish(code);
    setTimeout(download, 1000);
  }

  function watch(): void {
    if (stall) clearTimeout(stall);
    stall = setTimeout(function () {
      retry(OtaErr.Timeout);
    }, STALL_MS);
  }

  function take(data: string): void {
    if (mine !== attempt) return;
    watch();
    if (skip) {
      const n = skip < data.length ? skip : data.length;
      skip -= n;
      data = data.substr(n);
    }
    if (data.length > image.size - image.offset) return retry(OtaErr.Upgrade);
    if (image.slot) {
      // A module bundle is small: it goes to its Storage file as it comes, and is not resumed after a restart.
      require('Storage').write(image.slot, data, image.offset, image.size);
      md5Update(image.hash, data);
      image.offset += data.length;
      return progress();
    }
    let at = 0;
    while (at < data.length) {
      const addr = settings.module.base + image.offset;
      // Each 4 KB sector is erased just before its first byte is written (never again on a
      // resume in its middle: the bytes before the offset are the image's).
      if (!(image.offset % Flash.Sector)) flash.erasePage(addr);
      const n = Math.min(data.length - at, Flash.Sector - (image.offset % Flash.Sector));
      const piece = n === data.length ? data : data.substr(at, n);
      flash.write(piece, addr);
      md5Update(image.hash, piece);
      image.offset += n;
      at += n;
    }
    unsaved += data.length;
    if (unsaved >= SAVE_EVERY) {
      unsaved = 0;
      saveRecord(Rec.OtaInfo, image);
    }
    progress();
  }

  function progress(): void {
    if (getTime() - lastReport >= 1) {
      lastReport = getTime();
      (image.report || otaReport)('downloading', Math.floor((image.offset * 100) / image.size), 0, image.version);
    }
  }

  const req = require('http').request({
    host: hostPort.substr(0, colon < 0 ? hostPort.length : colon), port: colon < 0 ? 80 : parseInt(hostPort.substr(colon + 1), 10),
    path: slash < 0 ? '/' : rest.substr(slash), method: 'GET', headers: { Range: 'bytes=' + image.offset + '-' },
  }, function (res: any) {
    if (mine !== attempt) return;
    const status = res.statusCode;
    // Not found or refused: no use retrying.
    if (status === '404' || status === '401' || status === '403') {
      attempt++;
      if (stall) clearTimeout(stall);
      return finish(status === '404' ? OtaErr.NotFound : OtaErr.Auth);
    }
    if (status !== '200' && status !== '206') return retry(OtaErr.Timeout);
    skip = status === '200' ? image.offset : 0;
    res.on('data', take);
    res.on('close', function () {
      if (mine !== attempt) return;
      if (image.offset < image.size) return retry(OtaErr.Timeout);
      attempt++;
      if (stall) clearTimeout(stall);
      finish(md5Hex(image.hash) === image.md5 ? 0 : OtaErr.Md5);
    });
  });
  req.on('error', function () {
    retry(OtaErr.Timeout);
  });
  req.end();
  watch();
}

/** The end of an update: verified (0) and kept, or failed (and no image is left valid). */
function finish(code: number): void {
  const image = ota.image!;
  activity.otaDownloading = false;
  if (image.done) {
    ota.image = loadRecord(Rec.OtaInfo);
    return image.done(code);
  }
  if (code) {
    eraseRecord(Rec.OtaInfo);
    ota.image = undefined;
    otaReport('fail', 0, code, image.version);
    return urc('+TCOTASTATUS:UPDATEFAIL,' + code);
  }
  image.valid = true;
  image.hash = md5Start();
  saveRecord(Rec.OtaInfo, image);
  otaReport('burning', 100, 0, image.version);
  urc('+TCOTASTATUS:UPDATESUCCESS');
}
