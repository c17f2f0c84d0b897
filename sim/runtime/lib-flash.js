// require('Flash') on the ESP8266: 4 KB pages, erase, bit-clearing writes, reads as Uint8Array.
import { toBytes } from './bytes.js';
import { SECTOR } from './flash-chip.js';

const FLASH_MAX = 0x400000; // getPage answers below 4 MB whatever the chip

export function createFlashModule(rt, chip, profile) {
  return rt.object({
    getPage: (addr) => {
      const a = Number(addr);
      if (!(a >= 0 && a < FLASH_MAX)) return undefined;
      return rt.data({ addr: a - (a % SECTOR), length: SECTOR });
    },
    getFree: () => rt.data(profile.free),
    erasePage: (addr) => {
      if (typeof addr !== 'number' || !Number.isInteger(addr)) {
        throw rt.error(`Address should be an integer, got ${typeof addr === 'string' ? 'String' : typeof addr}`);
      }
      chip.eraseSector(addr);
    },
    write: (data, addr) => {
      if (data === undefined) throw rt.error('Data is not defined');
      chip.program(Number(addr), toBytes(data, rt.C, { typedArrays: 'raw' }));
    },
    read: (length, addr) => {
      const n = Math.trunc(Number(length));
      if (!(n > 0)) return undefined;
      return rt.uint8Array(chip.read(Number(addr), n));
    },
  });
}
