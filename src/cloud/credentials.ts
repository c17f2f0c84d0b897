// Tencent's key authentication for MQTT: username and the signed password, in a CONNECT packet.
import { hmacSha1, toHex } from '../crypto/hmac';
import { Mqtt, u16, field, packet } from '../net/mqtt-packet';

/** Unix time of 2020-09-13: a clock past it has been set from the network (a const enum: no RAM). */
export const enum Clock { SetAfter = 1600000000 }
/** How long a signature stays valid once the module knows the time. */
const SIGNATURE_LIFETIME_S = 3600;
/** Without a clock the module cannot bound the signature: it asks for the largest expiry. */
const EXPIRY_UNKNOWN_TIME = 2147483647;

/** `<clientid>;<sdkappid>;<connid>;<expiry>`: connid is 5 random characters of [a-zA-Z0-9]. */
export function newUsername(clientId: string): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let connId = '';
  for (let i = 0; i < 5; i++) connId += chars.charAt(Math.floor(Math.random() * chars.length));
  return clientId + ';12010126;' + connId + ';' + (getTime() > Clock.SetAfter ? Math.floor(getTime()) + SIGNATURE_LIFETIME_S : EXPIRY_UNKNOWN_TIME);
}

/** hex(HMAC-SHA1(base64-decoded secret, username)) + ';hmacsha1'. */
export function mqttPassword(deviceSecret: string, username: string): string {
  return toHex(hmacSha1(atob(deviceSecret), username)) + ';hmacsha1';
}

/**
 * The CONNECT packet of the device `d` (MQTT 3.1.1, protocol level 4): client id
 * <pid><dev>, the username above, and the signed password; over TLS-PSK (`psk`) no password:
 * the handshake with the device secret was the authentication. Built by the module
 * modules/connect.ts at each (re)connection and dropped with it.
 */
export function connectPacket(d: { pid: string; dev: string; secret: string }, keepalive: number, clean: boolean, psk: boolean): string {
  const clientId = d.pid + d.dev;
  const user = newUsername(clientId);
  // Flags: username, password (not over TLS-PSK), clean session.
  return packet(Mqtt.Connect << 4, field('MQTT') + '\x04' + String.fromCharCode((psk ? 0x80 : 0xc0) | (clean ? 2 : 0)) + u16(keepalive)
    + field(clientId) + field(user) + (psk ? '' : field(mqttPassword(d.secret, user))), 0);
}
