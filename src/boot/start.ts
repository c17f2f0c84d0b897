// What every boot does once, before the firmware answers the MCU (the module modules/start.ts,
// dropped as soon as it has run): the settings and the staged MCU image's record into RAM, the
// radio's events to their URCs, the saved WiFi brought back if a power cut took it, and the
// module's own update confirmed or rolled back.
import { settings, Rec } from '../store/settings';
import { loadRecord, saveRecord, storage } from '../store/records';
import { activity, ota } from '../state';
import { onWifiEvent } from '../commands/wifi-events';
import { OtaErr } from '../cloud/download';
import { report } from '../cloud/ota-reports';
import { loadModule, Mod } from '../module-loader';

const enum Boot { Factory = 'fw', Tried = 'tctried', ConfirmAfterMs = 10000 }

export function boot(): void {
  settings.device = loadRecord(Rec.Device);
  settings.product = loadRecord(Rec.Product);
  // The default is written here, not kept as a constant: it would stay in RAM beside a stored one.
  settings.module = loadRecord(Rec.Module) || { name: 'ESP-WROOM-02D', flash: 2, led: 0, base: 0x111000, max: 716800, connId: 1 };
  settings.server = loadRecord(Rec.Server) || '';

  const wifi = require('Wifi');
  wifi.on('associated', onWifiEvent);
  wifi.on('connected', onWifiEvent);
  wifi.on('disconnected', onWifiEvent);
  // The runtime joins the network in .wificfg at boot; a cut while that file was rewritten
  // (trash first, then the new copy) loses it, and the record brings it back.
  const joined = loadRecord(Rec.Wifi);
  if (joined && !storage.read('.wificfg')) {
    wifi.connect(joined.ssid, { password: joined.password }, function () {});
    wifi.save();
  }
  confirmUpdate();
  // A station already up at boot gave its event before there was a listener.
  if (loadRecord(Rec.Debug)) loadModule(Mod.Debug).openHeld();
}

/**
 * The module's own update (src/cloud/download.ts stored the trial): a trial package that runs
 * and is the version ordered confirms itself after a while; one that says it is another version
 * gives way to the previous image at once (it is not what was ordered: kept, the hub would order
 * it again, forever). The boot after a failed trial erases it, remembers it so that it is never
 * downloaded again, and reports the failure once OTA is enabled.
 */
function confirmUpdate(): void {
  const record = loadRecord(Rec.Boot);
  if (!record) return;
  const here: string = (global as any).FWIMAGE || Boot.Factory;
  if (record.trial && record.run === here && record.version !== __FW_VERSION__) {
    saveRecord(Rec.Boot, { run: record.prev, failed: record.version, slot: here, md5: record.md5,
      reason: 'the package says it is version ' + __FW_VERSION__ });
    require('ESP8266').reboot();
    return;
  }
  if (record.failed || (record.trial && record.run !== here)) {
    const version = record.failed || record.version;
    const reason = record.reason || 'the package did not start';
    storage.erase(Boot.Tried);
    saveRecord(Rec.Boot, { run: here });
    storage.erase(record.slot || record.run);
    saveRecord(Rec.NoUpdate, { version: version, md5: record.md5, reason: reason });
    ota.pending = ['fail', OtaErr.Upgrade, version, reason];
    return;
  }
  if (!record.trial) return;
  setTimeout(function () {
    const trial = (global as any).FWTRIAL;
    if (trial) clearTimeout(trial);
    saveRecord(Rec.Boot, { run: here, prev: record.prev });
    storage.erase(Boot.Tried);
    ota.pending = ['done', 0, record.version];
    if (ota.enabled && activity.mqttConnected) {
      report(true, 'done', 100, 0, record.version);
      ota.pending = null;
    }
  }, Boot.ConfirmAfterMs);
}
