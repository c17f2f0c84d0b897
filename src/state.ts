// What the module is doing right now, as far as commands must refuse things (+CME ERROR:208
// while MQTT is connected, 200 while an OTA download runs).
export const activity = {
  mqttConnected: false,
  otaDownloading: false,
};
