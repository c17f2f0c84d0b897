// Searching text on Espruino. Since 2v29 (commit d04a1647b) its String indexOf (and includes,
// and replace with a string pattern) also "finds" a pattern that runs past the end of the text
// when the part that fits matches: 'abc'.indexOf('cd') is 2, and a buffer ending in CR "holds"
// CR LF. The first match it reports is then either a real one or such a partial one at the very
// end, which find() refuses. Single characters are found correctly anyway.

/** The first `needle` in `text` at or after `from`, or -1. */
export function find(text: string, needle: string, from?: number): number {
  const at = text.indexOf(needle, from);
  return at >= 0 && at + needle.length > text.length ? -1 : at;
}
