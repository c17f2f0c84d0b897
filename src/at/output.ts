// Everything the module sends to the MCU goes through here, so that URCs can be held back
// while a response or a `>` prompt is being written.

let held = false;
let pending: (string | Uint8Array)[] = []; // pieces of held URCs, line ends included

export function sendLine(text: string): void {
  Serial1.write(text + '\r\n');
}

/**
 * An unsolicited result code: written at once, or after the response that holds the UART. One
 * carrying a payload (a string, or the bytes of a received message) is written in pieces (head,
 * payload, tail), so a 2 KB payload is never copied.
 */
export function urc(head: string, payload?: string | Uint8Array, tail?: string): void {
  const end = (tail || '') + '\r\n';
  if (held) {
    pending.push(head, payload || '', end);
    return;
  }
  Serial1.write(head);
  if (payload) Serial1.write(payload);
  Serial1.write(end);
}

export function holdUrcs(hold: boolean): void {
  held = hold;
  if (hold || !pending.length) return;
  const pieces = pending;
  pending = [];
  for (let i = 0; i < pieces.length; i++) Serial1.write(pieces[i]);
}
