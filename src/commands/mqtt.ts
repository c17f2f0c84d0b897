// Chapter 3: the MQTT commands, plus AT+TCMQTTPUBRAW (Tencent's newer, binary-safe PUBL)
// and AT+TCTLSFALLBACK (this firmware's switch for TLS mode 1 on a runtime without TLS).
import { EXEC, QUERY, TEST, SET, finish, readData } from '../at/engine';
import { parseArgs, Arg } from '../at/args';
import { sendLine } from '../at/output';
import { ok, cme, quote, BUSY_OTA, PARAM_INVALID, NOT_READY } from './reply';
import { help, matches, setting } from './device';
import { settings, TLS_FALLBACK } from '../store/settings';
import { activity } from '../state';
import { tlsModeOk, connectsViaTls } from '../cloud/tls';
import {
  connParams, sessionUp, sessionActive, sessionConnect, sessionDisconnect, sessionPublish,
  sessionSubscribe, sessionUnsubscribe, listSubscriptions,
} from '../cloud/session';

const MAX_PAYLOAD = 2048;
const PAYLOAD_TIMEOUT_MS = 20000;

function topicOk(topic: Arg): boolean {
  return matches(topic, /^[ -~]+$/, 128);
}

/** Publishing needs a plain topic: no wildcards. */
function publishTopicOk(topic: Arg): boolean {
  return topicOk(topic) && !/[+#]/.test(topic as string);
}

function qosOk(qos: Arg): boolean {
  return qos === 0 || qos === 1;
}

/** Prints OK, then `+<name>:OK` or `:FAIL,<code>` once the asynchronous `work` is done. */
function okThenLater(name: string, work: (done: (code: number) => void) => void): void {
  sendLine('OK');
  work(function (code) {
    finish(code ? '+' + name + ':FAIL,' + code : '+' + name + ':OK');
  });
}

/** The refusal shared by commands that need the link: 0 when it is up. */
function linkRefusal(otaToo: boolean): number {
  if (otaToo && activity.otaDownloading) return BUSY_OTA;
  return sessionUp() ? 0 : NOT_READY;
}

function wifiJoined(): boolean {
  return require('Wifi').getStatus().station === 'connected';
}

export function TCMQTTCONN(form: number, params: string): boolean {
  const c = connParams;
  if (form === TEST) return help('+TCMQTTCONN:<TLSMODE_SELECTED>,<CMDTIMEOUT_VALUE>,<KEEPALIVE>(max 690s),<CLEAN_SESSION>(0/1),<RECONNECT>(0/1)');
  if (form === QUERY) return help('+TCMQTTCONN:' + c.tls + ',' + c.timeout + ',' + c.keepalive + ',' + c.clean + ',' + c.reconnect);
  if (form !== SET) return false;
  const a = parseArgs(params, 'nnnnn');
  if (!a) return false;
  const t = a[1] as number;
  const k = a[2] as number;
  if (!tlsModeOk(a[0]) || !(t >= 1000 && t <= 10000) || !(k >= 60 && k <= 690) || !(a[3] === 0 || a[3] === 1) || !(a[4] === 0 || a[4] === 1)) {
    cme(PARAM_INVALID);
    return true;
  }
  if (activity.otaDownloading) cme(BUSY_OTA);
  else if (sessionUp() || !settings.device || !wifiJoined()) cme(NOT_READY);
  else {
    c.tls = a[0] as number;
    c.timeout = t;
    c.keepalive = k;
    c.clean = a[3] as number;
    c.reconnect = a[4] as number;
    c.viaTls = connectsViaTls(c.tls);
    okThenLater('TCMQTTCONN', sessionConnect);
  }
  return true;
}

export function TCMQTTDISCONN(form: number): boolean {
  if (form === TEST) {
    ok();
    return true;
  }
  if (form !== EXEC) return false;
  if (!sessionActive()) {
    cme(NOT_READY);
    return true;
  }
  sessionDisconnect();
  sendLine('+TCMQTTDISCON,2');
  ok();
  return true;
}

function publishNow(name: string, topic: string, payload: string, qos: number): void {
  okThenLater(name, function (done) {
    sessionPublish(topic, payload, qos, done);
  });
}

/** PUB and PUBRAW/PUBL share their checks: 0 when the publish may go. */
function publishRefusal(topic: Arg, qos: Arg, otaToo: boolean): number {
  if (!publishTopicOk(topic) || !qosOk(qos)) return PARAM_INVALID;
  return linkRefusal(otaToo);
}

export function TCMQTTPUB(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMQTTPUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)","PAYLOAD"');
  if (form !== SET) return false;
  const a = parseArgs(params, 'sns');
  if (!a) return false;
  const refusal = publishRefusal(a[0], a[1], false);
  if (refusal) cme(refusal);
  else publishNow('TCMQTTPUB', a[0] as string, a[2] as string, a[1] as number);
  return true;
}

/** Tencent's MCU SDK sends PUBL payloads still escaped for a command line: undo \" and \,. */
function unescapePayload(text: string): string {
  return text.replace(/\\([",])/g, '$1');
}

/** PUBL and PUBRAW: OK, `>`, exactly <len> bytes, then the publish (`raw` keeps every byte). */
function publishLong(name: string, params: string, raw: boolean): boolean {
  const a = parseArgs(params, 'snn');
  if (!a) return false;
  const length = a[2] as number;
  const refusal = length >= 1 && length <= MAX_PAYLOAD ? publishRefusal(a[0], a[1], true) : PARAM_INVALID;
  if (refusal) {
    cme(refusal);
    return true;
  }
  sendLine('OK');
  sendLine('>');
  readData(length, PAYLOAD_TIMEOUT_MS, function (data) {
    if (data === null) return cme(PARAM_INVALID);
    if (!sessionUp()) return finish('+' + name + ':FAIL,' + NOT_READY);
    sessionPublish(a[0] as string, raw ? data : unescapePayload(data), a[1] as number, function (code) {
      finish(code ? '+' + name + ':FAIL,' + code : '+' + name + ':OK');
    });
  });
  return true;
}

export function TCMQTTPUBL(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMQTTPUBL:"TOPIC_NAME(maxlen 128)","QOS(0/1)","LEN(1-2048)"');
  return form === SET && publishLong('TCMQTTPUBL', params, false);
}

export function TCMQTTPUBRAW(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMQTTPUBRAW:"TOPIC_NAME(maxlen 128)","QOS(0/1)","LEN(1-2048)"');
  return form === SET && publishLong('TCMQTTPUBRAW', params, true);
}

export function TCMQTTSUB(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMQTTSUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)"');
  if (form === QUERY) {
    const list = listSubscriptions();
    for (let i = 0; i < list.length; i++) sendLine('+TCMQTTSUB:' + quote(list[i].substr(1)) + ',' + list[i].charAt(0));
    ok();
    return true;
  }
  if (form !== SET) return false;
  const a = parseArgs(params, 's?n');
  if (!a) return false;
  const qos = a[1] === undefined ? 0 : a[1];
  const refusal = topicOk(a[0]) && qosOk(qos) ? linkRefusal(true) : PARAM_INVALID;
  if (refusal) cme(refusal);
  else okThenLater('TCMQTTSUB', function (done) {
    sessionSubscribe(a[0] as string, qos as number, done);
  });
  return true;
}

export function TCMQTTUNSUB(form: number, params: string): boolean {
  if (form === TEST) return help('+TCMQTTUNSUB:"TOPIC_NAME"');
  if (form === QUERY) {
    ok();
    return true;
  }
  if (form !== SET) return false;
  const a = parseArgs(params, 's');
  if (!a) return false;
  const refusal = topicOk(a[0]) ? linkRefusal(true) : PARAM_INVALID;
  if (refusal) cme(refusal);
  else okThenLater('TCMQTTUNSUB', function (done) {
    sessionUnsubscribe(a[0] as string, done);
  });
  return true;
}

export function TCMQTTSTATE(form: number): boolean {
  if (form === QUERY) return help('+TCMQTTSTATE:' + (sessionUp() ? 1 : 0));
  if (form !== TEST) return false;
  ok();
  return true;
}

export function TCTLSFALLBACK(form: number, params: string): boolean {
  if (form === TEST) return help('+TCTLSFALLBACK:"ALLOW_MODE1_AS_MODE0(0/1)"');
  if (form === QUERY) return help('+TCTLSFALLBACK:' + settings.tlsFallback);
  if (form !== SET) return false;
  return setting('TCTLSFALLBACK', params, 'n', function (a) {
    return a[0] === 0 || a[0] === 1 ? a[0] : undefined;
  }, TLS_FALLBACK, 'tlsFallback');
}
