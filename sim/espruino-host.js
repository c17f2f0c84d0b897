// The firmware on a real Espruino interpreter built for Linux (ESPRUINO_BIN) instead of the
// simulator: same CLI, same UART tests. The interpreter runs in the state folder, where it
// keeps its flash (espruino.flash), so killing it is a power cut here too.
//
// The firmware is stored as on the board (the package's selector as .bootcde, the package as
// "fw": tools/firmware-package.js). Small shims, stored as
// Storage files, stand in for what the Linux build lacks (Wifi, ESP8266) or has and the
// board does not (tls). Serial1 is the interpreter's own, on a pty (sim/pty-bridge.py) that
// the CLI bridges to the MCU; .boot0, run before the firmware at every boot, gives it the
// pty's path. The interpreter's stdin/stdout stay its console (the REPL the install uses).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineWatcher } from './line-watcher.js';
import { storageFiles } from '../tools/firmware-package.js';

const MAC = '5c:cf:7f:00:00:01';
const UART_CHUNK = 64;
const SHIMS = {
  Wifi: `exports.getIP=function(){return {ip:"0.0.0.0",netmask:"0.0.0.0",gw:"0.0.0.0",mac:"${MAC}"}};`
    + 'exports.stopAP=function(cb){if(cb)setTimeout(cb,0)};exports.disconnect=function(cb){if(cb)setTimeout(cb,0)};'
    + 'exports.save=function(w){if(w==="clear")require("Storage").erase(".wificfg");};'
    + 'exports.getStatus=function(){return {mode:"sta",station:"connected",ap:"disabled"}};',
  ESP8266: 'exports.reboot=function(){setTimeout(function(){load();},0);};'
    + 'exports.getResetInfo=function(){return {reason:"power on"}};',
};
/**
 * The stock ESP8266 build's crypto, SHA1 alone, over the Linux build's (which has SHA256 and AES
 * too): run before the firmware, require('crypto') gives it.
 */
export const STOCK_CRYPTO_SHIM = 'Modules.addCached("crypto",function(){exports.SHA1=require("crypto").SHA1;});';

// The board has no TLS: a cached empty module makes require('tls') give an object without connect.
// The stock crypto unless `nativeCrypto` (a build with USE_SHA256 and USE_AES).
// Serial1.setup opens the pty: the Linux build takes the device's path as an option.
function boot0(ptyPath, nativeCrypto) {
  return 'Modules.addCached("tls",function(){return {};});'
    + (nativeCrypto ? '' : STOCK_CRYPTO_SHIM)
    + `(function(){var setup=Serial1.setup;Serial1.setup=function(baud,o){o=o||{};o.path=${JSON.stringify(ptyPath)};setup.call(Serial1,baud,o);};})();`;
}

/** Where the hub is this run (it may take new ports each start): read by the net shim at boot, from the state folder. */
const ROUTES_FILE = 'cloud-routes.json';

/**
 * The board's DNS as the simulator gives it: the cloud's names lead to the hub (when there is
 * one), its standard ports to the hub's. A `net` module of the same name wraps the interpreter's own.
 */
export function netShim(listening) {
  const route = `var M=JSON.parse(require("fs").readFileSync(${JSON.stringify(ROUTES_FILE)}));function route(o){var h=String(o.host);`
    + 'if(M.host&&/(^|\\.)(tencentdevices|myqcloud)\\.com$/.test(h)){var r={};for(var k in o)r[k]=o[k];r.host=M.host;r.port=M.ports[o.port||80]||o.port;return r;}return o;}';
  return `global.NATIVE_NET=require("net");global.NATIVE_HTTP=require("http");`
    // A server on the module's port 23 (the debug console) listens on the host port the routes name;
    // without such a port the plain server is passed on (the wrapper's RAM would count as the firmware's).
    + `Modules.addCached("net",${JSON.stringify(`${route}exports.connect=function(o,cb){return NATIVE_NET.connect(route(o),cb);};`
      + (listening ? 'exports.createServer=function(cb){var s=NATIVE_NET.createServer(cb),l=s.listen;s.listen=function(p){return l.call(s,M.listen[p]||p);};return s;};'
        : 'exports.createServer=NATIVE_NET.createServer;'))});`
    + `Modules.addCached("http",${JSON.stringify(`${route}exports.request=function(o,cb){return NATIVE_HTTP.request(route(o),cb);};exports.createServer=NATIVE_HTTP.createServer;`)});`;
}

/**
 * REPL input that stores the shims, `boot` files ({'.boot0': source, ...}) and the firmware's
 * files (tools/firmware-package.js storageFiles: a package's selector and the package, or a
 * plain bundle as .bootcde) 400 bytes a line, so no line holds much RAM; prints <<LOAD>> and boots.
 */
export function installScript(image, bootFiles) {
  const lines = ['var S=require("Storage");S.eraseAll();'];
  const files = { ...SHIMS, ...bootFiles };
  for (const [name, source] of Object.entries(files)) lines.push(`S.write(${JSON.stringify(name)},${JSON.stringify(source)});`);
  for (const [name, data] of Object.entries(storageFiles(Buffer.from(image, 'latin1')))) {
    for (let i = 0; i < data.length; i += 400) lines.push(`S.write(${JSON.stringify(name)},${JSON.stringify(data.slice(i, i + 400))},${i},${data.length});`);
  }
  lines.push('USB.write("<<LOAD>>\\n");load();');
  return lines.join('\n') + '\n';
}

export class EspruinoHost {
  constructor({ bin, stateDir, log = () => {}, toHost = () => {}, onLine = () => {}, cloud = null, bootFiles = {}, onExit = null, onConsole = null, listen = {}, nativeCrypto = false }) {
    this.nativeCrypto = nativeCrypto;
    this.cloud = cloud;
    this.listen = listen; // the module's listening ports -> this host's
    this.bootFiles = bootFiles; // more Storage files for the install (a benchmark's probes)
    this.onExit = onExit;
    fs.mkdirSync(stateDir, { recursive: true });
    this.bin = bin;
    this.stateDir = stateDir;
    this.log = log;
    this.toHost = toHost;
    this.lines = new LineWatcher(onLine);
    this.mac = MAC;
    this.onConsole = onConsole;
  }

  install(code) {
    this.code = code;
  }

  powerOn() {
    fs.writeFileSync(path.join(this.stateDir, ROUTES_FILE), JSON.stringify({ ...(this.cloud ? { host: this.cloud.host, ports: this.cloud.ports } : {}), listen: this.listen }));
    const stamp = path.join(this.stateDir, 'bootcode.sha1');
    const ptyPath = path.join(this.stateDir, 'uart');
    const firstBoot = boot0(ptyPath, this.nativeCrypto) + netShim(Object.keys(this.listen).length > 0);
    const sha = crypto.createHash('sha1').update(this.code + firstBoot + JSON.stringify(this.bootFiles), 'latin1').digest('hex');
    const flash = path.join(this.stateDir, 'espruino.flash');
    const installed = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === sha && fs.existsSync(flash);
    if (!installed && fs.existsSync(flash)) throw new Error(`${this.stateDir} holds another firmware: use a new --state`);
    this.bridge = spawn('python3', [path.join(path.dirname(fileURLToPath(import.meta.url)), 'pty-bridge.py'), ptyPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.bridge.stdin.on('error', () => {});
    let ready = false;
    this.bridge.stdout.on('data', (buf) => {
      if (!ready) {
        // "PTY\n" first: the pty exists, the interpreter may start.
        ready = true;
        buf = buf.subarray(4);
        this.startInterpreter(installed, stamp, sha, firstBoot);
        this.feed();
      }
      if (!buf.length) return;
      this.toHost(buf);
      this.lines.push(buf);
    });
  }

  startInterpreter(installed, stamp, sha, firstBoot) {
    this.child = spawn(this.bin, [], { cwd: this.stateDir, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdin.on('error', () => {});
    this.child.on('exit', (code, signal) => {
      this.log('espruino', `interpreter exited (${code ?? signal})`);
      if (this.bridge) this.bridge.kill('SIGKILL');
      if (this.onExit) this.onExit(code, signal);
      else process.exit(1);
    });
    let installing = !installed;
    let echo = '';
    this.child.stdout.on('data', (buf) => {
      if (installing) {
        // The REPL echoes the install; what matters starts after load().
        echo += buf.toString('latin1');
        const at = echo.indexOf('<<LOAD>>\n');
        if (at < 0) return;
        installing = false;
        fs.writeFileSync(stamp, sha);
        buf = Buffer.from(echo.slice(at + 9), 'latin1');
      }
      if (this.onConsole) this.onConsole(buf);
      else this.log('console', buf.toString('latin1').trim());
    });
    if (!installed) this.child.stdin.write(installScript(this.code, { '.boot0': firstBoot, ...this.bootFiles }));
  }

  /** Bytes to the interpreter's console (its REPL until the firmware moves the console away; then USB 'data'). */
  consoleWrite(bytes) {
    this.child.stdin.write(bytes);
  }

  /**
   * Bytes from the MCU, paced as a 115200-baud wire delivers them (64 bytes per 5.6 ms),
   * as the board's UART receives them.
   */
  receive(buffer) {
    this.inbox = this.inbox ? Buffer.concat([this.inbox, buffer]) : buffer;
    if (!this.pacing) this.feed();
  }

  feed() {
    if (!this.child || !this.inbox || !this.inbox.length) {
      this.pacing = null;
      return;
    }
    const chunk = this.inbox.subarray(0, UART_CHUNK);
    this.inbox = this.inbox.subarray(chunk.length);
    this.bridge.stdin.write(chunk);
    this.pacing = setTimeout(() => this.feed(), (chunk.length * 10000) / 115200);
  }

  /** Power off: the interpreter is killed. */
  shutdown() {
    this.onExit = () => {};
    if (this.pacing) clearTimeout(this.pacing);
    if (this.child) this.child.kill('SIGKILL');
    if (this.bridge) this.bridge.kill('SIGKILL');
  }
}
