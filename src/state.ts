// What the module is doing and what must outlast a command or an event, kept in the core
// while the modules that act on it are loaded and dropped (src/module-loader.ts).
export const activity = {
  mqttConnected: false,
  otaDownloading: false,
  /** While softAP provisioning runs: ends it (AT+TCSTOPSAP). */
  stopSap: null as null | (() => void),
  /** While provisioning waits for app_bind_token_reply on $thing/down/service. */
  onBindReply: null as null | ((reply: any) => void),
};

/** The parameters of the last AT+TCMQTTCONN (its query prints them). */
export const connParams = { tls: 0, timeout: 5000, keepalive: 240, clean: 1, reconnect: 1 };

/**
 * OTA (spec chapter 4): `enabled` and `version` as AT+TCOTASET set them; `readAt`
 * AT+TCREADFWDATA's offset; `pending` a report of the module's own update from this boot, sent
 * once OTA is enabled. (The staged MCU image's record stays in flash: src/cloud/download.ts.)
 */
export const ota = { enabled: false, version: '', readAt: 0, pending: null as null | any[] };
