// The module's MQTT session with the IoT hub: connecting with the stored identity, the
// subscriptions the MCU made (kept across reconnects), automatic reconnection with back-off,
// WiFi loss, network time, and the URCs that tell the MCU about all of it.
import { mqttEvents, mqttOpen, mqttClose, mqttPublish, mqttSubscription, LinkErr, MESSAGE, DROPPED } from '../net/mqtt-client';
import { connectPacket } from '../net/mqtt-packet';
import { newUsername, mqttPassword, Clock } from './credentials';
import { settings, caCertificate } from '../store/settings';
import { activity } from '../state';
import { urc } from '../at/output';
import { otaMessage, otaDisable } from './ota';
import { serviceMessage, updatesResubscribe } from './self-update';
import { onWifiEvent } from '../commands/wifi';

const MAX_SUBSCRIPTIONS = 10;
const ERR_MAX_SUBSCRIPTIONS = -107;
const ERR_UNSUB_FAIL = -121;
const ERR_RECONNECT_TIMEOUT = -106;
const ERR_BUF_TOO_SHORT = -119;
const ERR_SSL_CERT = -702;
const RETRY_GIVE_UP_MS = 60000;

export const IDLE = 0;
export const UP = 1;
const RECONNECTING = 2;

/** The parameters of the last AT+TCMQTTCONN (its query prints them). */
export const connParams = { tls: 0, timeout: 5000, keepalive: 240, clean: 1, reconnect: 1, viaTls: false };

/** `state`: IDLE, UP or RECONNECTING; `subscriptions`: the QoS digit followed by the topic, each. */
export const session = { state: IDLE, subscriptions: [] as string[] };

let retryWait = 0;
let retryTimer = 0;
let timeTopic = '';

type Done = (code: number) => void;

// At boot (run once in place, no function kept): the link's and the radio's events.
(function (): void {
  const wifi = require('Wifi');
  mqttEvents(onLinkEvent);
  wifi.on('associated', onWifiEvent);
  wifi.on('connected', onWifiEvent);
  wifi.on('disconnected', onWifiEvent);
})();

function setState(next: number): void {
  session.state = next;
  activity.mqttConnected = next === UP;
}

/** Connects with the stored identity; without a clock, also asks the hub for the time. */
function openLink(done: Done): void {
  const d = settings.device!;
  const ca = connParams.viaTls ? caCertificate() : null;
  if (connParams.viaTls && !ca) return done(ERR_SSL_CERT);
  const clientId = d.pid + d.dev;
  const user = newUsername(clientId);
  const identity = d.pid + '/' + d.dev;
  mqttOpen(settings.server || d.pid + '.iotcloud.tencentdevices.com', ca ? 8883 : 1883, ca,
    connectPacket(clientId, user, mqttPassword(d.secret, user), connParams.keepalive, connParams.clean === 1),
    connParams.keepalive, connParams.timeout, function (code) {
      if (code || getTime() > Clock.SetAfter) return done(code);
      // The reply on $sys/operation/result makes the next signature short-lived (see credentials.ts).
      timeTopic = '$sys/operation/result/' + identity;
      mqttSubscription(timeTopic, 0, function (subscribed) {
        if (subscribed === LinkErr.NoConn) return done(subscribed);
        mqttPublish('$sys/operation/' + identity, '{"type":"get","resource":["time"]}', 0, done);
      });
    });
}

/** AT+TCMQTTCONN: a new session, with no subscriptions yet. */
export function sessionConnect(done: Done): void {
  sessionDisconnect();
  openLink(function (code) {
    if (!code) setState(UP);
    done(code);
  });
}

/** AT+TCMQTTDISCONN: ends the session and forgets its subscriptions. */
export function sessionDisconnect(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = 0;
  otaDisable();
  mqttClose(true);
  setState(IDLE);
  session.subscriptions = [];
}

/** Reconnection: waits of 1-2 s, doubling, until one would pass 60 s; then DISCON,-106. */
function retry(first?: boolean): void {
  retryTimer = 0;
  if (session.state !== RECONNECTING) return;
  if (first === true) retryWait = 1000 + Math.floor(Math.random() * 1000);
  else if (first === false && (retryWait *= 2) > RETRY_GIVE_UP_MS) {
    setState(IDLE);
    return urc('+TCMQTTDISCON,' + ERR_RECONNECT_TIMEOUT);
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
  if (session.state !== RECONNECTING) return;
  if (index >= list.length) {
    setState(UP);
    updatesResubscribe();
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
  if (qos < 0 && !listed) return done(ERR_UNSUB_FAIL);
  if (qos >= 0 && !listed && session.subscriptions.length >= MAX_SUBSCRIPTIONS) return done(ERR_MAX_SUBSCRIPTIONS);
  mqttSubscription(topic, qos, function (code) {
    const i = findSubscription(topic);
    if (!code && i >= 0) session.subscriptions.splice(i, 1);
    if (!code && qos >= 0) session.subscriptions.push(qos + topic);
    done(code);
  });
}

function onLinkEvent(kind: number, a: any, b?: any): void {
  if (kind === MESSAGE) {
    if (a === timeTopic) {
      try {
        const reply = JSON.parse(b);
        if (reply.type === 'get' && typeof reply.time === 'number' && reply.time > 0) setTime(reply.time);
      } catch (e) {
        // not a time reply
      }
      if (findSubscription(a) < 0) return;
    }
    const mcuUpdate = a.indexOf('$ota/update/') === 0;
    if (mcuUpdate || a.indexOf('$thing/down/service/') === 0) {
      if (mcuUpdate) otaMessage(b);
      else serviceMessage(b);
      if (findSubscription(a) < 0) return;
    }
    // Raw payload, framed by its length: the MCU must not parse it for quotes or line ends.
    return urc('+TCMQTTRCVPUB:"' + a + '",' + b.length + ',"', b, '"');
  }
  if (kind === DROPPED) return urc('+TCMQTTMSGDROP:"' + a + '",' + b + ',' + ERR_BUF_TOO_SHORT);
  // DOWN: lost again while resubscribing is one more failed attempt.
  if (session.state === RECONNECTING) return retry(false);
  setState(IDLE);
  urc('+TCMQTTDISCON,' + a);
  if (!connParams.reconnect) return;
  setState(RECONNECTING);
  urc('+TCMQTTRECONNECTING');
  retry(true);
}
