// Every AT command the firmware answers, by the spec's chapters: a command's code is found
// from its name here. A switch lives in flash; a table object would cost RAM per entry.
import { Handler } from '../at/engine';
import { AT, ATE0, ATE1, RST, GMR, RESTORE } from './basic';
import { TCCASET } from './ca';
import { TCMQTTCONN, TCMQTTDISCONN, TCMQTTPUB, TCMQTTPUBL, TCMQTTPUBRAW, TCMQTTSUB, TCMQTTUNSUB, TCMQTTSTATE, TCTLSFALLBACK } from './mqtt';
import { TCDEVINFOSET, TCPRDINFOSET, TCMODINFOSET, TCMQTTSRV, TCRESTORE, TCMODULE, TCVER } from './device';

export function lookupCommand(name: string): Handler | undefined {
  switch (name) {
    // 1.3 ESP-AT basics
    case 'AT': return AT;
    case 'ATE0': return ATE0;
    case 'ATE1': return ATE1;
    case 'AT+RST': return RST;
    case 'AT+GMR': return GMR;
    case 'AT+RESTORE': return RESTORE;
    // 2 device and product information
    case 'AT+TCDEVINFOSET': return TCDEVINFOSET;
    case 'AT+TCPRDINFOSET': return TCPRDINFOSET;
    case 'AT+TCMODULE': return TCMODULE;
    case 'AT+TCRESTORE': return TCRESTORE;
    // 3 MQTT
    case 'AT+TCMQTTCONN': return TCMQTTCONN;
    case 'AT+TCMQTTDISCONN': return TCMQTTDISCONN;
    case 'AT+TCMQTTPUB': return TCMQTTPUB;
    case 'AT+TCMQTTPUBL': return TCMQTTPUBL;
    case 'AT+TCMQTTPUBRAW': return TCMQTTPUBRAW;
    case 'AT+TCMQTTSUB': return TCMQTTSUB;
    case 'AT+TCMQTTUNSUB': return TCMQTTUNSUB;
    case 'AT+TCMQTTSTATE': return TCMQTTSTATE;
    case 'AT+TCTLSFALLBACK': return TCTLSFALLBACK;
    case 'AT+TCCASET': return TCCASET;
    // 6 module settings and versions
    case 'AT+TCMODINFOSET': return TCMODINFOSET;
    case 'AT+TCMQTTSRV': return TCMQTTSRV;
    case 'AT+TCVER': return TCVER;
  }
  return undefined;
}
