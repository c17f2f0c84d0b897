// Everything the module sends to the MCU goes through here, so that URCs can be held back
// while a response or a `>` prompt is being written.

let held = false;
let pending: string[] = []; // pieces of held URCs, line ends included

export function sendLine(text: string): void {
  Serial1.write(text + '\r\n');
}

/** An unsolicited result code: written at once, or after the response that holds the UART. */
export function urc(text: string): void {
  urcPayload(text, '', '');
}

/** A URC carrying a payload: written in pieces, so that a 2 KB payload is never copied. */
export function urcPayload(head: string, payload: string, tail: string): void {
  if (held) {
    pending.push(head, payload, tail + '\r\n');
    return;
  }
  Serial1.write(head);
  if (payload) Serial1.write(payload);
  Serial1.write(tail + '\r\n');
}

export function holdUrcs(hold: boolean): void {
  held = hold;
  if (hold || !pending.length) return;
  const pieces = pending;
  pending = [];
  for (let i = 0; i < pieces.length; i++) Serial1.write(pieces[i]);
}
