// The local stand-in for Tencent Cloud IoT's MQTT hub: aedes on a plain and a TLS port,
// the key-authentication signature checked against the registry, each device kept to its
// own topics, the time reply on $sys/operation, and an `admin` user with access everywhere
// (the backend: tests and people publish to devices and watch what they send).
import net from 'node:net';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import { checkDeviceLogin } from './signature.js';
import { mayPublish, maySubscribe } from './topics.js';
import { guardedStream } from './guarded-stream.js';
import { FileServer } from './files.js';
import { adminHandler } from './admin-http.js';
import { registrationHandler } from './register.js';
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';

export const ADMIN_USER = 'admin';
const BAD_USERNAME_OR_PASSWORD = 4;

export class IotHub extends EventEmitter {
  /** `pskCiphers`: the suites 8883 offers (tests narrow them to one). */
  constructor({ registry, adminPassword = 'admin', stateDir, log = () => {}, clock = () => Date.now(), pskCiphers = 'PSK-AES128-CBC-SHA:PSK-AES256-CBC-SHA' }) {
    super();
    this.pskCiphers = pskCiphers;
    this.registry = registry;
    this.adminPassword = adminPassword;
    this.stateDir = stateDir;
    this.log = log;
    this.clock = clock;
    this.connections = new Set();
    this.logins = new Map(); // client id -> the username of its last accepted CONNECT
    this.transports = new Map(); // client id -> 'tcp' | 'tls' of that CONNECT
    this.servers = [];
    this.broker = null;
    this.files = new FileServer({ log });
    this.files.admin = adminHandler(this);
    this.files.register = registrationHandler(this);
    this.otaJobs = new Map(); // client id -> the update it was ordered: {version, md5, size, url}
    this.otaReports = new Map(); // client id -> every message it published on $ota/report, parsed
    this.moduleJobs = new Map(); // client id -> the module bundle update it was ordered
    this.serviceReports = new Map(); // client id -> every message it published on $thing/up/service, parsed
    this.registrations = []; // {code, productId?, deviceName?} of every registration request answered
    this.bindTokens = new Set(); // tokens the app got for binding a device (newBindToken)
    this.bindings = new Map(); // client id -> the token it was bound with
  }

  /** The host names OTA URLs use; the simulator routes them (port 80) to the file server. */
  static get OTA_HOST() {
    return 'ota-sim.cos.ap-guangzhou.myqcloud.com';
  }

  isAdmin(client) {
    return client && client.hubAdmin === true;
  }

  device(client) {
    return client && client.hubDevice;
  }

  async start({ mqttPort = 1883, mqttsPort = 8883, httpPort = 0, host = '127.0.0.1' } = {}) {
    this.broker = await Aedes.createBroker({
      maxClientsIdLength: 128,
      authenticate: (client, username, password, cb) => this.authenticate(client, username, password, cb),
      authorizePublish: (client, packet, cb) => cb(null),
      authorizeSubscribe: (client, sub, cb) => cb(null, this.subscribeAllowed(client, sub.topic) ? sub : null),
    });
    this.broker.on('publish', (packet, client) => this.onPublish(packet, client));
    this.broker.on('clientDisconnect', (client) => this.log('hub', `${client.id} disconnected`));
    const plain = net.createServer((socket) => this.accept(socket, false));
    // 8883 as Tencent's hub has it for tls_mode 1: TLS 1.2 with a pre-shared key, no certificate.
    // The PSK identity is the client id; its key the device secret, base64-decoded.
    const secure = tls.createServer({
      ciphers: this.pskCiphers, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
      pskCallback: (socket, identity) => this.pskFor(socket, identity),
    }, (socket) => this.accept(socket, true));
    secure.on('tlsClientError', (err) => this.log('hub', `TLS-PSK handshake failed: ${err.code || err.message}`));
    await Promise.all([listen(plain, mqttPort, host), listen(secure, mqttsPort, host)]);
    this.servers = [plain, secure];
    const http = await this.files.start(this.ports ? this.ports.http : httpPort, host);
    this.ports = { mqtt: plain.address().port, mqtts: secure.address().port, http, host };
    this.log('hub', `MQTT on ${host}:${this.ports.mqtt}, MQTT over TLS on ${host}:${this.ports.mqtts}, OTA files on ${host}:${this.ports.http}`);
    return this.ports;
  }

  /** Like the hub's process dying: listeners and every connection gone at once. */
  async stop() {
    this.files.stop();
    for (const server of this.servers) server.close();
    for (const c of this.connections) c.socket.destroy();
    this.connections.clear();
    if (this.broker) await new Promise((resolve) => this.broker.close(resolve));
    this.broker = null;
    this.servers = [];
  }

  accept(socket, secure) {
    socket.setNoDelay(true);
    const guard = guardedStream(socket, {
      mayPublish: (clientId, topic) => this.publishAllowed(clientId, topic),
      log: (text) => this.log('hub', text),
    });
    const entry = { socket, guard };
    this.connections.add(entry);
    socket.on('close', () => this.connections.delete(entry));
    socket.on('error', () => {});
    guard.stream.hubSecure = secure;
    guard.stream.hubPskIdentity = socket.hubPskIdentity;
    this.broker.handle(guard.stream);
  }

  /** The key of a device's PSK identity (its client id), or null: OpenSSL then refuses the handshake. */
  pskFor(socket, identity) {
    const device = this.registry.findByClientId(identity);
    if (!device) {
      this.log('hub', `TLS-PSK: unknown identity ${identity}`);
      return null;
    }
    socket.hubPskIdentity = identity;
    return Buffer.from(device.secret, 'base64');
  }

  /** Stops answering the device with this client id (its socket stays open): keepalive must notice. */
  pause(clientId) {
    for (const c of this.connections) if (c.guard.clientId() === clientId) c.guard.pause();
  }

  resume(clientId) {
    for (const c of this.connections) if (c.guard.clientId() === clientId) c.guard.resume();
  }

  authenticate(client, username, password, cb) {
    if (username === ADMIN_USER) {
      if (password && password.toString() === this.adminPassword) {
        client.hubAdmin = true;
        return cb(null, true);
      }
      return cb(Object.assign(new Error('bad admin password'), { returnCode: BAD_USERNAME_OR_PASSWORD }), false);
    }
    const pskIdentity = client.conn && client.conn.hubSecure ? client.conn.hubPskIdentity : undefined;
    const refusal = checkDeviceLogin({
      clientId: client.id, username, password: password && password.toString(), pskIdentity,
      findDevice: (id) => this.registry.findByClientId(id), nowS: Math.floor(this.clock() / 1000),
    });
    if (refusal) {
      this.log('hub', `${client.id}: CONNECT refused: ${refusal}`);
      return cb(Object.assign(new Error(refusal), { returnCode: BAD_USERNAME_OR_PASSWORD }), false);
    }
    client.hubDevice = this.registry.findByClientId(client.id);
    this.registry.activate(client.hubDevice.pid, client.hubDevice.name);
    this.logins.set(client.id, username);
    this.transports.set(client.id, client.conn && client.conn.hubSecure ? 'tls' : 'tcp');
    this.log('hub', `${client.id}: connected`);
    cb(null, true);
  }

  publishAllowed(clientId, topic) {
    const device = this.registry.findByClientId(clientId);
    if (!device) return true; // the admin, or a client aedes refuses at CONNECT anyway
    return mayPublish(topic, device.pid, device.name);
  }

  subscribeAllowed(client, topic) {
    if (this.isAdmin(client)) return true;
    const d = this.device(client);
    const allowed = !!d && maySubscribe(topic, d.pid, d.name);
    if (!allowed) this.log('hub', `${client.id}: SUBSCRIBE to ${topic} refused`);
    return allowed;
  }

  onPublish(packet, client) {
    const d = this.device(client);
    if (!d) return;
    if (packet.topic === `$sys/operation/${d.pid}/${d.name}`) this.answerOperation(d, packet.payload);
    if (packet.topic === `$ota/report/${d.pid}/${d.name}`) this.takeOtaReport(client.id, d, packet.payload);
    if (packet.topic === `$thing/up/service/${d.pid}/${d.name}`) this.takeServiceMessage(client.id, d, packet.payload);
  }

  /**
   * Orders the module to update its own firmware (the resource protocol): the bundle is served
   * by the file server and the device gets update_resource on $thing/down/service (again when
   * it reports another version of the resource).
   */
  async pushModule(clientId, bundle, { version, md5, resource = 'ESP8266_QCLOUD_AT_JS' } = {}) {
    const d = this.registry.findByClientId(clientId);
    if (!d) throw new Error(`no device ${clientId}`);
    const name = `${d.pid}/${d.name}/${resource}-${version}.js`;
    this.files.files.set(name, bundle);
    const job = { resource, version, md5: md5 || crypto.createHash('md5').update(bundle).digest('hex'), size: bundle.length,
      url: `https://${IotHub.OTA_HOST}/${name}` };
    this.moduleJobs.set(clientId, job);
    await this.sendResourceUpdate(d, job);
    return job;
  }

  /** A token the app (npm run app, or a test) hands the module to bind it, as Tencent's app gets one. */
  newBindToken() {
    const token = crypto.randomBytes(16).toString('hex');
    this.bindTokens.add(token);
    return token;
  }

  /** app_bind_token: a token the hub gave out binds the device (once); any other is refused. */
  bind(clientId, d, message) {
    const token = message.params && message.params.token;
    const ok = this.bindTokens.has(token);
    if (ok) {
      this.bindTokens.delete(token);
      this.bindings.set(clientId, token);
    }
    this.log('hub', `${clientId}: app_bind_token ${ok ? 'accepted' : 'refused'}`);
    this.emit('bind', clientId, ok);
    return this.publish(`$thing/down/service/${d.pid}/${d.name}`, JSON.stringify({ method: 'app_bind_token_reply',
      clientToken: message.clientToken, code: ok ? 0 : 1, status: ok ? 'success' : 'token not valid' }), 1);
  }

  sendResourceUpdate(d, job) {
    return this.publish(`$thing/down/service/${d.pid}/${d.name}`, JSON.stringify({ method: 'update_resource', resource_name: job.resource,
      resource_type: 'FILE', version: job.version, url: job.url, md5sum: job.md5, file_size: job.size }), 1);
  }

  /** A device's JSON message, kept in `log` (client id -> every message) and emitted as `event`; undefined if not JSON. */
  keep(log, event, clientId, payload) {
    let message;
    try { message = JSON.parse(payload.toString()); } catch { return undefined; }
    if (!log.has(clientId)) log.set(clientId, []);
    log.get(clientId).push(message);
    this.emit(event, clientId, message);
    return message;
  }

  takeServiceMessage(clientId, d, payload) {
    const message = this.keep(this.serviceReports, 'serviceMessage', clientId, payload);
    if (!message) return;
    const job = this.moduleJobs.get(clientId);
    // A bundle that failed (or was rolled back) is not ordered again.
    const progress = message.method === 'report_progress' && message.report && message.report.progress;
    if (job && progress && progress.state === 'fail' && message.report.version === job.version) this.moduleJobs.delete(clientId);
    if (message.method === 'app_bind_token') return this.bind(clientId, d, message);
    if (message.method !== 'report_version') return;
    this.publish(`$thing/down/service/${d.pid}/${d.name}`, JSON.stringify({ method: 'report_version_rsp', result_code: 0, result_msg: 'success' }), 1);
    const list = (message.report && message.report.resource_list) || [];
    const reported = list.find((r) => job && r.resource_name === job.resource);
    if (job && reported && reported.version !== job.version) this.sendResourceUpdate(d, job);
  }

  /**
   * Orders an update of the MCU's firmware: the image is served by the file server and the
   * device gets update_firmware on $ota/update (again whenever it reports another version,
   * as Tencent's hub re-sends a pending update). `url` and `md5` can be forced for tests.
   */
  async pushFirmware(clientId, image, { version, md5, size, scheme = 'https' } = {}) {
    const d = this.registry.findByClientId(clientId);
    if (!d) throw new Error(`no device ${clientId}`);
    const name = `${d.pid}/${d.name}/${version}.bin`;
    this.files.files.set(name, image);
    const job = { version, md5: md5 || crypto.createHash('md5').update(image).digest('hex'), size: size ?? image.length,
      url: `${scheme}://${IotHub.OTA_HOST}/${name}` };
    this.otaJobs.set(clientId, job);
    await this.sendUpdate(d, job);
    return job;
  }

  sendUpdate(d, job) {
    return this.publish(`$ota/update/${d.pid}/${d.name}`, JSON.stringify({ type: 'update_firmware', url: job.url, md5sum: job.md5, version: job.version, file_size: job.size }), 1);
  }

  takeOtaReport(clientId, d, payload) {
    const report = this.keep(this.otaReports, 'otaReport', clientId, payload);
    if (!report || report.type !== 'report_version') return;
    const version = report.report && report.report.version;
    this.publish(`$ota/update/${d.pid}/${d.name}`, JSON.stringify({ type: 'report_version_rsp', result_code: 0, result_msg: 'success', version }), 1);
    const job = this.otaJobs.get(clientId);
    if (job && job.version !== version) this.sendUpdate(d, job);
  }

  /** {"type":"get","resource":["time"]} gets {"type":"get","time":<unix seconds>}. */
  answerOperation(d, payload) {
    let request;
    try { request = JSON.parse(payload.toString()); } catch { return; }
    if (request.type !== 'get' || !Array.isArray(request.resource) || !request.resource.includes('time')) return;
    const reply = JSON.stringify({ type: 'get', time: Math.floor(this.clock() / 1000) });
    this.publish(`$sys/operation/result/${d.pid}/${d.name}`, reply, 0);
  }

  publish(topic, payload, qos = 0) {
    return new Promise((resolve, reject) => {
      this.broker.publish({ cmd: 'publish', topic, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), qos, retain: false, dup: false }, (err) => (err ? reject(err) : resolve()));
    });
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
}
