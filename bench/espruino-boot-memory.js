#!/usr/bin/env node
// JsVars the firmware holds after boot, on the real Espruino interpreter (a 32-bit build with
// 1600 variables has the ESP8266's 12-byte blocks; another is labelled as not the board's).
//   ESPRUINO_BIN=/path/to/espruino node bench/espruino-boot-memory.js [bundle]
// ESPRUINO_BIN must be a Linux build of Espruino with 1600 variables (like the ESP8266's).
// The bundle is stored as Storage's .bootcde, as on the board (function bodies stay in
// flash), with the shims of sim/espruino-host.js and the UART on a Loopback pair. The same boot is run with an empty bundle to subtract the harness's own use.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installScript } from '../sim/espruino-host.js';
import { interpreterInfo } from '../tools/espruino-build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('skipped: set ESPRUINO_BIN to an Espruino interpreter built for Linux with 1600 variables');
  process.exit(0);
}

// Runs before .bootcde: the console stays on stdout for the report; Serial1 becomes a Loopback.
const BOOT0 = 'E.setConsole=function(){};Serial1=LoopbackB;var out="";LoopbackA.on("data",function(d){out+=d;});';
const BOOT1 = 'setTimeout(function(){LoopbackA.write("AT\\r\\n");},50);'
  + 'setTimeout(function(){console.log("RESULT "+JSON.stringify({out:out,usage:process.memory().usage,total:process.memory().total}));},300);';

function boot(code) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-'));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no result from ${bin}:\n${output.slice(-2000)}`)); }, 15000);
    child.stdout.on('data', (d) => {
      output += d;
      const m = output.match(/RESULT (\{.*\})/);
      if (m) { clearTimeout(timer); child.kill('SIGKILL'); resolve(JSON.parse(m[1])); }
    });
    child.stdin.on('error', () => {});
    child.stdin.write(installScript(code, { '.boot0': BOOT0, '.boot1': BOOT1 }));
  });
}

const bundlePath = process.argv[2] || path.join(root, 'dist', 'firmware.tcfw');
const code = fs.readFileSync(bundlePath, 'latin1');
// The harness alone: the same boot with a firmware that only loads the shims standing in for
// the board's own Wifi and ESP8266 modules.
const harness = await boot('require("Wifi");require("ESP8266");var idle=1;');
const firmware = await boot(code);
if (!/^ready\r\n/.test(firmware.out) || !/AT\r\nOK\r\n/.test(firmware.out)) {
  console.error(`the firmware did not answer as expected on the real interpreter: ${JSON.stringify(firmware.out)}`);
  process.exit(1);
}
const info = interpreterInfo(bin);
console.log(`Espruino ${info.version} (${info.commit}), ${info.total} variables of ${info.blocksize} bytes${info.blocksize === 12 && info.total === 1600 ? '' : ': NOT the ESP8266\'s memory model, not its figure'}`);
console.log(`firmware ${bundlePath}: ${code.length} bytes`);
console.log(`JsVars in use after boot: ${firmware.usage} of ${firmware.total} (harness alone: ${harness.usage}; firmware: ${firmware.usage - harness.usage})`);
