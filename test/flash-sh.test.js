// flash.sh without a board: its dry run, and what the espruino tool would send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/module.js';
import { buildEntry } from './helpers/build.js';
import { unpack } from '../tools/firmware-package.js';

const flash = (...args) => spawnSync('bash', [path.join(ROOT, 'flash.sh'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });

test('the dry run prints every step for a 2 MB chip: erase, flash layout, build, version check, upload of the selector and the package', () => {
  const r = flash('--dry-run', '--port', '/dev/ttyS9', '--baud', '74880');
  assert.equal(r.status, 0, r.stderr);
  const steps = r.stdout.split('\n').filter((l) => l.startsWith('+ '));
  assert.equal(steps.length, 5);
  assert.match(steps[0], /erase_flash$/);
  assert.match(steps[1], /--port \/dev\/ttyS9 .*write_flash .*--flash_size 2MB-c1 0x0000 \S+\/boot_v1\.6\.bin 0x1000 \S+\/espruino_esp8266_user1\.bin 0x1FC000 \S+\/esp_init_data_default\.bin 0x1FE000 \S+\/blank\.bin$/);
  // The pinned build keeps UART bursts (the 2v29 release does not): checked on the board before the upload.
  assert.match(steps[1], /espruino_2v29\.277_esp8266_4mb\//);
  assert.match(steps[2], /npm run --silent build$/);
  assert.match(steps[3], /espruino-cli\.js --port \/dev\/ttyS9 -b 74880 --no-ble -e print\("VERSION="\+process\.env\.VERSION\)$/);
  assert.doesNotMatch(flash('--dry-run', '--any-espruino').stdout, /VERSION=/);
  assert.match(steps[4], /espruino-cli\.js --port \/dev\/ttyS9 -b 74880 .*--storage \.bootcde:\S+\/\.bootcde --storage fw:\S+\/fw -e .*"tcboota","tcbootb","tctried","fwa","fwb".*E\.reboot\(\)$/);
});

test('a 4 MB chip gets its own flash-size header and init data address', () => {
  const r = flash('--dry-run', '--flash-size', '4');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--flash_size 4MB-c1 .* 0x3FC000 \S+ 0x3FE000 /);
  assert.equal(flash('--dry-run', '--flash-size', '3').status, 2);
});

test('--recover erases only the Storage area; --upload-only skips esptool; bad options are refused', () => {
  assert.match(flash('--dry-run', '--recover').stdout, /erase_region 0xCB000 0x30000/);
  const upload = flash('--dry-run', '--upload-only').stdout;
  assert.doesNotMatch(upload, /esptool/);
  assert.match(upload, /--storage \.bootcde:/);
  assert.equal(flash('--frobnicate').status, 2);
});

test('what the espruino tool would send stores the selector as .bootcde and the package as fw, unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-'));
  const image = path.join(dir, 'firmware.tcfw');
  assert.ok(buildEntry('src/main.ts', image).ok);
  const out = path.join(dir, 'upload.js');
  const r = flash('--image', image, '--output', out);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // The tool sends Storage.write(name, atob(chunk), offset[, total size]) lines.
  const sent = fs.readFileSync(out, 'latin1');
  const stored = (name) => {
    const writes = [...sent.matchAll(new RegExp(`require\\("Storage"\\)\\.write\\("${name.replace('.', '\\.')}",atob\\("([A-Za-z0-9+/=]*)"\\)(?:,(\\d+))?(?:,(\\d+))?\\)`, 'g'))];
    assert.ok(writes.length > 0, `${name} in ${sent.slice(0, 200)}`);
    const bytes = Buffer.alloc(writes[0][3] ? Number(writes[0][3]) : Buffer.from(writes[0][1], 'base64').length, 0xff);
    for (const [, data, offset] of writes) Buffer.from(data, 'base64').copy(bytes, Number(offset || 0));
    return bytes;
  };
  const expected = fs.readFileSync(image);
  assert.ok(stored('fw').equals(expected), 'fw is the package, byte for byte');
  assert.equal(stored('.bootcde').toString('latin1'), unpack(expected).parts.boot, '.bootcde is its selector');
  assert.equal(flash('--image', path.join(dir, 'missing.tcfw'), '--output', out).status, 2, 'a missing image is refused');
});
