// ESP-AT's WiFi commands, as MCU software for this module sends them (Tencent's MCU SDK and
// the spec's usage guide): AT+CWMODE, AT+CWJAP, AT+CWQAP, AT+CWLAP, AT+CIPSTA?, with the lines
// ESP-AT prints, and its URCs WIFI CONNECTED, WIFI GOT IP and WIFI DISCONNECT. The network
// joined with AT+CWJAP is kept twice: in the runtime's own .wificfg, which it joins at boot,
// and in a two-slot record that brings .wificfg back if a power cut took it (store/settings.ts).
// The _CUR and _DEF forms of ESP-AT 1.x are the same commands here (both store).
import { Form, finish } from '../at/engine';
import { parseArgs } from '../at/args';
import { sendLine } from '../at/output';
import { help } from './reply';
import { saveRecord } from '../store/records';
import { Rec } from '../store/settings';
import { station } from './wifi-events';

const enum Join { TimeoutMs = 15000 }

export function command(form: number, params: string, name: string): boolean {
  const wifi = require('Wifi');
  const cmd = name.replace('_CUR', '').replace('_DEF', '');
  if (cmd === 'AT+CWMODE') {
    if (form === Form.Test) return help('+CWMODE:(1-3)');
    if (form === Form.Query) {
      const mode = wifi.getStatus().mode;
      return help('+CWMODE:' + (mode === 'ap' ? 2 : mode === 'sta+ap' ? 3 : 1));
    }
    // Station only: the firmware opens an access point for provisioning alone (AT+TCSAP).
    return form === Form.Set && params === '1' && help('');
  }
  if (cmd === 'AT+CIPSTA') {
    if (form !== Form.Query) return false;
    const ip = wifi.getIP();
    sendLine('+CIPSTA:ip:"' + ip.ip + '"');
    sendLine('+CIPSTA:gateway:"' + ip.gw + '"');
    return help('+CIPSTA:netmask:"' + ip.netmask + '"');
  }
  if (cmd === 'AT+CWQAP') {
    if (form === Form.Test) return help('');
    if (form !== Form.Exec) return false;
    wifi.disconnect();
    return help('');
  }
  if (cmd === 'AT+CWLAP') {
    if (form !== Form.Exec) return false;
    try {
      wifi.scan(function (list: any[]) {
        const ecn: any = { open: 0, wep: 1, wpa: 2, wpa2: 3, wpa_wpa2: 4 };
        for (let i = 0; i < list.length; i++) {
          const ap = list[i];
          sendLine('+CWLAP:(' + (ecn[ap.authMode] || 0) + ',"' + ap.ssid + '",' + ap.rssi + ',"' + ap.mac + '",' + ap.channel + ')');
        }
        finish('OK');
      });
    } catch (e) {
      finish('ERROR'); // a scan already running
    }
    return true;
  }
  // AT+CWJAP
  if (form === Form.Test) return help('');
  if (form === Form.Query) {
    if (!station.up) return help('No AP');
    return help('+CWJAP:"' + station.ssid + '","' + station.mac + '",' + station.channel + ',' + wifi.getDetails().rssi);
  }
  const a = form === Form.Set ? parseArgs(params, 's?s') : null;
  const ssid = a && (a[0] as string);
  const password = (a && (a[1] as string)) || '';
  if (!ssid || ssid.length > 32 || password.length > 64 || (password && password.length < 8)) return false;
  // +CWJAP:<code> FAIL: 1 time-out, 2 wrong password, 3 no such network, 4 other failure.
  const timer = setTimeout(function () {
    end(1);
  }, Join.TimeoutMs);
  function end(code: number): void {
    if (!station.join) return;
    station.join = null;
    clearTimeout(timer);
    if (code) {
      sendLine('+CWJAP:' + code);
      return finish('FAIL');
    }
    station.up = true;
    station.quietUntil = getTime() + 1; // a 'connected' event after the callback is this join's
    saveRecord(Rec.Wifi, { ssid: ssid, password: password });
    wifi.save();
    sendLine('WIFI CONNECTED');
    sendLine('WIFI GOT IP');
    finish('OK');
  }
  station.join = end;
  wifi.connect(ssid, { password: password }, function (err: any) {
    end(!err ? 0 : err === 'bad_password' ? 2 : err === 'no_ap_found' ? 3 : 4);
  });
  return true;
}
