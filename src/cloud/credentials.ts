// Tencent's key authentication for MQTT: client id, username and the signed password.
import { hmacSha1, toHex } from '../crypto/hmac';

const SDK_APPID = '12010126';
/** Unix time of 2020-09-13: a clock past it has been set from the network. */
const CLOCK_SET_AFTER = 1600000000;
/** How long a signature stays valid once the module knows the time. */
const SIGNATURE_LIFETIME_S = 3600;
/** Without a clock the module cannot bound the signature: it asks for the largest expiry. */
const EXPIRY_UNKNOWN_TIME = 2147483647;

export function clockKnown(): boolean {
  return getTime() > CLOCK_SET_AFTER;
}

function randomConnId(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 5; i++) id += chars.charAt(Math.floor(Math.random() * chars.length));
  return id;
}

export function signatureExpiry(): number {
  return clockKnown() ? Math.floor(getTime()) + SIGNATURE_LIFETIME_S : EXPIRY_UNKNOWN_TIME;
}

export function mqttUsername(clientId: string, connId: string, expiry: number): string {
  return clientId + ';' + SDK_APPID + ';' + connId + ';' + expiry;
}

/** hex(HMAC-SHA1(base64-decoded secret, username)) + ';hmacsha1'. */
export function mqttPassword(deviceSecret: string, username: string): string {
  return toHex(hmacSha1(atob(deviceSecret), username)) + ';hmacsha1';
}

export function newUsername(clientId: string): string {
  return mqttUsername(clientId, randomConnId(), signatureExpiry());
}
