// What the module is doing right now, as far as commands must refuse things (+CME ERROR:208
// while MQTT is connected, 200 while an OTA download runs).
export const activity = {
  mqttConnected: false,
  otaDownloading: false,
  /** While softAP provisioning runs: ends it (AT+TCSTOPSAP). */
  stopSap: null as null | (() => void),
  /** While provisioning waits for app_bind_token_reply on $thing/down/service. */
  onBindReply: null as null | ((reply: any) => void),
};
