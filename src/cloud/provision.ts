// softAP provisioning with device binding (spec 6.3-6.4, protocol page "WiFi provisioning"):
// the module opens an access point and a UDP server on port 8266 for Tencent's app (Lianlian);
// the app's cmdType 1 gives the WiFi and a binding token; the module answers cmdType 2 three
// times, joins the WiFi, registers first if it holds only product info, connects MQTT, sends
// app_bind_token and waits for its reply: +TCSAP:WIFI_CONNECT_SUCCESS, or
// +TCSAP:WIFI_CONNECT_FAILED,<err>,<sub>. Nothing is stored unless it all succeeds (the WiFi,
// and the device info registration gives). Five minutes without the app: +TCSAP:FAIL,202.
//
// This is the module modules/provision.ts: its closures keep it alive while provisioning runs,
// and nothing of it is kept once provisioning ends. It loads the registration and MQTT link
// modules as it needs them.
import { settings, Rec } from '../store/settings';
import { saveRecord } from '../store/records';
import { activity } from '../state';
import { urc } from '../at/output';
import { loadModule, holdModule, heldModule, Mod } from '../module-loader';
import type * as LinkModule from '../../modules/link';
import type * as Register from '../../modules/register';

const enum Sap {
  Port = 8266, Replies = 3, ReplyGapMs = 1000, JoinTimeoutMs = 15000, BindTimeoutMs = 10000,
  // spec 7.4, and the binding steps of the protocol page
  ErrMqtt = 1, ErrApp = 2, ErrWifiConnect = 10, ErrTokenSend = 23, ErrTokenReply = 24, ErrTokenTimeout = 25,
  Timeout = 202,
}

/** Opens the access point (done(0), or 7 when it cannot) and serves the app until provisioning ends. */
export function startSoftAp(ssid: string, password: string, channel: number, done: (code: number) => void): void {
  const wifi = require('Wifi');
  const log: string[] = [];
  let socket: any = null;
  let waiting = 0;
  let started = false;
  let ended = false;

  function note(step: string): void {
    log.push(Math.floor(getTime()) + ' ' + step);
    if (log.length > 8) log.shift();
  }

  function stop(): void {
    ended = true;
    activity.stopSap = null;
    activity.onBindReply = null;
    if (waiting) clearTimeout(waiting);
    if (socket) socket.close();
    socket = null;
    wifi.stopAP();
  }

  /** The MQTT session provisioning opened, if it still lives. */
  function disconnect(): void {
    const link: typeof LinkModule | undefined = heldModule(Mod.Link);
    if (link) link.sessionDisconnect();
  }

  function fail(err: number, sub: number): void {
    if (ended) return;
    note('failed ' + err + ',' + sub);
    disconnect();
    stop();
    // Back to the network stored before (the attempt left the station elsewhere or nowhere).
    if (started) wifi.restore();
    urc('+TCSAP:WIFI_CONNECT_FAILED,' + err + ',' + sub);
  }

  function onMessage(text: string, from: any): void {
    let m: any;
    try {
      m = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (!m || ended) return;
    const reply = function (body: string) {
      if (socket) socket.send(body, from.port, from.address);
    };
    if (m.cmdType === 3) return reply(JSON.stringify({ cmdType: 3, deviceLog: log }));
    if (m.cmdType !== 1 || started) return;
    if (typeof m.ssid !== 'string' || !m.ssid || m.ssid.length > 32 || typeof m.password !== 'string' || m.password.length > 64
      || typeof m.token !== 'string' || !m.token || m.token.length > 64) {
      note('bad app command');
      return reply('{"cmdType":2,"errorCode":' + Sap.ErrApp + ',"errorMsg":"bad ssid, password or token"}');
    }
    started = true;
    clearTimeout(waiting);
    waiting = 0;
    note('app command');
    // The device this provisioning binds: product info's when it is to be registered.
    const id = needsRegistration() ? settings.product! : settings.device!;
    const answer = '{"cmdType":2,"productId":"' + id.pid + '","deviceName":"' + id.dev + '","protoVersion":"2.0","productRegion":"'
      + (id.region || 'ap-guangzhou') + '"}';
    // Three answers a second apart while the phone is still on this access point, then the join.
    let sent = 0;
    (function again() {
      if (ended) return;
      reply(answer);
      if (++sent < Sap.Replies) setTimeout(again, Sap.ReplyGapMs);
      else join(m.ssid, m.password, m.token);
    })();
  }

  function join(ssid: string, password: string, token: string): void {
    let joined = false;
    const timer = setTimeout(function () {
      if (!joined) fail(Sap.ErrWifiConnect, 1);
    }, Sap.JoinTimeoutMs);
    wifi.connect(ssid, { password: password }, function (err: any) {
      if (joined || ended) return;
      joined = true;
      clearTimeout(timer);
      if (err) return fail(Sap.ErrWifiConnect, err === 'bad_password' ? 2 : err === 'no_ap_found' ? 3 : 4);
      note('wifi joined');
      if (!needsRegistration()) return bind(ssid, password, token);
      (loadModule(Mod.Register) as typeof Register).registerDevice(function (code) {
        if (code) return fail(Sap.ErrMqtt, code);
        note('registered');
        bind(ssid, password, token);
      });
    });
  }

  /** Only product info, or product info set after the device info (the one the MCU set last wins). */
  function needsRegistration(): boolean {
    const p = settings.product;
    const d = settings.device;
    return !!p && (!d || (p.n || 0) > (d.n || 0));
  }

  function bind(ssid: string, password: string, token: string): void {
    const link: typeof LinkModule = loadModule(Mod.Link);
    holdModule(Mod.Link, link);
    link.sessionConnect(function (code) {
      if (code) return fail(Sap.ErrMqtt, -code);
      note('mqtt connected');
      const d = settings.device!;
      const device = d.pid + '/' + d.dev;
      link.mqttSubscription('$thing/down/service/' + device, 1, function (code) {
        if (code) return fail(Sap.ErrMqtt, -code);
        const timer = setTimeout(function () {
          fail(Sap.ErrTokenTimeout, 0);
        }, Sap.BindTimeoutMs);
        activity.onBindReply = function (m: any) {
          clearTimeout(timer);
          if (m.code !== 0) return fail(Sap.ErrTokenReply, typeof m.code === 'number' ? m.code : 1);
          note('bound');
          disconnect();
          stop();
          // Only now is the WiFi the app gave kept (the runtime's .wificfg and the record), the
          // access point already off so that the saved configuration does not reopen it.
          saveRecord(Rec.Wifi, { ssid: ssid, password: password });
          wifi.save();
          urc('+TCSAP:WIFI_CONNECT_SUCCESS');
        };
        link.mqttPublish('$thing/up/service/' + device, '{"method":"app_bind_token","clientToken":"' + d.dev + '-' + Math.floor(getTime())
          + '","params":{"token":' + JSON.stringify(token) + '}}', 1, function (code) {
          if (code) {
            clearTimeout(timer);
            fail(Sap.ErrTokenSend, -code);
          }
        });
      });
    });
  }

  wifi.startAP(ssid, { password: password || undefined, authMode: password ? 'wpa2' : 'open', channel: channel }, function (err: any) {
    if (err) return done(7);
    socket = require('dgram').createSocket('udp4');
    socket.on('message', onMessage);
    socket.bind(Sap.Port);
    activity.stopSap = stop;
    note('softap on');
    waiting = setTimeout(function () {
      waiting = 0;
      note('no app');
      stop();
      urc('+TCSAP:FAIL,' + Sap.Timeout);
    }, __SAP_WAIT_MS__);
    done(0);
  });
}
