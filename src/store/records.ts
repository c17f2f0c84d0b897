// Settings records that survive a power cut at any instant.
//
// Storage.write() of a changed file first turns the old copy into trash and only then
// appends the new one, so a cut in between loses the file. Each record therefore lives in
// two slots, `<name>a` and `<name>b`, as "<seq> <crc32> <json>": a save writes the slot not
// holding the newest copy, checks it, and only then erases the other. Loading takes the
// valid copy with the highest sequence number; a half-written one fails its CRC.

export const storage = require('Storage');

interface Copy { seq: number; slot: string; data: any }

function readCopy(name: string, slot: string): Copy | undefined {
  const raw = storage.read(name + slot);
  if (!raw) return undefined;
  const a = raw.indexOf(' ');
  const b = raw.indexOf(' ', a + 1);
  if (a < 1 || b < 0) return undefined;
  const body = raw.substr(b + 1);
  if (String(E.CRC32(body)) !== raw.substring(a + 1, b)) return undefined;
  try {
    return { seq: parseInt(raw.substr(0, a), 10), slot: slot, data: JSON.parse(body) };
  } catch (e) {
    return undefined;
  }
}

function newest(name: string): Copy | undefined {
  const a = readCopy(name, 'a');
  const b = readCopy(name, 'b');
  if (!a) return b;
  if (!b) return a;
  return a.seq >= b.seq ? a : b;
}

export function loadRecord(name: string): any {
  const copy = newest(name);
  return copy ? copy.data : undefined;
}

/** Returns false when the flash refused the write; the old value is then still in place. */
export function saveRecord(name: string, data: any): boolean {
  const current = newest(name);
  const slot = current && current.slot === 'a' ? 'b' : 'a';
  const seq = current ? current.seq + 1 : 1;
  const body = JSON.stringify(data);
  try {
    storage.write(name + slot, seq + ' ' + E.CRC32(body) + ' ' + body);
  } catch (e) {
    return false;
  }
  const written = readCopy(name, slot);
  if (!written || written.seq !== seq) return false;
  storage.erase(name + (slot === 'a' ? 'b' : 'a'));
  return true;
}

/** Erases the older slot first, so that a cut halfway never brings an older value back. */
export function eraseRecord(name: string): void {
  const current = newest(name);
  const last = current ? current.slot : 'a';
  storage.erase(name + (last === 'a' ? 'b' : 'a'));
  storage.erase(name + last);
}
