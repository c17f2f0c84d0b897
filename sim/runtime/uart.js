// UART0's wire: bytes move at the baud rate (10 bits a byte) in both directions. What the
// MCU sends waits "on the wire" and then in the chip's buffers (128-byte FIFO, 500-byte SDK
// buffer, 512-byte input queue); past those, bytes are dropped as on the board.
const TICK_MS = 2;
const INPUT_CAPACITY = 128 + 500 + 512;

export class Uart {
  constructor({ toHost, onInput, onOverflow }) {
    this.baud = 115200;
    this.toHost = toHost; // (Buffer) => void
    this.onInput = onInput; // (latin1 string) => void, bytes that reached the chip
    this.onOverflow = onOverflow;
    this.rxWire = [];
    this.txWire = [];
    this.inputQueued = 0;
    this.timer = null;
    this.last = 0;
    this.credit = { rx: 0, tx: 0 };
  }

  setBaud(baud) {
    this.baud = baud;
  }

  bytesPerMs() {
    return this.baud / 10 / 1000;
  }

  fromHost(buffer) {
    if (buffer.length) this.rxWire.push(Buffer.from(buffer));
    this.start();
  }

  write(buffer) {
    if (buffer.length) this.txWire.push(Buffer.from(buffer));
    this.start();
  }

  /** The firmware has taken `n` bytes out of the input queue. */
  consumed(n) {
    this.inputQueued = Math.max(0, this.inputQueued - n);
  }

  pendingTx() {
    return this.txWire.reduce((n, b) => n + b.length, 0);
  }

  start() {
    if (this.timer) return;
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  static take(wire, max) {
    const parts = [];
    let left = max;
    while (left > 0 && wire.length) {
      const head = wire[0];
      if (head.length <= left) {
        parts.push(wire.shift());
        left -= head.length;
      } else {
        parts.push(head.subarray(0, left));
        wire[0] = head.subarray(left);
        left = 0;
      }
    }
    return Buffer.concat(parts);
  }

  tick() {
    const now = performance.now();
    const budget = (now - this.last) * this.bytesPerMs();
    this.last = now;
    for (const dir of ['rx', 'tx']) this.credit[dir] = Math.min(this.credit[dir] + budget, 4096);
    if (this.txWire.length) {
      const out = Uart.take(this.txWire, Math.floor(this.credit.tx));
      this.credit.tx -= out.length;
      if (out.length) this.toHost(out);
    } else this.credit.tx = 0;
    if (this.rxWire.length) {
      const arrived = Uart.take(this.rxWire, Math.floor(this.credit.rx));
      this.credit.rx -= arrived.length;
      const room = Math.max(0, INPUT_CAPACITY - this.inputQueued);
      const kept = arrived.subarray(0, room);
      if (kept.length < arrived.length) this.onOverflow(arrived.length - kept.length);
      if (kept.length) {
        this.inputQueued += kept.length;
        this.onInput(kept.toString('latin1'));
      }
    } else this.credit.rx = 0;
    if (!this.txWire.length && !this.rxWire.length) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
