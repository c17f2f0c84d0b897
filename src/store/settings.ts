// The module's stored settings, in RAM for every command to read; the boot module loads them
// and src/store/persist.ts keeps them in step with flash.

/** `n`: the order in which device and product info were set (the one set last is the newer). */
export interface DeviceInfo { tls: number; pid: string; dev: string; secret: string; region: string; n?: number }
export interface ProductInfo { tls: number; pid: string; secret: string; dev: string; region?: string; n?: number }
export interface ModuleInfo { name: string; flash: number; led: number; base: number; max: number; connId: number }

// Storage file names (each record uses two: name + 'a' / 'b').
// A const enum is inlined by the compiler: a module-level const would cost JsVars on the device.
export const enum Rec {
  Device = 'tcdev', Product = 'tcprd', Module = 'tcmod', Server = 'tcsrv', OtaInfo = 'tcota', Boot = 'tcboot', Wifi = 'tcwifi',
  /** A package of the module's own that failed its trial: {version, md5, reason}. */
  NoUpdate = 'tcnoupd',
  /** The debug console over WiFi (AT+TCDEBUG): {pw}; no record, no console. */
  Debug = 'tcdbg',
}

export type SettingKey = 'device' | 'product' | 'module' | 'server';

export const settings = {
  device: undefined as DeviceInfo | undefined,
  product: undefined as ProductInfo | undefined,
  module: undefined as any as ModuleInfo, // set at boot
  server: '',
};
