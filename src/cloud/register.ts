// Dynamic registration (AT+TCDEVREG; spec 2.3, protocol page "Dynamic registration"): the
// product info stored with AT+TCPRDINFOSET signs a request to the registration gateway
// (plain HTTP: the ESP8266 runtime has no TLS); the answer's payload, AES-128-CBC encrypted
// under the product secret, holds the device's secret (psk), which becomes the device info.
// A failure leaves the stored device info as it was.
//
// This is the module modules/register.ts, loaded for a registration and dropped after.
import { settings, Rec } from '../store/settings';
import { store } from '../store/persist';
import { hmacSha1, toHex } from '../crypto/hmac';
import { Clock } from './credentials';

const enum Reg {
  Host = 'gateway.tencentdevices.com', Path = '/register/dev',
  InternalError = 1000, TimeoutMs = 10000, ClockWaitMs = 500, ClockTries = 6, MaxAnswer = 2048,
}

/** Registers the device named in product info; done(0), or done(<the gateway's code>, 1000 for anything else). */
export function registerDevice(done: (code: number) => void): void {
  const product = settings.product!;
  let tries = 0;
  let finished = false;

  function end(code: number): void {
    if (finished) return;
    finished = true;
    done(code);
  }

  // The signature carries a timestamp the gateway checks: a clock still at 1970 is set by SNTP first.
  function whenClockSet(): void {
    if (getTime() > Clock.SetAfter || tries++ >= Reg.ClockTries) return post();
    if (tries === 1) require('Wifi').setSNTP('ntp.tencent.com', 0);
    setTimeout(whenClockSet, Reg.ClockWaitMs);
  }

  function post(): void {
    const nonce = Math.floor(Math.random() * 2147483647);
    const timestamp = Math.floor(getTime());
    const signed = 'deviceName=' + product.dev + '&nonce=' + nonce + '&productId=' + product.pid + '&timestamp=' + timestamp;
    const body = '{"deviceName":"' + product.dev + '","nonce":' + nonce + ',"productId":"' + product.pid + '","timestamp":' + timestamp
      + ',"signature":"' + btoa(toHex(hmacSha1(product.secret, signed))) + '"}';
    let answer = '';
    const timer = setTimeout(function () {
      end(Reg.InternalError);
    }, Reg.TimeoutMs);
    let req: any;
    try {
      req = require('http').request({
        host: Reg.Host, port: 80, path: Reg.Path, method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
      }, function (res: any) {
        res.on('data', function (data: string) {
          if (answer.length + data.length <= Reg.MaxAnswer) answer += data;
        });
        res.on('close', function () {
          clearTimeout(timer);
          end(take(answer));
        });
      });
      req.on('error', function () {
        clearTimeout(timer);
        end(Reg.InternalError);
      });
      req.end(body);
    } catch (e) {
      // Linux builds throw (from request or end) for a host they cannot reach; the ESP8266 reports it as an error event.
      clearTimeout(timer);
      end(Reg.InternalError);
    }
  }

  /** The gateway's answer: its code, or 0 once the decrypted psk is stored as the device's secret. */
  function take(text: string): number {
    let reply: any;
    let info: any;
    try {
      reply = JSON.parse(text);
      if (reply.code) return typeof reply.code === 'number' ? reply.code : Reg.InternalError;
      info = JSON.parse(decrypt(atob(reply.payload), product.secret.substr(0, 16)));
    } catch (e) {
      return Reg.InternalError;
    }
    if (info.encryptionType !== 2 || typeof info.psk !== 'string' || !/^[A-Za-z0-9+\/=]+$/.test(info.psk) || info.psk.length > 44) {
      return Reg.InternalError; // a certificate device (type 1) needs TLS mode 2, which this module has not
    }
    const device = { tls: product.tls, pid: product.pid, dev: product.dev, secret: info.psk, region: product.region || 'ap-guangzhou', n: (product.n || 0) + 1 };
    return store(Rec.Device, 'device', device) ? 0 : Reg.InternalError;
  }

  /** AES-128-CBC decryption, IV sixteen '0' characters, zero padding removed; tables built on the spot. */
  function decrypt(data: string, key: string): string {
    const sbox = new Uint8Array(256);
    const inverse = new Uint8Array(256);
    let p = 1;
    let q = 1;
    do {
      p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff;
      q ^= q << 1;
      q ^= q << 2;
      q ^= q << 4;
      q &= 0xff;
      if (q & 0x80) q ^= 0x09;
      const x = (q ^ (q << 1 | q >> 7) ^ (q << 2 | q >> 6) ^ (q << 3 | q >> 5) ^ (q << 4 | q >> 4) ^ 0x63) & 0xff;
      sbox[p] = x;
      inverse[x] = p;
    } while (p !== 1);
    sbox[0] = 0x63;
    inverse[0x63] = 0;

    const w = new Uint8Array(176);
    for (let i = 0; i < 16; i++) w[i] = key.charCodeAt(i);
    let rcon = 1;
    for (let i = 16; i < 176; i += 4) {
      let t0 = w[i - 4];
      let t1 = w[i - 3];
      let t2 = w[i - 2];
      let t3 = w[i - 1];
      if (!(i % 16)) {
        const t = t0;
        t0 = sbox[t1] ^ rcon;
        t1 = sbox[t2];
        t2 = sbox[t3];
        t3 = sbox[t];
        rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
      }
      w[i] = w[i - 16] ^ t0;
      w[i + 1] = w[i - 15] ^ t1;
      w[i + 2] = w[i - 14] ^ t2;
      w[i + 3] = w[i - 13] ^ t3;
    }

    function mul(a: number, b: number): number {
      let r = 0;
      while (b) {
        if (b & 1) r ^= a;
        a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
        b >>= 1;
      }
      return r;
    }

    const s = new Uint8Array(16);
    const t = new Uint8Array(16);
    let previous = '0000000000000000';
    let out = '';
    for (let at = 0; at + 16 <= data.length; at += 16) {
      for (let i = 0; i < 16; i++) s[i] = data.charCodeAt(at + i) ^ w[160 + i];
      for (let round = 9; round >= 0; round--) {
        // InvShiftRows and InvSubBytes, then AddRoundKey, then InvMixColumns but in the last round.
        for (let i = 0; i < 16; i++) t[i] = inverse[s[(i - 4 * (i & 3)) & 15]];
        for (let i = 0; i < 16; i++) s[i] = t[i] ^ w[round * 16 + i];
        if (!round) break;
        for (let c = 0; c < 16; c += 4) {
          const a0 = s[c];
          const a1 = s[c + 1];
          const a2 = s[c + 2];
          const a3 = s[c + 3];
          s[c] = mul(a0, 14) ^ mul(a1, 11) ^ mul(a2, 13) ^ mul(a3, 9);
          s[c + 1] = mul(a0, 9) ^ mul(a1, 14) ^ mul(a2, 11) ^ mul(a3, 13);
          s[c + 2] = mul(a0, 13) ^ mul(a1, 9) ^ mul(a2, 14) ^ mul(a3, 11);
          s[c + 3] = mul(a0, 11) ^ mul(a1, 13) ^ mul(a2, 9) ^ mul(a3, 14);
        }
      }
      for (let i = 0; i < 16; i++) out += String.fromCharCode(s[i] ^ previous.charCodeAt(i));
      previous = data.substr(at, 16);
    }
    let end = out.length;
    while (end && out.charCodeAt(end - 1) === 0) end--;
    return out.substr(0, end);
  }

  whenClockSet();
}
