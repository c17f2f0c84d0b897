// Which TLS modes this module accepts: mode 0, plain TCP with the signed password. Mode 1 (TLS
// with the device key, TLS-PSK) is not there yet; mode 2 (certificates) is not the ESP8266's.
export function tlsModes(): number[] {
  return [0];
}
