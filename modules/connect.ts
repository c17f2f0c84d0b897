// The CONNECT packet with Tencent's signed credentials: loaded at each (re)connection of the
// MQTT link and dropped right after (the link itself does not keep the signing code).
export { connectPacket } from '../src/cloud/credentials';
