// Every AT command the firmware answers, by the spec's chapters. A command's code is found
// from its name here.
import { CommandTable } from '../at/engine';
import { AT, ATE0, ATE1, RST, GMR, RESTORE } from './basic';
import { TCDEVINFOSET, TCPRDINFOSET, TCMODINFOSET, TCMQTTSRV, TCRESTORE, TCMODULE, TCVER } from './device';

export const commands: CommandTable = {
  // 1.3 ESP-AT basics
  'AT': AT,
  'ATE0': ATE0,
  'ATE1': ATE1,
  'AT+RST': RST,
  'AT+GMR': GMR,
  'AT+RESTORE': RESTORE,
  // 2 device and product information
  'AT+TCDEVINFOSET': TCDEVINFOSET,
  'AT+TCPRDINFOSET': TCPRDINFOSET,
  'AT+TCMODULE': TCMODULE,
  'AT+TCRESTORE': TCRESTORE,
  // 6 module settings and versions
  'AT+TCMODINFOSET': TCMODINFOSET,
  'AT+TCMQTTSRV': TCMQTTSRV,
  'AT+TCVER': TCVER,
};
