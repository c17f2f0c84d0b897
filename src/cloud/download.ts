// OTA downloads (protocol page, "OTA"), the module modules/download.ts, held while one runs: the
// MCU's image into the flash staging area of the module info, or the module's own firmware
// package into the Storage slot not running. Plain HTTP GET with Range over a socket (even for
// an https URL, as the shipped firmware does; the ESP8266 runtime has no TLS for it), progress
// on the hub's report topics about once a second. A stall, a drop or an error retries, 3 times
// at most.
//
// Bytes go to flash as they arrive (each 4 KB sector of the staging area erased just before its
// first byte); MD5 reads them back from flash behind the download, a few 64-byte blocks per turn
// of the event loop: hashing in JavaScript is far slower than the network on the ESP8266 (about
// 20 ms per KB on x86, some 240 times that on the board), so a whole TCP chunk hashed in its
// 'data' callback would outlast the watchdog. `offset` is how far the hash has come; the record
// (offset and MD5 state) is saved every 32 KB of it, so a power cut resumes the download from
// there without hashing the staged bytes again. A package is checked to be one once hashed,
// and only then named in the boot record for a trial boot (+TCOTASTATUS:UPDATERESET, restart
// 2 s later; see src/boot/select-image.js and src/boot/start.ts for the trial).
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
  Block = 64, HashTurnMs = 20, RestartAfterMs = 2000, Tried = 'tctried', Magic = 'TCFW1 ',
}

/**
 * What is (being) staged: `offset` bytes hashed into `hash`, `valid` once the whole image matched
 * its MD5. `slot` (the module's own package): the Storage file it goes to; `prev` the image running now.
 */
export interface OtaImage {
  url: string; md5: string; version: string; size: number; offset: number; hash: Md5State; valid: boolean; slot?: string; prev?: string;
}

let current: OtaImage | null = null;
let staged = 0; // bytes of the image in flash; the hash follows behind
let hashing = 0; // the timer of the next hashing turn
let attempt = 0; // which download attempt events belong to; older ones are ignored
let retries = 0;
let sock: any = null;
let lastReport = 0;
let stall = 0; // the running attempt's stall timer

/** Starts downloading `image` from its offset; the module is held until the download ends. */
export function startDownload(image: OtaImage): void {
  current = image;
  staged = image.offset;
  activity.otaDownloading = true;
  retries = 0;
  urc('+TCOTASTATUS:ENTERUPDATE');
  download();
}

/** AT+TCOTASET=0, AT+TCMQTTDISCONN: the download stops where it is (the MCU's resumes next time). */
export function stopDownload(): void {
  stopAttempt();
  if (current && !current.slot) saveRecord(Rec.OtaInfo, current);
  end();
}

/** Events of the attempt running now are ignored from here on; its socket and stall timer end. */
function stopAttempt(): void {
  attempt++;
  if (stall) clearTimeout(stall);
  stall = 0;
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
  if (hashing) clearTimeout(hashing);
  hashing = 0;
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

  function retry(code: number): void {
    if (mine !== attempt) return;
    stopAttempt();
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
    // The first chunk is kept as it came, not copied: it may hold much of the body too.
    header = header ? header + data : data;
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
      stopAttempt();
      complete(status === '404' ? OtaErr.NotFound : OtaErr.Auth);
      return null;
    }
    // A range from elsewhere, or chunked encoding (not taken here), cannot be staged.
    const range = find(head, '\r\ncontent-range: bytes ' + staged + '-') >= 0;
    if ((status !== '200' && !(status === '206' && range)) || find(head, 'chunked') >= 0) {
      retry(OtaErr.Timeout);
      return null;
    }
    skip = status === '200' ? staged : 0;
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
    if (data.length > image.size - staged) return retry(OtaErr.Upgrade);
    if (image.slot) {
      storage.write(image.slot, data, staged, image.size);
      staged += data.length;
    } else {
      const flash = require('Flash');
      let at = 0;
      while (at < data.length) {
        const addr = settings.module.base + staged;
        // Erased just before its first byte (never again on a resume in its middle: the bytes before are the image's).
        if (!(staged % Dl.Sector)) flash.erasePage(addr);
        const n = Math.min(data.length - at, Dl.Sector - (staged % Dl.Sector));
        flash.write(n === data.length ? data : data.substr(at, n), addr);
        staged += n;
        at += n;
      }
    }
    // All of it here: the socket is done with, however long the hash still takes.
    if (staged === image.size) stopAttempt();
    if (!hashing) hashing = setTimeout(hashTurn, 0);
  }

  function ended(): void {
    if (mine !== attempt) return;
    if (staged < image.size) return retry(OtaErr.Timeout);
    // All staged: the hash finishes the download when it gets there.
    stopAttempt();
  }

  watch();
  try {
    sock = require('net').connect({ host: colon < 0 ? hostPort : hostPort.substr(0, colon), port: colon < 0 ? 80 : parseInt(hostPort.substr(colon + 1), 10) }, function () {
      if (mine === attempt) sock.write('GET ' + (slash < 0 ? '/' : rest.substr(slash)) + ' HTTP/1.1\r\nHost: ' + hostPort + '\r\nRange: bytes=' + staged + '-\r\nConnection: close\r\n\r\n');
    });
  } catch (e) {
    // Linux builds throw here for an unknown host; the ESP8266 reports it as an error event.
    return retry(OtaErr.Timeout);
  }
  sock.on('data', take);
  sock.on('close', ended);
}

/**
 * One turn of hashing: whole 64-byte blocks read back from flash (the last may be short) until
 * the turn has taken its share of time, then the event loop runs again. The whole image hashed
 * ends the download.
 */
function hashTurn(): void {
  hashing = 0;
  const image = current!;
  const started = getTime();
  let n = 0;
  do {
    n = Math.min(Dl.Block, staged - image.offset);
    if (n < Dl.Block && staged < image.size) break;
    md5Update(image.hash, image.slot ? storage.read(image.slot, image.offset, n) || '' : E.toString(require('Flash').read(n, settings.module.base + image.offset)));
    image.offset += n;
    if (!image.slot && !(image.offset % Dl.SaveEvery)) saveRecord(Rec.OtaInfo, image);
  } while (image.offset < image.size && (getTime() - started) * 1000 < Dl.HashTurnMs);
  if (getTime() - lastReport >= 1) {
    lastReport = getTime();
    report(!!image.slot, 'downloading', Math.floor((image.offset * 100) / image.size), 0, image.version);
  }
  if (image.offset < image.size) {
    if (image.offset + Dl.Block <= staged || staged === image.size) hashing = setTimeout(hashTurn, 0);
    return;
  }
  stopAttempt();
  complete(md5Hex(image.hash) === image.md5 ? 0 : OtaErr.Md5);
}

/** The end of a download: verified (0) or failed. */
function complete(code: number): void {
  const image = current!;
  const slot = image.slot;
  end();
  if (slot) {
    // The module's package, hashed as flash holds it: checked to be a package, then run on trial.
    if (!code && storage.read(slot, 0, 6) !== Dl.Magic) code = OtaErr.Upgrade;
    if (!code) {
      // In this order, a cut at any point leaves the old boot or a complete trial.
      storage.erase(Dl.Tried);
      if (saveRecord(Rec.Boot, { run: slot, prev: image.prev, trial: 1, version: image.version, md5: image.md5 })) {
        report(true, 'burning', 100, 0, image.version);
        urc('+TCOTASTATUS:UPDATERESET');
        setTimeout(function () {
          require('ESP8266').reboot();
        }, Dl.RestartAfterMs);
        return;
      }
      code = OtaErr.Upgrade;
    }
    storage.erase(slot);
  } else if (code) eraseRecord(Rec.OtaInfo);
  if (code) {
    report(!!slot, 'fail', 0, code, image.version);
    return urc('+TCOTASTATUS:UPDATEFAIL,' + code);
  }
  image.valid = true;
  image.hash = md5Start();
  saveRecord(Rec.OtaInfo, image);
  report(false, 'burning', 100, 0, image.version);
  urc('+TCOTASTATUS:UPDATESUCCESS');
}
