// Bytes from the MCU -> lines -> commands. One command runs at a time; a handler ends it
// with finish(). The UART 'data' handler only stores bytes and schedules: it cannot throw.
// A command's module is loaded for its handler and dropped when the handler returns, so what a
// command waits for (an ack, a payload) is continued by functions of the core or of a module
// that stays anyway (the MQTT link): resultTo() and readData()'s `then`.
import { sendLine, holdUrcs } from './output';
import { find } from '../text';

/** The four forms of a command line (a const enum: inlined, no RAM). */
export const enum Form { Exec = 0, Query = 1, Test = 2, Set = 3 }

/** How data mode reads a payload: bytes as they come, or as PUBL sends them (+++ CR LF aborts; \" and \, are undone). */
export const enum Payload { Raw = 0, Escaped = 1 }

/**
 * Runs one form of the command `name`; `params` is the raw text after `=` (see args.ts).
 * Returns false when the command has no such form: the engine then answers ERROR.
 */
export type Handler = (form: number, params: string, name: string) => boolean;
export type Lookup = (name: string) => Handler | undefined;

const enum Limit { Line = 256, Rx = 1536 } // a line with its \r\n; what may wait for the pump

let lookup: Lookup;
let rx = '';
let scheduled = false;
let overlong = false;
let dropped = false; // bytes lost to a full receive buffer
let skipCrlf = false;
let running = false;
/** ATE0/ATE1 set `echo`: command lines come back before their results. */
export const engineOptions = { echo: true };

// Data mode (readData): the payload goes straight into one flat buffer of its exact length.
let data: Uint8Array | null = null;
let dataAt = 0;
let dataTail = ''; // the last bytes taken, where a +++\r\n may have begun
let dataMode = Payload.Raw;
let dataAborted = false;
let dataTimer = 0;
let dataThen: ((payload: Uint8Array) => void) | null = null;

function onData(bytes: string): void {
  try {
    if (data && !dataAborted && dataAt < data.length) takeData(bytes);
    else if (rx.length < Limit.Rx) rx += bytes;
    else dropped = true;
    schedulePump();
  } catch (e) {
    // nothing may escape a Serial data handler
  }
}

/**
 * Payload bytes: what fits goes to the buffer, the rest waits as command input. In a payload
 * that may be aborted, `+++\r\n` anywhere ends data mode, and what follows it is the next
 * command line.
 */
function takeData(bytes: string): void {
  const want = data!.length - dataAt;
  const take = bytes.length > want ? bytes.substr(0, want) : bytes;
  if (dataMode === Payload.Escaped) {
    const seen = dataTail + take;
    const at = find(seen, '+++\r\n');
    if (at >= 0) {
      dataAborted = true;
      rx += bytes.substr(at + 5 - dataTail.length);
      return;
    }
    dataTail = seen.length > 4 ? seen.substr(seen.length - 4) : seen;
  }
  data!.set(E.toUint8Array(take), dataAt);
  dataAt += take.length;
  if (take.length < bytes.length) rx += bytes.substr(take.length);
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

/** What ends a set command once its work is done: `+<name>:OK`, or `+<name>:FAIL,<code>` (0 is success). */
export function resultTo(name: string): (code: number) => void {
  return function (code) {
    finish('+' + name + (code ? ':FAIL,' + code : ':OK'));
  };
}

function schedulePump(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(pump, 0);
}

/**
 * Reads exactly `length` bytes (bytes that came before the prompt included) into one buffer,
 * then swallows a following \r\n, and gives them to `then`. The timeout, or (Escaped)
 * `+++\r\n` among them, aborts: the command ends with +CME ERROR:204 and `then` is not called.
 */
export function readData(length: number, timeoutMs: number, mode: Payload, then: (payload: Uint8Array) => void): void {
  data = new Uint8Array(length);
  dataAt = 0;
  dataTail = '';
  dataMode = mode;
  dataAborted = false;
  dataThen = then;
  const early = rx;
  rx = '';
  if (early) takeData(early);
  schedulePump();
  holdUrcs(true);
  dataTimer = setTimeout(function () {
    dataTimer = 0;
    dataAborted = true;
    schedulePump();
  }, timeoutMs);
}

function endData(): void {
  const then = dataThen!;
  let payload = data!;
  if (dataTimer) clearTimeout(dataTimer);
  dataTimer = 0;
  dataThen = data = null;
  // The result line goes first; URCs held during the prompt follow it.
  if (dataAborted) finish('+CME ERROR:204');
  else {
    skipCrlf = true;
    if (dataMode === Payload.Escaped) payload = unescape(payload);
    then(payload);
  }
  holdUrcs(false);
}

/** Tencent's MCU SDK sends PUBL payloads still escaped for a command line: \" and \, are undone, in place. */
function unescape(payload: Uint8Array): Uint8Array {
  let out = payload.indexOf(92);
  if (out < 0) return payload;
  for (let i = out; i < payload.length; i++) {
    const c = payload[i];
    if (c === 92 && (payload[i + 1] === 34 || payload[i + 1] === 44)) continue; // the quote or comma is kept alone
    payload[out++] = c;
  }
  return payload.subarray(0, out);
}

function pump(): void {
  scheduled = false;
  if (dropped) {
    // What was lost belonged to a line: answer it with ERROR.
    dropped = false;
    overlong = true;
  }
  if (data) {
    if (!dataAborted && dataAt < data.length) return; // still reading
    endData();
  }
  for (;;) {
    if (!rx.length || data) return;
    if (skipCrlf) {
      if (rx === '\r') return;
      skipCrlf = false;
      if (rx.substr(0, 2) === '\r\n') rx = rx.substr(2);
      continue;
    }
    const end = find(rx, '\r\n');
    if (end < 0) {
      const endsInCr = rx.charCodeAt(rx.length - 1) === 13;
      if (rx.length - (endsInCr ? 1 : 0) > Limit.Line - 2) {
        overlong = true;
        rx = endsInCr ? '\r' : '';
      }
      return;
    }
    const line = rx.substr(0, end);
    rx = rx.substr(end + 2);
    if (overlong || end > Limit.Line - 2) {
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
  let form: number = Form.Set;
  if (rest === '') form = Form.Exec;
  else if (rest === '?') form = Form.Query;
  else if (rest === '=?') form = Form.Test;
  else if (rest.charAt(0) !== '=') form = -1; // AT+X?junk: no such form
  running = true;
  holdUrcs(true);
  try {
    if (!handler(form, rest.substr(1), name)) finish('ERROR');
  } catch (e) {
    if (running) finish('ERROR');
  }
  if (!data) holdUrcs(false);
}
