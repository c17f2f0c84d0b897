// Builds a firmware entry through the project's own rollup config (and its Espruino checks).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './module.js';

/** `env`: more variables for the build, e.g. FIRMWARE_VERSION for a bundle that says it is another version. */
export function buildEntry(entry, out, env = {}) {
  const rollup = path.join(ROOT, 'node_modules', 'rollup', 'dist', 'bin', 'rollup');
  const result = spawnSync(process.execPath, [rollup, '-c'], {
    cwd: ROOT,
    env: { ...process.env, FIRMWARE_ENTRY: entry, FIRMWARE_OUT: out, ...env },
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}
