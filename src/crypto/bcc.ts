/** The spec's checksum of a secret: XOR of its bytes, printed in decimal instead of the secret. */
export function bcc(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i);
  return sum;
}
