// The hub's OTA file server: images by name, Range requests (206), Content-Length always (the
// ESP8266's HTTP client loses a response's tail without it). Faults can be injected for tests:
// `ignoreRange` (answer 200 with the whole file), `dropAfter` (close the connection after
// that many bytes of a response) and `bytesPerSecond` (a slow link).
import http from 'node:http';
import { EventEmitter } from 'node:events';

export class FileServer extends EventEmitter {
  constructor({ log = () => {} } = {}) {
    super();
    this.files = new Map(); // name -> Buffer
    this.faults = { ignoreRange: false, dropAfter: 0, bytesPerSecond: 0 };
    this.requests = []; // {path, range} of every download request, for tests
    this.admin = null; // the handler of /admin/... (admin-http.js)
    this.register = null; // the dynamic registration gateway's /register/dev (register.js)
    this.log = log;
  }

  async start(port = 0, host = '127.0.0.1') {
    this.server = http.createServer((req, res) => this.serve(req, res));
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, resolve);
    });
    this.port = this.server.address().port;
    return this.port;
  }

  stop() {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    this.server = null;
  }

  serve(req, res) {
    if (this.admin && req.url.startsWith('/admin/')) return this.admin(req, res);
    if (this.register && req.url === '/register/dev') return this.register(req, res);
    const name = decodeURIComponent(req.url.split('?')[0].replace(/^\/+/, ''));
    const file = this.files.get(name);
    const request = { path: req.url, range: req.headers.range || '' };
    this.requests.push(request);
    this.emit('request', request);
    if (!file) {
      res.writeHead(404, { 'Content-Length': 0 });
      return res.end();
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range || '');
    const start = m && !this.faults.ignoreRange ? Number(m[1]) : 0;
    if (start > file.length) {
      res.writeHead(416, { 'Content-Length': 0 });
      return res.end();
    }
    const body = file.subarray(start);
    const headers = { 'Content-Length': body.length, 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes' };
    if (m && !this.faults.ignoreRange) headers['Content-Range'] = `bytes ${start}-${file.length - 1}/${file.length}`;
    res.writeHead(m && !this.faults.ignoreRange ? 206 : 200, headers);
    this.log('hub', `GET ${name} from ${start} (${body.length} bytes)`);
    if (this.faults.dropAfter && this.faults.dropAfter < body.length) {
      const cut = this.faults.dropAfter;
      this.faults.dropAfter = 0;
      res.write(body.subarray(0, cut), () => res.socket.destroy());
      return;
    }
    if (!this.faults.bytesPerSecond) return res.end(body);
    const slice = Math.max(1, Math.floor(this.faults.bytesPerSecond / 20));
    let at = 0;
    const next = () => {
      if (res.destroyed) return;
      if (at >= body.length) return res.end();
      res.write(body.subarray(at, at + slice));
      at += slice;
      setTimeout(next, 50);
    };
    next();
  }
}
