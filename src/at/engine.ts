// Bytes from the MCU -> lines -> commands. One command runs at a time; a handler ends it
// with finish(). The UART 'data' handler only appends and schedules: it cannot throw.
import { sendLine, holdUrcs } from './output';

// The four forms of a command line.
export const EXEC = 0; // AT+X
export const QUERY = 1; // AT+X?
export const TEST = 2; // AT+X=?
export const SET = 3; // AT+X=<params>

/**
 * Runs one form of the command `name`; `params` is the raw text after `=` (see args.ts).
 * Returns false when the command has no such form: the engine then answers ERROR.
 * (One handler per chapter of the spec, switching on the name: on Espruino every function
 * object costs 5-10 of the 1600 variables for as long as the firmware runs.)
 */
export type Handler = (form: number, params: string, name: string) => boolean;
export type Lookup = (name: string) => Handler | undefined;

const MAX_LINE = 256; // bytes, with the \r\n
const RX_CAP = 1536;

let lookup: Lookup;
let rx = '';
let scheduled = false;
let overlong = false;
let dropped = false; // bytes lost to a full receive buffer
let skipCrlf = false;
let running = false;
/** ATE0/ATE1 set `echo`: command lines come back before their results. */
export const engineOptions = { echo: true };

let dataNeed = 0;
let dataBuf = '';
let dataTimer = 0;
let dataDone: ((data: string | null) => void) | null = null;

function onData(bytes: string): void {
  try {
    // A payload goes straight to its buffer (at most its length plus a chunk): no second copy.
    if (dataDone) dataBuf += bytes;
    else if (rx.length < RX_CAP) rx += bytes;
    else dropped = true;
    schedulePump();
  } catch (e) {
    // nothing may escape a Serial data handler
  }
}

export function startEngine(commands: Lookup): void {
  lookup = commands;
  Serial1.on('data', onData);
}


/** Ends the running command, printing its last line. */
export function finish(last?: string): void {
  if (last) sendLine(last);
  running = false;
  holdUrcs(false);
  if (rx.length) schedulePump();
}

function schedulePump(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(pump, 0);
}

/**
 * Reads exactly `length` raw bytes (bytes that came before the prompt included), then
 * swallows a following \r\n. `+++\r\n` at the end of what was read, or the timeout, aborts
 * with null.
 */
export function readData(length: number, timeoutMs: number, done: (data: string | null) => void): void {
  dataNeed = length;
  dataBuf = rx;
  rx = '';
  dataDone = done;
  schedulePump();
  holdUrcs(true);
  dataTimer = setTimeout(function () {
    dataTimer = 0;
    endData(null);
  }, timeoutMs);
}

function endData(data: string | null): void {
  const done = dataDone;
  if (dataTimer) clearTimeout(dataTimer);
  dataTimer = 0;
  dataDone = null;
  dataBuf = '';
  if (data !== null) skipCrlf = true;
  // The result line goes first; URCs held during the prompt follow it.
  if (done) done(data);
  holdUrcs(false);
}

function pump(): void {
  scheduled = false;
  if (dropped) {
    // What was lost belonged to a line: answer it with ERROR.
    dropped = false;
    overlong = true;
  }
  for (;;) {
    if (dataDone) {
      if (dataBuf.length > dataNeed) {
        rx = dataBuf.substr(dataNeed) + rx;
        dataBuf = dataBuf.substr(0, dataNeed);
      }
      if (dataBuf.substr(dataBuf.length - 5) === '+++\r\n') endData(null);
      else if (dataBuf.length === dataNeed) endData(dataBuf);
      else return; // still reading
    }
    if (!rx.length) return;
    if (skipCrlf) {
      if (rx === '\r') return;
      skipCrlf = false;
      if (rx.substr(0, 2) === '\r\n') rx = rx.substr(2);
      continue;
    }
    const end = rx.indexOf('\r\n');
    if (end < 0) {
      const endsInCr = rx.charCodeAt(rx.length - 1) === 13;
      if (rx.length - (endsInCr ? 1 : 0) > MAX_LINE - 2) {
        overlong = true;
        rx = endsInCr ? '\r' : '';
      }
      return;
    }
    const line = rx.substr(0, end);
    rx = rx.substr(end + 2);
    if (overlong || end > MAX_LINE - 2) {
      overlong = false;
      sendLine('ERROR');
      continue;
    }
    if (line.length) runLine(line);
  }
}

function runLine(line: string): void {
  if (engineOptions.echo) sendLine(line);
  if (running) {
    sendLine('ERR CODE:0x010b0000');
    sendLine('busy p...');
    return;
  }
  let name = line;
  let rest = '';
  const plus = line.indexOf('+');
  if (plus === 2) {
    let cut = 3;
    while (cut < line.length && line.charAt(cut) !== '=' && line.charAt(cut) !== '?') cut++;
    if (cut < line.length) {
      name = line.substr(0, cut);
      rest = line.substr(cut);
    }
  }
  const handler = line.substr(0, 2) === 'AT' ? lookup(name) : undefined;
  if (!handler) {
    sendLine('ERR CODE:0x01090000');
    sendLine('ERROR');
    return;
  }
  let form = SET;
  if (rest === '') form = EXEC;
  else if (rest === '?') form = QUERY;
  else if (rest === '=?') form = TEST;
  else if (rest.charAt(0) !== '=') form = -1; // AT+X?junk: no such form
  running = true;
  holdUrcs(true);
  try {
    if (!handler(form, rest.substr(1), name)) finish('ERROR');
  } catch (e) {
    if (running) finish('ERROR');
  }
  if (!dataDone) holdUrcs(false);
}

