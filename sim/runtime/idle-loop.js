// Espruino's main loop, as one "idle pass" at a time:
//   1. IO (Serial data handlers), 2. every due timer in creation order (not due order),
//   3. queued events (emit, socket and Wifi callbacks).
// Timer ids are small integers: the last existing id + 1, or 1 when none exist.

const MIN_DELAY_MS = 0.1;
const MAX_DELAY_MS = 100 * 365 * 24 * 3600 * 1000;

export class IdleLoop {
  constructor({ now, reportError }) {
    this.now = now; // ms, monotonic
    this.reportError = reportError;
    this.io = [];
    this.events = [];
    this.timers = []; // creation order
    this.wake = null;
    this.stopped = false;
    this.lastError = null;
  }

  addTimer(callback, ms, args, repeat) {
    let delay = Number(ms);
    if (!(delay >= MIN_DELAY_MS)) delay = MIN_DELAY_MS; // NaN too
    if (delay > MAX_DELAY_MS) throw new Error('Timeout too long (> 100 years)');
    const id = this.timers.length ? this.timers[this.timers.length - 1].id + 1 : 1;
    this.timers.push({ id, callback, args, period: delay, due: this.now() + delay, repeat });
    this.schedule();
    return id;
  }

  clearTimer(id) {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  clearAllTimers() {
    this.timers = [];
  }

  changeInterval(id, ms) {
    const timer = this.timers.find((t) => t.id === id);
    if (!timer) return false;
    let delay = Number(ms);
    if (!(delay >= MIN_DELAY_MS)) delay = MIN_DELAY_MS;
    timer.period = delay;
    timer.due = this.now() + delay;
    timer.repeat = true;
    this.schedule();
    return true;
  }

  queueIO(fn) {
    this.io.push(fn);
    this.schedule();
  }

  queueEvent(fn) {
    this.events.push(fn);
    this.schedule();
  }

  stop() {
    this.stopped = true;
    this.io = [];
    this.events = [];
    this.timers = [];
    this.cancelWake();
  }

  cancelWake() {
    if (this.wake) (this.wake.immediate ? clearImmediate : clearTimeout)(this.wake.handle);
    this.wake = null;
  }

  run(fn) {
    try {
      fn();
    } catch (err) {
      this.lastError = err; // Espruino reports only the last exception of a pass
    }
  }

  pass() {
    this.wake = null;
    if (this.stopped) return;
    const io = this.io;
    this.io = [];
    for (const fn of io) this.run(fn);
    const now = this.now();
    for (const timer of this.timers.slice()) {
      if (this.stopped) return;
      if (timer.due > now || !this.timers.includes(timer)) continue;
      if (timer.repeat) timer.due += timer.period;
      else this.clearTimer(timer.id);
      this.run(() => timer.callback(...timer.args));
    }
    const events = this.events;
    this.events = [];
    for (const fn of events) {
      if (this.stopped) return;
      this.run(fn);
    }
    if (this.lastError) {
      const err = this.lastError;
      this.lastError = null;
      this.reportError(err);
    }
    this.schedule();
  }

  schedule() {
    if (this.stopped) return;
    let at;
    if (this.io.length || this.events.length) at = 0;
    else if (this.timers.length) at = Math.max(0, Math.min(...this.timers.map((t) => t.due)) - this.now());
    else return;
    if (this.wake && this.wake.at <= this.now() + at) return;
    this.cancelWake();
    const immediate = at === 0;
    const handle = immediate ? setImmediate(() => this.pass()) : setTimeout(() => this.pass(), Math.ceil(at));
    this.wake = { at: this.now() + at, handle, immediate };
  }
}
