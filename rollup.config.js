import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import replace from '@rollup/plugin-replace';
import { readFileSync } from 'node:fs';
import { espruinoBundleCheck } from './tools/bundle-check.js';
import { compileTime } from './tools/compile-time.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// FIRMWARE_ENTRY / FIRMWARE_OUT let the tests build a deliberately bad bundle through the same checks.
const entry = process.env.FIRMWARE_ENTRY || 'src/main.ts';
const version = process.env.FIRMWARE_VERSION || pkg.version;

export default {
  input: entry,
  output: {
    file: process.env.FIRMWARE_OUT || 'dist/firmware.js',
    format: 'iife',
    strict: false,
    // The image selector runs before the firmware's own code (see the file).
    banner: entry !== 'src/main.ts' ? '' : readFileSync(new URL('./src/boot/select-image.js', import.meta.url), 'utf8'),
  },
  plugins: [
    replace({
      preventAssignment: true,
      values: {
        __FW_VERSION__: JSON.stringify(version),
        __AT_VERSION__: JSON.stringify('QCloud_AT_ESP8266_v2.0.0-ts' + version),
        __COMPILE_TIME__: JSON.stringify(compileTime()),
        __SAP_WAIT_MS__: String(Number(process.env.FIRMWARE_SAP_WAIT_MS) || 300000),
      },
    }),
    typescript({ tsconfig: './tsconfig.json', noEmitOnError: true, outDir: undefined, include: ['src/**/*.ts', 'test/fixtures/**/*.ts', 'bench/**/*.ts'] }),
    terser({
      ecma: 5,
      // No inlining: with it, Espruino 2v29 running the bundle from flash lost outer functions
      // (they became Objects: "Expecting function, got Object") after a few commands.
      // No collapse_vars: it folds straight-line code like MD5's steps into one expression of
      // dozens of nested assignments, which leaks memory on Espruino (tools/bundle-check.js).
      compress: { passes: 2, inline: false, collapse_vars: false },
      mangle: true,
      format: { ascii_only: true, comments: false },
    }),
    espruinoBundleCheck({ budget: Number(pkg.config.bundleBudget) }),
  ],
};
