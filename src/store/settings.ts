// The module's stored settings, loaded once at boot and kept in step with flash.
import { loadRecord, saveRecord, eraseRecord } from './records';

export interface DeviceInfo { tls: number; pid: string; dev: string; secret: string; region: string }
export interface ProductInfo { tls: number; pid: string; secret: string; dev: string }
export interface ModuleInfo { name: string; flash: number; led: number; base: number; max: number; connId: number }

// Storage file names (each record uses two: name + 'a' / 'b').
// A const enum is inlined by the compiler: a module-level const would cost JsVars on the device.
export const enum Rec {
  Device = 'tcdev', Product = 'tcprd', Module = 'tcmod', Server = 'tcsrv', OtaInfo = 'tcota', CaCert = 'tcca', TlsFallback = 'tctlsfb',
  Boot = 'tcboot', Wifi = 'tcwifi',
}

export type SettingKey = 'device' | 'product' | 'module' | 'server' | 'tlsFallback';


export const settings = {
  device: undefined as DeviceInfo | undefined,
  product: undefined as ProductInfo | undefined,
  module: undefined as any as ModuleInfo, // set below, at boot
  server: '',
  /** The user allowed TLS mode 1 to run as mode 0 where the runtime has no TLS. */
  tlsFallback: 0,
};

// Loaded when the bundle starts (run once in place: a named function kept for one call would hold RAM for
// as long as the firmware runs).
(function () {
  settings.device = loadRecord(Rec.Device);
  settings.product = loadRecord(Rec.Product);
  // The default is written here, not kept as a constant: it would stay in RAM beside a stored one.
  settings.module = loadRecord(Rec.Module) || { name: 'ESP-WROOM-02D', flash: 2, led: 0, base: 0x111000, max: 716800, connId: 1 };
  settings.server = loadRecord(Rec.Server) || '';
  settings.tlsFallback = loadRecord(Rec.TlsFallback) || 0;
  // The runtime joins the network in .wificfg at boot; a cut while that file was rewritten
  // (trash first, then the new copy) loses it, and the record brings it back.
  const joined = loadRecord(Rec.Wifi);
  if (joined && !require('Storage').read('.wificfg')) {
    const wifi = require('Wifi');
    wifi.connect(joined.ssid, { password: joined.password }, function () {});
    wifi.save();
  }
})();

/** Saves one record and, only when flash took it, the copy in RAM. */
export function store(name: string, key: SettingKey, value: any): boolean {
  if (!saveRecord(name, value)) return false;
  (settings as any)[key] = value;
  return true;
}

/** AT+TCRESTORE: the cloud identity and OTA state go; module info and WiFi stay. A factory reset also drops the TLS fallback and the WiFi. */
export function eraseCloudSettings(factory: boolean): void {
  if (factory) {
    eraseRecord(Rec.TlsFallback);
    eraseRecord(Rec.Wifi);
  }
  eraseRecord(Rec.Device);
  eraseRecord(Rec.Product);
  eraseRecord(Rec.Server);
  eraseRecord(Rec.OtaInfo);
  eraseRecord(Rec.CaCert);
}

/** The CA stored by AT+TCCASET, as Espruino's tls.connect takes it (DER bytes), or null. Read only when needed: it is large. */
export function caCertificate(): string | null {
  const body = loadRecord(Rec.CaCert);
  return body ? atob(body) : null;
}
