// Settings records that survive a power cut at any instant.
//
// Storage.write() of a changed file first turns the old copy into trash and only then
// appends the new one, so a cut in between loses the file. Each record therefore lives in
// two slots, `<name>a` and `<name>b`, as "<seq> <crc32> <json>": a save writes the slot not
// holding the newest copy, checks it, and only then erases the other. Loading takes the
// valid copy with the highest sequence number; a half-written one fails its CRC. Copies are
// read as flash strings (Storage.read with an offset maps flash, it copies nothing to RAM):
// only the record loaded is parsed.

export const storage = require('Storage');

/** The slot ('a' or 'b') holding the newest valid copy of `name` and its sequence number; slot '' when there is none. */
function newest(name: string): { slot: string; seq: number; at: number } {
  const found = { slot: '', seq: 0, at: 0 };
  for (let i = 0; i < 2; i++) {
    const file = name + 'ab'.charAt(i);
    const head = storage.read(file, 0, 24);
    if (!head) continue;
    const a = head.indexOf(' ');
    const b = head.indexOf(' ', a + 1);
    const seq = parseInt(head.substr(0, a), 10);
    if (a > 0 && b > a && String(E.CRC32(storage.read(file, b + 1) || '')) === head.substring(a + 1, b) && (!found.slot || seq > found.seq)) {
      found.slot = 'ab'.charAt(i);
      found.seq = seq;
      found.at = b + 1;
    }
  }
  return found;
}

export function loadRecord(name: string): any {
  const copy = newest(name);
  if (!copy.slot) return undefined;
  try {
    return JSON.parse(storage.read(name + copy.slot, copy.at)!);
  } catch (e) {
    return undefined;
  }
}

/** Returns false when the flash refused the write; the old value is then still in place. */
export function saveRecord(name: string, data: any): boolean {
  const current = newest(name);
  const slot = current.slot === 'a' ? 'b' : 'a';
  const body = JSON.stringify(data);
  const line = (current.seq + 1) + ' ' + E.CRC32(body) + ' ' + body;
  try {
    storage.write(name + slot, line);
  } catch (e) {
    return false;
  }
  if (storage.read(name + slot) !== line) return false;
  if (current.slot) storage.erase(name + current.slot);
  return true;
}

/** Erases the older slot first, so that a cut halfway never brings an older value back. */
export function eraseRecord(name: string): void {
  const last = newest(name).slot || 'a';
  storage.erase(name + (last === 'a' ? 'b' : 'a'));
  storage.erase(name + last);
}
