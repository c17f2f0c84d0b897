// Settings written to flash and to the copy in RAM together.
import { saveRecord, eraseRecord } from './records';
import { settings, Rec, SettingKey } from './settings';

/** Saves one record and, only when flash took it, the copy in RAM. */
export function store(name: string, key: SettingKey, value: any): boolean {
  if (!saveRecord(name, value)) return false;
  (settings as any)[key] = value;
  return true;
}

/** AT+TCRESTORE: the cloud identity and OTA state go; module info and WiFi stay. A factory reset also drops the WiFi and the debug console. */
export function eraseCloudSettings(factory: boolean): void {
  if (factory) {
    eraseRecord(Rec.Wifi);
    eraseRecord(Rec.Debug);
  }
  eraseRecord(Rec.Device);
  eraseRecord(Rec.Product);
  eraseRecord(Rec.Server);
  eraseRecord(Rec.OtaInfo);
}
