// The ESP8266's SPI flash as a file: 4 KB sectors, erase sets 0xFF, write can only clear
// bits. Every change reaches the file at once, so killing the process is a power cut.
// `cutAfterOps` makes the cut deterministic: the process dies right after that many
// flash operations (a write is split into 256-byte program operations, as the chip does).
// `wornAt`: the address of a worn cell whose lowest bit no erase sets again.
import fs from 'node:fs';

export const SECTOR = 4096;
const PROGRAM_CHUNK = 256;

export class FlashChip {
  constructor(path, sizeBytes, { cutAfterOps = 0, wornAt = -1 } = {}) {
    this.size = sizeBytes;
    this.wornAt = wornAt;
    this.cutAfterOps = cutAfterOps;
    this.ops = 0;
    this.armed = false;
    const exists = fs.existsSync(path);
    this.fd = fs.openSync(path, exists ? 'r+' : 'w+');
    this.data = Buffer.alloc(sizeBytes, 0xff);
    if (exists) fs.readSync(this.fd, this.data, 0, Math.min(sizeBytes, fs.fstatSync(this.fd).size), 0);
    if (!exists || fs.fstatSync(this.fd).size !== sizeBytes) fs.writeSync(this.fd, this.data, 0, sizeBytes, 0);
  }

  /** Power cuts count only from here on (after the simulator itself has set the chip up). */
  arm() {
    this.armed = true;
    this.ops = 0;
  }

  read(addr, length) {
    const out = Buffer.alloc(length, 0xff);
    if (addr < this.size) this.data.copy(out, 0, addr, Math.min(this.size, addr + length));
    return out;
  }

  eraseSector(addr) {
    const start = addr - (addr % SECTOR);
    if (start >= this.size) return;
    this.data.fill(0xff, start, start + SECTOR);
    if (this.wornAt >= start && this.wornAt < start + SECTOR) this.data[this.wornAt] &= 0xfe;
    fs.writeSync(this.fd, this.data, start, SECTOR, start);
    this.operationDone();
  }

  /** ANDs `bytes` into flash (only 1 -> 0); writes past the chip's end are clipped. */
  program(addr, bytes) {
    for (let off = 0; off < bytes.length; off += PROGRAM_CHUNK) {
      const start = addr + off;
      if (start >= this.size) return;
      const end = Math.min(this.size, start + Math.min(PROGRAM_CHUNK, bytes.length - off));
      for (let i = start; i < end; i++) this.data[i] &= bytes[i - addr];
      fs.writeSync(this.fd, this.data, start, end - start, start);
      this.operationDone();
    }
  }

  operationDone() {
    if (!this.armed || !this.cutAfterOps) return;
    this.ops++;
    if (this.ops >= this.cutAfterOps) {
      fs.fsyncSync(this.fd);
      process.kill(process.pid, 'SIGKILL');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10000); // never returns
    }
  }

  close() {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
