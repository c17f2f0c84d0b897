// A client of the firmware's debug console (AT+TCDEBUG) over TCP: what it received, waits for
// text, the login, statements run one at a time. Used by test:device and the console's tests.
import net from 'node:net';

/** The console's client: received text, a wait for a pattern after a point, lines sent. */
export class ConsoleClient {
  /** `timeoutMs`: how long expect() waits unless told otherwise. */
  static connect(host, port, { timeoutMs = 30000 } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const client = new ConsoleClient(socket, timeoutMs);
      socket.once('connect', () => resolve(client));
      socket.once('error', reject);
    });
  }

  constructor(socket, timeoutMs) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    this.text = '';
    this.waiters = [];
    this.closed = false;
    socket.on('data', (d) => { this.text += d.toString('latin1'); this.wake(); });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  /** Sends text as typed. */
  send(text) {
    this.socket.write(text);
  }

  /** Resolves once the module has closed the connection. */
  whenClosed() {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.closed) return;
        this.waiters.splice(this.waiters.indexOf(check), 1);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  wake() {
    for (const w of this.waiters.slice()) w();
  }

  /** Resolves with the match of `pattern` in what arrived after `from`. */
  expect(pattern, { from = 0, timeoutMs = this.timeoutMs, what = String(pattern) } = {}) {
    return new Promise((resolve, reject) => {
      const done = (fn, value) => {
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(check), 1);
        fn(value);
      };
      const check = () => {
        const m = this.text.slice(from).match(pattern);
        if (m) return done(resolve, m);
        if (this.closed) done(reject, new Error(`the console closed while waiting for ${what}; it said last: ${JSON.stringify(this.text.slice(-400))}`));
      };
      const timer = setTimeout(() => done(reject, new Error(`no ${what} from the console in ${timeoutMs / 1000} s; it said: ${JSON.stringify(this.text.slice(-300))}`)), timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  /** Runs one statement without echo (DLE, as the Web IDE sends) and waits for its acknowledgment. */
  async run(statement, n, timeoutMs) {
    const from = this.text.length;
    this.send(`\x10${statement};print("ACK${n}")\n`);
    await this.expect(new RegExp(`ACK${n}\\r?\\n`), { from, timeoutMs, what: `the answer to line ${n}` });
  }

  async login(password) {
    await this.expect(/password>/, { what: 'the password prompt' });
    const from = this.text.length;
    this.send(`${password}\r`);
    const m = await this.expect(/Logged in|Invalid password/, { from, what: 'the login' });
    if (m[0] !== 'Logged in') throw new Error('the console refused the password');
  }

  close() {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.socket.once('close', resolve);
      this.socket.end();
    });
  }
}
