// AT+TCDEBUG, one of this firmware's own commands: a JavaScript console over WiFi, for debugging
// on the board. Off by default; AT+TCDEBUG=1,"<password>" stores it on, AT+TCDEBUG=0 and
// AT+RESTORE turn it off. While it is on and the station is up, port 23 takes one client at a
// time, and the console (Espruino's REPL) is locked by E.setPassword until the client types
// the password. UART0 stays the MCU's: the console goes to LoopbackA only while a client is
// connected, and back to nowhere when it leaves, locked again.
//
// Espruino's own Telnet server is not used: when its client leaves it hands the console back to
// the device it came from before the firmware locked it (Serial1, the MCU's UART, printing
// "<- Telnet" there), and it never locks the console again for the next client.
import { Form } from '../at/engine';
import { parseArgs } from '../at/args';
import { cme, help, Cme } from './reply';
import { loadRecord, saveRecord, eraseRecord } from '../store/records';
import { Rec } from '../store/settings';
import { holdModule, heldModule, loadModule, Mod } from '../module-loader';

const enum Debug { Port = 23, MinPassword = 8, MaxPassword = 20 }

let server: any = null;
let client: any = null;

export function command(form: number, params: string): boolean {
  if (form === Form.Test) return help('+TCDEBUG:(0,1),"password"');
  // The query says only whether it is on: the password is never printed back.
  if (form === Form.Query) return help('+TCDEBUG:' + (loadRecord(Rec.Debug) ? 1 : 0));
  if (form !== Form.Set) return false;
  const a = parseArgs(params, 'n?s');
  if (!a) return false;
  if (a[0] === 0 && a[1] === undefined) {
    stop();
    eraseRecord(Rec.Debug);
    return help('');
  }
  // Printable ASCII without spaces: what the REPL's password prompt takes, 20 characters at most.
  const password = a[1] as string;
  if (a[0] !== 1 || typeof password !== 'string' || password.length < Debug.MinPassword || password.length > Debug.MaxPassword
    || !/^[!-~]+$/.test(password)) return cme(Cme.ParamInvalid);
  stop();
  if (!saveRecord(Rec.Debug, { pw: password })) return cme(Cme.FlashError);
  openHeld();
  return help('');
}

/**
 * Opens the console when the setting is on and the station is up (at boot, WIFI GOT IP,
 * AT+TCDEBUG=1), in an instance of this module that is then held: the server lives in it.
 */
export function openHeld(): void {
  if (heldModule(Mod.Debug)) return;
  const instance = loadModule(Mod.Debug);
  if (instance.listenIfOn()) holdModule(Mod.Debug, instance);
}

export function listenIfOn(): boolean {
  const record = loadRecord(Rec.Debug);
  if (!record || require('Wifi').getStatus().station !== 'connected') return false;
  E.setPassword(record.pw);
  E.lockConsole();
  server = require('net').createServer(accept);
  server.listen(Debug.Port);
  return true;
}

function accept(socket: any): void {
  if (client) {
    socket.end('busy: one console at a time\r\n');
    return;
  }
  client = socket;
  LoopbackB.on('data', function (d: string) {
    socket.write(d);
  });
  socket.on('data', function (d: string) {
    LoopbackB.write(d);
  });
  socket.on('close', release);
  E.lockConsole();
  echo(true);
  E.setConsole(LoopbackA, { force: true });
  socket.write('password>');
}

/** The client left (or is sent away): the console locked again and off every device. */
function release(): void {
  if (!client) return;
  client = null;
  LoopbackB.removeAllListeners('data');
  echo(false);
  E.setConsole(null, { force: true });
  E.lockConsole();
}

function stop(): void {
  if (!heldModule(Mod.Debug)) return;
  const leaving = client;
  release();
  if (leaving) leaving.end();
  server.close();
  server = null;
  E.setPassword(undefined);
  holdModule(Mod.Debug, null);
}
