// Chapter 3: the MQTT commands, plus AT+TCMQTTPUBRAW (Tencent's newer, binary-safe PUBL).
import { EXEC, QUERY, TEST, SET, finish, readData } from '../at/engine';
import { parseArgs, Arg } from '../at/args';
import { sendLine } from '../at/output';
import { cme, help, result, Cme } from './reply';
import { matches } from './setting';
import { settings } from '../store/settings';
import { activity } from '../state';
import { tlsModes, runtimeHasTls } from '../cloud/tls';
import { session, connParams, UP, IDLE, sessionConnect, sessionDisconnect, sessionSubscription } from '../cloud/session';
import { mqttPublish } from '../net/mqtt-client';

const MAX_PAYLOAD = 2048;
const PAYLOAD_TIMEOUT_MS = 20000;

export function mqttCommand(form: number, params: string, name: string): boolean {
  // Helpers live inside the handler: made per command, they cost no RAM between commands.
  /** 1-128 printable bytes; `plain` refuses the wildcards a publish may not use. */
  function topicOk(topic: Arg, plain: boolean): boolean {
    return matches(topic, /^[ -~]+$/, 128) && !(plain && /[+#]/.test(topic as string));
  }

  /**
   * Prints OK, runs `work`, and ends with `+<name>:OK` or `:FAIL,<code>` when it is done;
   * refuses with 204 when `valid` is false, 200 during an OTA download when `otaToo`, 208
   * without the link.
   */
  function linkCommand(name: string, valid: boolean, otaToo: boolean, work: (done: (code: number) => void) => void): boolean {
    if (!valid) return cme(Cme.ParamInvalid);
    if (otaToo && activity.otaDownloading) return cme(Cme.BusyOta);
    if (session.state !== UP) return cme(Cme.NotReady);
    sendLine('OK');
    work(function (code) {
      finish(result(name.substr(3), code));
    });
    return true;
  }

  const c = connParams;
  let a: Arg[] | null;
  switch (name) {
    case 'AT+TCMQTTCONN':
      if (form === TEST) return help('+TCMQTTCONN:<TLSMODE_SELECTED>,<CMDTIMEOUT_VALUE>,<KEEPALIVE>(max 690s),<CLEAN_SESSION>(0/1),<RECONNECT>(0/1)');
      if (form === QUERY) return help('+TCMQTTCONN:' + c.tls + ',' + c.timeout + ',' + c.keepalive + ',' + c.clean + ',' + c.reconnect);
      a = form === SET ? parseArgs(params, 'nnnnn') : null;
      if (!a) return false;
      if (tlsModes().indexOf(a[0] as number) < 0 || !((a[1] as number) >= 1000 && (a[1] as number) <= 10000) || !((a[2] as number) >= 60 && (a[2] as number) <= 690) || !(a[3] === 0 || a[3] === 1) || !(a[4] === 0 || a[4] === 1)) return cme(Cme.ParamInvalid);
      if (activity.otaDownloading) return cme(Cme.BusyOta);
      if (session.state === UP || !settings.device || require('Wifi').getStatus().station !== 'connected') return cme(Cme.NotReady);
      c.tls = a[0] as number;
      c.timeout = a[1] as number;
      c.keepalive = a[2] as number;
      c.clean = a[3] as number;
      c.reconnect = a[4] as number;
      c.viaTls = c.tls === 1 && runtimeHasTls();
      sendLine('OK');
      sessionConnect(function (code) {
        finish(result('TCMQTTCONN', code));
      });
      return true;

    case 'AT+TCMQTTDISCONN':
      if (form === TEST) return help('');
      if (form !== EXEC) return false;
      if (session.state === IDLE) return cme(Cme.NotReady);
      sessionDisconnect();
      return help('+TCMQTTDISCON,2');

    case 'AT+TCMQTTPUB':
      if (form === TEST) return help('+TCMQTTPUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)","PAYLOAD"');
      a = form === SET ? parseArgs(params, 'sns') : null;
      return !!a && linkCommand(name, topicOk(a[0], true) && (a[1] === 0 || a[1] === 1), false, function (done) {
        mqttPublish(a![0] as string, a![2] as string, a![1] as number, done);
      });

    case 'AT+TCMQTTPUBL':
    case 'AT+TCMQTTPUBRAW':
      if (form === TEST) return help('+' + name.substr(3) + ':"TOPIC_NAME(maxlen 128)","QOS(0/1)","LEN(1-2048)"');
      a = form === SET ? parseArgs(params, 'snn') : null;
      if (!a) return false;
      // OK, `>`, exactly <len> bytes, then the publish. PUBRAW keeps every byte; Tencent's MCU
      // SDK sends PUBL payloads still escaped for a command line, so \" and \, are undone.
      return linkCommand(name, topicOk(a[0], true) && (a[1] === 0 || a[1] === 1) && (a[2] as number) >= 1 && (a[2] as number) <= MAX_PAYLOAD, true, function (done) {
        sendLine('>');
        readData(a![2] as number, PAYLOAD_TIMEOUT_MS, function (data) {
          if (data === null) return cme(Cme.ParamInvalid);
          if (session.state !== UP) return done(Cme.NotReady);
          if (name === 'AT+TCMQTTPUBL' && data.indexOf('\\') >= 0) data = data.replace(/\\([",])/g, '$1');
          mqttPublish(a![0] as string, data, a![1] as number, done);
        });
      });

    case 'AT+TCMQTTSUB':
      if (form === TEST) return help('+TCMQTTSUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)"');
      if (form === QUERY) {
        const list = session.subscriptions;
        for (let i = 0; i < list.length; i++) sendLine('+TCMQTTSUB:"' + list[i].substr(1) + '",' + list[i].charAt(0));
        return help('');
      }
      a = form === SET ? parseArgs(params, 's?n') : null;
      if (!a) return false;
      if (a[1] === undefined) a[1] = 0;
      return linkCommand(name, topicOk(a[0], false) && (a[1] === 0 || a[1] === 1), true, function (done) {
        sessionSubscription(a![0] as string, a![1] as number, done);
      });

    case 'AT+TCMQTTUNSUB':
      if (form === TEST) return help('+TCMQTTUNSUB:"TOPIC_NAME"');
      if (form === QUERY) return help('');
      a = form === SET ? parseArgs(params, 's') : null;
      return !!a && linkCommand(name, topicOk(a[0], false), true, function (done) {
        sessionSubscription(a![0] as string, -1, done);
      });

    case 'AT+TCMQTTSTATE':
      if (form === QUERY) return help('+TCMQTTSTATE:' + (session.state === UP ? 1 : 0));
      return form === TEST && help('');
  }
  return false;
}
