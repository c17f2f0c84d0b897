// Espruino's Storage library on the simulated flash, in Espruino's own layout, so that a
// power cut at any flash operation leaves what the board would have:
//   each file = 32-byte header (u32 size | flags << 24, 28-byte name) + data padded to 4 bytes;
//   a header whose size word is 0xFFFFFFFF marks the free space; erasing a file clears
//   the first 4 bytes of its name (trash). A changed file is trashed first, then appended.
import { SECTOR } from './flash-chip.js';
import { toBytes, latin1, stringBytes } from './bytes.js';

const HEADER = 32;
const NAME_LEN = 28;
const align4 = (n) => (n + 3) & ~3;

export class Storage {
  constructor(chip, { base, size, consolePrint }) {
    this.chip = chip;
    this.base = base;
    this.size = size;
    this.consolePrint = consolePrint;
  }

  static nameBytes(name) {
    const bytes = stringBytes(String(name)).subarray(0, NAME_LEN);
    const out = Buffer.alloc(NAME_LEN, 0);
    bytes.copy(out);
    return out;
  }

  /** All headers in flash order: {addr, size, flags, name(Buffer), trash}; and where free space starts. */
  scan() {
    const files = [];
    let addr = this.base;
    const end = this.base + this.size;
    while (addr + HEADER <= end) {
      const header = this.chip.read(addr, HEADER);
      const word = header.readUInt32LE(0);
      if (word === 0xffffffff) break;
      const size = word & 0xffffff;
      const name = header.subarray(4, 4 + NAME_LEN);
      files.push({ addr, size, flags: word >>> 24, name, trash: name.readUInt32LE(0) === 0 });
      addr += HEADER + align4(size);
    }
    return { files, freeAt: Math.min(addr, end) };
  }

  find(name) {
    const key = Storage.nameBytes(name);
    return this.scan().files.find((f) => !f.trash && f.name.equals(key));
  }

  readBytes(name) {
    const file = this.find(name);
    return file ? this.chip.read(file.addr + HEADER, file.size) : undefined;
  }

  read(name, offset, length) {
    const data = this.readBytes(name);
    if (!data) return undefined;
    let start = Math.max(0, Math.trunc(Number(offset) || 0));
    if (start > data.length) return '';
    const len = Number(length) > 0 ? Math.trunc(Number(length)) : data.length - start;
    return latin1(data.subarray(start, start + len));
  }

  trash(file) {
    this.chip.program(file.addr + 4, Buffer.alloc(4, 0));
  }

  /** Appends a header (and data, when given) at the end; compacts or throws when full. */
  append(name, size, flags, data, C) {
    let { files, freeAt } = this.scan();
    const need = HEADER + align4(size);
    if (freeAt + need > this.base + this.size) {
      const trashBytes = files.filter((f) => f.trash).reduce((n, f) => n + HEADER + align4(f.size), 0);
      if (freeAt - trashBytes + need > this.base + this.size) throw new C.Error('Unable to find or create file');
      this.consolePrint('Compacting...\r\n');
      this.compact();
      freeAt = this.scan().freeAt;
    }
    const header = Buffer.alloc(HEADER, 0);
    header.writeUInt32LE(((flags & 0xff) << 24 | (size & 0xffffff)) >>> 0, 0);
    Storage.nameBytes(name).copy(header, 4);
    this.chip.program(freeAt, header);
    if (data && data.length) this.chip.program(freeAt + HEADER, data);
    return { addr: freeAt, size, flags };
  }

  write(name, value, offset, size, C) {
    if (value === undefined) throw new C.Error("Can't get pointer to data to write");
    let bytes;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)
      && Object.prototype.toString.call(value) !== '[object ArrayBuffer]') {
      bytes = stringBytes(JSON.stringify(value));
      offset = undefined;
      size = undefined;
    } else {
      bytes = toBytes(value, C, { typedArrays: 'raw' });
    }
    if (Number(offset) < 0 || Number(size) < 0) return false;
    const off = Math.trunc(Number(offset) || 0);
    if (!bytes.length) throw new C.Error("Can't create zero length file");
    let file = this.find(name);
    if (off === 0) {
      const total = size !== undefined && Number(size) > 0 ? Math.trunc(Number(size)) : bytes.length;
      if (file && file.size === total && file.flags === 0) {
        const current = this.chip.read(file.addr + HEADER, bytes.length);
        if (current.equals(bytes)) return true;
        if (current.every((b) => b === 0xff)) {
          this.chip.program(file.addr + HEADER, bytes);
          return true;
        }
      }
      if (file) this.trash(file);
      if (bytes.length > total) {
        this.append(name, total, 0, null, C);
        throw new C.Error('Too much data for file size');
      }
      this.append(name, total, 0, bytes, C);
      return true;
    }
    if (!file) throw new C.Error('Unable to find or create file');
    if (off + bytes.length > file.size) throw new C.Error('Too much data for file size');
    const current = this.chip.read(file.addr + HEADER + off, bytes.length);
    if (!current.every((b) => b === 0xff)) throw new C.Error('File already written with different data');
    this.chip.program(file.addr + HEADER + off, bytes);
    return true;
  }

  erase(name) {
    const file = this.find(name);
    if (file) this.trash(file);
  }

  list() {
    return this.scan().files.filter((f) => !f.trash).map((f) => latin1(f.name).replace(/\0+$/, ''));
  }

  getFree() {
    return this.base + this.size - this.scan().freeAt;
  }

  getStats() {
    const { files, freeAt } = this.scan();
    const bytesOf = (list) => list.reduce((n, f) => n + HEADER + align4(f.size), 0);
    const live = files.filter((f) => !f.trash);
    const trash = files.filter((f) => f.trash);
    return {
      totalBytes: this.size, freeBytes: this.base + this.size - freeAt,
      fileBytes: bytesOf(live), fileCount: live.length, trashBytes: bytesOf(trash), trashCount: trash.length,
    };
  }

  /** Rewrites the live files from the start. Like the board's, a cut in the middle loses files. */
  compact() {
    const live = this.scan().files.filter((f) => !f.trash).map((f) => this.chip.read(f.addr, HEADER + align4(f.size)));
    const image = Buffer.alloc(this.size, 0xff);
    let at = 0;
    for (const f of live) { f.copy(image, at); at += f.length; }
    for (let page = 0; page < this.size; page += SECTOR) {
      const want = image.subarray(page, page + SECTOR);
      if (this.chip.read(this.base + page, SECTOR).equals(want)) continue;
      this.chip.eraseSector(this.base + page);
      if (!want.every((b) => b === 0xff)) this.chip.program(this.base + page, want);
    }
  }

  eraseAll() {
    for (let page = 0; page < this.size; page += SECTOR) this.chip.eraseSector(this.base + page);
  }
}
