// Drives the simulator the way an MCU does: a child process (`npm start`'s CLI) with its
// UART on a TCP port, lines read as they come. Killing the child is a power cut.
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WIFI_URC = /^WIFI (CONNECTED|GOT IP|DISCONNECT)$/;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'sim', 'cli.js');
const DEFAULT_TIMEOUT = 10000;
/** Set by `npm run test:espruino`: the firmware runs on this real Espruino interpreter. */
export const REAL_ESPRUINO = process.env.ESPRUINO_UNDER_TEST || '';

export function tempState(prefix = 'tc-state-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class SimModule {
  /** Starts the simulator and connects to its UART once it has printed READY. */
  static async start({ state = tempState(), args = [], connect = true } = {}) {
    const mod = new SimModule(state);
    await mod.spawn(args);
    if (connect) await mod.connect();
    return mod;
  }

  constructor(state) {
    this.state = state;
    this.stderr = '';
    this.received = Buffer.alloc(0);
    this.waiters = [];
    this.exited = null;
  }

  spawn(args) {
    const runtime = REAL_ESPRUINO ? ['--espruino', REAL_ESPRUINO] : [];
    // The CLI's own hub (when the test brings none) on free ports: tests run side by side, and a broker may already listen on 1883.
    const freePorts = ['--mqtt-port', '0', '--mqtts-port', '0', '--http-port', '0'];
    // A process group of its own, so that a power cut also takes a real interpreter down.
    this.child = spawn(process.execPath, [CLI, '--uart', 'tcp:127.0.0.1:0', '--state', this.state, ...freePorts, ...runtime, ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stderr.on('data', (d) => { this.stderr += d; this.wake(); });
    this.exitPromise = new Promise((resolve) => this.child.on('exit', (code, signal) => { this.exited = { code, signal }; resolve(this.exited); this.wake(); }));
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no READY line; stderr:\n${this.stderr}`)), DEFAULT_TIMEOUT);
      this.child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/^READY uart=tcp:([\d.]+):(\d+).*$/m);
        if (m && !this.port) {
          clearTimeout(timer);
          this.readyLine = m[0];
          this.port = Number(m[2]);
          resolve();
        }
      });
      this.child.on('exit', () => { clearTimeout(timer); if (!this.port) reject(new Error(`simulator exited before READY; stderr:\n${this.stderr}`)); });
    });
  }

  async connect() {
    this.socket = net.connect(this.port, '127.0.0.1');
    this.socket.on('data', (d) => { this.received = Buffer.concat([this.received, d]); this.wake(); });
    this.socket.on('error', () => {});
    await new Promise((resolve) => this.socket.once('connect', resolve));
  }

  wake() {
    for (const w of this.waiters.slice()) w();
  }

  /** Raw bytes to the module's UART. */
  write(data) {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  send(line) {
    this.write(line + '\r\n');
  }

  /** Waits until `predicate(text)` returns a value other than undefined/false; text is latin1. */
  waitFor(predicate, { timeout = DEFAULT_TIMEOUT, what = 'output' } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const result = predicate(this.received.toString('latin1'));
        if (result !== undefined && result !== false && result !== null) {
          done();
          resolve(result);
          return true;
        }
        if (this.exited) { done(); reject(new Error(`simulator exited (${JSON.stringify(this.exited)}) waiting for ${what}; got ${JSON.stringify(this.received.toString('latin1'))}`)); return true; }
        return false;
      };
      const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.received.toString('latin1'))}\nstderr:\n${this.stderr}`)); }, timeout);
      const done = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      if (!check()) this.waiters.push(check);
    });
  }

  /** Waits for a complete line equal to `line` (or matching a RegExp); drops all output up to and including it; returns the lines before it and it. */
  /**
   * Every line up to the first that matches `line`. The WiFi URCs (WIFI CONNECTED, WIFI GOT IP,
   * WIFI DISCONNECT) come whenever the radio changes, as on ESP-AT, so they are left out of the
   * lines returned, as an MCU's AT parser sets URCs aside, unless `wifiUrcs` is set or `line`
   * is one of them.
   */
  async expectLine(line, options = {}) {
    const match = (l) => (line instanceof RegExp ? line.test(l) : l === line);
    const lines = await this.waitFor((text) => {
      const all = text.split('\r\n');
      all.pop(); // unfinished
      const i = all.findIndex(match);
      return i < 0 ? undefined : all.slice(0, i + 1);
    }, { what: `line ${line}`, ...options });
    const consumed = lines.join('\r\n').length + 2;
    this.received = this.received.subarray(consumed);
    const keep = options.wifiUrcs || WIFI_URC.test(lines[lines.length - 1]);
    return keep ? lines : lines.filter((l) => !WIFI_URC.test(l));
  }

  /** Sends a command and returns every line up to its final line (OK, ERROR, +CME ERROR, busy...). */
  async command(line, { until = /^(OK|ERROR|\+CME ERROR:\d+)$/, ...options } = {}) {
    this.send(line);
    return this.expectLine(until, options);
  }

  /** Output not yet consumed. */
  pending() {
    return this.received.toString('latin1');
  }

  clear() {
    this.received = Buffer.alloc(0);
  }

  /** A power cut: SIGKILL, no chance to tidy up. */
  async kill() {
    if (this.socket) this.socket.destroy();
    if (!this.exited) {
      try { process.kill(-this.child.pid, 'SIGKILL'); } catch { this.child.kill('SIGKILL'); }
    }
    await this.exitPromise;
  }

  async restart(args = []) {
    await this.kill();
    const again = await SimModule.start({ state: this.state, args });
    return again;
  }
}
