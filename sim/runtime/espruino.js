// One run of the Espruino interpreter: a node:vm context holding Espruino's globals only,
// the idle loop, the console, and the libraries. A reboot throws the whole thing away and
// builds a new one; the flash, the UART wire and the clock belong to the Device and stay.
import vm from 'node:vm';
import { randomBytes } from 'node:crypto';
import { IdleLoop } from './idle-loop.js';
import { toBytes, latin1, stringBytes } from './bytes.js';
import { STRIP_GLOBALS } from './strip-globals.js';
import { findUnsupportedSyntax } from './language-check.js';
import { estimateJsVars } from './jsvars.js';
import { createStorageModule } from './lib-storage.js';
import { createFlashModule } from './lib-flash.js';
import { createCryptoModule } from './lib-crypto.js';
import { createWifiModule } from './lib-wifi.js';
import { createNetModules } from './lib-net.js';
import { Repl } from './repl.js';

// The build flash.sh pins and the README's Linux interpreter is built from (2v29 and 277 commits: the UART fix included).
export const ESPRUINO_VERSION = '2v29.277';
const MODULE_LIST = 'timer,Flash,Storage,heatshrink,net,dgram,http,NetworkJS,Wifi,ESP8266,TelnetServer,crypto,neopixel';
// The ESP8266's hardware random number generator, a register (what peek32 reads there).
const ESP8266_RNG = 0x3ff20e44;
const SERIAL_OPTIONS = ['rx', 'tx', 'ck', 'cts', 'bytesize', 'stopbits', 'parity', 'flow', 'errors'];
const SERIAL_CHUNK = 64; // bytes per IO event
const SERIAL_BUFFER = 512; // bytes kept while nothing listens

export class EspruinoRuntime {
  constructor(device, { resetReason }) {
    this.device = device;
    this.resetReason = resetReason;
    this.dead = false;
    this.consoleDevice = 'Serial1';
    this.echo = true;
    this.telnetMode = 'on';
    this.errorFlags = new Set();
    this.listeners = new WeakMap();
    this.moduleCache = new Map();
    this.serialBuffer = '';
    this.loop = new IdleLoop({ now: () => device.monotonicMs(), reportError: (err) => this.reportUncaught(err) });
    this.context = vm.createContext({}, { name: 'espruino', codeGeneration: { strings: true, wasm: false } });
    vm.runInContext(STRIP_GLOBALS, this.context);
    this.C = vm.runInContext('({Error: Error, TypeError: TypeError, SyntaxError: SyntaxError, ReferenceError: ReferenceError, '
      + 'InternalError: Error, Object: Object, Array: Array, Uint8Array: Uint8Array, ArrayBuffer: ArrayBuffer, JSON: JSON})', this.context);
    this.installEvents();
    this.installGlobals();
  }

  // ---- helpers for the libraries -------------------------------------------------

  /** A new object of the firmware's realm, with Espruino's Object.prototype (on/emit...). */
  object(props = {}) {
    const obj = new this.C.Object();
    for (const [k, v] of Object.entries(props)) obj[k] = v;
    return obj;
  }

  /** Plain data (arrays, objects, strings, numbers) copied into the firmware's realm. */
  data(value) {
    return value === undefined ? undefined : this.C.JSON.parse(JSON.stringify(value));
  }

  uint8Array(bytes) {
    const out = new this.C.Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i];
    return out;
  }

  arrayBuffer(bytes) {
    return this.uint8Array(bytes).buffer;
  }

  error(message, type = 'Error') {
    return new this.C[type](message);
  }

  /** Runs a firmware callback now (as Espruino's IO step does); errors are reported, not thrown. */
  call(fn, self, args) {
    if (this.dead) return;
    try {
      fn.apply(self, args);
    } catch (err) {
      this.reportUncaught(err);
    }
  }

  /** Queues `event` on `obj` for the idle loop's event step. */
  emitLater(obj, event, ...args) {
    this.loop.queueEvent(() => this.fire(obj, event, args));
  }

  fire(obj, event, args) {
    for (const fn of this.listenersOf(obj, event).slice()) this.call(fn, obj, args);
  }

  listenersOf(obj, event) {
    const map = this.listeners.get(obj);
    return (map && map[event]) || [];
  }

  setErrorFlag(flag) {
    this.errorFlags.add(flag);
  }

  consolePrint(text) {
    this.consoleWrite(text);
    this.device.log('console', text.replace(/\r?\n$/, ''));
  }

  /** Console output to whichever device the console is on (a loopback's output comes out of the other one). */
  consoleWrite(text) {
    if (this.consoleDevice === 'Serial1') this.device.uart.write(stringBytes(text));
    else if (this.consoleDevice === 'LoopbackA') this.loopbackDeliver('LoopbackB', text);
    else if (this.consoleDevice === 'LoopbackB') this.loopbackDeliver('LoopbackA', text);
  }

  /** Bytes reaching loopback `name`: the REPL's input when it is the console, else its 'data' events, 64 bytes each. */
  loopbackDeliver(name, text) {
    this.loop.queueIO(() => {
      for (let at = 0; at < text.length; at += SERIAL_CHUNK) {
        const chunk = text.slice(at, at + SERIAL_CHUNK);
        if (this.consoleDevice === name) this.repl.input(chunk);
        else this.fire(this.context[name], 'data', [chunk]);
      }
    });
  }

  reportUncaught(err) {
    if (this.dead) return;
    const type = err && err.constructor && err.constructor.name ? err.constructor.name : 'Error';
    const message = err && err.message !== undefined ? err.message : String(err);
    this.consolePrint(`Uncaught ${type}: ${message}\r\n`);
    if (err && err.stack) this.device.log('stack', err.stack.split('\n').slice(1, 4).join(' | '));
  }

  // ---- the global scope ------------------------------------------------------------

  installEvents() {
    const rt = this;
    const proto = vm.runInContext('Object.prototype', this.context);
    const define = (name, fn) => Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
    const add = (front) => function (event, fn) {
      if (typeof fn !== 'function') throw rt.error('Expecting a function to call, got ' + typeof fn);
      let map = rt.listeners.get(this);
      if (!map) rt.listeners.set(this, (map = {}));
      const list = map[event] || (map[event] = []);
      if (front) list.unshift(fn); else list.push(fn);
      if (this.onListenerAdded) this.onListenerAdded(event, fn);
    };
    define('on', add(false));
    define('addListener', add(false));
    define('prependListener', add(true));
    define('emit', function (event, ...args) {
      rt.emitLater(this, event, ...args.slice(0, 4));
      if (args.length > 4) throw rt.error('Too many arguments (>4)');
    });
    define('removeListener', function (event, fn) {
      const map = rt.listeners.get(this);
      if (map && map[event]) map[event] = map[event].filter((f) => f !== fn);
    });
    define('removeAllListeners', function (event) {
      const map = rt.listeners.get(this);
      if (!map) return;
      if (event === undefined) rt.listeners.delete(this); else delete map[event];
    });
  }

  installGlobals() {
    const rt = this;
    const g = this.context;
    const device = this.device;
    g.global = vm.runInContext('this', this.context);
    // Espruino's eval runs what it is given (the image selector runs a bundle from Storage with
    // it): held to the same syntax limits as the boot code.
    g.eval = (code) => {
      const text = String(code);
      const problems = findUnsupportedSyntax(text);
      if (problems.length) throw new (vm.runInContext('SyntaxError', this.context))(`Espruino cannot run this: ${problems.join('; ')}`);
      return vm.runInContext(text, this.context, { filename: 'eval' });
    };

    g.setTimeout = (fn, ms, ...args) => this.addTimer(fn, ms, args, false);
    g.setInterval = (fn, ms, ...args) => this.addTimer(fn, ms, args, true);
    const clear = (name) => function (...args) {
      if (!args.length) return rt.loop.clearAllTimers();
      if (args[0] === undefined) throw rt.error(`${name}(undefined) not allowed. Use ${name}() instead`);
      rt.loop.clearTimer(args[0]);
    };
    g.clearTimeout = clear('clearTimeout');
    g.clearInterval = clear('clearInterval');
    g.changeInterval = (id, ms) => {
      if (!this.loop.changeInterval(id, ms)) throw this.error('Unknown Interval');
    };
    g.getTime = () => device.clockMs() / 1000;
    // Memory reads: only the ESP8266's hardware random number generator (a register) is there.
    g.peek32 = (addr) => {
      if (Number(addr) === ESP8266_RNG) return randomBytes(4).readUInt32LE(0);
      throw this.error(`peek32(${addr}): no such register in the simulator`);
    };
    g.setTime = (seconds) => device.setClock(Number(seconds) * 1000);
    g.btoa = (s) => Buffer.from(stringBytes(String(s))).toString('base64');
    g.atob = (s) => latin1(Buffer.from(String(s), 'base64'));
    const log = (...args) => this.consolePrint(args.map((a) => this.format(a)).join(' ') + '\r\n');
    g.console = this.object({ log, info: log, warn: log, error: log });
    g.print = log;
    g.process = this.object({
      version: ESPRUINO_VERSION,
      env: this.data({ VERSION: ESPRUINO_VERSION, GIT_COMMIT: 'c5ff787b1', BOARD: 'ESP8266_4MB', RAM: 81920, FLASH: 0,
        STORAGE: 196608, SERIAL: device.serialNumber, CONSOLE: 'Serial1', MODULES: MODULE_LIST, EXPTR: 1073643636 }),
      memory: () => {
        const usage = estimateJsVars(g.global);
        return this.data({ free: Math.max(0, 1600 - usage), usage, total: 1600, history: 0, gc: 0, gctime: 0, blocksize: 12,
          rx: { used: 0, total: 512 }, tx: { used: 0, total: 128 } });
      },
    });
    this.installDate();
    g.Serial1 = this.makeSerial('Serial1', true);
    g.Serial2 = this.makeSerial('Serial2', false);
    g.LoopbackA = this.makeLoopback('LoopbackA', 'LoopbackB');
    g.LoopbackB = this.makeLoopback('LoopbackB', 'LoopbackA');
    this.repl = new Repl({ print: (text) => this.consoleWrite(text), evaluate: (line) => g.eval(line), format: (v) => this.format(v),
      reportError: (err) => this.reportUncaught(err), echo: () => this.echo });
    g.E = this.makeE();
    g.ESP8266 = this.makeESP8266();
    g.require = (name) => this.require(String(name));
    g.echo = (on) => { this.echo = !!on; };
    g.Modules = this.makeModules();
  }

  /** Espruino's module cache: addCached evaluates source as a module (its own scope, with exports and module). */
  makeModules() {
    const rt = this;
    return this.object({
      addCached(id, source) {
        if (typeof id !== 'string' || (typeof source !== 'string' && typeof source !== 'function')) throw rt.error('args must be addCached(string, string|function)');
        // A function stands for its body: Espruino evaluates the function's code as the module's.
        const code = typeof source === 'function' ? String(source).slice(String(source).indexOf('{') + 1, String(source).lastIndexOf('}')) : source;
        rt.moduleCache.set(id, rt.evaluateModule(code, id));
      },
      removeCached(id) {
        if (typeof id !== 'string') throw rt.error('First argument must be String');
        if (!rt.moduleCache.delete(id)) throw rt.error(`Module "${id}" not found`);
      },
      removeAllCached() { rt.moduleCache.clear(); },
      getCached() { return rt.data([...rt.moduleCache.keys()]); },
    });
  }

  /** jspEvaluateModule: the code runs in a scope of its own holding `exports` and `module`; `this` is exports. */
  evaluateModule(source, name) {
    const problems = findUnsupportedSyntax(source);
    if (problems.length) throw new (vm.runInContext('SyntaxError', this.context))(`Espruino cannot run module ${name}: ${problems.join('; ')}`);
    const exports = this.object();
    const module = this.object({ exports });
    vm.runInContext(`(function (exports, module) {${source}\n})`, this.context, { filename: name }).call(exports, exports, module);
    return module.exports;
  }

  installDate() {
    const device = this.device;
    vm.runInContext(`(function (nowMs) {
      var D = Date;
      function EspruinoDate(a, b, c, d, e, f, ms) {
        if (!(this instanceof EspruinoDate)) return new D(nowMs()).toString();
        var n = arguments.length, v;
        if (n === 0) return new D(nowMs());
        if (n === 1) { v = new D(a); return isNaN(v.getTime()) ? new D(0) : v; }
        return new D(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, ms || 0);
      }
      EspruinoDate.prototype = D.prototype;
      D.prototype.constructor = EspruinoDate;
      EspruinoDate.now = function () { return nowMs(); };
      EspruinoDate.parse = function (s) { var v = D.parse(s); return isNaN(v) ? 0 : v; };
      this.Date = EspruinoDate;
    })`, this.context).call(this.context.global, () => device.clockMs());
  }

  addTimer(fn, ms, args, repeat) {
    let callback = fn;
    if (typeof fn === 'string') callback = () => vm.runInContext(fn, this.context);
    else if (typeof fn !== 'function') throw this.error('Function or String not supplied!');
    const g = this.context.global;
    return this.loop.addTimer((...a) => callback.apply(g, a), ms, args, repeat);
  }

  format(value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    if (typeof value === 'function') return 'function () { [native code] }';
    if (typeof value === 'object' && value !== null) {
      try { return JSON.stringify(value); } catch { return String(value); }
    }
    return String(value);
  }

  require(name) {
    if (this.moduleCache.has(name)) return this.moduleCache.get(name);
    const made = this.makeModule(name);
    if (made === undefined) throw this.error(`Module "${name}" not found`);
    this.moduleCache.set(name, made);
    return made;
  }

  makeModule(name) {
    const device = this.device;
    switch (name) {
      case 'Storage': return createStorageModule(this, device.storage);
      case 'Flash': return createFlashModule(this, device.chip, device.flashProfile);
      case 'crypto': return createCryptoModule(this, { native: device.nativeCrypto });
      case 'ESP8266': return this.context.ESP8266;
      case 'TelnetServer': return this.object({
        setOptions: (options) => {
          const mode = options && options.mode;
          if (mode !== 'on' && mode !== 'off') throw this.error('Expecting mode "on" or "off"');
          this.telnetMode = mode;
          device.log('sim', `telnet ${mode}`);
        },
      });
      case 'Wifi': return createWifiModule(this, device.radio);
      case 'net': case 'dgram': case 'http': return createNetModules(this, device.network)[name];
      default: {
        const source = device.storage.read(name);
        return source === undefined ? undefined : this.evaluateModule(source, name);
      }
    }
  }

  // ---- Serial ------------------------------------------------------------------------

  makeSerial(name, isUart0) {
    const rt = this;
    const uart = this.device.uart;
    const serial = this.object();
    const bytesOf = (args) => Buffer.concat(args.map((a) => toBytes(a, rt.C)));
    Object.assign(serial, {
      setup(baud, options) {
        const rate = baud === undefined ? 9600 : Number(baud);
        if (!(rate > 100 && rate <= 10000000)) throw rt.error('Invalid baud rate');
        if (options !== undefined && options !== null) {
          for (const key of Object.keys(options)) {
            if (!SERIAL_OPTIONS.includes(key)) throw rt.error(`Unknown option "${key}"`);
          }
          if (options.errors) throw rt.error("ESP8266 Espruino builds can't handle framing/parity errors (errors:true)");
          if (options.parity !== undefined && ![null, 'none', 'o', 'odd', 'e', 'even', 0, 1, 2].includes(options.parity)) throw rt.error('Invalid parity');
          if (options.flow !== undefined && ![null, undefined, 'none', 'xon'].includes(options.flow)) throw rt.error('Invalid flow control');
        }
        if (isUart0) uart.setBaud(rate);
      },
      write(...args) {
        const bytes = bytesOf(args);
        if (isUart0) uart.write(bytes); else rt.device.log(name, latin1(bytes));
      },
      print(value) { serial.write(String(value)); },
      println(value) { serial.write(String(value) + '\r\n'); },
      available() { return rt.listenersOf(serial, 'data').length ? 0 : rt.serialBuffer.length; },
      read(count) {
        const n = count === undefined ? rt.serialBuffer.length : Math.max(0, Number(count));
        const out = rt.serialBuffer.slice(0, n);
        rt.serialBuffer = rt.serialBuffer.slice(n);
        return out;
      },
      inject(...args) { if (isUart0) rt.receive(latin1(bytesOf(args))); },
      setConsole() { rt.moveConsole(name); },
      onListenerAdded(event) {
        if (!isUart0 || event !== 'data' || !rt.serialBuffer.length) return;
        const buffered = rt.serialBuffer;
        rt.serialBuffer = '';
        rt.loop.queueIO(() => rt.fire(serial, 'data', [buffered]));
      },
    });
    if (isUart0) this.uart0 = serial;
    return serial;
  }

  /** LoopbackA and LoopbackB: what one writes arrives at the other. */
  makeLoopback(name, other) {
    const rt = this;
    const port = this.object();
    Object.assign(port, {
      setup() {},
      write(...args) { rt.loopbackDeliver(other, latin1(Buffer.concat(args.map((a) => toBytes(a, rt.C))))); },
      print(value) { port.write(String(value)); },
      println(value) { port.write(String(value) + '\r\n'); },
      setConsole() { rt.moveConsole(name); },
    });
    return port;
  }

  /** Bytes that reached UART0's input queue, delivered in the IO step, 64 bytes an event. */
  receive(bytes) {
    this.loop.queueIO(() => {
      this.device.uart.consumed(bytes.length);
      for (let at = 0; at < bytes.length; at += SERIAL_CHUNK) {
        const chunk = bytes.slice(at, at + SERIAL_CHUNK);
        if (this.consoleDevice === 'Serial1') {
          this.device.log('sim', `${chunk.length} bytes went to the JavaScript REPL (console still on Serial1)`);
        } else if (this.listenersOf(this.uart0, 'data').length) {
          this.fire(this.uart0, 'data', [chunk]);
        } else if (this.serialBuffer.length + chunk.length <= SERIAL_BUFFER) {
          this.serialBuffer += chunk;
        } else {
          this.setErrorFlag('BUFFER_FULL');
          this.consolePrint('New interpreter error: BUFFER_FULL\r\n');
        }
      }
    });
  }

  /** Both consoles hear of the move, unless echo is off (echo(false)). */
  moveConsole(name) {
    if (name === this.consoleDevice) return;
    const label = name === null ? 'null' : name;
    if (this.echo) this.consolePrint(`-> ${label}\r\n`);
    const old = this.consoleDevice;
    this.consoleDevice = name;
    if (this.echo) this.consolePrint(`<- ${old}\r\n`);
    this.device.log('sim', `console moved to ${label}`);
  }

  // ---- E and ESP8266 -----------------------------------------------------------------

  makeE() {
    const rt = this;
    return this.object({
      setConsole(dev, options) {
        if (options !== undefined && options !== null) {
          for (const key of Object.keys(options)) if (key !== 'force') throw rt.error(`Unknown option "${key}"`);
        }
        let name;
        if (dev === null || dev === undefined) name = null;
        else if (dev === rt.uart0 || dev === 'Serial1') name = 'Serial1';
        else if (dev === rt.context.Serial2 || dev === 'Serial2') name = 'Serial2';
        else if (dev === rt.context.LoopbackA) name = 'LoopbackA';
        else if (dev === rt.context.LoopbackB) name = 'LoopbackB';
        else if (dev === 'LoopbackA' || dev === 'LoopbackB' || dev === 'Telnet') name = dev;
        else throw rt.error('Unknown device type "undefined"');
        rt.moveConsole(name);
      },
      setPassword: (password) => rt.repl.setPassword(password),
      lockConsole: () => rt.repl.lock(),
      toUint8Array: (...args) => rt.uint8Array(Buffer.concat(args.map((a) => toBytes(a, rt.C)))),
      toString: (...args) => latin1(Buffer.concat(args.map((a) => toBytes(a, rt.C)))),
      toArrayBuffer: (s) => (typeof s === 'string' ? rt.arrayBuffer(stringBytes(s)) : undefined),
      CRC32: (data) => {
        try {
          return crc32(toBytes(data, rt.C, { typedArrays: 'raw' }));
        } catch {
          return undefined;
        }
      },
      // Not predictable (the board's is C's rand(); the firmware reads the chip's generator with peek32).
      hwRand: () => randomBytes(4).readInt32LE(0),
      getSizeOf: (v) => estimateJsVars(v),
      getErrorFlags: () => {
        const flags = rt.data([...rt.errorFlags]);
        rt.errorFlags.clear();
        return flags;
      },
      setBootCode: (code, always) => {
        rt.device.storage.erase('.bootcde');
        rt.device.storage.erase('.bootrst');
        if (code) rt.device.storage.write(always ? '.bootrst' : '.bootcde', String(code), 0, undefined, rt.C);
      },
      reboot: () => rt.device.reboot('restart'),
      kickWatchdog: () => {},
      enableWatchdog: () => {},
    });
  }

  makeESP8266() {
    const device = this.device;
    return this.object({
      reboot: () => device.reboot('restart'),
      getResetInfo: () => this.data({ reason: this.resetReason, exccause: 0, epc1: 0, epc2: 0, epc3: 0, excvaddr: 0, depc: 0 }),
      getState: () => this.data({
        sdkVersion: '2.2.2-dev(38a443e)', cpuFrequency: 160, freeHeap: 12000, maxCon: 10,
        flashMap: device.flashProfile.map, flashKB: device.chip.size / 1024, flashChip: '0xef 0x4015',
      }),
      getFreeFlash: () => createFlashModule(this, device.chip, device.flashProfile).getFree(),
      crc32: (arr) => {
        if (!Array.isArray(arr)) throw this.error('Expecting an array');
        return crc32(Buffer.from(arr.map((b) => b & 255))) | 0;
      },
      logDebug: () => {},
      setLog: () => {},
      printLog: () => {},
      setCPUFreq: () => {},
    });
  }

  // ---- running code --------------------------------------------------------------------

  run(code, filename) {
    const problems = findUnsupportedSyntax(code);
    if (problems.length) {
      const message = `Espruino cannot run ${filename}: ${problems.join('; ')}`;
      this.device.log('sim', message);
      throw new Error(message);
    }
    try {
      vm.runInContext(code, this.context, { filename });
    } catch (err) {
      this.reportUncaught(err);
    }
  }

  stop() {
    this.dead = true;
    this.loop.stop();
    if (this.network) this.network.closeAll();
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
