// This firmware's TLS settings (not in the spec): AT+TCCASET stores the CA certificate TLS
// mode 1 verifies the hub against (Tencent's TLS builds have theirs built in); the MCU sends
// its PEM text in data mode and the module keeps the base64 body in flash, read only to
// connect. AT+TCTLSFALLBACK=1 lets mode 1 run as mode 0 on a runtime without TLS.
import { QUERY, TEST, SET, finish, readData } from '../at/engine';
import { parseArgs } from '../at/args';
import { sendLine } from '../at/output';
import { cme, help, okThen, result, settingsRefusal, Cme } from './reply';
import { setting } from './setting';
import { settings, Rec, caCertificate } from '../store/settings';
import { saveRecord, eraseRecord } from '../store/records';
import { sha1, toHex } from '../crypto/hmac';

const MAX_PEM = 3072;
const PEM_TIMEOUT_MS = 20000;

export function tlsCommand(form: number, params: string, name: string): boolean {
  if (name === 'AT+TCTLSFALLBACK') {
    if (form === TEST) return help('+TCTLSFALLBACK:"ALLOW_MODE1_AS_MODE0(0/1)"');
    if (form === QUERY) return help('+TCTLSFALLBACK:' + settings.tlsFallback);
    return form === SET && setting(name, params, 'n', function (a) {
      return a[0] === 0 || a[0] === 1 ? a[0] : undefined;
    }, Rec.TlsFallback, 'tlsFallback');
  }
  // AT+TCCASET
  if (form === TEST) return help('+TCCASET:"PEM_LENGTH(1-' + MAX_PEM + ', 0 erases)"');
  if (form === QUERY) {
    // Size and SHA1 fingerprint of the DER certificate (openssl x509 -fingerprint -sha1, without colons).
    const der = caCertificate();
    return help('+TCCASET:' + (der ? der.length + ',"' + toHex(sha1(der)) + '"' : '0'));
  }
  const a = form === SET ? parseArgs(params, 'n') : null;
  if (!a) return false;
  const length = a[0] as number;
  const refusal = length >= 0 && length <= MAX_PEM ? settingsRefusal() : Cme.ParamInvalid;
  if (refusal) return cme(refusal);
  if (length === 0) {
    return okThen('TCCASET', function () {
      eraseRecord(Rec.CaCert);
      return 0;
    });
  }
  sendLine('OK');
  sendLine('>');
  readData(length, PEM_TIMEOUT_MS, function (pem) {
    const begin = '-----BEGIN CERTIFICATE-----';
    const at = pem === null ? -1 : pem.indexOf(begin);
    const end = at < 0 ? -1 : pem!.indexOf('-----END CERTIFICATE-----', at);
    const body = end < 0 ? '' : pem!.substring(at + begin.length, end).replace(/[\r\n\t ]/g, '');
    if (body.length < 64 || !/^[A-Za-z0-9+\/]+=*$/.test(body)) cme(Cme.ParamInvalid);
    else finish(result('TCCASET', saveRecord(Rec.CaCert, body) ? 0 : Cme.FlashError));
  });
  return true;
}
