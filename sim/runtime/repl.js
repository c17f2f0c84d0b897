// Espruino's REPL as the firmware's debug console meets it: input from the console device, the
// password lock (E.setPassword, E.lockConsole: up to 20 characters, none echoed, then
// "Logged in." or "Invalid password"), echo of typed characters (off with echo(false), or for
// one line after DLE, as the Web IDE sends), Ctrl-C clearing the line, and each line evaluated
// in the firmware's scope with its result printed as "=value". [src jsinteractive.c]
export class Repl {
  /** `print(text)`: to the console device; `evaluate(line)`: in the firmware's scope; `echo()`: echo(on)'s state. */
  constructor({ print, evaluate, format, reportError, echo }) {
    Object.assign(this, { print, evaluate, format, reportError, echo });
    this.password = undefined;
    this.locked = false;
    this.line = '';
    this.lineQuiet = false;
    this.last = '';
  }

  setPassword(password) {
    this.password = password === undefined || password === null ? undefined : String(password);
  }

  lock() {
    if (this.password !== undefined) this.locked = true;
  }

  input(text) {
    for (const ch of text) {
      const enter = ch === '\r' || (ch === '\n' && this.last !== '\r');
      const skip = ch === '\n' && this.last === '\r';
      this.last = ch;
      if (skip) continue;
      if (this.locked) {
        if (enter) this.tryPassword();
        else if (this.line.length < 20) this.line += ch;
        continue;
      }
      if (enter) this.enter();
      else if (ch === '\x03') this.clearLine();
      else if (ch === '\x10') this.lineQuiet = true;
      else if (ch === '\x7f' || ch === '\b') this.backspace();
      else {
        this.line += ch;
        if (this.showing()) this.print(ch);
      }
    }
  }

  showing() {
    return this.echo() && !this.lineQuiet;
  }

  tryPassword() {
    const right = this.password !== undefined && this.line === this.password;
    this.line = '';
    if (right) {
      this.locked = false;
      this.print('\r\n  Logged in.\r\n>');
    } else {
      this.print('\r\n  Invalid password\r\npassword>');
    }
  }

  clearLine() {
    this.line = '';
    this.lineQuiet = false;
    if (this.echo()) this.print('\r\n>');
  }

  backspace() {
    if (!this.line) return;
    this.line = this.line.slice(0, -1);
    if (this.showing()) this.print('\b \b');
  }

  enter() {
    const line = this.line;
    const show = this.showing();
    this.line = '';
    this.lineQuiet = false;
    if (show) this.print('\r\n');
    if (!line.trim()) {
      if (this.echo()) this.print('>');
      return;
    }
    try {
      const value = this.evaluate(line);
      if (show) this.print(`=${typeof value === 'string' ? JSON.stringify(value) : this.format(value)}\r\n`);
    } catch (err) {
      this.reportError(err);
    }
    if (this.echo()) this.print('>');
  }
}
