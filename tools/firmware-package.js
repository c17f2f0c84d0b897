// The firmware package: the one file `npm run build` makes (dist/firmware.tcfw), flash.sh and
// the simulator install, and a self-update downloads. An ASCII header line gives the format,
// the version and where each part lies (absolute offset and length); the parts follow:
//   TCFW1 <version> boot:<off>:<len> core:<off>:<len> <part>:<off>:<len>[:<needs>] ...\n<parts>
// `boot` is the image selector installed as Storage's .bootcde; `core` is the resident
// firmware; every other part is a module (or a helper part modules share) that the core loads
// from flash only while it needs it; <needs> lists the helper parts it requires, joined by +.
// On the device the header is read with Storage.read(file, 0, HEADER_MAX) and searched for
// " <name>:", so the parts are never copied to RAM.

export const MAGIC = 'TCFW1';
export const HEADER_MAX = 1024;

/** `parts`: [[name, code, needs?], ...] in the order they are stored. Returns the package as a Buffer. */
export function pack(version, parts) {
  if (!/^[0-9A-Za-z._-]{1,32}$/.test(version)) throw new Error(`bad package version ${JSON.stringify(version)}`);
  const names = new Set();
  for (const [name] of parts) {
    if (!/^[a-z][a-z0-9]*$/.test(name) || names.has(name)) throw new Error(`bad or repeated part name ${JSON.stringify(name)}`);
    names.add(name);
  }
  let headerLength = 0;
  for (;;) {
    let offset = headerLength;
    const fields = parts.map(([name, code, needs = []]) => {
      const field = `${name}:${offset}:${Buffer.byteLength(code, 'latin1')}${needs.length ? `:${needs.join('+')}` : ''}`;
      offset += Buffer.byteLength(code, 'latin1');
      return field;
    });
    const header = `${MAGIC} ${version} ${fields.join(' ')}\n`;
    if (header.length === headerLength) {
      if (header.length > HEADER_MAX) throw new Error(`the package header is ${header.length} bytes, over ${HEADER_MAX}`);
      return Buffer.concat([Buffer.from(header, 'latin1'), ...parts.map(([, code]) => Buffer.from(code, 'latin1'))]);
    }
    headerLength = header.length;
  }
}

export function isPackage(bytes) {
  return Buffer.from(bytes).subarray(0, MAGIC.length + 1).toString('latin1') === `${MAGIC} `;
}

/** {version, parts: {name: code}, layout: [{name, offset, length, needs}]}; throws on a malformed package. */
export function unpack(bytes) {
  const buffer = Buffer.from(bytes);
  if (!isPackage(buffer)) throw new Error('not a firmware package (no TCFW1 header)');
  const end = buffer.indexOf(10);
  if (end < 0 || end >= HEADER_MAX) throw new Error('the firmware package header has no end');
  const [, version, ...fields] = buffer.subarray(0, end).toString('latin1').split(' ');
  const layout = fields.map((field) => {
    const [name, offset, length, needs] = field.split(':');
    return { name, offset: Number(offset), length: Number(length), needs: needs ? needs.split('+') : [] };
  });
  const parts = {};
  for (const { name, offset, length } of layout) {
    if (!(offset > end && offset + length <= buffer.length)) throw new Error(`part ${name} lies outside the package`);
    parts[name] = buffer.subarray(offset, offset + length).toString('latin1');
  }
  if (!parts.boot || !parts.core) throw new Error('the firmware package lacks its boot or core part');
  return { version, parts, layout };
}

/** Storage names flash.sh erases on install: the boot record, the trial mark and the self-update slots. */
export const UPDATE_FILES = ['tcboota', 'tcbootb', 'tctried', 'fwa', 'fwb'];

/**
 * The Storage files an install writes, as {name: latin1 string}: for a package its selector as
 * .bootcde and the package itself as "fw"; a plain bundle (a test probe) is .bootcde alone.
 */
export function storageFiles(bytes) {
  const buffer = Buffer.from(bytes);
  if (!isPackage(buffer)) return { '.bootcde': buffer.toString('latin1') };
  return { '.bootcde': unpack(buffer).parts.boot, fw: buffer.toString('latin1') };
}

// node tools/firmware-package.js files IMAGE DIR: writes the Storage files of an install into DIR (flash.sh uploads them).
// node tools/firmware-package.js version IMAGE: prints the package's version.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [command, image, dir] = process.argv.slice(2);
  const fs = await import('node:fs');
  const path = await import('node:path');
  try {
    const bytes = fs.readFileSync(image);
    if (command === 'files' && dir) {
      for (const [name, data] of Object.entries(storageFiles(bytes))) fs.writeFileSync(path.join(dir, name), data, 'latin1');
    } else if (command === 'version') {
      console.log(unpack(bytes).version);
    } else {
      console.error('usage: firmware-package.js files IMAGE DIR | version IMAGE');
      process.exit(2);
    }
  } catch (err) {
    console.error(`firmware-package.js: ${err.message}`);
    process.exit(2);
  }
}
