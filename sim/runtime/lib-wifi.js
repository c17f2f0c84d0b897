// require('Wifi') as on the ESP8266: callbacks always queued, never called at once;
// scan(cb) gets one argument; getIP's callback gets (null, info); .wificfg holds the
// password in plain text, as the board's does.
const CONNECT_MS = 300;
const SCAN_MS = 400;
const AUTH_MODES = ['open', 'wpa', 'wpa2', 'wpa_wpa2'];

export function createWifiModule(rt, radio) {
  const device = rt.device;
  const later = (fn, ms = 0) => rt.loop.addTimer(fn, ms, [], false) && undefined;
  const callLater = (cb, ...args) => { if (typeof cb === 'function') rt.loop.queueEvent(() => rt.call(cb, undefined, args)); };
  const ipInfo = () => radio.online
    ? { ...radio.world.station, mac: radio.mac }
    : { ip: '0.0.0.0', netmask: '0.0.0.0', gw: '0.0.0.0', mac: radio.mac };
  const mode = () => (radio.station.status !== 'off' ? (radio.ap.enabled ? 'sta+ap' : 'sta') : (radio.ap.enabled ? 'ap' : 'off'));

  const wifi = rt.object();
  let generation = 0; // a newer connect/disconnect cancels an older connect in flight

  function connect(ssid, options, cb) {
    if (typeof options === 'function') throw rt.error('Expecting Object, got Function');
    const password = options && options.password !== undefined ? String(options.password) : '';
    if (radio.online && radio.station.ssid === ssid && radio.station.password === password) return callLater(cb, null);
    const mine = ++generation;
    if (radio.online) rt.emitLater(wifi, 'disconnected', rt.data({ ssid: radio.station.ssid, mac: radio.station.network.mac, reason: 'assoc_leave' }));
    radio.station = { status: 'connecting', ssid, password, network: null };
    later(() => {
      if (mine !== generation) return;
      const result = radio.join(String(ssid), password);
      device.log('wifi', `join "${ssid}": ${result}`);
      if (result !== 'connected') {
        radio.station.status = result;
        rt.emitLater(wifi, 'disconnected', rt.data({ ssid, mac: '00:00:00:00:00:00', reason: result === 'bad_password' ? 'auth_fail' : 'no_ap_found' }));
        return callLater(cb, result);
      }
      const net = radio.station.network;
      rt.emitLater(wifi, 'associated', rt.data({ ssid, mac: net.mac, channel: net.channel }));
      const s = radio.world.station;
      rt.emitLater(wifi, 'connected', rt.data({ ip: s.ip, mask: s.netmask, gw: s.gw }));
      callLater(cb, null);
    }, CONNECT_MS);
  }

  function startAP(ssid, options = {}, cb) {
    const password = options.password === undefined ? '' : String(options.password);
    const authMode = options.authMode || (password ? 'wpa2' : 'open');
    if (password && password.length < 8) throw rt.error('Password must be at least 8 characters');
    if (!AUTH_MODES.includes(authMode)) throw rt.error(`Unknown authMode ${authMode}`);
    if ((authMode === 'open') !== !password) throw rt.error('Password and authMode do not match');
    const channel = options.channel === undefined ? 1 : Number(options.channel);
    if (!(channel >= 1 && channel <= 13)) throw rt.error('Channel must be 1-13');
    radio.ap = { enabled: true, ssid: String(ssid), password, authMode, channel };
    device.log('wifi', `soft AP "${ssid}" on (${authMode})`);
    callLater(cb, null);
  }

  function savedConfig() {
    return rt.device.storage.read('.wificfg');
  }

  function restore() {
    const text = savedConfig();
    if (!text) return;
    let cfg;
    try { cfg = JSON.parse(text); } catch { return; }
    if (cfg.ssid) connect(cfg.ssid, { password: cfg.password }, undefined);
    if (cfg.apSsid) startAP(cfg.apSsid, { password: cfg.apPassword, authMode: cfg.apAuthMode, channel: cfg.apChannel });
  }

  Object.assign(wifi, {
    connect,
    disconnect(cb) {
      generation++;
      const was = radio.station;
      radio.station = { status: 'off', ssid: '', password: '', network: null };
      if (was.status === 'connected') rt.emitLater(wifi, 'disconnected', rt.data({ ssid: was.ssid, mac: was.network.mac, reason: 'assoc_leave' }));
      callLater(cb);
    },
    startAP,
    stopAP(cb) {
      radio.ap = { ...radio.ap, enabled: false };
      callLater(cb);
    },
    scan(cb) {
      if (radio.scanning) throw rt.error('A scan is already in progress');
      radio.scanning = true;
      later(() => {
        radio.scanning = false;
        const list = radio.world.networks.map((n) => ({ rssi: n.rssi, channel: n.channel, authMode: n.authMode, isHidden: false, ssid: n.ssid, mac: n.mac }));
        if (typeof cb === 'function') rt.call(cb, undefined, [rt.data(list)]);
      }, SCAN_MS);
    },
    getIP(cb) {
      const info = rt.data(ipInfo());
      callLater(cb, null, info);
      return info;
    },
    getAPIP(cb) {
      const info = rt.data(radio.ap.enabled ? { ...radio.world.ap, mac: radio.apMac() } : { ip: '0.0.0.0', netmask: '0.0.0.0', gw: '0.0.0.0', mac: radio.apMac() });
      callLater(cb, null, info);
      return info;
    },
    getStatus(cb) {
      const status = rt.data({ mode: mode(), station: radio.station.status, ap: radio.ap.enabled ? 'enabled' : 'disabled', phy: '11n', powersave: 'ps-poll', savedMode: savedConfig() ? 'sta' : 'off' });
      callLater(cb, status);
      return status;
    },
    getDetails(cb) {
      const st = radio.station;
      let saved = null;
      try { saved = JSON.parse(savedConfig() || 'null'); } catch { saved = null; }
      const details = rt.data({ status: st.status, ssid: st.ssid, password: st.password, rssi: st.network ? st.network.rssi : 0, savedSsid: saved ? saved.ssid || null : null });
      callLater(cb, details);
      return details;
    },
    getAPDetails(cb) {
      const details = rt.data({ status: radio.ap.enabled ? 'enabled' : 'disabled', stations: [], ssid: radio.ap.ssid, password: radio.ap.password, authMode: radio.ap.authMode, hidden: false, maxConn: 4, savedSsid: null });
      callLater(cb, details);
      return details;
    },
    setSNTP(server, zone) {
      const z = Number(zone) || 0;
      if (z < -11 || z > 13) throw rt.error('Timezone out of range');
      later(() => device.setClock(Date.now() + z * 3600 * 1000), 100);
    },
    save(what) {
      if (what === 'clear') return rt.device.storage.erase('.wificfg');
      const cfg = { mode: mode(), ssid: radio.station.ssid, password: radio.station.password,
        apSsid: radio.ap.enabled ? radio.ap.ssid : '', apPassword: radio.ap.password, apAuthMode: radio.ap.authMode, apChannel: radio.ap.channel };
      rt.device.storage.write('.wificfg', JSON.stringify(cfg), 0, undefined, rt.C);
    },
    restore,
    getHostByName(host, cb) {
      device.network.resolve(String(host)).then((ip) => callLater(cb, ip));
    },
    setHostname() {},
    getHostname(cb) { callLater(cb, 'espruino'); return 'espruino'; },
  });

  // An access point that disappears: 'disconnected' (beacon_timeout), open sockets die; the
  // SDK keeps trying, and rejoins when it is back.
  radio.listeners.length = 0;
  radio.listeners.push((what, ssid) => {
    if (rt.dead) return;
    const st = radio.station;
    if (what === 'lost' && st.status === 'connected' && st.ssid === ssid) {
      const mac = st.network.mac;
      radio.station = { status: 'connecting', ssid: st.ssid, password: st.password, network: null };
      rt.emitLater(wifi, 'disconnected', rt.data({ ssid, mac, reason: 'beacon_timeout' }));
      device.log('wifi', `"${ssid}" lost`);
      later(() => device.network.closeAll(), 0);
    }
    if (what === 'back' && st.status === 'connecting' && st.ssid === ssid) connect(st.ssid, { password: st.password }, undefined);
  });

  /** What ESP8266 Espruino does at every boot: apply .wificfg, or open the default AP on first boot. */
  rt.wifiBootRestore = () => {
    if (savedConfig()) restore();
    else radio.ap = { enabled: true, ssid: 'ESP_' + radio.mac.split(':').slice(3).join('').toUpperCase(), password: '', authMode: 'open', channel: 1 };
  };
  return wifi;
}
