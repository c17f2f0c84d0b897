// Declarations for the Espruino APIs this firmware uses that @types/espruino lacks or types
// too loosely. Only what the ESP8266_4MB build really has (see shared/docs/espruino-api-reference.md).

declare const __FW_VERSION__: string;
declare const __AT_VERSION__: string;
/** How long softAP provisioning waits for the app: 5 minutes (tests build a shorter one). */
declare const __SAP_WAIT_MS__: number;
declare const __COMPILE_TIME__: string;
/** Whether tls_mode 1 (TLS-PSK) is taken: only in builds made with FIRMWARE_TLS_PSK=1 until it fits the board's RAM. */
declare const __TLS_PSK__: boolean;

declare function setTimeout(fn: (...args: any[]) => void, ms: number, ...args: any[]): number;
declare function setInterval(fn: (...args: any[]) => void, ms: number, ...args: any[]): number;
declare function clearTimeout(id: number): void;
declare function clearInterval(id: number): void;

declare var console: { log(...args: any[]): void };
declare var process: { env: { VERSION: string; BOARD: string; [key: string]: any }; memory(gc?: boolean): { free: number; usage: number; total: number } };

interface Object {
  on(event: string, listener: (...args: any[]) => void): void;
  emit(event: string, ...args: any[]): void;
  removeAllListeners(event?: string): void;
}

declare namespace E {
  function setConsole(device: Serial | string | null, options?: { force?: boolean }): void;
  function CRC32(data: any): number;
  function toString(...args: any[]): string;
  function toUint8Array(...args: any[]): Uint8Array;
  function getSizeOf(v: any, depth?: number): number;
  function reboot(): void;
}

interface StorageLib {
  read(name: string, offset?: number, length?: number): string | undefined;
  readJSON(name: string, noExceptions?: boolean): any;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: any, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  list(match?: RegExp | string): string[];
  getFree(): number;
  compact(): void;
}

interface WifiIPInfo { ip: string; netmask: string; gw: string; mac: string }
interface WifiLib {
  connect(ssid: string, options: { password?: string }, cb: (err: string | null) => void): void;
  scan(cb: (list: { ssid: string; mac: string; authMode: string; channel: number; rssi: number }[]) => void): void;
  getDetails(cb?: (details: any) => void): { status: string; ssid: string; rssi: number };
  getIP(cb?: (err: any, info: WifiIPInfo) => void): WifiIPInfo;
  getStatus(cb?: (status: any) => void): { mode: string; station: string; ap: string };
  disconnect(cb?: () => void): void;
  stopAP(cb?: () => void): void;
  save(what?: string): void;
  restore(): void;
  setSNTP(server: string, zone: number): void;
  startAP(ssid: string, options: { password?: string; authMode?: string; channel?: number }, cb: (err: any) => void): void;
}

interface TelnetServerLib { setOptions(options: { mode: 'on' | 'off' }): void }
interface ESP8266Lib { reboot(): void; getResetInfo(): { reason: string }; getState?(): { freeHeap: number } }

declare function require(name: 'Storage'): StorageLib;
declare function require(name: 'Wifi'): WifiLib;
declare function require(name: 'TelnetServer'): TelnetServerLib;
declare function require(name: 'ESP8266'): ESP8266Lib;
declare function require(name: string): any;
