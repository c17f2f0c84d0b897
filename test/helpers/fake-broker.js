// A broker that misbehaves on cue: it accepts the CONNECT, acknowledges SUBSCRIBEs, and
// sends whatever raw bytes a test hands it, to see the module survive bad packets.
import net from 'node:net';
import mqttPacket from 'mqtt-packet';

export async function startFakeBroker() {
  const broker = { sockets: new Set(), received: [], onSubscribe: null, waiters: [] };
  const server = net.createServer((socket) => {
    broker.sockets.add(socket);
    broker.socket = socket;
    socket.on('close', () => broker.sockets.delete(socket));
    socket.on('error', () => {});
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p) => {
      broker.received.push(p);
      for (const w of broker.waiters.slice()) w();
      if (p.cmd === 'connect') socket.write(mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
      if (p.cmd === 'pingreq') socket.write(mqttPacket.generate({ cmd: 'pingresp' }));
      if (p.cmd === 'subscribe') {
        const reply = broker.onSubscribe ? broker.onSubscribe(p) : null;
        socket.write(reply || mqttPacket.generate({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map((s) => s.qos) }));
      }
    });
    parser.on('error', () => socket.destroy());
    socket.on('data', (d) => parser.parse(d));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  broker.port = server.address().port;
  broker.send = (bytes) => broker.socket.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  /** Resolves with the first received packet (from now on, or already received) for which `match` holds. */
  broker.next = (match, from = 0) => new Promise((resolve) => {
    const check = () => {
      const p = broker.received.slice(from).find(match);
      if (!p) return;
      broker.waiters.splice(broker.waiters.indexOf(check), 1);
      resolve(p);
    };
    broker.waiters.push(check);
    check();
  });
  broker.close = () => { for (const s of broker.sockets) s.destroy(); server.close(); };
  return broker;
}

export const publish = (topic, payload, { qos = 0, messageId, dup = false } = {}) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from(payload, 'latin1'), qos, messageId, dup, retain: false });
