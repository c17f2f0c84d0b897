// npm run test:espruino: the UART tests with the firmware on a real Espruino interpreter
// built for Linux (ESPRUINO_BIN) instead of the simulator.
import { spawnSync } from 'node:child_process';

const bin = process.env.ESPRUINO_BIN;
if (!bin) {
  console.log('test:espruino skipped: ESPRUINO_BIN does not name an Espruino interpreter built for Linux');
  process.exit(0);
}
const UART_TESTS = ['test/at-engine.test.js', 'test/device-info.test.js', 'test/power-cut.test.js', 'test/uart-pty.test.js',
  'test/credentials.test.js', 'test/md5.test.js', 'test/mqtt.test.js', 'test/mqtt-link.test.js', 'test/mqtt-tls.test.js', 'test/mqtt-keepalive.test.js',
  'test/self-update.test.js', 'test/self-update-rollback.test.js', 'test/registration.test.js', 'test/wifi.test.js', 'test/provisioning.test.js'];
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=120000', ...UART_TESTS], {
  stdio: 'inherit',
  env: { ...process.env, ESPRUINO_UNDER_TEST: bin },
});
process.exit(result.status ?? 1);
