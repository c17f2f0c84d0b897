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
  del(Date, ['UTC']);
  del(Date.prototype, ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString', 'toDateString',
    'setUTCDate', 'setUTCFullYear', 'setUTCHours', 'setUTCMilliseconds', 'setUTCMinutes', 'setUTCMonth', 'setUTCSeconds']);
})(this);`;
