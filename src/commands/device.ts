// Chapter 2 (device and product identity, dynamic registration) and 6 (SmartConfig, softAP
// provisioning, module info, server, versions). Registration and provisioning are modules of their
// own (modules/register.ts, modules/provision.ts), loaded when asked for.
// RegExp literals stay inside the function: made when used, they cost no RAM between commands.
import { Form, finish } from '../at/engine';
import { Arg, matches } from '../at/args';
import { sendLine } from '../at/output';
import { cme, help, okThen, result, settingsRefusal, Cme } from './reply';
import { setting } from './setting';
import { restoreAndRestart } from './restart';
import { settings, Rec, ModuleInfo } from '../store/settings';
import { Sdk } from '../version';
import { tlsModes } from '../cloud/tls';
import { parseArgs } from '../at/args';
import { activity } from '../state';
import { loadModule, Mod } from '../module-loader';
import type * as Register from '../../modules/register';
import type * as Provision from '../../modules/provision';

const DEFAULT_REGION = 'ap-guangzhou';

export function command(form: number, params: string, name: string): boolean {
  /** The spec's checksum of a secret: XOR of its bytes, printed in decimal instead of the secret. */
  function bcc(text: string): number {
    let sum = 0;
    for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i);
    return sum;
  }
  function identityOk(pid: Arg, dev: Arg): boolean {
    return matches(pid, /^[A-Za-z0-9_-]+$/, 10) && matches(dev, /^[A-Za-z0-9_:@.-]+$/, 48);
  }
  const modes = 'TLSMODE(' + tlsModes().join('/') + ')';
  const d = settings.device;
  const p = settings.product;
  const m = settings.module;
  // Which of device and product info was set last (`n`): provisioning registers from product
  // info only when it is the newer of the two.
  const next = Math.max(d && d.n || 0, p && p.n || 0) + 1;
  switch (name) {
    case 'AT+TCDEVINFOSET':
      if (form === Form.Test) return help('+TCDEVINFOSET:"' + modes + '","PRODUCTID","DEVICENAME","DEVICESECRET","REGION"');
      if (form === Form.Query) return d ? help('+TCDEVINFOSET:' + d.tls + ',"' + d.pid + '","' + d.dev + '",' + bcc(d.secret) + ',"' + d.region + '"') : cme(Cme.NotReady);
      return form === Form.Set && setting(name, params, 'nsss?s', function (a) {
        const valid = tlsModes().indexOf(a[0] as number) >= 0 && identityOk(a[1], a[2]) && matches(a[3], /^[A-Za-z0-9+\/=]+$/, 44)
          && (a[4] === undefined || matches(a[4], /^[a-z0-9-]+$/, 32));
        return valid ? { tls: a[0], pid: a[1], dev: a[2], secret: a[3], region: a[4] || DEFAULT_REGION, n: next } : undefined;
      }, Rec.Device, 'device');

    case 'AT+TCPRDINFOSET':
      // As the shipped firmware prints it: the secret's BCC, and the region (optional, as in AT+TCDEVINFOSET).
      if (form === Form.Test) return help('+TCPRDINFOSET:"' + modes.replace('MODE', '_MODE') + '","PRODUCT_ID","PRODUCT_SECRET_BCC","DEVICE_NAME","PRODUCT_REGION"');
      if (form === Form.Query) return p ? help('+TCPRDINFOSET:' + p.tls + ',"' + p.pid + '",' + bcc(p.secret) + ',"' + p.dev + '"') : cme(Cme.NotReady);
      return form === Form.Set && setting(name, params, 'nsss?s', function (a) {
        const valid = tlsModes().indexOf(a[0] as number) >= 0 && identityOk(a[1], a[3]) && matches(a[2], /^[!-~]+$/, 32)
          && (a[4] === undefined || matches(a[4], /^[a-z0-9-]+$/, 32));
        return valid ? { tls: a[0], pid: a[1], secret: a[2], dev: a[3], region: a[4] || DEFAULT_REGION, n: next } : undefined;
      }, Rec.Product, 'product');

    // Dynamic registration from product info: OK, then +TCDEVREG:OK or FAIL,<the gateway's code>.
    case 'AT+TCDEVREG': {
      if (form === Form.Test) return help('');
      if (form !== Form.Exec) return false;
      const refusal = settingsRefusal() || (p ? 0 : Cme.NotReady);
      if (refusal) return cme(refusal);
      sendLine('OK');
      (loadModule(Mod.Register) as typeof Register).registerDevice(function (code) {
        finish(result('TCDEVREG', code));
      });
      return true;
    }

    case 'AT+TCMODINFOSET':
      if (form === Form.Test) return help('+TCMODINFOSET:"MODULE NAME","FLASH_SIZE (2/4)","WIFI LED GPIO","FW BASE ADDR","FW MAX SIZE","FIXED CONNID"');
      if (form === Form.Query) return help('+TCMODINFOSET:"' + m.name + '",' + m.flash + ',' + m.led + ',' + m.base + ',' + m.max + ',' + m.connId);
      return form === Form.Set && setting(name, params, 'snnnnn', function (a) {
        const i = { name: a[0], flash: a[1], led: a[2], base: a[3], max: a[4], connId: a[5] } as ModuleInfo;
        // The staging area must end before the SDK's last 20 KB of the chip.
        const valid = matches(i.name, /^[ -~]+$/, 30) && (i.flash === 2 || i.flash === 4) && i.led >= 0 && i.led <= 16
          && i.base % 0x1000 === 0 && i.base >= 0x111000 && i.max >= 131072 && i.max <= 716800
          && i.base + i.max <= i.flash * 0x100000 - 0x5000 && (i.connId === 0 || i.connId === 1);
        return valid ? i : undefined;
      }, Rec.Module, 'module');

    case 'AT+TCMQTTSRV':
      if (form === Form.Test) return help('+TCMQTTSRV:"MQTT SERVER IP"');
      if (form === Form.Query) {
        const id = d || p;
        return help('+TCMQTTSRV:' + (settings.server || (id ? id.pid + '.' : '') + 'iotcloud.tencentdevices.com'));
      }
      // An empty host goes back to the default, <ProductId>.iotcloud.tencentdevices.com.
      return form === Form.Set && setting(name, params, 's', function (a) {
        return a[0] === '' || matches(a[0], /^[A-Za-z0-9.-]+$/, 64) ? a[0] : undefined;
      }, Rec.Server, 'server');

    case 'AT+TCRESTORE':
      return form === Form.Test ? help('') : form === Form.Exec && restoreAndRestart(false);

    case 'AT+TCMODULE':
      if (form !== Form.Exec) return false;
      sendLine('Module HW name: ' + m.name);
      sendLine('Module FW version: ' + __AT_VERSION__);
      sendLine('Module Mac addr: ' + require('Wifi').getIP().mac);
      sendLine('Module FW compiled time: ' + __COMPILE_TIME__);
      return help('Module Flash size: ' + m.flash + 'MB');

    // The ESP8266 Espruino runtime has no ESP-TOUCH receiver: SmartConfig cannot start
    // (+TCSTARTSMART:FAIL,13, "Smartconfig start error"), and there is nothing to stop.
    case 'AT+TCSTARTSMART':
    case 'AT+TCSTOPSMART': {
      const start = name === 'AT+TCSTARTSMART';
      if (form === Form.Test) return help(name + (start ? ': CMD FOR START SMARTCONFIG' : ': CMD TO STOP SMARTCONFIG'));
      if (form !== Form.Exec) return false;
      const refusal = settingsRefusal();
      if (refusal) return cme(refusal);
      return start ? okThen('TCSTARTSMART', function () {
        return 13;
      }) : help('');
    }

    // softAP provisioning with device binding (cloud/provision.ts): OK, +TCSAP:OK, then the outcome.
    case 'AT+TCSAP': {
      if (form === Form.Test) return help('+TCSAP=<ssid>,<pwd>');
      if (form === Form.Query) return help('');
      const a = form === Form.Set ? parseArgs(params, 's?sn') : null;
      if (!a) return false;
      const ssid = a[0] as string;
      const password = (a[1] as string) || '';
      const channel = a[2] === undefined ? 1 : (a[2] as number);
      if (!ssid || ssid.length > 32 || (password && (password.length < 8 || password.length > 32)) || !(channel >= 1 && channel <= 13)) {
        return cme(Cme.ParamInvalid);
      }
      const refusal = settingsRefusal() || (activity.stopSap || (!d && !p) ? Cme.NotReady : 0);
      if (refusal) return cme(refusal);
      sendLine('OK');
      (loadModule(Mod.Provision) as typeof Provision).startSoftAp(ssid, password, channel, function (code) {
        finish(result('TCSAP', code));
      });
      return true;
    }

    case 'AT+TCSTOPSAP': {
      if (form === Form.Test) return help('AT+TCSTOPSAP: CMD TO STOP SOFTAP');
      if (form !== Form.Exec) return false;
      if (activity.mqttConnected) return cme(Cme.NotReady);
      if (activity.stopSap) activity.stopSap();
      return help('');
    }

    case 'AT+TCVER':
      if (form !== Form.Exec) return false;
      sendLine('Tencent Cloud IoT AT version: ' + __AT_VERSION__);
      sendLine('Tencent Cloud IoT SDK version: ' + Sdk.Version);
      sendLine('Firmware compile time: ' + __COMPILE_TIME__);
      return help('Open TypeScript firmware for Espruino');
  }
  return false;
}
