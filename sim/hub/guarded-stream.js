// Sits between a device's socket and the broker. Tencent's hub silently drops a PUBLISH to
// a topic the device may not use (no PUBACK, no disconnect); aedes can only refuse one by
// closing the connection, so such packets are taken out here before aedes sees them.
// It can also stop the traffic both ways (a hub that stops answering).
import { Duplex } from 'node:stream';
import mqttPacket from 'mqtt-packet';

export function guardedStream(socket, { mayPublish, log }) {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  let clientId = null;
  let paused = false;
  const held = [];
  const duplex = new Duplex({
    read() {},
    write(chunk, encoding, cb) {
      if (paused) held.push(chunk);
      else if (!socket.destroyed) socket.write(chunk);
      cb();
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  parser.on('packet', (packet) => {
    if (packet.cmd === 'connect') clientId = packet.clientId;
    if (packet.cmd === 'publish' && clientId !== null && !mayPublish(clientId, packet.topic, packet.username)) {
      log(`${clientId}: PUBLISH to ${packet.topic} dropped (no permission)`);
      return;
    }
    duplex.push(mqttPacket.generate(packet));
  });
  parser.on('error', (err) => {
    log(`${clientId || 'client'}: bad packet (${err.message}), connection closed`);
    duplex.destroy();
  });
  socket.on('data', (data) => parser.parse(data));
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  socket.on('error', () => duplex.destroy());
  return {
    stream: duplex,
    clientId: () => clientId,
    /** Stops reading from and writing to the device; what the broker sends waits. */
    pause() {
      paused = true;
      socket.pause();
    },
    resume() {
      paused = false;
      socket.resume();
      for (const chunk of held.splice(0)) socket.write(chunk);
    },
  };
}
