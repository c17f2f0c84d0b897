// Espruino's rules for turning a JS value into bytes (Serial.write, E.toString,
// E.toUint8Array, Storage.write, Flash.write). Strings are 8-bit: a char keeps its low byte.

export function latin1(buffer) {
  return Buffer.from(buffer).toString('latin1');
}

export function stringBytes(text) {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 255;
  return out;
}

function isTypedArray(v) {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/**
 * `typedArrays`: 'elements' sends each element's low byte (Serial.write); 'raw' takes the
 * first `length` raw bytes of the buffer (Storage.write, Flash.write).
 */
export function toBytes(value, C, { typedArrays = 'elements' } = {}) {
  const out = [];
  const add = (v) => {
    if (typeof v === 'number') out.push(Math.trunc(v) & 255);
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
    else if (typeof v === 'string') for (let i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 255);
    else if (v === undefined || v === null) throw new C.TypeError(`Expecting Number or iterable, got ${v}`);
    else if (isTypedArray(v) || Object.prototype.toString.call(v) === '[object ArrayBuffer]') {
      const raw = Object.prototype.toString.call(v) === '[object ArrayBuffer]'
        ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      if (typedArrays === 'raw' || raw.length === v.length || !v.length) {
        for (let i = 0; i < (v.length ?? raw.length); i++) out.push(raw[i]);
      } else {
        for (let i = 0; i < v.length; i++) out.push(Number(v[i]) & 255);
      }
    } else if (Array.isArray(v)) v.forEach(add);
    else if (typeof v === 'object' && 'data' in v && 'count' in v) {
      for (let n = 0; n < v.count; n++) add(v.data);
    } else if (typeof v === 'object' && typeof v.callback === 'function') add(v.callback());
    else throw new C.TypeError('If specifying an object, it must be of the form {data : ..., count : N} or {callback : fn} - got ' + typeof v);
  };
  add(value);
  return Buffer.from(out);
}
