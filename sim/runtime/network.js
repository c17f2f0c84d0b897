// Where the module's sockets really go. There is no internet: a name resolves only through
// the host table (the local hub answers for *.iotcloud.tencentdevices.com and the
// registration gateway), and a port can be mapped (the hub's 1883 is some local port).
import net from 'node:net';

export const MAX_SOCKETS = 10;

export class Network {
  constructor({ radio, log }) {
    this.radio = radio;
    this.log = log;
    this.hosts = []; // {name: 'exact' | '*.suffix', address, ports: {fromPort: toPort}}
    this.udpPorts = {}; // module's UDP port -> host port
    this.tcpPorts = {}; // module's listening TCP port -> host port (else any free one)
    this.listening = {}; // module's listening TCP port -> the host port it got
    this.open = new Set();
  }

  addHost(name, address, ports = {}) {
    this.hosts.push({ name, address, ports });
  }

  entryFor(host) {
    return this.hosts.find((h) => h.name === host || (h.name.startsWith('*.') && host.endsWith(h.name.slice(1))));
  }

  /** Resolves like the board's DNS would here: IPs as they are, known names, nothing else. */
  async resolve(host) {
    if (!this.radio.online) return null;
    if (net.isIPv4(host)) return host;
    if (host === 'localhost') return '127.0.0.1';
    const entry = this.entryFor(host);
    return entry ? entry.address : null;
  }

  /** The real address and port behind what the firmware asked for. */
  route(host, address, port) {
    const entry = this.entryFor(host) || this.hosts.find((h) => h.address === address && h.name === address);
    const mapped = entry && entry.ports[port];
    return { address, port: mapped || port };
  }

  track(handle) {
    this.open.add(handle);
    return () => this.open.delete(handle);
  }

  full() {
    return this.open.size >= MAX_SOCKETS;
  }

  closeAll() {
    for (const handle of this.open) {
      try { handle.destroy ? handle.destroy() : handle.close(); } catch { /* already closed */ }
    }
    this.open.clear();
  }
}
