// One MQTT 3.1.1 connection, written for Espruino's 1600 variables: module-level state, a
// single request waiting for its ack at a time (AT commands run one at a time), inbound
// packets framed from TCP chunks, and keepalive. Failure codes are the spec's (chapter 7.1).
import {
  CONNACK, PUBLISH, PUBACK, SUBACK, UNSUBACK, PINGRESP, PINGREQ_PACKET, DISCONNECT_PACKET,
  publishPacket, subscribePacket, unsubscribePacket, pubackPacket, readU16, readFixedHeader,
} from './mqtt-packet';

export const ERR_TIMEOUT = 202;
export const ERR_PUSH_TO_LIST = -102;
export const ERR_NO_CONN = -103;
export const ERR_SUB_REFUSED = -108;
export const ERR_PACKET_READ = -110;
export const ERR_BUF_TOO_SHORT = -119;
const ERR_SOCKET = -601;
const ERR_UNKNOWN_HOST = -602;
const ERR_TCP_CONNECT = -603;
const ERR_SSL_CONNECT = -703;

/** The largest inbound packet body kept in RAM: a 128-byte topic, an id and 2048 bytes. */
export const MAX_INBOUND_PAYLOAD = 2048;
const MAX_BODY = 2 + 128 + 2 + MAX_INBOUND_PAYLOAD;

type Done = (code: number) => void;

let onMessage: (topic: string, payload: string) => void;
let onDropped: (topic: string, length: number) => void;
let onDown: (code: number) => void;

let sock: any = null;
let up = false;
let hello = ''; // the CONNECT packet, until the socket is open
let socketError = 0;
let rx = '';
let skip = 0; // bytes of an oversized message still to discard
const frame = { body: 0 };
let lastId = 0;
let recentIds: number[] = []; // QoS 1 messages just reported, to report a redelivery once

let keepaliveMs = 0;
let timeoutMs = 5000;
let pings = 0;
let pingTimer = 0;

let waitType = 0;
let waitId = 0;
let waitDone: Done | null = null;
let waitTimer = 0;

export function mqttHandlers(message: typeof onMessage, dropped: typeof onDropped, down: typeof onDown): void {
  onMessage = message;
  onDropped = dropped;
  onDown = down;
}

export function mqttUp(): boolean {
  return up;
}

/**
 * Opens the connection and sends `connect`; `done` gets 0 once CONNACK accepts it, else a
 * failure code (the connection is then closed). `ca` selects TLS, verified against it.
 */
export function mqttOpen(host: string, port: number, ca: string | null, connect: string, keepaliveS: number, timeout: number, done: Done): void {
  mqttClose(false);
  keepaliveMs = keepaliveS * 1000;
  timeoutMs = timeout;
  hello = connect;
  socketError = 0;
  rx = '';
  skip = 0;
  pings = 0;
  expect(CONNACK, 0, done);
  try {
    const options = { host: host, port: port, ca: ca || undefined };
    sock = require(ca ? 'tls' : 'net').connect(options, sendHello);
  } catch (e) {
    // Linux builds throw here for an unknown host; the ESP8266 reports it as an error event.
    settle(String(e).indexOf('host') >= 0 ? ERR_UNKNOWN_HOST : ERR_SOCKET);
    return;
  }
  sock.on('data', onData);
  sock.on('error', onError);
  sock.on('close', onClose);
}

function sendHello(): void {
  send(hello);
  hello = '';
}

/** Ends the connection on purpose: no down event. */
export function mqttClose(polite: boolean): void {
  const wasUp = up;
  if (polite && wasUp) send(DISCONNECT_PACKET);
  shut();
  settle(ERR_NO_CONN);
}

function shut(): void {
  up = false;
  if (pingTimer) clearTimeout(pingTimer);
  pingTimer = 0;
  const s = sock;
  sock = null;
  rx = '';
  if (!s) return;
  s.removeAllListeners();
  try {
    s.end();
  } catch (e) {
    // already closed by the peer
  }
}

/** The connection broke (or was found broken): tell the waiting request, then the session. */
function lost(code: number): void {
  const wasUp = up;
  shut();
  settle(wasUp ? ERR_NO_CONN : code);
  if (wasUp) onDown(code);
}

function onError(err: any): void {
  const code = err && err.code;
  // Espruino's socket errors: -6 not found, -13 TLS handshake, -14 invalid TLS data.
  socketError = code === -6 ? ERR_UNKNOWN_HOST : code === -13 || code === -14 ? ERR_SSL_CONNECT : ERR_TCP_CONNECT;
}

function onClose(): void {
  lost(up ? ERR_NO_CONN : socketError || ERR_TCP_CONNECT);
}

function send(packet: string): boolean {
  if (!sock) return false;
  try {
    sock.write(packet);
    return true;
  } catch (e) {
    return false;
  }
}

function nextId(): number {
  lastId = (lastId % 65535) + 1;
  return lastId;
}

function expect(type: number, id: number, done: Done): void {
  waitType = type;
  waitId = id;
  waitDone = done;
  waitTimer = setTimeout(function () {
    waitTimer = 0;
    const connecting = waitType === CONNACK;
    settle(ERR_TIMEOUT);
    if (connecting) shut();
  }, timeoutMs);
}

/** Ends the waiting request with `code`. */
function settle(code: number): void {
  const done = waitDone;
  if (!done) return;
  if (waitTimer) clearTimeout(waitTimer);
  waitTimer = 0;
  waitDone = null;
  done(code);
}

function acked(type: number, id: number, code: number): void {
  if (waitDone && waitType === type && waitId === id) settle(code);
}

/** Sends `packet` and, when `done` is given, waits for the ack of `type` and `id`. */
function request(packet: string, type: number, id: number, done: Done | null): void {
  if (!up) {
    if (done) done(ERR_NO_CONN);
    return;
  }
  if (done && waitDone) {
    done(ERR_PUSH_TO_LIST);
    return;
  }
  if (done) expect(type, id, done);
  if (!send(packet)) lost(ERR_NO_CONN);
}

export function mqttPublish(topic: string, payload: string, qos: number, done: Done): void {
  const id = qos ? nextId() : 0;
  request(publishPacket(topic, payload, qos, id), PUBACK, id, qos ? done : null);
  if (!qos) done(up ? 0 : ERR_NO_CONN);
}

export function mqttSubscribe(topic: string, qos: number, done: Done | null): void {
  const id = nextId();
  request(subscribePacket(id, topic, qos), SUBACK, id, done);
}

export function mqttUnsubscribe(topic: string, done: Done): void {
  const id = nextId();
  request(unsubscribePacket(id, topic), UNSUBACK, id, done);
}

function schedulePing(ms: number): void {
  if (pingTimer) clearTimeout(pingTimer);
  pingTimer = setTimeout(pingDue, ms);
}

/** PINGREQ when the keepalive is due; a second one after the command timeout; then dead. */
function pingDue(): void {
  pingTimer = 0;
  if (pings >= 2) return lost(ERR_NO_CONN);
  pings++;
  send(PINGREQ_PACKET);
  schedulePing(timeoutMs);
}

function onData(chunk: string): void {
  try {
    rx += chunk;
    readPackets();
  } catch (e) {
    // Out of memory or a bug: lose the link, never the firmware.
    lost(ERR_PACKET_READ);
  }
}

function readPackets(): void {
  while (sock) {
    if (skip) {
      const n = skip < rx.length ? skip : rx.length;
      rx = rx.substr(n);
      skip -= n;
      if (skip) return;
    }
    if (!rx.length) return;
    const head = readFixedHeader(rx, frame);
    if (head < 0) return lost(ERR_PACKET_READ);
    if (!head) return;
    const body = frame.body;
    if (body > MAX_BODY) {
      if (!dropOversized(head, body)) return;
      continue;
    }
    if (rx.length < head + body) return;
    const ok = handlePacket(rx.charCodeAt(0), head, body);
    rx = rx.substr(head + body);
    if (!ok) return lost(ERR_PACKET_READ);
    if (pings) {
      pings = 0;
      schedulePing(keepaliveMs);
    }
  }
}

/**
 * A PUBLISH too big to hold: once its topic and id are in, acknowledge it, report it
 * dropped and discard the rest as it streams in. False while waiting for more bytes.
 */
function dropOversized(head: number, body: number): boolean {
  const first = rx.charCodeAt(0);
  const qos = (first >> 1) & 3;
  if (first >> 4 !== PUBLISH || !up || qos > 1) {
    lost(ERR_PACKET_READ);
    return false;
  }
  if (rx.length < head + 2) return false;
  const topicLength = readU16(rx, head);
  const start = 2 + topicLength + (qos ? 2 : 0);
  if (topicLength > 256) {
    lost(ERR_PACKET_READ);
    return false;
  }
  if (rx.length < head + start) return false;
  if (qos) send(pubackPacket(readU16(rx, head + 2 + topicLength)));
  const topic = rx.substr(head + 2, topicLength);
  rx = rx.substr(head + start);
  skip = body - start;
  onDropped(topic, skip);
  return true;
}

/** Acts on one whole packet (first byte, body at rx[at, at+length)); false when it is malformed. */
function handlePacket(first: number, at: number, length: number): boolean {
  const type = first >> 4;
  if (type === CONNACK) {
    if (length !== 2 || up || waitType !== CONNACK) return false;
    const rc = rx.charCodeAt(at + 1);
    if (rc) {
      settle(rc <= 5 ? -112 - rc : -112);
      shut();
      return true;
    }
    up = true;
    schedulePing(keepaliveMs);
    settle(0);
    return true;
  }
  if (!up) return false;
  if (type === PUBLISH) return handlePublish(first, at, length);
  if (type === PINGRESP) return length === 0;
  if (length !== (type === SUBACK ? 3 : 2)) return false;
  const id = readU16(rx, at);
  if (type === SUBACK) acked(SUBACK, id, rx.charCodeAt(at + 2) & 0x80 ? ERR_SUB_REFUSED : 0);
  else if (type === PUBACK || type === UNSUBACK) acked(type, id, 0);
  else return false;
  return true;
}

function handlePublish(first: number, at: number, length: number): boolean {
  const qos = (first >> 1) & 3;
  const topicLength = readU16(rx, at);
  let p = at + 2 + topicLength;
  const end = at + length;
  if (qos > 1 || length < 2 || p + (qos ? 2 : 0) > end) return false;
  const topic = rx.substr(at + 2, topicLength);
  if (qos) {
    const id = readU16(rx, p);
    p += 2;
    send(pubackPacket(id));
    if (first & 8 && recentIds.indexOf(id) >= 0) return true;
    recentIds.push(id);
    if (recentIds.length > 8) recentIds.shift();
  }
  onMessage(topic, rx.substr(p, end - p));
  return true;
}

/** Declares the link dead from outside (WiFi lost): the session hears it as a drop. */
export function mqttBreak(code: number): void {
  if (sock) lost(code);
}
