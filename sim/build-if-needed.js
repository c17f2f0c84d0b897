// `npm start` builds the firmware package when a source file is newer than it.
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
  const image = path.join(root, 'dist', 'firmware.tcfw');
  const inputs = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'modules')),
    ...['tools/build.js', 'tools/firmware-package.js', 'tools/bundle-check.js', 'package.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  if (fs.existsSync(image) && fs.statSync(image).mtimeMs >= inputs) return image;
  log('sim', 'building dist/firmware.tcfw');
  const result = spawnSync(process.execPath, [path.join(root, 'tools', 'build.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('the firmware build failed');
  return image;
}

export { root };
