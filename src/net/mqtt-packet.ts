// MQTT 3.1.1 packets as byte strings: building what the module sends, framing what it
// receives. No state here; the connection logic is in mqtt-client.ts.

export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const SUBACK = 9;
export const UNSUBACK = 11;
export const PINGRESP = 13;

export const PINGREQ_PACKET = '\xc0\x00';
export const DISCONNECT_PACKET = '\xe0\x00';

function u16(n: number): string {
  return String.fromCharCode(n >> 8, n & 255);
}

/**
 * A fixed header and `body` (`extra` more bytes follow it, sent apart so that a 2 KB payload
 * is never copied into the packet).
 */
function packet(firstByte: number, body: string, extra: number): string {
  let n = body.length + extra;
  let length = '';
  do {
    const digit = n & 127;
    n = n >> 7;
    length += String.fromCharCode(n ? digit | 128 : digit);
  } while (n);
  return String.fromCharCode(firstByte) + length + body;
}

/** A string with its 2-byte length in front. */
function field(text: string): string {
  return u16(text.length) + text;
}

export function connectPacket(clientId: string, user: string, pass: string, keepalive: number, clean: boolean): string {
  // Protocol level 4; flags: username, password, clean session.
  return packet(0x10, field('MQTT') + '\x04' + String.fromCharCode(clean ? 0xc2 : 0xc0) + u16(keepalive) + field(clientId) + field(user) + field(pass), 0);
}

/** Everything of a PUBLISH but its payload, which follows it on the wire. */
export function publishHeader(topic: string, payloadLength: number, qos: number, id: number): string {
  return packet(0x30 | (qos << 1), field(topic) + (qos ? u16(id) : ''), payloadLength);
}

/** SUBSCRIBE (qos 0/1), UNSUBSCRIBE (qos -1) or, without a topic, PUBACK. */
export function idPacket(id: number, topic: string, qos: number): string {
  if (!topic) return packet(0x40, u16(id), 0);
  return qos < 0 ? packet(0xa2, u16(id) + field(topic), 0) : packet(0x82, u16(id) + field(topic) + String.fromCharCode(qos), 0);
}

export function readU16(bytes: string, at: number): number {
  return (bytes.charCodeAt(at) << 8) | bytes.charCodeAt(at + 1);
}

/**
 * The fixed header at the start of `bytes`: returns its length and puts the remaining
 * length in `frame.body`; 0 while incomplete, -1 when the remaining length is malformed
 * (more than 4 bytes).
 */
export function readFixedHeader(bytes: string, frame: { body: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 1; i < 5; i++) {
    if (i >= bytes.length) return 0;
    const digit = bytes.charCodeAt(i);
    value += (digit & 127) * scale;
    if (!(digit & 128)) {
      frame.body = value;
      return i + 1;
    }
    scale *= 128;
  }
  return -1;
}
