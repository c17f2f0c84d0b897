// The station's state and its URCs, as ESP-AT prints them: WIFI CONNECTED, WIFI GOT IP and
// WIFI DISCONNECT whenever the station joins or loses its network (losing it also breaks the
// MQTT link). Resident: the radio's events come at any time.
import { sendLine, urc } from '../at/output';
import { heldModule, loadModule, Mod } from '../module-loader';
import { Rec } from '../store/settings';
import { LinkErr } from '../net/mqtt-client';

/** The joined network (Espruino's getDetails has no BSSID or channel: they come with 'associated'); a join in progress (AT+CWJAP). */
export const station = { up: false, ssid: '', mac: '', channel: 0, join: null as null | ((code: number) => void), quietUntil: 0 };

/** Wifi's 'associated', 'connected' and 'disconnected' events, told apart by their fields. */
export function onWifiEvent(e: any): void {
  if (e.reason !== undefined) {
    const link = heldModule(Mod.Link);
    if (link) link.mqttBreak(LinkErr.NoConn);
    if (!station.up) return;
    station.up = false;
    // Within AT+CWJAP the line belongs to the command's output, before its result.
    return station.join ? sendLine('WIFI DISCONNECT') : urc('WIFI DISCONNECT');
  }
  if (e.channel !== undefined) {
    station.ssid = e.ssid;
    station.mac = e.mac;
    station.channel = e.channel;
    return;
  }
  station.up = true;
  // The debug console (AT+TCDEBUG) only when its record is in flash: the check costs no RAM.
  if (require('Storage').read(Rec.Debug + 'a', 0, 1) || require('Storage').read(Rec.Debug + 'b', 0, 1)) loadModule(Mod.Debug).openHeld();
  if (station.join) return station.join(0);
  if (getTime() > station.quietUntil) {
    urc('WIFI CONNECTED');
    urc('WIFI GOT IP');
  }
}
