// What Espruino 2v29's RegExp engine cannot do, checked on the interpreter itself:
// no `?` at all outside a character class (`/a?b/` never matches "b" nor "ab"; no lazy
// quantifiers, no `(?:`, no lookaround), and no counted repetition `{n}` / `{n,m}`.
// Returns a reason, or null when the pattern is safe.
export function unsupportedRegExp(pattern) {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c === '?') return pattern[i - 1] === '(' ? 'no (?: groups or lookaround' : 'no ? quantifier (optional or lazy)';
    if (c === '{' && /^\{\d/.test(pattern.slice(i))) return 'no {n,m} repetition';
  }
  return null;
}
