// The simulated ESP-WROOM-02D: its flash (a file), its UART wire, its clock and radio,
// and the Espruino interpreter that boots the firmware stored in Storage's .bootcde.
// Everything the flash holds survives a kill of the process: that is a power cut.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { FlashChip } from './runtime/flash-chip.js';
import { Storage } from './runtime/storage.js';
import { Uart } from './runtime/uart.js';
import { Radio } from './runtime/radio.js';
import { Network } from './runtime/network.js';
import { EspruinoRuntime } from './runtime/espruino.js';
import { LineWatcher } from './line-watcher.js';
import { storageFiles, UPDATE_FILES } from '../tools/firmware-package.js';

// ESP8266_4MB's Storage: 48 pages of 4 KB at 0xCB000.
const STORAGE_BASE = 0xcb000;
const STORAGE_SIZE = 48 * 4096;

export const FLASH_PROFILES = {
  2: { bytes: 0x200000, map: '2MB:1024/1024', free: [] },
  4: {
    bytes: 0x400000, map: '4MB:1024/1024',
    free: [{ addr: 0x200000, length: 0x100000 }, { addr: 0x300000, length: 0x40000 }, { addr: 0x340000, length: 0x40000 },
      { addr: 0x380000, length: 0x40000 }, { addr: 0x3c0000, length: 0x3b000 }],
  },
};

export class Device {
  constructor({ stateDir, flashMB = 2, world = {}, log = () => {}, cutAfterOps = 0, wornAt = -1, toHost = () => {}, onLine = () => {}, presetWifi = true, nativeCrypto = false }) {
    this.nativeCrypto = nativeCrypto; // require('crypto') as a build with USE_SHA256 and USE_AES has it
    fs.mkdirSync(stateDir, { recursive: true });
    // A new module comes with the first network of its world saved in flash, as if it had been
    // provisioned: it joins at boot.
    this.presetWifi = presetWifi && !fs.existsSync(path.join(stateDir, 'flash.bin'));
    this.stateDir = stateDir;
    this.log = log;
    this.lines = new LineWatcher(onLine);
    this.flashProfile = FLASH_PROFILES[flashMB];
    this.chip = new FlashChip(path.join(stateDir, 'flash.bin'), this.flashProfile.bytes, { cutAfterOps, wornAt });
    this.storage = new Storage(this.chip, { base: STORAGE_BASE, size: STORAGE_SIZE, consolePrint: (t) => this.runtime && this.runtime.consolePrint(t) });
    const identity = this.loadIdentity();
    this.mac = identity.mac;
    this.serialNumber = identity.serial;
    this.radio = new Radio(world, this.mac);
    this.network = new Network({ radio: this.radio, log });
    this.uart = new Uart({
      toHost: (buf) => { toHost(buf); this.lines.push(buf); },
      onInput: (bytes) => this.runtime && this.runtime.receive(bytes),
      onOverflow: (n) => { log('sim', `UART overflow: ${n} bytes dropped`); if (this.runtime) this.runtime.setErrorFlag('UART_OVERFLOW'); },
    });
    this.clockBase = 0; // ms of Espruino time at monotonic 0
    this.runtime = null;
  }

  /** The chip's MAC address and serial, fixed for a state folder like the silicon's. */
  loadIdentity() {
    const file = path.join(this.stateDir, 'chip.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    const b = crypto.randomBytes(3);
    const identity = { mac: ['5c', 'cf', '7f', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':'), serial: crypto.randomBytes(6).toString('hex') };
    fs.writeFileSync(file, JSON.stringify(identity));
    return identity;
  }

  monotonicMs() {
    return performance.now();
  }

  /** Espruino time: 0 at power-on, kept across restarts, moved by setTime and SNTP. */
  clockMs() {
    return this.clockBase + this.monotonicMs();
  }

  setClock(ms) {
    this.clockBase = ms - this.monotonicMs();
  }

  /** What flash.sh does on the board: a package's selector becomes .bootcde and the package "fw" (a plain bundle: .bootcde). */
  install(image) {
    const files = storageFiles(Buffer.from(image, 'latin1'));
    if (Object.entries(files).every(([name, data]) => this.storage.read(name) === data)) return;
    this.storage.erase('.bootrst');
    // As flash.sh does: images a self-update stored would otherwise run in place of this one.
    for (const name of [...UPDATE_FILES, 'fw']) this.storage.erase(name);
    for (const [name, data] of Object.entries(files)) this.storage.write(name, data, 0, undefined, { Error, TypeError });
    this.log('sim', `firmware installed: ${Object.entries(files).map(([name, data]) => `${name} (${data.length} bytes)`).join(', ')}`);
    const home = this.radio.world.networks[0];
    if (this.presetWifi && home && this.storage.read('.wificfg') === undefined) {
      this.storage.write('.wificfg', JSON.stringify({ mode: 'sta', ssid: home.ssid, password: home.password || '', apSsid: '' }), 0, undefined, { Error, TypeError });
      this.log('sim', `WiFi "${home.ssid}" saved in flash`);
    }
  }

  powerOn() {
    this.setClock(0);
    this.chip.arm();
    this.boot('power on');
  }

  boot(reason) {
    if (this.runtime) this.runtime.stop();
    this.radio.reset();
    this.runtime = new EspruinoRuntime(this, { resetReason: reason });
    this.runtime.require('Wifi');
    this.runtime.wifiBootRestore();
    const code = this.storage.read('.bootrst') ?? this.storage.read('.bootcde');
    if (code === undefined) {
      this.runtime.consolePrint('\r\n _____                 _\r\n|   __|___ ___ ___ _ _|_|___ ___\r\n (no boot code: the REPL is waiting)\r\n');
      return;
    }
    this.runtime.run(code, '.bootcde');
  }

  /** ESP8266.reboot(): the chip restarts after the current JS returns; the flash and clock stay. */
  reboot(reason) {
    if (!this.runtime || this.runtime.dead) return;
    this.runtime.stop();
    this.log('sim', `restart (${reason})`);
    setTimeout(() => this.boot(reason), 20);
  }

  /** Bytes from the MCU. */
  receive(buffer) {
    this.uart.fromHost(buffer);
  }

  shutdown() {
    if (this.runtime) this.runtime.stop();
    this.uart.stop();
    this.chip.close();
  }
}

