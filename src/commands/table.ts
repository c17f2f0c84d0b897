// Every AT command the firmware answers, by the spec's chapters: a command's code is found
// from its name here, in its chapter's module (modules/cmd*.ts). A chapter's module is loaded
// from flash for the one command it runs and dropped after, so no command code is kept in RAM
// between commands; a switch costs nothing in RAM either (it stays in flash).
import { Handler } from '../at/engine';
import { loadModule, Mod } from '../module-loader';

export function lookupCommand(name: string): Handler | undefined {
  /** A handler made for this one command: it loads the chapter's module and runs it. */
  function chapter(module: Mod): Handler {
    return function (form, params, name) {
      return loadModule(module).command(form, params, name);
    };
  }
  switch (name) {
    // 1.3 ESP-AT basics
    case 'AT':
    case 'ATE0':
    case 'ATE1':
    case 'AT+RST':
    case 'AT+GMR':
    case 'AT+RESTORE':
    case 'AT+SYSRAM':
    case 'AT+TCLOG':
      return chapter(Mod.Basic);
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
      return chapter(Mod.Device);
    // 3 MQTT
    case 'AT+TCMQTTCONN':
    case 'AT+TCMQTTDISCONN':
    case 'AT+TCMQTTPUB':
    case 'AT+TCMQTTPUBL':
    case 'AT+TCMQTTPUBRAW':
    case 'AT+TCMQTTSUB':
    case 'AT+TCMQTTUNSUB':
    case 'AT+TCMQTTSTATE':
      return chapter(Mod.Mqtt);
    // 4 OTA
    case 'AT+TCOTASET':
    case 'AT+TCFWINFO':
    case 'AT+TCREADFWDATA':
      return chapter(Mod.OtaCmd);
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
      return chapter(Mod.Wifi);
    // This firmware's own: the debug console over WiFi
    case 'AT+TCDEBUG':
      return chapter(Mod.Debug);
  }
  return undefined;
}
