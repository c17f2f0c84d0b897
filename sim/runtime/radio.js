// The WiFi world around the simulated module: access points from a JSON file, the
// station and the soft AP. Reset at every boot (a restart drops the association).
export const DEFAULT_WORLD = {
  networks: [{ ssid: 'SimHome', password: 'simpassword', rssi: -48, channel: 6, authMode: 'wpa2', mac: '02:5a:11:00:00:01' }],
  station: { ip: '192.168.1.50', netmask: '255.255.255.0', gw: '192.168.1.1' },
  ap: { ip: '192.168.4.1', netmask: '255.255.255.0', gw: '192.168.4.1' },
};

export class Radio {
  constructor(world, mac) {
    this.world = { ...DEFAULT_WORLD, ...world };
    this.mac = mac;
    this.gone = new Set(); // SSIDs of access points switched off
    this.listeners = []; // fn('lost' | 'back', ssid): the Wifi module reacts as the SDK would
    this.reset();
  }

  /** The access point goes silent (switched off, out of range). */
  dropAp(ssid) {
    this.gone.add(ssid);
    for (const fn of this.listeners) fn('lost', ssid);
  }

  /** It is back: a station still configured for it rejoins, as the SDK's auto-connect does. */
  restoreAp(ssid) {
    this.gone.delete(ssid);
    for (const fn of this.listeners) fn('back', ssid);
  }

  reset() {
    this.station = { status: 'off', ssid: '', password: '', network: null };
    this.ap = { enabled: false, ssid: '', password: '', authMode: 'open', channel: 1 };
    this.scanning = false;
  }

  find(ssid) {
    return this.world.networks.find((n) => n.ssid === ssid);
  }

  /** 'connected' | 'no_ap_found' | 'bad_password' */
  join(ssid, password) {
    const network = this.find(ssid);
    if (!network || this.gone.has(ssid)) return 'no_ap_found';
    if (network.password && network.password !== password) return 'bad_password';
    this.station = { status: 'connected', ssid, password, network };
    return 'connected';
  }

  get online() {
    return this.station.status === 'connected';
  }

  apMac() {
    const parts = this.mac.split(':');
    parts[0] = (parseInt(parts[0], 16) | 2).toString(16).padStart(2, '0');
    return parts.join(':');
  }
}
