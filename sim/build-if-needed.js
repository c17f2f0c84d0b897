// `npm start` builds the bundle when a source file is newer than it.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function buildIfNeeded(log) {
  const bundle = path.join(root, 'dist', 'firmware.js');
  const inputs = Math.max(newestMtime(path.join(root, 'src')), fs.statSync(path.join(root, 'rollup.config.js')).mtimeMs, fs.statSync(path.join(root, 'package.json')).mtimeMs);
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= inputs) return bundle;
  log('sim', 'building dist/firmware.js');
  const rollup = path.join(root, 'node_modules', 'rollup', 'dist', 'bin', 'rollup');
  const result = spawnSync(process.execPath, [rollup, '-c', '--silent'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('the firmware build failed');
  return bundle;
}

export { root };
