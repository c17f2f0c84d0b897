#!/usr/bin/env node
// npm run build: the firmware package dist/firmware.tcfw (see tools/firmware-package.js).
//
//   node tools/build.js [--version V] [--out FILE]      the package
//   node tools/build.js --core FILE.ts --out FILE.tcfw   the package with another core (test probes)
//   node tools/build.js --entry FILE.ts --out FILE.js    one plain bundle (standalone probes)
//
// The core is src/main.ts and every file it imports: it stays in RAM for as long as the
// firmware runs. Each file in modules/ is an on-demand module: it and the files only it needs
// are bundled into one part that the core loads from flash when it needs it and drops after
// (src/module-loader.ts). A module reaches the core's files through the core's exports, so
// state lives once: the build lets the core export exactly what the modules import from it.
// Every part is TypeScript 5.9 lowered to ES5, minified by terser, and refused by
// tools/bundle-check.js if Espruino could not run it. FIRMWARE_VERSION,
// FIRMWARE_SAP_WAIT_MS and FIRMWARE_TLS_PSK set build-time values (tests build variants with them).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';
import replace from '@rollup/plugin-replace';
import { minify } from 'terser';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import { checkBundle } from './bundle-check.js';
import { compileTime } from './compile-time.js';
import { pack } from './firmware-package.js';
import { hoistVars } from './hoist-vars.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const { values } = parseArgs({ options: { entry: { type: 'string' }, core: { type: 'string' }, out: { type: 'string' }, version: { type: 'string' } } });
const version = values.version || process.env.FIRMWARE_VERSION || pkg.version;
const CORE_ENTRY = path.resolve(root, values.core || 'src/main.ts');
const BOOT_SOURCE = path.join(root, 'src', 'boot', 'select-image.js');
const MODULES_DIR = path.join(root, 'modules');

const TERSER = {
  ecma: 5,
  // No inlining: with it, Espruino 2v29 running code from flash lost outer functions
  // (they became Objects: "Expecting function, got Object") after a few commands.
  // No collapse_vars: it folds straight-line code like MD5's steps into one expression of
  // dozens of nested assignments, which leaks memory on Espruino (tools/bundle-check.js).
  compress: { passes: 2, inline: false, collapse_vars: false, hoist_vars: true },
  // FIRMWARE_MANGLE=0 keeps the source's names (to read a memory breakdown by name; the names then cost RAM).
  mangle: process.env.FIRMWARE_MANGLE !== '0',
  format: { ascii_only: true, comments: false },
};

function plugins() {
  return [
    replace({
      preventAssignment: true,
      values: {
        __FW_VERSION__: JSON.stringify(version),
        __AT_VERSION__: JSON.stringify('QCloud_AT_ESP8266_v2.0.0-ts' + version),
        __COMPILE_TIME__: JSON.stringify(compileTime()),
        __SAP_WAIT_MS__: String(Number(process.env.FIRMWARE_SAP_WAIT_MS) || 300000),
        __TLS_PSK__: process.env.FIRMWARE_TLS_PSK === '1' ? 'true' : 'false',
      },
    }),
    typescript({
      tsconfig: path.join(root, 'tsconfig.json'), noEmitOnError: true, outDir: undefined,
      include: ['src/**/*.ts', 'modules/**/*.ts', 'test/fixtures/**/*.ts', 'test/device/**/*.ts', 'bench/**/*.ts'],
    }),
  ];
}

/** Minifies one part (a module's top level is its own scope, so its names are mangled too), hoists its vars and checks it. */
async function finishPart(name, code, { toplevel }) {
  const out = { code: hoistVars((await minify(code, { ...TERSER, toplevel })).code) };
  const problems = checkBundle(out.code);
  if (problems.length) {
    throw new Error(`${name} cannot run on Espruino:\n${problems.map((p) => `  ${name}:${p.line}:${p.column} ${p.message}`).join('\n')}`);
  }
  return out.code;
}

function failOnWarning(warning) {
  throw new Error(`build warning: ${warning.message}`);
}

/** The parts: every chunk of one code-splitting build (core, modules, helpers modules share), as CommonJS. */
async function buildParts() {
  const entries = { core: CORE_ENTRY };
  for (const file of fs.readdirSync(MODULES_DIR).filter((f) => f.endsWith('.ts')).sort()) entries[path.basename(file, '.ts')] = path.join(MODULES_DIR, file);
  // A build that refuses tls_mode 1 carries no TLS-PSK code (20 KB of the package).
  if (process.env.FIRMWARE_TLS_PSK !== '1') delete entries.tlspsk;
  let core = null;
  const bundle = await rollup({
    input: entries,
    plugins: plugins(),
    onwarn: failOnWarning,
    // The core's entry chunk may also export what modules import from the core (one chunk, not a facade).
    preserveEntrySignatures: 'allow-extension',
  });
  const { output } = await bundle.generate({
    format: 'cjs', strict: false, esModule: false, freeze: false, interop: 'esModule',
    entryFileNames: '[name].js', chunkFileNames: '[name].js', minifyInternalExports: true,
    // The core: src/main.ts and everything it imports, and any file with state that several
    // modules use (a module is loaded anew each time: shared state must live once, in the core).
    manualChunks(id, { getModuleInfo }) {
      if (!core) {
        core = new Set();
        const visit = (m) => {
          if (core.has(m)) return;
          core.add(m);
          for (const next of getModuleInfo(m).importedIds) visit(next);
        };
        visit(CORE_ENTRY);
      }
      if (core.has(id)) return 'core';
      if (!id.startsWith(root) || !STATE.test(fs.readFileSync(id, 'utf8'))) return undefined;
      const users = new Set();
      const seen = new Set();
      const up = (m) => {
        if (seen.has(m)) return;
        seen.add(m);
        if (getModuleInfo(m).isEntry) users.add(m);
        for (const importer of getModuleInfo(m).importers) up(importer);
      };
      up(id);
      return users.size > 1 ? 'core' : undefined;
    },
  });
  await bundle.close();
  const partName = (fileName) => path.basename(fileName, '.js').toLowerCase().replace(/[^a-z0-9]/g, '');
  const chunks = output.filter((c) => c.type === 'chunk');
  checkSharedState(chunks);
  // What modules export (not the core: the image selector calls its `start` by name) gets short
  // names alike in every part: each property of a loaded module's exports costs RAM, its name too.
  const api = [...new Set(chunks.filter((c) => c.isEntry && c.name !== 'core').flatMap((c) => c.exports))].sort();
  const parts = chunks.map((chunk) => ({
    name: partName(chunk.fileName),
    // A chunk requires another as "tc-<part name>": src/module-loader.ts caches parts under such
    // names, which no module of Espruino's own has (a part named "tls" must not stand for require('tls')).
    code: shortenApi(chunk.code.replace(/require\('\.\/([^']+)'\)/g, (m, file) => `require(${JSON.stringify(`tc-${partName(file)}`)})`), api),
    needs: chunk.imports.map(partName).filter((name) => name !== 'core'),
    isCore: chunk.name === 'core',
  }));
  return parts;
}

/**
 * `code` with every property access `.name` of a module's export `name` renamed `$<n>` (the same
 * in every part). Such names must not be read any other way: the build refuses one that shows
 * up as a string too.
 */
function shortenApi(code, api) {
  const ast = acorn.parse(code, { ecmaVersion: 5 });
  const edits = [];
  walk.simple(ast, {
    MemberExpression(node) {
      const i = node.computed ? -1 : api.indexOf(node.property.name);
      if (i >= 0) edits.push({ start: node.property.start, end: node.property.end, text: `$${i.toString(36)}` });
    },
    Literal(node) {
      if (api.includes(node.value)) throw new Error(`"${node.value}" is a module's export and a string in the code: rename one (module APIs are shortened)`);
    },
  });
  edits.sort((a, b) => b.start - a.start);
  for (const { start, end, text } of edits) code = code.slice(0, start) + text + code.slice(end);
  return code;
}

/**
 * A module is loaded anew each time, with fresh copies of the helper chunks it uses: a helper
 * file with module-level state (a `let`/`var`, or a `const` object or array) would exist once per
 * load. State modules share belongs to the core (imported by src/main.ts).
 */
const STATE = /^(export )?((let|var) |const \w+(: [^=]+)? = (\{|\[|new ))/m;
function checkSharedState(chunks) {
  for (const chunk of chunks) {
    if (chunk.isEntry || chunk.name === 'core') continue;
    for (const file of Object.keys(chunk.modules)) {
      if (file.startsWith(root) && STATE.test(fs.readFileSync(file, 'utf8'))) {
        throw new Error(`${path.relative(root, file)} holds state but is shared by several modules (chunk ${chunk.fileName}): make it part of the core (import it from src/main.ts) or of one module`);
      }
    }
  }
}

async function buildPackage(out) {
  const chunks = await buildParts();
  const parts = [['boot', await finishPart('boot', fs.readFileSync(BOOT_SOURCE, 'utf8'), { toplevel: false })]];
  const ordered = [...chunks.filter((c) => c.isCore), ...chunks.filter((c) => !c.isCore).sort((a, b) => a.name.localeCompare(b.name))];
  for (const { name, code, needs } of ordered) parts.push([name, await finishPart(name, code, { toplevel: true }), needs]);
  const image = pack(version, parts);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, image);
  const budget = Number(pkg.config.packageBudget);
  for (const [name, code] of parts) console.log(`  ${name.padEnd(10)} ${String(code.length).padStart(6)} bytes`);
  console.log(`${path.relative(root, out)}: ${image.length} bytes, version ${version} (budget ${budget} bytes, ${Math.round((image.length / budget) * 100)}% used)`);
  if (image.length > budget) throw new Error(`the package is ${image.length} bytes, over its budget of ${budget} bytes (package.json config.packageBudget)`);
}

/** A single plain bundle (a test probe): the same plugins and checks, as one IIFE. */
async function buildSingle(entry, out) {
  const bundle = await rollup({ input: path.resolve(root, entry), plugins: plugins(), onwarn: failOnWarning });
  const { output } = await bundle.generate({ format: 'iife', strict: false });
  await bundle.close();
  const code = await finishPart(path.basename(out), output[0].code, { toplevel: false });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code, 'latin1');
  console.log(`${out}: ${code.length} bytes`);
}

try {
  if (values.entry) await buildSingle(values.entry, path.resolve(values.out || 'dist/probe.js'));
  else await buildPackage(path.resolve(values.out || path.join(root, 'dist', 'firmware.tcfw')));
} catch (err) {
  console.error(`build failed: ${err.message}`);
  process.exit(1);
}
