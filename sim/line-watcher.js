// Splits what the module sends into lines, for the CLI to spot `ready`.
export class LineWatcher {
  constructor(onLine) {
    this.onLine = onLine;
    this.buffer = '';
  }

  push(buf) {
    this.buffer += buf.toString('latin1');
    let i;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      this.onLine(this.buffer.slice(0, i).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(i + 1);
    }
    if (this.buffer.length > 4096) this.buffer = this.buffer.slice(-256);
  }
}
