// require('Storage'): the firmware-facing side of sim/runtime/storage.js.
import vm from 'node:vm';

/** readJSON is lenient like Espruino's (unquoted keys, single quotes, trailing commas). */
function parseLenient(text) {
  try {
    return JSON.parse(text);
  } catch {
    if (!/^[\s]*[[{"'0-9tfn-]/.test(text)) throw new Error('Expecting valid value');
    return vm.runInNewContext(`(${text})`, {}, { timeout: 50 });
  }
}

/** writeJSON writes JavaScript rather than JSON: identifier keys go unquoted. */
function toJs(value) {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'undefined' : toJs(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const parts = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      parts.push(`${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}:${toJs(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function createStorageModule(rt, storage) {
  const C = rt.C;
  return rt.object({
    read: (name, offset, length) => storage.read(name, offset, length),
    readJSON: (name, noExceptions) => {
      const text = storage.read(name);
      if (text === undefined) return undefined;
      try {
        return rt.data(parseLenient(text));
      } catch (err) {
        if (noExceptions) return undefined;
        throw rt.error(`Expecting valid value, got ${err.message}`, 'SyntaxError');
      }
    },
    readArrayBuffer: (name) => {
      const bytes = storage.readBytes(name);
      return bytes ? rt.arrayBuffer(bytes) : undefined;
    },
    write: (name, data, offset, size) => storage.write(name, data, offset, size, C),
    writeJSON: (name, data) => storage.write(name, toJs(data), 0, undefined, C),
    erase: (name) => { storage.erase(name); },
    eraseAll: () => storage.eraseAll(),
    list: (match) => {
      let names = storage.list();
      if (match && typeof match.test === 'function') names = names.filter((n) => match.test(n));
      else if (typeof match === 'string') names = names.filter((n) => n.startsWith(match));
      return rt.data(names);
    },
    getFree: () => storage.getFree(),
    getStats: () => rt.data(storage.getStats()),
    compact: () => storage.compact(),
  });
}
