// require('net'), require('dgram'), require('http') as ESP8266 Espruino behaves: events from
// the idle loop; write() returns false and converts with String(); at most one 268-byte
// packet in flight per socket; 10 sockets; DNS failure is error -6, then end, then close(true).
import net from 'node:net';
import dgram from 'node:dgram';
import http from 'node:http';
import { stringBytes, latin1 } from './bytes.js';
import { ESPRUINO_VERSION } from './espruino.js';

const PACKET = 268;
const ERR = { notFound: { code: -6, message: 'not found' }, reset: { code: -9, message: 'connection reset' },
  noRoute: { code: -4, message: 'no route' }, timeout: { code: -3, message: 'timeout' },
  sslHandshake: { code: -13, message: 'SSL handshake failed' } };

export function createNetModules(rt, network) {
  if (rt.modulesNet) return rt.modulesNet;
  rt.network = network;
  const emit = (obj, event, ...args) => rt.emitLater(obj, event, ...args);

  function socketObject(connectCb) {
    const sock = rt.object();
    let node = null;
    let closed = false;
    let ended = false;
    const queue = [];
    let sending = false;
    // The socket takes one of the 10 slots from the moment it is made, as on the board.
    const untrack = network.track({ destroy: () => node && node.destroy() });

    const finish = (error) => {
      if (closed) return;
      closed = true;
      untrack();
      if (error) emit(sock, 'error', rt.data(error));
      emit(sock, 'end');
      emit(sock, 'close', !!error);
    };
    const pump = () => {
      if (sending || !node) return;
      if (!queue.length) {
        if (ended) node.end();
        else emit(sock, 'drain', sock);
        return;
      }
      sending = true;
      node.write(queue.shift(), () => { sending = false; pump(); });
    };
    Object.assign(sock, {
      write(data) {
        if (closed || ended) throw rt.error('This socket is closed');
        const bytes = stringBytes(String(data));
        for (let at = 0; at < bytes.length; at += PACKET) queue.push(bytes.subarray(at, at + PACKET));
        pump();
        return false;
      },
      end(data) {
        if (closed) return;
        if (data !== undefined) sock.write(data);
        ended = true;
        pump();
      },
      available: () => 0,
      onListenerAdded(event) {
        if (event === 'connect' && connectCb) throw rt.error('Execution Interrupted during event processing (Espruino bug: .on("connect") on a socket made with a callback)');
      },
    });
    const attach = (n) => {
      node = n;
      n.on('data', (buf) => {
        for (let at = 0; at < buf.length; at += PACKET) {
          const chunk = latin1(buf.subarray(at, at + PACKET));
          emit(sock, 'data', chunk);
        }
      });
      n.on('end', () => finish(null));
      n.on('close', () => finish(null));
      n.on('error', (err) => finish(err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' ? ERR.reset : n.encrypted ? ERR.sslHandshake : ERR.noRoute));
    };
    return { sock, attach, finish, pump, isClosed: () => closed };
  }

  function connect(options, cb) {
    const opts = typeof options === 'string' ? parseUrl(options) : options || {};
    if (network.full()) throw rt.error('Unable to create socket', 'InternalError');
    const host = opts.host === undefined ? '127.0.0.1' : String(opts.host);
    const port = Number(opts.port) || 80;
    const s = socketObject(typeof cb === 'function');
    if (typeof cb === 'function') addListener(s.sock, 'connect', cb);
    network.resolve(host).then((address) => {
      if (rt.dead) return;
      if (!address) return s.finish(ERR.notFound);
      const target = network.route(host, address, port);
      const node = net.connect({ host: target.address, port: target.port });
      node.setNoDelay(true);
      s.attach(node);
      node.on('connect', () => {
        emit(s.sock, 'connect', s.sock);
        s.pump();
      });
    });
    return s.sock;
  }

  function addListener(obj, event, fn) {
    let map = rt.listeners.get(obj);
    if (!map) rt.listeners.set(obj, (map = {}));
    (map[event] || (map[event] = [])).push(fn);
  }

  function createSocket(type, cb) {
    if (network.full()) throw rt.error('Unable to create socket', 'InternalError');
    const node = dgram.createSocket('udp4');
    const untrack = network.track(node);
    const sock = rt.object();
    let bound = false;
    if (typeof cb === 'function') addListener(sock, 'message', cb);
    node.on('message', (msg, rinfo) => {
      if (msg.length > PACKET) return rt.device.log('sim', `UDP datagram of ${msg.length} bytes dropped (over ${PACKET})`);
      emit(sock, 'message', latin1(msg), rt.data({ address: rinfo.address, port: rinfo.port, size: msg.length }));
    });
    node.on('error', (err) => emit(sock, 'error', rt.data({ code: -10, message: err.message })));
    Object.assign(sock, {
      bind(port, bindCb) {
        const hostPort = network.udpPorts[port] ?? port;
        node.bind(hostPort, () => {
          bound = true;
          if (typeof bindCb === 'function') rt.loop.queueEvent(() => rt.call(bindCb, sock, [sock]));
        });
        return sock;
      },
      send(msg, ...rest) {
        let bytes = stringBytes(String(msg));
        if (rest.length >= 4) bytes = bytes.subarray(Number(rest[0]), Number(rest[0]) + Number(rest[1]));
        const [port, address] = rest.length >= 4 ? rest.slice(2) : rest;
        if (bytes.length > PACKET) return rt.device.log('sim', `UDP send of ${bytes.length} bytes dropped (over ${PACKET})`);
        const to = net.isIPv4(String(address)) ? String(address) : '255.255.255.255';
        if (to === '255.255.255.255') return rt.device.log('sim', `UDP send to "${address}" went to 255.255.255.255 (names are not resolved)`);
        node.send(bytes, Number(port), to);
      },
      close() {
        untrack();
        node.close();
        emit(sock, 'close');
        if (bound) emit(sock, 'close'); // Espruino fires it twice for a bound socket
      },
      address: () => rt.data(bound ? { address: '0.0.0.0', port: node.address().port } : {}),
    });
    return sock;
  }

  function request(options, cb) {
    const opts = typeof options === 'string' ? parseUrl(options) : options;
    const host = opts.host === undefined ? '127.0.0.1' : String(opts.host);
    const port = Number(opts.port) || 80;
    const req = rt.object();
    const body = [];
    let sent = false;
    if (network.full()) throw rt.error('Unable to create socket', 'InternalError');
    const send = () => {
      network.resolve(host).then((address) => {
        if (rt.dead) return;
        if (!address) return emit(req, 'error', rt.data(ERR.notFound));
        const target = network.route(host, address, port);
        const headers = { 'User-Agent': `Espruino ${ESPRUINO_VERSION}`, Connection: 'close', ...(opts.headers || {}), Host: port === 80 ? host : `${host}:${port}` };
        const nodeReq = http.request({ host: target.address, port: target.port, method: String(opts.method), path: String(opts.path), headers, agent: false, setHost: false });
        const untrack = network.track(nodeReq);
        nodeReq.on('response', (nodeRes) => {
          const res = rt.object({ statusCode: String(nodeRes.statusCode), statusMessage: nodeRes.statusMessage, httpVersion: nodeRes.httpVersion, headers: rt.data(rawHeaders(nodeRes.rawHeaders)) });
          if (typeof cb === 'function') rt.loop.queueEvent(() => rt.call(cb, undefined, [res]));
          nodeRes.on('data', (buf) => emit(res, 'data', latin1(buf)));
          nodeRes.on('end', () => { untrack(); emit(res, 'end'); emit(res, 'close', false); });
          nodeRes.on('error', () => { untrack(); emit(res, 'close', true); });
        });
        nodeReq.on('error', (err) => { untrack(); emit(req, 'error', rt.data(err.code === 'ECONNREFUSED' ? ERR.reset : ERR.noRoute)); });
        nodeReq.end(Buffer.concat(body));
      });
    };
    Object.assign(req, {
      write(data) { body.push(stringBytes(String(data))); return false; },
      end(data) {
        if (sent) return;
        if (data !== undefined) req.write(data);
        sent = true;
        send();
      },
    });
    return req;
  }

  /** A server on the module's `port`: on this host, the port mapped in network.tcpPorts, else any free one (logged). */
  function createServer(cb) {
    const server = rt.object();
    let node = null;
    let modulePort = 0;
    let untrack = () => {};
    Object.assign(server, {
      listen(port) {
        modulePort = port;
        if (network.full()) throw rt.error('Unable to create socket', 'InternalError');
        node = net.createServer((nodeSock) => {
          if (network.full()) return nodeSock.destroy();
          nodeSock.setNoDelay(true);
          const s = socketObject(false);
          s.attach(nodeSock);
          if (typeof cb === 'function') rt.loop.queueEvent(() => rt.call(cb, undefined, [s.sock]));
          s.pump();
        });
        untrack = network.track({ destroy: () => node.close() });
        node.on('error', (err) => rt.device.log('sim', `TCP port ${port}: ${err.message}`));
        node.listen(network.tcpPorts[port] ?? 0, '127.0.0.1', () => {
          network.listening[port] = node.address().port;
          rt.device.log('sim', `TCP port ${port} listens at 127.0.0.1:${node.address().port}`);
        });
        return server;
      },
      close() {
        if (!node) return;
        untrack();
        node.close();
        delete network.listening[modulePort];
        node = null;
      },
    });
    return server;
  }

  rt.modulesNet = {
    net: rt.object({ connect, createConnection: connect, createServer }),
    dgram: rt.object({ createSocket }),
    http: rt.object({
      request,
      get(options, cb) {
        const opts = typeof options === 'string' ? parseUrl(options) : options;
        opts.method = 'GET';
        const req = request(opts, cb);
        req.end();
        return req;
      },
    }),
  };
  return rt.modulesNet;
}

/** Espruino's `ca` is the decoded certificate (DER, a byte string); Node wants PEM. */

function parseUrl(text) {
  const u = new URL(text);
  return { protocol: u.protocol, host: u.hostname, port: u.port ? Number(u.port) : 80, path: u.pathname + u.search, method: 'GET' };
}

function rawHeaders(raw) {
  const out = {};
  for (let i = 0; i < raw.length; i += 2) out[raw[i]] = raw[i + 1];
  return out;
}
