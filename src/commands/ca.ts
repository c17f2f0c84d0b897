// AT+TCCASET: the CA certificate that TLS mode 1 verifies the hub against (this firmware's
// command; Tencent's TLS firmware builds the CA in). The MCU sends the PEM text in data mode;
// the module keeps its base64 body in flash (power-cut safe) and reads it only to connect.
import { QUERY, TEST, SET, finish, readData } from '../at/engine';
import { parseArgs } from '../at/args';
import { sendLine } from '../at/output';
import { cme, okThen, settingsRefusal, quote, PARAM_INVALID, FLASH_ERROR } from './reply';
import { help } from './device';
import { CA_CERT, caCertificate } from '../store/settings';
import { saveRecord, eraseRecord } from '../store/records';
import { sha1, toHex } from '../crypto/hmac';

const MAX_PEM = 3072;
const PEM_TIMEOUT_MS = 20000;

/** The base64 body of one PEM certificate, or undefined when `pem` is not one. */
function pemBody(pem: string): string | undefined {
  const begin = '-----BEGIN CERTIFICATE-----';
  const end = '-----END CERTIFICATE-----';
  const a = pem.indexOf(begin);
  const b = pem.indexOf(end);
  if (a < 0 || b < a) return undefined;
  const body = pem.substring(a + begin.length, b).replace(/[\r\n\t ]/g, '');
  return body.length >= 64 && /^[A-Za-z0-9+\/]+=*$/.test(body) ? body : undefined;
}

export function TCCASET(form: number, params: string): boolean {
  if (form === TEST) return help('+TCCASET:"PEM_LENGTH(1-' + MAX_PEM + ', 0 erases)"');
  if (form === QUERY) {
    const der = caCertificate();
    // The SHA1 fingerprint, as `openssl x509 -noout -fingerprint -sha1` prints it (without colons).
    return help('+TCCASET:' + (der ? der.length + ',' + quote(toHex(sha1(der))) : '0'));
  }
  if (form !== SET) return false;
  const a = parseArgs(params, 'n');
  if (!a) return false;
  const length = a[0] as number;
  const refusal = length >= 0 && length <= MAX_PEM ? settingsRefusal() : PARAM_INVALID;
  if (refusal) {
    cme(refusal);
    return true;
  }
  if (length === 0) {
    okThen('TCCASET', function () {
      eraseRecord(CA_CERT);
      return 0;
    });
    return true;
  }
  sendLine('OK');
  sendLine('>');
  readData(length, PEM_TIMEOUT_MS, function (pem) {
    const body = pem === null ? undefined : pemBody(pem);
    if (body === undefined) return cme(PARAM_INVALID);
    finish(saveRecord(CA_CERT, body) ? '+TCCASET:OK' : '+TCCASET:FAIL,' + FLASH_ERROR);
  });
  return true;
}
