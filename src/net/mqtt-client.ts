// One MQTT 3.1.1 connection, written for Espruino's 1600 variables: module-level state, few
// functions, a single request waiting for its ack at a time (AT commands run one at a time),
// inbound packets framed from TCP chunks, and keepalive. Failure codes are the spec's (7.1).
import {
  CONNACK, PUBLISH, PUBACK, SUBACK, UNSUBACK, PINGRESP, PINGREQ_PACKET, DISCONNECT_PACKET,
  publishHeader, idPacket, readU16, readFixedHeader,
} from './mqtt-packet';

/** Link errors used in several places (a const enum is inlined: no JsVars). */
export const enum LinkErr { NoConn = -103, PacketRead = -110 }

export const ERR_TIMEOUT = 202;
export const ERR_PUSH_TO_LIST = -102;
export const ERR_SUB_REFUSED = -108;
const ERR_SOCKET = -601;
const ERR_UNKNOWN_HOST = -602;
const ERR_TCP_CONNECT = -603;
const ERR_SSL_CONNECT = -703;

/** Events for the session: a message (topic, payload), one too big to keep (topic, length), the link lost (code). */
export const MESSAGE = 0;
export const DROPPED = 1;
export const DOWN = 2;

/** The largest inbound payload kept in RAM; bigger ones are reported and skipped. */
const MAX_PAYLOAD = 2048;

type Done = (code: number) => void;

let onEvent: (kind: number, a: any, b?: any) => void;
let sock: any = null;
let up = false;
let hello = ''; // the CONNECT packet, until the socket is open
let socketError = 0;
let rx = '';
let inTopic = ''; // the PUBLISH whose payload is arriving,
let inLeft = 0; // how many of its bytes are still to come,
let inDrop = false; // and whether they are discarded (too big, or a redelivery)
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

export function mqttEvents(handler: typeof onEvent): void {
  onEvent = handler;
}

/**
 * Opens the connection and sends `connect`; `done` gets 0 once CONNACK accepts it, else a
 * failure code (the connection is then closed). `ca` (DER) selects TLS, verified against it.
 */
export function mqttOpen(host: string, port: number, ca: string | null, connect: string, keepaliveS: number, timeout: number, done: Done): void {
  mqttClose(false);
  keepaliveMs = keepaliveS * 1000;
  timeoutMs = timeout;
  hello = connect;
  socketError = 0;
  inLeft = 0;
  pings = 0;
  expect(CONNACK, 0, done);
  try {
    sock = require(ca ? 'tls' : 'net').connect({ host: host, port: port, ca: ca || undefined }, sendHello);
  } catch (e) {
    // Linux builds throw here for an unknown host; the ESP8266 reports it as an error event.
    settle(String(e).indexOf('host') >= 0 ? ERR_UNKNOWN_HOST : ERR_SOCKET);
    return;
  }
  sock.on('data', onData);
  sock.on('error', onSocketEnd);
  sock.on('close', onSocketEnd);
}

function sendHello(): void {
  send(hello);
  hello = '';
}

/** Ends the connection on purpose: no DOWN event. */
export function mqttClose(polite: boolean): void {
  if (polite && up) send(DISCONNECT_PACKET);
  shut();
  settle(LinkErr.NoConn);
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

/** The link broke, or is declared broken (WiFi lost, bad packet): the waiting request, then the session, hear it. */
export function mqttBreak(code: number): void {
  const wasUp = up;
  shut();
  settle(wasUp ? LinkErr.NoConn : code);
  if (wasUp) onEvent(DOWN, code);
}

/** 'error' ({code}) and then 'close' (a boolean). */
function onSocketEnd(event: any): void {
  if (event && typeof event === 'object') {
    const code = event.code;
    // Espruino's socket errors: -6 not found, -13 TLS handshake, -14 invalid TLS data.
    socketError = code === -6 ? ERR_UNKNOWN_HOST : code === -13 || code === -14 ? ERR_SSL_CONNECT : ERR_TCP_CONNECT;
  } else {
    mqttBreak(up ? LinkErr.NoConn : socketError || ERR_TCP_CONNECT);
  }
}

function send(packet: string): boolean {
  try {
    sock.write(packet);
    return true;
  } catch (e) {
    return false;
  }
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

/** Sends `packet` and, when `done` is given, waits for the ack of `type` and `id`. False when refused (`done` was told). */
function request(packet: string, type: number, id: number, done: Done | null): boolean {
  let refusal = up ? 0 : LinkErr.NoConn;
  if (!refusal && done && waitDone) refusal = ERR_PUSH_TO_LIST;
  if (refusal) {
    if (done) done(refusal);
    return false;
  }
  if (done) expect(type, id, done);
  if (send(packet)) return true;
  mqttBreak(LinkErr.NoConn);
  return false;
}

export function mqttPublish(topic: string, payload: string, qos: number, done: Done): void {
  const id = qos ? (lastId = (lastId % 65535) + 1) : 0;
  if (!request(publishHeader(topic, payload.length, qos, id), PUBACK, id, qos ? done : null)) {
    if (!qos) done(LinkErr.NoConn);
    return;
  }
  send(payload);
  if (!qos) done(0);
}

/** SUBSCRIBE at `qos` 0/1, or UNSUBSCRIBE when `qos` is -1; without `done`, no wait for the ack. */
export function mqttSubscription(topic: string, qos: number, done: Done | null): void {
  lastId = (lastId % 65535) + 1;
  request(idPacket(lastId, topic, qos), qos < 0 ? UNSUBACK : SUBACK, lastId, done);
}

/** With `ms`: the next PINGREQ in `ms`. Without: it is due; a second one after the command timeout; then dead. */
function ping(ms?: number): void {
  if (pingTimer) clearTimeout(pingTimer);
  pingTimer = 0;
  if (!ms) {
    if (pings >= 2) return mqttBreak(LinkErr.NoConn);
    pings++;
    send(PINGREQ_PACKET);
    ms = timeoutMs;
  }
  pingTimer = setTimeout(ping, ms);
}

function onData(chunk: string): void {
  try {
    rx += chunk;
    while (sock && rx.length) {
      if (inLeft) {
        // The payload of the PUBLISH under way: rx holds nothing else, so once whole it is
        // passed on as it is, never copied.
        const n = inLeft < rx.length ? inLeft : rx.length;
        if (inDrop) {
          rx = rx.substr(n);
          inLeft -= n;
          continue;
        }
        if (n < inLeft) return;
        const payload = n === rx.length ? rx : rx.substr(0, n);
        rx = n === rx.length ? '' : rx.substr(n);
        inLeft = 0;
        onEvent(MESSAGE, inTopic, payload);
        continue;
      }
      const head = readFixedHeader(rx, frame);
      if (head < 0) return mqttBreak(LinkErr.PacketRead);
      if (!head) return;
      const first = rx.charCodeAt(0);
      const body = frame.body;
      const ok = first >> 4 === PUBLISH ? startPublish(first, head, body) : body > 64 ? false : rx.length < head + body ? 0 : handlePacket(first, head, body);
      if (ok === 0) return; // more bytes needed
      if (!ok) return mqttBreak(LinkErr.PacketRead);
      if (pings) {
        pings = 0;
        ping(keepaliveMs);
      }
    }
  } catch (e) {
    // Out of memory or a bug: lose the link, never the firmware.
    mqttBreak(LinkErr.PacketRead);
  }
}

/**
 * A PUBLISH, once its topic and id are in: acknowledged, checked for redelivery, and its
 * payload then collected (or, over 2048 bytes, reported dropped and discarded as it streams
 * in). 0 while waiting for bytes, false when malformed.
 */
function startPublish(first: number, head: number, body: number): boolean | 0 {
  const qos = (first >> 1) & 3;
  if (!up || qos > 1) return false;
  if (rx.length < head + 2) return 0;
  const topicLength = readU16(rx, head);
  const start = 2 + topicLength + (qos ? 2 : 0);
  if (!topicLength || topicLength > 256 || start > body) return false;
  if (rx.length < head + start) return 0;
  inTopic = rx.substr(head + 2, topicLength);
  inLeft = body - start;
  inDrop = inLeft > MAX_PAYLOAD;
  if (qos) {
    const id = readU16(rx, head + start - 2);
    send(idPacket(id, '', 0));
    const again = first & 8 && recentIds.indexOf(id) >= 0;
    if (!again) recentIds.push(id);
    if (recentIds.length > 8) recentIds.shift();
    if (again) inDrop = true;
    else if (inDrop) onEvent(DROPPED, inTopic, inLeft);
  } else if (inDrop) {
    onEvent(DROPPED, inTopic, inLeft);
  }
  rx = rx.substr(head + start);
  if (!inLeft && !inDrop) onEvent(MESSAGE, inTopic, '');
  return true;
}

/** Acts on one whole packet other than PUBLISH (body at rx[at, at+length)), then drops it from rx; false when it is malformed. */
function handlePacket(first: number, at: number, length: number): boolean {
  const type = first >> 4;
  const id = readU16(rx, at);
  const second = rx.charCodeAt(at + 1);
  const third = rx.charCodeAt(at + 2);
  rx = rx.substr(at + length);
  if (type === CONNACK) {
    if (length !== 2 || up || waitType !== CONNACK) return false;
    if (second) {
      // Refused: 1-5 are -113 (protocol version) to -117 (not authorized).
      settle(second <= 5 ? -112 - second : -112);
      shut();
      return true;
    }
    up = true;
    ping(keepaliveMs);
    settle(0);
    return true;
  }
  if (!up) return false;
  if (type === PINGRESP) return length === 0;
  if (length !== (type === SUBACK ? 3 : 2) || !(type === SUBACK || type === PUBACK || type === UNSUBACK)) return false;
  if (waitDone && waitType === type && waitId === id) settle(type === SUBACK && third & 0x80 ? ERR_SUB_REFUSED : 0);
  return true;
}
