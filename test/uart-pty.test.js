// --uart PATH: the simulator talks to an MCU through a pty (as it would through a USB-UART).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, tempState, REAL_ESPRUINO } from './helpers/module.js';

const python = spawnSync('python3', ['--version']).status === 0;

test('the UART on a pty answers AT commands; ready is the first line the MCU reads', { skip: python ? false : 'python3 is needed to open a pty' }, () => {
  const result = spawnSync('python3', [path.join(ROOT, 'test', 'helpers', 'pty-mcu.py'), process.execPath, tempState(), ...(REAL_ESPRUINO ? ['--espruino', REAL_ESPRUINO] : [])], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
  assert.match(result.stdout, /^CLI READY uart=\/dev\/pts\/\d+/m, result.stderr);
  // Nothing before `ready` (the console's move prints nothing, and no empty line comes first).
  // The saved network's join URCs may follow the answers when the reads race with it.
  assert.match(result.stdout, /^UART b'ready\\r\\nATE0\\r\\nOK\\r\\n\+TCMODINFOSET:"ESP-WROOM-02D",2,0,1118208,716800,1\\r\\nOK\\r\\n(WIFI CONNECTED\\r\\nWIFI GOT IP\\r\\n)?'$/m);
});
