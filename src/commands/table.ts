// Every AT command the firmware answers, by the spec's chapters: a command's code is found
// from its name here, in its chapter's handler. A switch lives in flash; a table object or a
// function per command would cost RAM for as long as the firmware runs. Each chapter's handler
// is called from one place only, a function made for the command being run: the build writes
// the handler in there, so no handler is kept in RAM between commands.
import { Handler } from '../at/engine';
import { basicCommand } from './basic';
import { deviceCommand } from './device';
import { mqttCommand } from './mqtt';
import { tlsCommand } from './tls';
import { otaCommand } from './ota';
import { wifiCommand } from './wifi';

export function lookupCommand(name: string): Handler | undefined {
  switch (name) {
    // 1.3 ESP-AT basics
    case 'AT':
    case 'ATE0':
    case 'ATE1':
    case 'AT+RST':
    case 'AT+GMR':
    case 'AT+RESTORE':
      return function (form, params, name) {
        return basicCommand(form, params, name);
      };
    // 2 device and product information; 6.1-6.2 SmartConfig; 6.5-6.7 module settings and versions
    case 'AT+TCSTARTSMART':
    case 'AT+TCSAP':
    case 'AT+TCSTOPSAP':
    case 'AT+TCSTOPSMART':
    case 'AT+TCDEVINFOSET':
    case 'AT+TCPRDINFOSET':
    case 'AT+TCDEVREG':
    case 'AT+TCMODULE':
    case 'AT+TCRESTORE':
    case 'AT+TCMODINFOSET':
    case 'AT+TCMQTTSRV':
    case 'AT+TCVER':
      return function (form, params, name) {
        return deviceCommand(form, params, name);
      };
    // 3 MQTT
    case 'AT+TCMQTTCONN':
    case 'AT+TCMQTTDISCONN':
    case 'AT+TCMQTTPUB':
    case 'AT+TCMQTTPUBL':
    case 'AT+TCMQTTPUBRAW':
    case 'AT+TCMQTTSUB':
    case 'AT+TCMQTTUNSUB':
    case 'AT+TCMQTTSTATE':
      return function (form, params, name) {
        return mqttCommand(form, params, name);
      };
    // 4 OTA
    case 'AT+TCOTASET':
    case 'AT+TCFWINFO':
    case 'AT+TCREADFWDATA':
      return function (form, params, name) {
        return otaCommand(form, params, name);
      };
    // ESP-AT's WiFi commands (ESP-AT 1.x's _CUR and _DEF forms too)
    case 'AT+CWMODE':
    case 'AT+CWMODE_CUR':
    case 'AT+CWMODE_DEF':
    case 'AT+CWJAP':
    case 'AT+CWJAP_CUR':
    case 'AT+CWJAP_DEF':
    case 'AT+CWQAP':
    case 'AT+CWLAP':
    case 'AT+CIPSTA':
    case 'AT+CIPSTA_CUR':
    case 'AT+CIPSTA_DEF':
      return function (form, params, name) {
        return wifiCommand(form, params, name);
      };
    // this firmware's TLS settings
    case 'AT+TCTLSFALLBACK':
    case 'AT+TCCASET':
      return function (form, params, name) {
        return tlsCommand(form, params, name);
      };
  }
  return undefined;
}
