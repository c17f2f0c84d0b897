// MQTT 3.1.1 packets as byte strings: the pieces the client builds packets from. No state here;
// the connection logic is in mqtt-client.ts. Few functions: on Espruino each one costs RAM for
// as long as the link is loaded, so packets are put together where they are sent.

/** Packet types (the high nibble of the first byte) and the packets that never change (a const enum: no RAM). */
export const enum Mqtt {
  Connect = 1, Connack = 2, Publish = 3, Puback = 4, Subscribe = 8, Suback = 9, Unsubscribe = 10, Unsuback = 11, Pingresp = 13,
  PingreqPacket = '\xc0\x00', DisconnectPacket = '\xe0\x00',
}

/** Two bytes, big-endian. */
export function u16(n: number): string {
  return String.fromCharCode(n >> 8, n & 255);
}

/** A string with its 2-byte length in front. */
export function field(text: string): string {
  return u16(text.length) + text;
}

/**
 * A fixed header (`firstByte`, then the remaining length of `body` and of `extra` more bytes,
 * sent apart so that a 2 KB payload is never copied into the packet) and `body`.
 */
export function packet(firstByte: number, body: string, extra: number): string {
  let n = body.length + extra;
  let length = '';
  do {
    const digit = n & 127;
    n = n >> 7;
    length += String.fromCharCode(n ? digit | 128 : digit);
  } while (n);
  return String.fromCharCode(firstByte) + length + body;
}
