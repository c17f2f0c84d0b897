// Which TLS modes this module accepts: mode 0, plain TCP with the signed password; mode 1,
// TLS-PSK with the device secret (src/net/tls-psk.ts), only in a build made with
// FIRMWARE_TLS_PSK=1: on the ESP8266's 1600 JsVars it does not fit yet (README, "TLS-PSK"), and
// a module that runs out of memory stops answering, where a refusal (204) is clear. Mode 2
// (certificates) is not the ESP8266's.
export function tlsModes(): number[] {
  return __TLS_PSK__ ? [0, 1] : [0];
}
