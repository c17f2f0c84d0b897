// Chapter 1.3: the ESP-AT basics MCU software sends first.
import { Command, setEcho } from '../at/engine';
import { sendLine } from '../at/output';
import { ok, settingsRefusal, cme } from './reply';
import { restartSoon } from './restart';
import { eraseCloudSettings } from '../store/settings';
import { FW_VERSION, COMPILE_TIME } from '../version';

export const AT: Command = { exec: ok };

export const ATE0: Command = {
  exec: function () {
    setEcho(false);
    ok();
  },
};

export const ATE1: Command = {
  exec: function () {
    setEcho(true);
    ok();
  },
};

export const RST: Command = {
  exec: function () {
    ok();
    restartSoon();
  },
};

export const GMR: Command = {
  exec: function () {
    sendLine('AT version:' + FW_VERSION + '(' + COMPILE_TIME + ')');
    sendLine('SDK version:Espruino ' + process.env.VERSION);
    sendLine('compile time:' + COMPILE_TIME);
    ok();
  },
};

/** Factory reset: everything but module info (the hardware's description), WiFi included. */
export const RESTORE: Command = {
  exec: function () {
    const refusal = settingsRefusal();
    if (refusal) return cme(refusal);
    ok();
    eraseCloudSettings();
    const wifi = require('Wifi');
    wifi.disconnect();
    wifi.save('clear');
    restartSoon();
  },
};
