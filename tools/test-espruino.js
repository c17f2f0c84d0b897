// npm run test:espruino: the UART tests with the firmware on a real Espruino interpreter
// built for Linux (ESPRUINO_BIN) instead of the simulator. Refused unless the interpreter has
// the ESP8266's memory (1600 variables of 12 bytes: a 32-bit build) and keeps every byte of a
// burst on its UART (Espruino 2v29 does not: see tools/espruino-build.js).
import { spawnSync } from 'node:child_process';
import { interpreterInfo, uartBurstCheck } from './espruino-build.js';

const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('test:espruino skipped: ESPRUINO_BIN does not name an Espruino interpreter built for Linux');
  process.exit(0);
}
const info = interpreterInfo(bin);
console.log(`test:espruino on Espruino ${info.version} (${info.commit}): ${info.total} variables of ${info.blocksize} bytes`);
if (info.blocksize !== 12 || info.total !== 1600) {
  console.error('test:espruino needs the ESP8266\'s memory model: 1600 variables of 12 bytes (build it 32-bit: see README, "On the real Espruino interpreter")');
  process.exit(1);
}
const burst = await uartBurstCheck(bin);
if (!burst.ok) {
  console.error(`this interpreter loses UART input: ${burst.sent} bytes sent at once, ${burst.got} arrived as sent (Espruino issue #2718, fixed by commit a3f0859 after 2v29)`);
  process.exit(1);
}
const UART_TESTS = ['test/at-engine.test.js', 'test/device-info.test.js', 'test/power-cut.test.js', 'test/uart-pty.test.js',
  'test/credentials.test.js', 'test/md5.test.js', 'test/mqtt.test.js', 'test/mqtt-link.test.js', 'test/mqtt-tls.test.js', 'test/mqtt-keepalive.test.js',
  'test/self-update.test.js', 'test/self-update-rollback.test.js', 'test/registration.test.js', 'test/wifi.test.js', 'test/provisioning.test.js',
  'test/tls-crypto.test.js', 'test/debug-console.test.js', 'test/device-run.test.js'];
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=120000', ...UART_TESTS], {
  stdio: 'inherit',
  env: { ...process.env, ESPRUINO_UNDER_TEST: bin },
});
process.exit(result.status ?? 1);
