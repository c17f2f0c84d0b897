// Everything the module sends to the MCU goes through here, so that URCs can be held back
// while a response or a `>` prompt is being written.

let held = false;
let pending: string[] = [];

export function send(text: string): void {
  Serial1.write(text);
}

export function sendLine(text: string): void {
  Serial1.write(text + '\r\n');
}

/** An unsolicited result code: written at once, or after the response that holds the UART. */
export function urc(text: string): void {
  if (held) pending.push(text);
  else sendLine(text);
}

export function holdUrcs(hold: boolean): void {
  held = hold;
  if (hold || !pending.length) return;
  const lines = pending;
  pending = [];
  for (let i = 0; i < lines.length; i++) sendLine(lines[i]);
}
