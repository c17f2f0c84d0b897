// Where the simulated UART0 meets the MCU: the terminal, one TCP client at a time, or a
// serial device / pty path.
import net from 'node:net';
import fs from 'node:fs';

/** Returns {describe(), send(buffer)}; calls onBytes(buffer) with what the MCU sends. */
export async function openUartLink(spec, onBytes, log) {
  if (!spec || spec === 'stdio') return stdioLink(onBytes);
  if (spec.startsWith('tcp:')) return tcpLink(spec, onBytes, log);
  return pathLink(spec, onBytes, log);
}

/**
 * The terminal as the MCU: a line is edited here (Backspace, Ctrl-U clears it, Ctrl-C quits)
 * and sent with CR LF on Enter, when the module's own echo (ATE1) prints it again. Piped input
 * goes through as it is.
 */
function stdioLink(onBytes) {
  const tty = process.stdin.isTTY;
  if (!tty) {
    process.stdin.on('data', onBytes);
    return { describe: () => 'stdio', send: (buf) => process.stdout.write(buf), toStdout: true };
  }
  process.stdin.setRawMode(true);
  let line = '';
  let lastWasCr = false;
  process.stdin.on('data', (buf) => {
    for (const ch of buf.toString('latin1')) {
      const cr = lastWasCr;
      lastWasCr = ch === '\r';
      if (ch === '\x03') process.exit(0);
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && cr) continue; // CR LF from the terminal: one Enter
        process.stdout.write('\r\x1b[K');
        onBytes(Buffer.from(`${line}\r\n`, 'latin1'));
        line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (line) process.stdout.write('\b \b');
        line = line.slice(0, -1);
      } else if (ch === '\x15') {
        process.stdout.write('\r\x1b[K');
        line = '';
      } else if (ch >= ' ' || ch === '\t') {
        line += ch;
        process.stdout.write(ch);
      }
    }
  });
  return { describe: () => 'stdio', send: (buf) => process.stdout.write(buf), toStdout: true };
}

async function tcpLink(spec, onBytes, log) {
  const [, host, port] = spec.match(/^tcp:([^:]+):(\d+)$/) || [];
  if (!host) throw new Error(`--uart ${spec}: expected tcp:HOST:PORT`);
  let client = null;
  const server = net.createServer((socket) => {
    if (client) {
      socket.end('the simulated UART already has an MCU connected\r\n');
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    log('sim', `MCU connected from ${socket.remoteAddress}:${socket.remotePort}`);
    socket.on('data', onBytes);
    socket.on('error', () => {});
    socket.on('close', () => { client = null; log('sim', 'MCU disconnected'); });
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(Number(port), host, resolve); });
  const actual = server.address().port;
  return { describe: () => `tcp:${host}:${actual}`, send: (buf) => { if (client) client.write(buf); } };
}

function pathLink(file, onBytes, log) {
  const fd = fs.openSync(file, 'r+');
  const input = fs.createReadStream(null, { fd, autoClose: false });
  input.on('data', onBytes);
  input.on('error', (err) => log('sim', `UART ${file}: ${err.message}`));
  const output = fs.createWriteStream(null, { fd, autoClose: false });
  return { describe: () => file, send: (buf) => output.write(buf) };
}
