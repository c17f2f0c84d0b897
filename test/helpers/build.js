// Builds firmware through the project's own build (tools/build.js) and its Espruino checks.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './module.js';

/**
 * `out` ending in .tcfw: a firmware package whose core is `entry` (src/main.ts, or a probe that
 * uses the real modules); otherwise one plain bundle of `entry`. `env`: more variables for the
 * build, e.g. FIRMWARE_VERSION for firmware that says it is another version.
 */
export function buildEntry(entry, out, env = {}) {
  const args = out.endsWith('.tcfw') ? ['--core', entry] : ['--entry', entry];
  const result = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'build.js'), ...args, '--out', out], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}
