// The module's MQTT session with the IoT hub: connecting with the stored identity, the
// subscriptions the MCU made (kept across reconnects), automatic reconnection with back-off,
// WiFi loss, network time, and the URCs that tell the MCU about all of it. With the MQTT client
// this is the module modules/link.ts: held (src/module-loader.ts) from AT+TCMQTTCONN until the
// session ends, then dropped.
import { mqttOpen, mqttClose, mqttPublish, mqttSubscription, LinkErr, LinkEvent } from '../net/mqtt-client';
import { Clock } from './credentials';
import { settings } from '../store/settings';
import { activity, connParams, ota } from '../state';
import { urc } from '../at/output';
import { loadModule, holdModule, Mod } from '../module-loader';
import type * as OtaModule from '../../modules/ota';
import type * as DownloadModule from '../../modules/download';
import type * as ConnectModule from '../../modules/connect';

/** Limits and the spec's codes (a const enum is inlined: no JsVars). */
const enum Session {
  Idle = 0, Up = 1, Reconnecting = 2,
  MaxSubscriptions = 10, ErrMaxSubscriptions = -107, ErrUnsubFail = -121, ErrReconnectTimeout = -106, ErrBufTooShort = -119,
  RetryGiveUpMs = 60000,
}

/** `state`: Idle, Up or Reconnecting; `subscriptions`: the QoS digit followed by the topic, each. */
export const session = { state: Session.Idle as number, subscriptions: [] as string[] };

let retryWait = 0;
let retryTimer = 0;
let timeTopic = '';

type Done = (code: number) => void;

function setState(next: number): void {
  session.state = next;
  activity.mqttConnected = next === Session.Up;
}

/** Connects with the stored identity; without a clock, also asks the hub for the time. */
function openLink(done: Done): void {
  const d = settings.device!;
  const identity = d.pid + '/' + d.dev;
  // tls_mode 1: TLS-PSK on 8883, the identity the client id, the key the device secret.
  const psk = connParams.tls === 1;
  const hello = (loadModule(Mod.Connect) as typeof ConnectModule).connectPacket(d, connParams.keepalive, connParams.clean === 1, psk);
  mqttOpen(settings.server || d.pid + '.iotcloud.tencentdevices.com', psk ? 8883 : 1883, hello, connParams.keepalive, connParams.timeout, onLinkEvent, function (code) {
      if (code || getTime() > Clock.SetAfter) return done(code);
      // The reply on $sys/operation/result makes the next signature short-lived (see credentials.ts).
      timeTopic = '$sys/operation/result/' + identity;
      mqttSubscription(timeTopic, 0, function (subscribed) {
        if (subscribed === LinkErr.NoConn) return done(subscribed);
        mqttPublish('$sys/operation/' + identity, '{"type":"get","resource":["time"]}', 0, done);
      });
    }, psk ? [d.pid + d.dev, atob(d.secret)] : undefined);
}

/** AT+TCMQTTCONN: a new session, with no subscriptions yet. */
export function sessionConnect(done: Done): void {
  close(false);
  openLink(function (code) {
    if (code) close(true);
    else setState(Session.Up);
    done(code);
  });
}

/** AT+TCMQTTDISCONN: ends the session and forgets its subscriptions. */
export function sessionDisconnect(): void {
  close(true);
}

/** No session any more; `end`: the module is let go too, and the next AT+TCMQTTCONN loads it anew. */
function close(end: boolean): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = 0;
  if (ota.enabled) (loadModule(Mod.Ota) as typeof OtaModule).otaDisable();
  mqttClose(true);
  setState(Session.Idle);
  session.subscriptions = [];
  if (end) holdModule(Mod.Link, null);
}

/** Reconnection: waits of 1-2 s, doubling, until one would pass 60 s; then DISCON,-106. */
function retry(first?: boolean): void {
  retryTimer = 0;
  if (session.state !== Session.Reconnecting) return;
  if (first === true) retryWait = 1000 + Math.floor(Math.random() * 1000);
  else if (first === false && (retryWait *= 2) > Session.RetryGiveUpMs) {
    close(true);
    return urc('+TCMQTTDISCON,' + Session.ErrReconnectTimeout);
  }
  if (first !== undefined) {
    retryTimer = setTimeout(retry, retryWait);
    return;
  }
  openLink(function (code) {
    if (code) return retry(false);
    resubscribe(0);
  });
}

function resubscribe(index: number): void {
  const list = session.subscriptions;
  if (session.state !== Session.Reconnecting) return;
  if (index >= list.length) {
    setState(Session.Up);
    // Listening for updates again, without waiting for the acks.
    if (ota.enabled) {
      const device = settings.device!.pid + '/' + settings.device!.dev;
      mqttSubscription('$ota/update/' + device, 1, null);
      mqttSubscription('$thing/down/service/' + device, 1, null);
    }
    return urc('+TCMQTTRECONNECTED');
  }
  mqttSubscription(list[index].substr(1), Number(list[index].charAt(0)), function (code) {
    if (code !== LinkErr.NoConn) resubscribe(index + 1);
  });
}

function findSubscription(topic: string): number {
  const list = session.subscriptions;
  for (let i = 0; i < list.length; i++) {
    if (list[i].substr(1) === topic) return i;
  }
  return -1;
}

/** AT+TCMQTTSUB (qos 0/1; a listed topic changes its QoS) and AT+TCMQTTUNSUB (qos -1). */
export function sessionSubscription(topic: string, qos: number, done: Done): void {
  const listed = findSubscription(topic) >= 0;
  if (qos < 0 && !listed) return done(Session.ErrUnsubFail);
  if (qos >= 0 && !listed && session.subscriptions.length >= Session.MaxSubscriptions) return done(Session.ErrMaxSubscriptions);
  mqttSubscription(topic, qos, function (code) {
    const i = findSubscription(topic);
    if (!code && i >= 0) session.subscriptions.splice(i, 1);
    if (!code && qos >= 0) session.subscriptions.push(qos + topic);
    done(code);
  });
}

/** Message (topic, payload bytes), Dropped (topic, length) or Down (code), from the MQTT client. */
function onLinkEvent(kind: number, a: any, b?: any): void {
  if (kind === LinkEvent.Message) {
    if (a === timeTopic) {
      try {
        const reply = JSON.parse(E.toString(b));
        if (reply.type === 'get' && typeof reply.time === 'number' && reply.time > 0) setTime(reply.time);
      } catch (e) {
        // not a time reply
      }
      if (findSubscription(a) < 0) return;
    }
    const mcuUpdate = a.substr(0, 12) === '$ota/update/';
    if (mcuUpdate || a.substr(0, 20) === '$thing/down/service/') {
      // The OTA module reads the order; an image to download is started once it is gone (two
      // modules at once, and the order's JSON, would not fit in RAM beside the link).
      const updates: typeof OtaModule = loadModule(Mod.Ota);
      const image = mcuUpdate ? updates.otaMessage(E.toString(b)) : updates.serviceMessage(E.toString(b));
      if (image) {
        setTimeout(function () {
          const download: typeof DownloadModule = loadModule(Mod.Download);
          holdModule(Mod.Download, download);
          download.startDownload(image);
        }, 0);
      }
      if (findSubscription(a) < 0) return;
    }
    // Raw payload, framed by its length: the MCU must not parse it for quotes or line ends.
    return urc('+TCMQTTRCVPUB:"' + a + '",' + b.length + ',"', b, '"');
  }
  if (kind === LinkEvent.Dropped) return urc('+TCMQTTMSGDROP:"' + a + '",' + b + ',' + Session.ErrBufTooShort);
  // Down: lost again while resubscribing is one more failed attempt.
  if (session.state === Session.Reconnecting) return retry(false);
  setState(Session.Idle);
  urc('+TCMQTTDISCON,' + a);
  if (!connParams.reconnect) return close(true);
  setState(Session.Reconnecting);
  urc('+TCMQTTRECONNECTING');
  retry(true);
}
