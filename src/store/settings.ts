// The module's stored settings, loaded once at boot and kept in step with flash.
import { loadRecord, saveRecord, eraseRecord } from './records';

export interface DeviceInfo { tls: number; pid: string; dev: string; secret: string; region: string }
export interface ProductInfo { tls: number; pid: string; secret: string; dev: string }
export interface ModuleInfo { name: string; flash: number; led: number; base: number; max: number; connId: number }

// Storage file names (each record uses two: name + 'a' / 'b').
export const DEVICE = 'tcdev';
export const PRODUCT = 'tcprd';
export const MODULE = 'tcmod';
export const SERVER = 'tcsrv';
export const OTA_INFO = 'tcota';
export const CA_CERT = 'tcca';
export const TLS_FALLBACK = 'tctlsfb';

export type SettingKey = 'device' | 'product' | 'module' | 'server' | 'tlsFallback';

export const DEFAULT_MODULE: ModuleInfo = { name: 'ESP-WROOM-02D', flash: 2, led: 0, base: 0x111000, max: 716800, connId: 1 };

export const settings = {
  device: undefined as DeviceInfo | undefined,
  product: undefined as ProductInfo | undefined,
  module: DEFAULT_MODULE,
  server: '',
  /** The user allowed TLS mode 1 to run as mode 0 where the runtime has no TLS. */
  tlsFallback: 0,
};

export function loadSettings(): void {
  settings.device = loadRecord(DEVICE);
  settings.product = loadRecord(PRODUCT);
  settings.module = loadRecord(MODULE) || DEFAULT_MODULE;
  settings.server = loadRecord(SERVER) || '';
  settings.tlsFallback = loadRecord(TLS_FALLBACK) || 0;
}

/** Saves one record and, only when flash took it, the copy in RAM. */
export function store(name: string, key: SettingKey, value: any): boolean {
  if (!saveRecord(name, value)) return false;
  (settings as any)[key] = value;
  return true;
}

/** AT+TCRESTORE: the cloud identity and OTA state go; module info and WiFi stay. A factory reset also drops the TLS fallback. */
export function eraseCloudSettings(factory: boolean): void {
  if (factory) eraseRecord(TLS_FALLBACK);
  eraseRecord(DEVICE);
  eraseRecord(PRODUCT);
  eraseRecord(SERVER);
  eraseRecord(OTA_INFO);
  eraseRecord(CA_CERT);
}

/** The CA stored by AT+TCCASET, as Espruino's tls.connect takes it (DER bytes), or null. Read only when needed: it is large. */
export function caCertificate(): string | null {
  const body = loadRecord(CA_CERT);
  return body ? atob(body) : null;
}
