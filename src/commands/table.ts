// Every AT command the firmware answers, by the spec's chapters: a command's code is found
// from its name here, in its chapter's handler. A switch lives in flash; a table object or a
// function per command would cost RAM for as long as the firmware runs.
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
      return basicCommand;
    // 2 device and product information; 6.1-6.2 SmartConfig; 6.5-6.7 module settings and versions
    case 'AT+TCSTARTSMART':
    case 'AT+TCSTOPSMART':
    case 'AT+TCDEVINFOSET':
    case 'AT+TCPRDINFOSET':
    case 'AT+TCMODULE':
    case 'AT+TCRESTORE':
    case 'AT+TCMODINFOSET':
    case 'AT+TCMQTTSRV':
    case 'AT+TCVER':
      return deviceCommand;
    // 3 MQTT
    case 'AT+TCMQTTCONN':
    case 'AT+TCMQTTDISCONN':
    case 'AT+TCMQTTPUB':
    case 'AT+TCMQTTPUBL':
    case 'AT+TCMQTTPUBRAW':
    case 'AT+TCMQTTSUB':
    case 'AT+TCMQTTUNSUB':
    case 'AT+TCMQTTSTATE':
      return mqttCommand;
    // 4 OTA
    case 'AT+TCOTASET':
    case 'AT+TCFWINFO':
    case 'AT+TCREADFWDATA':
      return otaCommand;
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
      return wifiCommand;
    // this firmware's TLS settings
    case 'AT+TCTLSFALLBACK':
    case 'AT+TCCASET':
      return tlsCommand;
  }
  return undefined;
}
