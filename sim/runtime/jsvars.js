// A rough count of Espruino JsVars (12-byte blocks) a value would use: a name and a value
// per property (+1 for names over 7 chars), strings 12 bytes a block after the first few.
// V8 hides closures, so only what is reachable through properties is counted.
const BUILTIN_GLOBALS = new Set(['global', 'Serial1', 'Serial2', 'E', 'ESP8266', 'console', 'process', 'require',
  'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'changeInterval', 'getTime', 'setTime', 'btoa', 'atob', 'print', 'Date']);

function stringVars(s) {
  return s.length <= 4 ? 1 : 1 + Math.ceil((s.length - 4) / 12);
}

export function estimateJsVars(value, seen = new Set(), isGlobal = true) {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return stringVars(value);
  if (seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return 2 + Math.ceil(value.byteLength / 12);
  let total = 1;
  for (const key of Object.keys(value)) {
    if (isGlobal && value.global === value && BUILTIN_GLOBALS.has(key)) continue;
    total += (key.length > 7 ? 2 : 1) + estimateJsVars(value[key], seen, false);
  }
  return total;
}
