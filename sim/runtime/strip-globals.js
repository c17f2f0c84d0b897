// Run inside a fresh vm context: removes what V8 has and Espruino 2v29 (ESP8266_4MB) lacks.
export const STRIP_GLOBALS = `(function (g) {
  var del = function (obj, names) { names.forEach(function (n) { try { delete obj[n]; } catch (e) {} }); };
  del(g, ['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Symbol', 'Proxy', 'Reflect',
    'BigInt', 'BigInt64Array', 'BigUint64Array', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'Intl',
    'TextEncoder', 'TextDecoder', 'setImmediate', 'queueMicrotask', 'structuredClone', 'Buffer', 'module',
    'exports', 'encodeURI', 'decodeURI', 'escape', 'unescape', 'RangeError', 'EvalError', 'URIError',
    'AggregateError', 'globalThis', 'Iterator']);
  del(Object.prototype, ['toLocaleString']);
  del(Array, ['from', 'of']);
  del(Array.prototype, ['lastIndexOf', 'reduceRight', 'flat', 'flatMap', 'at', 'entries', 'keys', 'values',
    'findLast', 'findLastIndex', 'toReversed', 'toSorted', 'toSpliced', 'with', 'copyWithin']);
  del(Object, ['freeze', 'seal', 'is', 'preventExtensions', 'isFrozen', 'isSealed', 'assign', 'entries',
    'values', 'fromEntries', 'groupBy', 'hasOwn']);
  del(Number, ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'EPSILON', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER']);
  del(Number.prototype, ['toPrecision', 'toExponential', 'toLocaleString']);
  del(Math, ['trunc', 'log2', 'log10', 'cbrt', 'hypot', 'sign', 'fround', 'imul', 'clz32', 'expm1', 'log1p',
    'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh']);
  del(String, ['fromCodePoint', 'raw']);
  del(String.prototype, ['normalize', 'codePointAt', 'at', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight',
    'matchAll', 'search', 'localeCompare', 'replaceAll', 'toLocaleUpperCase', 'toLocaleLowerCase',
    'isWellFormed', 'toWellFormed']);
  del(Promise, ['allSettled', 'race', 'any', 'withResolvers', 'try']);
  del(Promise.prototype, ['finally']);
  var typed = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array];
  var typedBase = Object.getPrototypeOf(Int8Array);
  del(typedBase, ['from', 'of']);
  del(typedBase.prototype, ['lastIndexOf', 'at', 'findLast', 'findLastIndex', 'toReversed', 'toSorted', 'with']);
  typed.forEach(function (T) { del(T, ['BYTES_PER_ELEMENT']); del(T.prototype, ['BYTES_PER_ELEMENT']); });
  // Espruino 2v29 and after (commit d04a1647b): String's indexOf, includes and replace with a
  // string pattern also match a pattern that runs past the end of the text when the part that
  // fits matches ('abc'.indexOf('cd') is 2, 'ab\\r'.indexOf('\\r\\n') is 2; a pattern longer than the
  // text is never found), checked on the interpreter.
  var indexOf = String.prototype.indexOf;
  var espruinoIndexOf = function (needle, from) {
    var text = String(this), n = String(needle), i = Math.max(0, Math.min(Number(from) || 0, text.length)), k;
    if (n.length > text.length) return -1;
    for (; i < text.length || (i === 0 && n === ''); i++) {
      for (k = 0; k < n.length && i + k < text.length && text.charAt(i + k) === n.charAt(k); k++);
      if (k === n.length || i + k === text.length) return i;
    }
    return indexOf.call(text, n, from);
  };
  String.prototype.indexOf = espruinoIndexOf;
  String.prototype.includes = function (needle, from) { return espruinoIndexOf.call(this, needle, from) >= 0; };
  var replace = String.prototype.replace;
  String.prototype.replace = function (pattern, replacement) {
    if (pattern instanceof RegExp) return replace.call(this, pattern, replacement);
    var text = String(this), at = espruinoIndexOf.call(text, pattern);
    if (at < 0) return text;
    var found = text.substr(at, String(pattern).length);
    return text.substr(0, at) + (typeof replacement === 'function' ? replacement(found, at, text) : String(replacement)) + text.substr(at + found.length);
  };
  del(Date, ['UTC']);
  del(Date.prototype, ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString', 'toDateString',
    'setUTCDate', 'setUTCFullYear', 'setUTCHours', 'setUTCMilliseconds', 'setUTCMinutes', 'setUTCMonth', 'setUTCSeconds']);
})(this);`;
