// Restarts, and the two restores that end in one.
import { cme, help, settingsRefusal } from './reply';
import { eraseCloudSettings } from '../store/persist';

/** Restarts after the UART has had time to send what is queued (~100 bytes per 10 ms at 115200). */
export function restartSoon(): void {
  setTimeout(function () {
    require('ESP8266').reboot();
  }, 100);
}

/**
 * AT+TCRESTORE (cloud identity and OTA state) and AT+RESTORE (that and the saved WiFi):
 * refused while MQTT or OTA runs; else OK, erase, restart. Module info always stays.
 */
export function restoreAndRestart(withWifi: boolean): boolean {
  const refusal = settingsRefusal();
  if (refusal) return cme(refusal);
  eraseCloudSettings(withWifi);
  if (withWifi) {
    const wifi = require('Wifi');
    wifi.disconnect();
    wifi.save('clear');
  }
  restartSoon();
  return help('');
}
