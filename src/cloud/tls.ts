// Which TLS modes this module accepts. Mode 0 is plain TCP with the signed password. Mode 1
// (TLS with the device key) needs a runtime with `tls`; the ESP8266 build has none, so there
// mode 1 is refused unless the user stored permission to run it as mode 0 (AT+TCTLSFALLBACK).
import { settings } from '../store/settings';

export function runtimeHasTls(): boolean {
  try {
    return typeof require('tls').connect === 'function';
  } catch (e) {
    return false;
  }
}

export function tlsModes(): number[] {
  return runtimeHasTls() || settings.tlsFallback ? [0, 1] : [0];
}
