// Chapter 3: the MQTT commands, plus AT+TCMQTTPUBRAW (Tencent's newer, binary-safe PUBL). The
// link itself is the module modules/link.ts: AT+TCMQTTCONN loads it and it stays held while
// its session lives (connected or reconnecting). What a command then waits for (an ack, a
// payload) is continued by the link and the core: this module is dropped as the handler returns.
import { Form, Payload, readData, resultTo } from '../at/engine';
import { parseArgs, matches, Arg } from '../at/args';
import { sendLine } from '../at/output';
import { cme, help, Cme } from './reply';
import { settings } from '../store/settings';
import { activity, connParams } from '../state';
import { tlsModes } from '../cloud/tls';
import { loadModule, holdModule, heldModule, Mod } from '../module-loader';
import type * as LinkModule from '../../modules/link';

type Link = typeof LinkModule;

const enum Limit { Payload = 2048, PayloadTimeoutMs = 20000 }

/** 1-128 printable bytes; `plain` refuses the wildcards a publish may not use. */
function topicOk(topic: Arg, plain: boolean): boolean {
  return matches(topic, /^[ -~]+$/, 128) && !(plain && /[+#]/.test(topic as string));
}

/**
 * Prints OK, runs `work` with the link, and ends with `+<name>:OK` or `:FAIL,<code>` when it is
 * done; refuses with 204 when `valid` is false, 200 during an OTA download when `otaToo`, 208
 * without a connected link.
 */
function linkCommand(name: string, valid: boolean, otaToo: boolean, work: (link: Link, done: (code: number) => void) => void): boolean {
  if (!valid) return cme(Cme.ParamInvalid);
  if (otaToo && activity.otaDownloading) return cme(Cme.BusyOta);
  const link: Link | undefined = heldModule(Mod.Link);
  if (!link || !activity.mqttConnected) return cme(Cme.NotReady);
  sendLine('OK');
  work(link, resultTo(name.substr(3)));
  return true;
}

export function command(form: number, params: string, name: string): boolean {
  const c = connParams;
  let a: Arg[] | null;
  switch (name) {
    case 'AT+TCMQTTCONN': {
      if (form === Form.Test) return help('+TCMQTTCONN:<TLSMODE_SELECTED>,<CMDTIMEOUT_VALUE>,<KEEPALIVE>(max 690s),<CLEAN_SESSION>(0/1),<RECONNECT>(0/1)');
      if (form === Form.Query) return help('+TCMQTTCONN:' + c.tls + ',' + c.timeout + ',' + c.keepalive + ',' + c.clean + ',' + c.reconnect);
      a = form === Form.Set ? parseArgs(params, 'nnnnn') : null;
      if (!a) return false;
      if (tlsModes().indexOf(a[0] as number) < 0 || !((a[1] as number) >= 1000 && (a[1] as number) <= 10000) || !((a[2] as number) >= 60 && (a[2] as number) <= 690) || !(a[3] === 0 || a[3] === 1) || !(a[4] === 0 || a[4] === 1)) return cme(Cme.ParamInvalid);
      if (activity.otaDownloading) return cme(Cme.BusyOta);
      if (activity.mqttConnected || !settings.device || require('Wifi').getStatus().station !== 'connected') return cme(Cme.NotReady);
      c.tls = a[0] as number;
      c.timeout = a[1] as number;
      c.keepalive = a[2] as number;
      c.clean = a[3] as number;
      c.reconnect = a[4] as number;
      sendLine('OK');
      const link: Link = loadModule(Mod.Link);
      holdModule(Mod.Link, link);
      link.sessionConnect(resultTo('TCMQTTCONN'));
      return true;
    }

    case 'AT+TCMQTTDISCONN': {
      if (form === Form.Test) return help('');
      if (form !== Form.Exec) return false;
      const link: Link | undefined = heldModule(Mod.Link);
      if (!link) return cme(Cme.NotReady);
      link.sessionDisconnect();
      return help('+TCMQTTDISCON,2');
    }

    case 'AT+TCMQTTPUB':
      if (form === Form.Test) return help('+TCMQTTPUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)","PAYLOAD"');
      a = form === Form.Set ? parseArgs(params, 'sns') : null;
      return !!a && linkCommand(name, topicOk(a[0], true) && (a[1] === 0 || a[1] === 1), false, function (link, done) {
        link.mqttPublish(a![0] as string, a![2] as string, a![1] as number, done);
      });

    case 'AT+TCMQTTPUBL':
    case 'AT+TCMQTTPUBRAW':
      if (form === Form.Test) return help('+' + name.substr(3) + ':"TOPIC_NAME(maxlen 128)","QOS(0/1)","LEN(1-2048)"');
      a = form === Form.Set ? parseArgs(params, 'snn') : null;
      if (!a) return false;
      // OK, `>`, exactly <len> bytes, then the publish. PUBRAW keeps every byte (a +++ among them
      // is data); PUBL is aborted by +++ CR LF and un-escaped.
      return linkCommand(name, topicOk(a[0], true) && (a[1] === 0 || a[1] === 1) && (a[2] as number) >= 1 && (a[2] as number) <= Limit.Payload, true, function (link, done) {
        sendLine('>');
        readData(a![2] as number, Limit.PayloadTimeoutMs, name === 'AT+TCMQTTPUBRAW' ? Payload.Raw : Payload.Escaped, link.publishLater(a![0] as string, a![1] as number, done));
      });

    case 'AT+TCMQTTSUB': {
      if (form === Form.Test) return help('+TCMQTTSUB:"TOPIC_NAME(maxlen 128)","QOS(0/1)"');
      if (form === Form.Query) {
        const link: Link | undefined = heldModule(Mod.Link);
        const list = link ? link.session.subscriptions : [];
        for (let i = 0; i < list.length; i++) sendLine('+TCMQTTSUB:"' + list[i].substr(1) + '",' + list[i].charAt(0));
        return help('');
      }
      a = form === Form.Set ? parseArgs(params, 's?n') : null;
      if (!a) return false;
      if (a[1] === undefined) a[1] = 0;
      return linkCommand(name, topicOk(a[0], false) && (a[1] === 0 || a[1] === 1), true, function (link, done) {
        link.sessionSubscription(a![0] as string, a![1] as number, done);
      });
    }

    case 'AT+TCMQTTUNSUB':
      if (form === Form.Test) return help('+TCMQTTUNSUB:"TOPIC_NAME"');
      if (form === Form.Query) return help('');
      a = form === Form.Set ? parseArgs(params, 's') : null;
      return !!a && linkCommand(name, topicOk(a[0], false), true, function (link, done) {
        link.sessionSubscription(a![0] as string, -1, done);
      });

    case 'AT+TCMQTTSTATE':
      if (form === Form.Query) return help('+TCMQTTSTATE:' + (activity.mqttConnected ? 1 : 0));
      return form === Form.Test && help('');
  }
  return false;
}
