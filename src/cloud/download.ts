// OTA downloads (protocol page, "OTA"), the module modules/download.ts, held while one runs: the
// MCU's image into the flash staging area of the module info, or the module's own firmware
// package into the Storage slot not running. Plain HTTP GET with Range over a socket (even for
// an https URL, as the shipped firmware does; the ESP8266 runtime has no TLS for it), MD5 as the
// bytes arrive, progress on the hub's report topics about once a second. A stall, a drop or an
// error retries, 3 times at most.
//
// The MCU's image: each 4 KB sector is erased just before its first byte is written, and the
// record (offset and MD5 state) is saved every 32 KB, so a power cut resumes where flash has
// it without hashing the staged bytes again. The module's package is small: it is fetched
// again after a cut; once whole it is hashed again as flash holds it, and only then named in
// the boot record for a trial boot (+TCOTASTATUS:UPDATERESET, restart 2 s later; see
// src/boot/select-image.js and src/boot/start.ts for the trial).
import { md5Start, md5Update, md5Hex, Md5State } from '../crypto/md5';
import { settings, Rec } from '../store/settings';
import { saveRecord, eraseRecord, storage } from '../store/records';
import { activity } from '../state';
import { urc } from '../at/output';
import { holdModule, Mod } from '../module-loader';
import { report } from './ota-reports';
import { find } from '../text';

/** The protocol's OTA result codes (const enums are inlined: no JsVars). */
export const enum OtaErr { Timeout = -1, NotFound = -2, Auth = -3, Md5 = -4, Upgrade = -5 }
const enum Dl {
  Sector = 4096, SaveEvery = 32768, StallMs = 15000, MaxRetries = 3, RetryAfterMs = 1000, MaxHeader = 1024,
  VerifySlice = 1024, RestartAfterMs = 2000, Tried = 'tctried', Magic = 'TCFW1 ',
}

/**
 * What is (being) staged: `valid` once the whole image matched its MD5. `slot` (the module's
 * own package): the Storage file it goes to; `prev` the image running now.
 */
export interface OtaImage {
  url: string; md5: string; version: string; size: number; offset: number; hash: Md5State; valid: boolean; slot?: string; prev?: string;
}

let current: OtaImage | null = null;
let attempt = 0; // which download attempt events belong to; older ones are ignored
let retries = 0;
let sock: any = null;

/** Starts downloading `image` from its offset; the module is held until the download ends. */
export function startDownload(image: OtaImage): void {
  current = image;
  activity.otaDownloading = true;
  retries = 0;
  urc('+TCOTASTATUS:ENTERUPDATE');
  download();
}

/** AT+TCOTASET=0, AT+TCMQTTDISCONN: the download stops where it is (the MCU's resumes next time). */
export function stopDownload(): void {
  attempt++;
  close();
  if (current && !current.slot) saveRecord(Rec.OtaInfo, current);
  end();
}

function close(): void {
  const s = sock;
  sock = null;
  if (!s) return;
  s.removeAllListeners();
  try {
    s.end();
  } catch (e) {
    // already closed
  }
}

function end(): void {
  activity.otaDownloading = false;
  current = null;
  holdModule(Mod.Download, null);
}

/** One GET from the image's offset. A server that ignores Range and sends the whole file has the staged part skipped. */
function download(): void {
  const mine = ++attempt;
  const image = current!;
  const rest = image.url.substr(find(image.url, '://') + 3);
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.substr(0, slash);
  const colon = hostPort.indexOf(':');
  let header = ''; // the response's status line and headers, until the empty line
  let inBody = false;
  let skip = 0;
  let stall = 0;
  let lastReport = 0;
  let unsaved = 0;

  function retry(code: number): void {
    if (mine !== attempt) return;
    attempt++;
    if (stall) clearTimeout(stall);
    close();
    if (!image.slot) saveRecord(Rec.OtaInfo, image);
    if (++retries > Dl.MaxRetries) return complete(code);
    setTimeout(download, Dl.RetryAfterMs);
  }

  function watch(): void {
    if (stall) clearTimeout(stall);
    stall = setTimeout(function () {
      retry(OtaErr.Timeout);
    }, Dl.StallMs);
  }

  /** The status line and headers: 200 (the whole file) or 206 from our offset; 404, 401 and 403 end it. */
  function takeHeader(data: string): string | null {
    header += data;
    const end = find(header, '\r\n\r\n');
    if (end < 0) {
      if (header.length > Dl.MaxHeader) retry(OtaErr.Timeout);
      return null;
    }
    const body = header.substr(end + 4);
    const head = header.substr(0, end).toLowerCase();
    header = '';
    const status = head.substr(9, 3);
    if (status === '404' || status === '401' || status === '403') {
      // Not found or refused: no use retrying.
      attempt++;
      if (stall) clearTimeout(stall);
      close();
      complete(status === '404' ? OtaErr.NotFound : OtaErr.Auth);
      return null;
    }
    // A range from elsewhere, or chunked encoding (not taken here), cannot be staged.
    const range = find(head, '\r\ncontent-range: bytes ' + image.offset + '-') >= 0;
    if ((status !== '200' && !(status === '206' && range)) || find(head, 'chunked') >= 0) {
      retry(OtaErr.Timeout);
      return null;
    }
    skip = status === '200' ? image.offset : 0;
    inBody = true;
    return body;
  }

  function take(data: string): void {
    if (mine !== attempt) return;
    watch();
    if (!inBody) {
      const body = takeHeader(data);
      if (body === null) return;
      data = body;
    }
    if (skip) {
      const n = skip < data.length ? skip : data.length;
      skip -= n;
      data = data.substr(n);
    }
    if (data.length > image.size - image.offset) return retry(OtaErr.Upgrade);
    if (image.slot) {
      storage.write(image.slot, data, image.offset, image.size);
      md5Update(image.hash, data);
      image.offset += data.length;
    } else {
      const flash = require('Flash');
      let at = 0;
      while (at < data.length) {
        const addr = settings.module.base + image.offset;
        // Erased just before its first byte (never again on a resume in its middle: the bytes before the offset are the image's).
        if (!(image.offset % Dl.Sector)) flash.erasePage(addr);
        const n = Math.min(data.length - at, Dl.Sector - (image.offset % Dl.Sector));
        const piece = n === data.length ? data : data.substr(at, n);
        flash.write(piece, addr);
        md5Update(image.hash, piece);
        image.offset += n;
        at += n;
      }
      unsaved += data.length;
      if (unsaved >= Dl.SaveEvery) {
        unsaved = 0;
        saveRecord(Rec.OtaInfo, image);
      }
    }
    if (getTime() - lastReport >= 1) {
      lastReport = getTime();
      report(!!image.slot, 'downloading', Math.floor((image.offset * 100) / image.size), 0, image.version);
    }
  }

  function ended(): void {
    if (mine !== attempt) return;
    if (image.offset < image.size) return retry(OtaErr.Timeout);
    attempt++;
    if (stall) clearTimeout(stall);
    close();
    complete(md5Hex(image.hash) === image.md5 ? 0 : OtaErr.Md5);
  }

  watch();
  try {
    sock = require('net').connect({ host: colon < 0 ? hostPort : hostPort.substr(0, colon), port: colon < 0 ? 80 : parseInt(hostPort.substr(colon + 1), 10) }, function () {
      if (mine === attempt) sock.write('GET ' + (slash < 0 ? '/' : rest.substr(slash)) + ' HTTP/1.1\r\nHost: ' + hostPort + '\r\nRange: bytes=' + image.offset + '-\r\nConnection: close\r\n\r\n');
    });
  } catch (e) {
    // Linux builds throw here for an unknown host; the ESP8266 reports it as an error event.
    return retry(OtaErr.Timeout);
  }
  sock.on('data', take);
  sock.on('close', ended);
}

/** The end of a download: verified (0) or failed. */
function complete(code: number): void {
  const image = current!;
  end();
  if (image.slot) return code ? slotFailed(image, code) : trial(image);
  if (code) {
    eraseRecord(Rec.OtaInfo);
    report(false, 'fail', 0, code, image.version);
    return urc('+TCOTASTATUS:UPDATEFAIL,' + code);
  }
  image.valid = true;
  image.hash = md5Start();
  saveRecord(Rec.OtaInfo, image);
  report(false, 'burning', 100, 0, image.version);
  urc('+TCOTASTATUS:UPDATESUCCESS');
}

function slotFailed(image: OtaImage, code: number): void {
  storage.erase(image.slot!);
  report(true, 'fail', 0, code, image.version);
  urc('+TCOTASTATUS:UPDATEFAIL,' + code);
}

/** The module's package, whole: hashed again as flash holds it (a slice per turn of the event loop), then run on trial. */
function trial(image: OtaImage): void {
  const slot = image.slot!;
  const state = md5Start();
  let at = 0;
  (function next() {
    const part = storage.read(slot, at, Dl.VerifySlice) || '';
    md5Update(state, part);
    at += part.length;
    if (part.length === Dl.VerifySlice) {
      setTimeout(next, 0);
      return;
    }
    if (md5Hex(state) !== image.md5) return slotFailed(image, OtaErr.Md5);
    if (storage.read(slot, 0, 6) !== Dl.Magic) return slotFailed(image, OtaErr.Upgrade); // not a firmware package
    // In this order, a cut at any point leaves the old boot or a complete trial.
    storage.erase(Dl.Tried);
    if (!saveRecord(Rec.Boot, { run: slot, prev: image.prev, trial: 1, version: image.version, md5: image.md5 })) return slotFailed(image, OtaErr.Upgrade);
    report(true, 'burning', 100, 0, image.version);
    urc('+TCOTASTATUS:UPDATERESET');
    setTimeout(function () {
      require('ESP8266').reboot();
    }, Dl.RestartAfterMs);
  })();
}
