// One MQTT 3.1.1 connection, written for Espruino's 1600 variables: module-level state, few
// functions, a single request waiting for its ack at a time (AT commands run one at a time),
// inbound packets framed from TCP chunks, and keepalive. Failure codes are the spec's (7.1).
// Payloads are flat byte buffers, never strings grown piece by piece: one going out is handed
// to the socket a slice per 'drain' (the socket's own buffer then holds a slice, not a copy of
// the payload), and packets sent meanwhile wait behind it; one coming in is collected into a
// buffer of its announced length.
import { Mqtt, u16, field, packet } from './mqtt-packet';
import { find } from '../text';
import { loadModule, Mod } from '../module-loader';
import type * as TlsModule from '../../modules/tlspsk';

/** Failure codes (a const enum is inlined: no JsVars). */
export const enum LinkErr {
  NoConn = -103, PacketRead = -110, PushToList = -102, SubRefused = -108,
  Socket = -601, UnknownHost = -602, TcpConnect = -603, Timeout = 202,
  TlsInit = -701, TlsTimeout = -704,
}

/** What the connection tells its owner: a message (topic, payload bytes), one too big to keep (topic, length), the link lost (code). */
export const enum LinkEvent { Message = 0, Dropped = 1, Down = 2 }

/** The largest inbound payload kept (bigger ones are reported and skipped); a slice of an outgoing one; redeliveries remembered. */
const enum Size { MaxPayload = 2048, Slice = 256, RecentIds = 8 }

type Done = (code: number) => void;

let onEvent: (kind: number, a: any, b?: any) => void;
let sock: any = null;
let secure = false; // over TLS-PSK
let up = false;
let hello = ''; // the CONNECT packet, until the socket is open
let socketError = 0;
let rx = '';
let inTopic = ''; // the PUBLISH whose payload is arriving,
let inLeft = 0; // how many of its bytes are still to come,
let inDrop = false; // whether they are discarded (too big, or a redelivery),
let inBuf: Uint8Array | null = null; // and where they go
let outBuf: Uint8Array | null = null; // a payload being handed to the socket,
let outAt = 0; // how much of it went,
let outDone: (() => void) | null = null; // what to do when it has all gone,
let later = ''; // and packets waiting behind it
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

/**
 * Opens the connection and sends `connect`; `done` gets 0 once CONNACK accepts it, else a
 * failure code (the connection is then closed). `events` hears what happens after. With `psk`
 * ([identity, key]) the connection is TLS-PSK (modules/tlspsk.ts, loaded for it).
 */
export function mqttOpen(host: string, port: number, connect: string, keepaliveS: number, timeout: number,
  events: (kind: number, a: any, b?: any) => void, done: Done, psk?: string[]): void {
  mqttClose(false);
  onEvent = events;
  keepaliveMs = keepaliveS * 1000;
  timeoutMs = timeout;
  hello = connect;
  socketError = 0;
  inLeft = 0;
  pings = 0;
  request('', Mqtt.Connack, 0, done);
  secure = !!psk;
  try {
    sock = psk ? (loadModule(Mod.Tls) as typeof TlsModule).tlsConnect(host, port, psk[0], psk[1], sendHello) : require('net').connect({ host: host, port: port }, sendHello);
  } catch (e) {
    // Linux builds throw here for an unknown host; the ESP8266 reports it as an error event.
    settle(find(String(e), 'host') >= 0 ? LinkErr.UnknownHost : LinkErr.Socket);
    return;
  }
  sock.on('data', onData);
  sock.on('drain', sendSlice);
  sock.on('error', onSocketEnd);
  sock.on('close', onSocketEnd);
}

function sendHello(): void {
  send(hello);
  hello = '';
}

/** Ends the connection on purpose: no Down event. */
export function mqttClose(polite: boolean): void {
  if (polite && up) send(Mqtt.DisconnectPacket);
  shut();
  settle(LinkErr.NoConn);
}

function shut(): void {
  up = false;
  if (pingTimer) clearTimeout(pingTimer);
  pingTimer = 0;
  const s = sock;
  sock = inBuf = outBuf = outDone = null;
  rx = later = '';
  if (!s) return;
  s.removeAllListeners();
  try {
    s.end();
  } catch (e) {
    // already closed by the peer
  }
}

/** The link broke, or is declared broken (WiFi lost, bad packet): the waiting request, then the owner, hear it. */
export function mqttBreak(code: number): void {
  const wasUp = up;
  shut();
  settle(wasUp ? LinkErr.NoConn : code);
  if (wasUp) onEvent(LinkEvent.Down, code);
}

/** 'error' ({code}) and then 'close' (a boolean). */
function onSocketEnd(event: any): void {
  // Espruino's socket errors: -6 not found; others are a failed connection. TLS-PSK's are the spec's -70x.
  if (event && typeof event === 'object') socketError = event.code <= LinkErr.TlsInit ? event.code : event.code === -6 ? LinkErr.UnknownHost : LinkErr.TcpConnect;
  else mqttBreak(up ? (socketError <= LinkErr.TlsInit ? socketError : LinkErr.NoConn) : socketError || LinkErr.TcpConnect);
}

function send(bytes: string): boolean {
  if (outBuf) {
    later += bytes;
    return true;
  }
  try {
    sock.write(bytes);
    return true;
  } catch (e) {
    return false;
  }
}

/** The next slice of the outgoing payload (on 'drain': the socket has sent what it had); then what waited behind it. */
function sendSlice(): void {
  const bytes = outBuf;
  if (!bytes || !sock) return;
  const n = bytes.length - outAt < Size.Slice ? bytes.length - outAt : Size.Slice;
  try {
    sock.write(E.toString(bytes.subarray(outAt, outAt + n)));
  } catch (e) {
    return mqttBreak(LinkErr.NoConn);
  }
  outAt += n;
  if (outAt < bytes.length) return;
  const done = outDone;
  outBuf = outDone = null;
  const waiting = later;
  later = '';
  if (waiting) send(waiting);
  if (done) done();
}

/**
 * Sends `bytes` (none for CONNACK: CONNECT goes once the socket is open) and, when `done` is
 * given, waits for the ack of `type` and `id` up to the command timeout. False when refused
 * (`done` was told).
 */
function request(bytes: string, type: number, id: number, done: Done | null): boolean {
  let refusal = up || type === Mqtt.Connack ? 0 : LinkErr.NoConn;
  if (!refusal && done && waitDone) refusal = LinkErr.PushToList;
  if (refusal) {
    if (done) done(refusal);
    return false;
  }
  if (done) {
    waitType = type;
    waitId = id;
    waitDone = done;
    waitTimer = setTimeout(function () {
      waitTimer = 0;
      const connecting = waitType === Mqtt.Connack;
      // Over TLS, a CONNECT not sent yet means the handshake has not finished.
      settle(connecting && secure && hello ? LinkErr.TlsTimeout : LinkErr.Timeout);
      if (connecting) shut();
    }, timeoutMs);
  }
  if (!bytes || send(bytes)) return true;
  mqttBreak(LinkErr.NoConn);
  return false;
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

/** A PUBLISH; `payload` a string (a command line's) or bytes (PUBL's), sent a slice at a time. */
export function mqttPublish(topic: string, payload: string | Uint8Array, qos: number, done: Done): void {
  const id = qos ? (lastId = (lastId % 65535) + 1) : 0;
  if (!request(packet(0x30 | (qos << 1), field(topic) + (qos ? u16(id) : ''), payload.length), Mqtt.Puback, id, qos ? done : null)) {
    if (!qos) done(LinkErr.NoConn);
    return;
  }
  if (typeof payload === 'string') {
    send(payload);
    if (!qos) done(0);
    return;
  }
  outBuf = payload;
  outAt = 0;
  outDone = qos ? null : function () {
    done(0);
  };
  sendSlice();
}

/** What publishes the payload data mode reads (AT+TCMQTTPUBL): made here, it keeps no command's module alive. */
export function publishLater(topic: string, qos: number, done: Done): (payload: Uint8Array) => void {
  return function (payload) {
    mqttPublish(topic, payload, qos, done);
  };
}

/** SUBSCRIBE at `qos` 0/1, or UNSUBSCRIBE when `qos` is -1; without `done`, no wait for the ack. */
export function mqttSubscription(topic: string, qos: number, done: Done | null): void {
  lastId = (lastId % 65535) + 1;
  request(packet(qos < 0 ? 0xa2 : 0x82, u16(lastId) + field(topic) + (qos < 0 ? '' : String.fromCharCode(qos)), 0),
    qos < 0 ? Mqtt.Unsuback : Mqtt.Suback, lastId, done);
}

/** With `ms`: the next PINGREQ in `ms`. Without: it is due; a second one after the command timeout; then dead. */
function ping(ms?: number): void {
  if (pingTimer) clearTimeout(pingTimer);
  pingTimer = 0;
  if (!ms) {
    if (pings >= 2) return mqttBreak(LinkErr.NoConn);
    pings++;
    send(Mqtt.PingreqPacket);
    ms = timeoutMs;
  }
  pingTimer = setTimeout(ping, ms);
}

/** TCP chunks -> packets. The helpers live inside: made per chunk, they cost no RAM in between. */
function onData(chunk: string): void {
  function publishIn(): void {
    const payload = inBuf;
    inBuf = null;
    onEvent(LinkEvent.Message, inTopic, payload);
  }

  /**
   * A PUBLISH, once its topic and id are in: acknowledged, checked for redelivery, and its
   * payload then collected into a buffer of its length (or, over 2048 bytes, reported dropped
   * and discarded as it streams in). 0 while waiting for bytes, false when malformed.
   */
  function takePublish(first: number, head: number, body: number): boolean | 0 {
    const qos = (first >> 1) & 3;
    if (!up || qos > 1) return false;
    if (rx.length < head + 2) return 0;
    const topicLength = (rx.charCodeAt(head) << 8) | rx.charCodeAt(head + 1);
    const start = 2 + topicLength + (qos ? 2 : 0);
    if (!topicLength || topicLength > 256 || start > body) return false;
    if (rx.length < head + start) return 0;
    inTopic = rx.substr(head + 2, topicLength);
    inLeft = body - start;
    inDrop = inLeft > Size.MaxPayload;
    if (qos) {
      const id = (rx.charCodeAt(head + start - 2) << 8) | rx.charCodeAt(head + start - 1);
      send(packet(Mqtt.Puback << 4, u16(id), 0));
      const again = first & 8 && recentIds.indexOf(id) >= 0;
      if (!again) recentIds.push(id);
      if (recentIds.length > Size.RecentIds) recentIds.shift();
      if (again) inDrop = true;
      else if (inDrop) onEvent(LinkEvent.Dropped, inTopic, inLeft);
    } else if (inDrop) {
      onEvent(LinkEvent.Dropped, inTopic, inLeft);
    }
    rx = rx.substr(head + start);
    if (!inDrop) {
      inBuf = new Uint8Array(inLeft);
      if (!inLeft) publishIn();
    }
    return true;
  }

  /** Acts on one whole packet other than PUBLISH (its body at rx[at, at+length)), then drops it from rx; false when malformed. */
  function takePacket(type: number, at: number, length: number): boolean {
    const id = (rx.charCodeAt(at) << 8) | rx.charCodeAt(at + 1);
    const second = rx.charCodeAt(at + 1);
    const third = rx.charCodeAt(at + 2);
    rx = rx.substr(at + length);
    if (type === Mqtt.Connack) {
      if (length !== 2 || up || waitType !== Mqtt.Connack) return false;
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
    if (type === Mqtt.Pingresp) return length === 0;
    if (length !== (type === Mqtt.Suback ? 3 : 2) || !(type === Mqtt.Suback || type === Mqtt.Puback || type === Mqtt.Unsuback)) return false;
    if (waitDone && waitType === type && waitId === id) settle(type === Mqtt.Suback && third & 0x80 ? LinkErr.SubRefused : 0);
    return true;
  }

  try {
    rx = rx ? rx + chunk : chunk;
    while (sock && rx.length) {
      if (inLeft) {
        // The payload of the PUBLISH under way goes to its buffer as it comes.
        const n = inLeft < rx.length ? inLeft : rx.length;
        if (!inDrop) inBuf!.set(E.toUint8Array(n === rx.length ? rx : rx.substr(0, n)), inBuf!.length - inLeft);
        rx = n === rx.length ? '' : rx.substr(n);
        inLeft -= n;
        if (!inLeft && !inDrop) publishIn();
        continue;
      }
      // The fixed header: the type, then the remaining length in 1-4 bytes.
      let body = 0;
      let head = 0;
      for (let i = 1, scale = 1; !head; i++, scale *= 128) {
        if (i > 4) return mqttBreak(LinkErr.PacketRead);
        if (i >= rx.length) return; // more bytes needed
        body += (rx.charCodeAt(i) & 127) * scale;
        if (!(rx.charCodeAt(i) & 128)) head = i + 1;
      }
      const first = rx.charCodeAt(0);
      let ok: boolean | 0;
      if (first >> 4 === Mqtt.Publish) ok = takePublish(first, head, body);
      else if (body > 64) ok = false;
      else ok = rx.length < head + body ? 0 : takePacket(first >> 4, head, body);
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
