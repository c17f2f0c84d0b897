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
import { aesKey, aesCbc } from '../crypto/aes';
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

  /** AES-128-CBC decryption, IV sixteen '0' characters, zero padding removed. */
  function decrypt(data: string, key: string): string {
    const bytes = E.toUint8Array('0000000000000000', data);
    aesCbc(aesKey(key, null), false, bytes, 16, 16 + (data.length & ~15));
    const out = E.toString(bytes.subarray(16, 16 + (data.length & ~15)));
    let end = out.length;
    while (end && out.charCodeAt(end - 1) === 0) end--;
    return out.substr(0, end);
  }

  whenClockSet();
}
