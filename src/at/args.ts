// Parameters of `AT+X=...`: quoted strings (with the escapes \" \, \\) and numbers.
// A spec string gives each parameter's type: 's' string, 'n' number; a '?' marks the rest
// as optional. Returns null when the line does not fit the spec (the caller answers ERROR).

export type Arg = string | number | undefined;

export function parseArgs(text: string, spec: string): Arg[] | null {
  function parseNumber(text: string): number | undefined {
    // Numbers are 32-bit signed integers. Espruino's RegExp has neither {n,m} nor ?, so lengths
    // and the sign are checked apart.
    let n: number | undefined;
    const digits = text.charAt(0) === '-' ? text.substr(1) : text;
    if (digits.length <= 10 && /^[0-9]+$/.test(digits)) n = parseInt(text, 10);
    else if (text.length <= 10 && /^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.substr(2), 16);
    return n !== undefined && n >= -2147483648 && n <= 2147483647 ? n : undefined;
  }

  /** Splits the raw parameter text into fields; quoted fields keep a leading quote as a marker. */
  function splitFields(text: string): string[] | null {
    const fields: string[] = [];
    let i = 0;
    for (;;) {
      let field = '';
      if (text.charAt(i) === '"') {
        field = '"';
        i++;
        for (;;) {
          if (i >= text.length) return null;
          let c = text.charAt(i++);
          if (c === '"') break;
          if (c === '\\' && i < text.length) {
            const next = text.charAt(i);
            if (next === '"' || next === ',' || next === '\\') { c = next; i++; }
          }
          field += c;
        }
        if (i < text.length && text.charAt(i) !== ',') return null;
      } else {
        const end = text.indexOf(',', i);
        field = end < 0 ? text.substr(i) : text.substring(i, end);
        i += field.length;
        if (field.indexOf('"') >= 0 || field.indexOf('\\') >= 0) return null;
      }
      fields.push(field);
      if (i >= text.length) return fields;
      i++; // the comma
    }
  }

  const fields = splitFields(text);
  if (!fields) return null;
  const args: Arg[] = [];
  let optional = false;
  let f = 0;
  for (let s = 0; s < spec.length; s++) {
    const type = spec.charAt(s);
    if (type === '?') { optional = true; continue; }
    const field = fields[f++];
    if (field === undefined || field === '') {
      if (!optional) return null;
      args.push(undefined);
      continue;
    }
    const quoted = field.charAt(0) === '"';
    if (type === 's') {
      if (!quoted) return null;
      args.push(field.substr(1));
    } else {
      const n = quoted ? undefined : parseNumber(field);
      if (n === undefined) return null;
      args.push(n);
    }
  }
  return f < fields.length ? null : args;
}

/** A string of at most `maxLength` bytes matching `pattern` (Espruino's RegExp has no {n,m}). */
export function matches(value: Arg, pattern: RegExp, maxLength: number): boolean {
  return typeof value === 'string' && value.length <= maxLength && pattern.test(value);
}
