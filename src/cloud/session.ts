// The module's MQTT session with the IoT hub: connecting with the stored identity, the
// subscriptions the MCU made (kept across reconnects), automatic reconnection with back-off,
// WiFi loss, network time, and the URCs that tell the MCU about all of it.
import { mqttHandlers, mqttOpen, mqttClose, mqttBreak, mqttPublish, mqttSubscribe, mqttUnsubscribe, ERR_NO_CONN } from '../net/mqtt-client';
import { connectPacket } from '../net/mqtt-packet';
import { newUsername, mqttPassword, clockKnown } from './credentials';
import { settings, caCertificate } from '../store/settings';
import { activity } from '../state';
import { urc } from '../at/output';

export const MAX_SUBSCRIPTIONS = 10;
export const ERR_MAX_SUBSCRIPTIONS = -107;
export const ERR_UNSUB_FAIL = -121;
const ERR_RECONNECT_TIMEOUT = -106;
const ERR_SSL_CERT = -702;
const RETRY_GIVE_UP_MS = 60000;

const IDLE = 0;
const UP = 1;
const RECONNECTING = 2;

/** The parameters of the last AT+TCMQTTCONN (its query prints them). */
export const connParams = { tls: 0, timeout: 5000, keepalive: 240, clean: 1, reconnect: 1, viaTls: false };

let state = IDLE;
let subscriptions: string[] = []; // each is the QoS digit followed by the topic
let retryWait = 0;
let retryTimer = 0;
let timeTopic = '';

type Done = (code: number) => void;

export function startSession(): void {
  mqttHandlers(onMessage, onDropped, onLinkDown);
  require('Wifi').on('disconnected', function () {
    if (state === UP) mqttBreak(ERR_NO_CONN);
  });
}

export function sessionUp(): boolean {
  return state === UP;
}

export function sessionActive(): boolean {
  return state !== IDLE;
}

function identity(): string {
  const d = settings.device!;
  return d.pid + '/' + d.dev;
}

function openLink(done: Done): void {
  const d = settings.device!;
  const ca = connParams.viaTls ? caCertificate() : null;
  if (connParams.viaTls && !ca) return done(ERR_SSL_CERT);
  const clientId = d.pid + d.dev;
  const user = newUsername(clientId);
  const host = settings.server || d.pid + '.iotcloud.tencentdevices.com';
  mqttOpen(host, ca ? 8883 : 1883, ca, connectPacket(clientId, user, mqttPassword(d.secret, user), connParams.keepalive, connParams.clean === 1),
    connParams.keepalive, connParams.timeout, function (code) {
      if (code || clockKnown()) return done(code);
      askTime(done);
    });
}

/** Without a clock, the hub's time (a reply on $sys/operation/result) makes the next signature short-lived. */
function askTime(done: Done): void {
  timeTopic = '$sys/operation/result/' + identity();
  mqttSubscribe(timeTopic, 0, function (code) {
    if (code === ERR_NO_CONN) return done(code);
    mqttPublish('$sys/operation/' + identity(), '{"type":"get","resource":["time"]}', 0, done);
  });
}

function takeTime(payload: string): void {
  try {
    const reply = JSON.parse(payload);
    if (reply.type === 'get' && typeof reply.time === 'number' && reply.time > 0) setTime(reply.time);
  } catch (e) {
    // not a time reply
  }
}

function stopRetry(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = 0;
}

function setState(next: number): void {
  state = next;
  activity.mqttConnected = next === UP;
}

/** AT+TCMQTTCONN: a new session, with no subscriptions yet. */
export function sessionConnect(done: Done): void {
  stopRetry();
  setState(IDLE);
  subscriptions = [];
  openLink(function (code) {
    if (!code) setState(UP);
    done(code);
  });
}

/** AT+TCMQTTDISCONN: ends the session and forgets its subscriptions. */
export function sessionDisconnect(): void {
  stopRetry();
  mqttClose(true);
  setState(IDLE);
  subscriptions = [];
}

function onLinkDown(code: number): void {
  if (state === RECONNECTING) return retryLater(); // lost again while resubscribing
  setState(IDLE);
  urc('+TCMQTTDISCON,' + code);
  if (!connParams.reconnect) return;
  setState(RECONNECTING);
  urc('+TCMQTTRECONNECTING');
  retryWait = 1000 + Math.floor(Math.random() * 1000);
  retryTimer = setTimeout(retry, retryWait);
}

function retryLater(): void {
  retryWait *= 2;
  if (retryWait > RETRY_GIVE_UP_MS) {
    setState(IDLE);
    urc('+TCMQTTDISCON,' + ERR_RECONNECT_TIMEOUT);
    return;
  }
  retryTimer = setTimeout(retry, retryWait);
}

function retry(): void {
  retryTimer = 0;
  openLink(function (code) {
    if (code) retryLater();
    else resubscribe(0);
  });
}

function resubscribe(index: number): void {
  if (state !== RECONNECTING) return;
  if (index >= subscriptions.length) {
    setState(UP);
    urc('+TCMQTTRECONNECTED');
    return;
  }
  const entry = subscriptions[index];
  mqttSubscribe(entry.substr(1), Number(entry.charAt(0)), function (code) {
    if (code !== ERR_NO_CONN) resubscribe(index + 1);
  });
}

function findSubscription(topic: string): number {
  for (let i = 0; i < subscriptions.length; i++) {
    if (subscriptions[i].substr(1) === topic) return i;
  }
  return -1;
}

export function listSubscriptions(): string[] {
  return subscriptions;
}

export function sessionSubscribe(topic: string, qos: number, done: Done): void {
  if (findSubscription(topic) < 0 && subscriptions.length >= MAX_SUBSCRIPTIONS) return done(ERR_MAX_SUBSCRIPTIONS);
  mqttSubscribe(topic, qos, function (code) {
    if (!code) {
      const i = findSubscription(topic);
      if (i >= 0) subscriptions.splice(i, 1);
      subscriptions.push(qos + topic);
    }
    done(code);
  });
}

export function sessionUnsubscribe(topic: string, done: Done): void {
  if (findSubscription(topic) < 0) return done(ERR_UNSUB_FAIL);
  mqttUnsubscribe(topic, function (code) {
    const i = findSubscription(topic);
    if (!code && i >= 0) subscriptions.splice(i, 1);
    done(code);
  });
}

export function sessionPublish(topic: string, payload: string, qos: number, done: Done): void {
  mqttPublish(topic, payload, qos, done);
}

function onMessage(topic: string, payload: string): void {
  if (topic === timeTopic) {
    takeTime(payload);
    if (findSubscription(topic) < 0) return;
  }
  // Raw payload, framed by its length: the MCU must not parse it for quotes or line ends.
  urc('+TCMQTTRCVPUB:"' + topic + '",' + payload.length + ',"' + payload + '"');
}

function onDropped(topic: string, length: number): void {
  urc('+TCMQTTMSGDROP:"' + topic + '",' + length + ',-119');
}
