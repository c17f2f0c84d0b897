// Refuses a bundle that the Espruino interpreter on the ESP8266 could not run:
// anything beyond ES5 syntax, globals and methods Espruino lacks, labels, and size.
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import { unsupportedRegExp } from './espruino-regexp.js';

const MISSING_GLOBALS = [
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol', 'Proxy', 'Reflect', 'BigInt',
  'TextEncoder', 'TextDecoder', 'setImmediate', 'queueMicrotask', 'structuredClone',
  'Intl', 'Buffer', 'RangeError', 'EvalError', 'URIError', 'encodeURI', 'decodeURI', 'escape',
];

const MISSING_STATICS = {
  Array: ['from', 'of'],
  Number: ['isInteger', 'isFinite', 'isNaN', 'EPSILON', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'isSafeInteger'],
  Math: ['trunc', 'log2', 'log10', 'cbrt', 'hypot', 'sign', 'fround', 'imul', 'clz32'],
  Object: ['freeze', 'seal', 'is', 'preventExtensions', 'isFrozen', 'assign', 'entries', 'values', 'fromEntries'],
  Promise: ['race', 'allSettled', 'any'],
  String: ['fromCodePoint', 'raw'],
  Date: ['UTC'],
  process: ['nextTick', 'hrtime', 'exit'],
  arguments: ['callee'],
};

// Called as methods on any receiver: no Espruino object has them.
const MISSING_METHODS = [
  'finally', 'flat', 'flatMap', 'findLast', 'findLastIndex', 'codePointAt', 'normalize',
  'trimStart', 'trimEnd', 'matchAll', 'localeCompare', 'toPrecision', 'toExponential',
  'reduceRight', 'search', 'toLocaleString', 'toLocaleDateString', 'toDateString',
];

// Espruino's built-in methods are not reachable through X.prototype.
const BUILTIN_PROTOTYPES = ['Array', 'String', 'Function', 'Number', 'Boolean', 'RegExp', 'Date', 'Promise', 'ArrayBuffer', 'Uint8Array', 'DataView', 'Error'];

function propertyName(member) {
  if (!member.computed) return member.property.name;
  if (member.property.type === 'Literal') return String(member.property.value);
  return null;
}

function declaredNames(ast) {
  const names = new Set();
  walk.full(ast, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') names.add(node.id.name);
    if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') ) {
      if (node.id) names.add(node.id.name);
      for (const p of node.params) if (p.type === 'Identifier') names.add(p.name);
    }
    if (node.type === 'CatchClause' && node.param) names.add(node.param.name);
  });
  return names;
}

/** Returns a list of problems, each `{message, line, column}`; empty when the bundle is fit. */
// Measured on Espruino 2v29: an expression holding 13 or more assignments to one variable
// nested in each other's right-hand sides leaks JsVars every time it runs (the name's 4-bit
// lock count saturates). Minifiers build such chains from straight-line code (collapse_vars).
const MAX_NESTED_ASSIGNMENTS = 8;

export function checkBundle(code, { budget } = {}) {
  const problems = [];
  let ast;
  try {
    ast = acorn.parse(code, { ecmaVersion: 5, locations: true, sourceType: 'script' });
  } catch (err) {
    const loc = err.loc || { line: 0, column: 0 };
    const near = code.split('\n')[loc.line - 1]?.slice(Math.max(0, loc.column - 20), loc.column + 20);
    problems.push({ message: `not ES5: ${err.message} near \`${near}\``, line: loc.line, column: loc.column });
    return problems;
  }
  const declared = declaredNames(ast);
  const report = (node, message) => problems.push({ message, line: node.loc.start.line, column: node.loc.start.column });

  // Espruino creates a `var` only when its declaration runs (no hoisting): an assignment on a
  // path that skipped the declaration changes an outer variable of the same name. The build's
  // terser hoists every var to the top of its function (hoist_vars); anything else is refused.
  const firstStatements = new Set();
  walk.full(ast, (node) => {
    if (node.type === 'Program' || node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
      const body = node.type === 'Program' ? node.body : node.body.body;
      if (body[0]) firstStatements.add(body[0]);
    }
  });
  walk.simple(ast, {
    VariableDeclaration(node) {
      if (!firstStatements.has(node)) {
        report(node, `declares \`${node.declarations.map((d) => d.id.name).join(', ')}\` after the start of its function: Espruino creates a var only when its declaration runs (hoist it)`);
      }
    },
  });

  walk.ancestor(ast, {
    Identifier(node, ancestors) {
      if (!MISSING_GLOBALS.includes(node.name) || declared.has(node.name)) return;
      const parent = ancestors[ancestors.length - 2];
      if (parent && parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
      if (parent && parent.type === 'Property' && parent.key === node) return;
      report(node, `uses \`${node.name}\`, a global Espruino lacks`);
    },
    MemberExpression(node) {
      const name = propertyName(node);
      if (name === null) return;
      if (node.object.type === 'Identifier') {
        const missing = MISSING_STATICS[node.object.name];
        if (missing && missing.includes(name) && !declared.has(node.object.name)) {
          report(node, `uses \`${node.object.name}.${name}\`, which Espruino lacks`);
        }
      }
      if (name !== 'prototype' && node.object.type === 'MemberExpression' && propertyName(node.object) === 'prototype'
        && node.object.object.type === 'Identifier' && BUILTIN_PROTOTYPES.includes(node.object.object.name)) {
        report(node, `uses \`${node.object.object.name}.prototype.${name}\`: Espruino's built-in methods are not reachable through the prototype`);
      }
    },
    CallExpression(node) {
      if (node.callee.type !== 'MemberExpression') return;
      const name = propertyName(node.callee);
      if (name && MISSING_METHODS.includes(name)) report(node, `calls \`.${name}()\`, a method Espruino lacks`);
    },
    Literal(node) {
      const reason = node.regex && unsupportedRegExp(node.regex.pattern);
      if (reason) report(node, `uses the RegExp ${node.raw}, which Espruino cannot run: ${reason}`);
    },
    LabeledStatement(node) {
      report(node, `uses the label \`${node.label.name}:\` (Espruino raises ReferenceError on labels)`);
    },
    AssignmentExpression(node, ancestors) {
      if (node.left.type !== 'Identifier') return;
      const name = node.left.name;
      const open = ancestors.filter((a) => a.type === 'AssignmentExpression' && a.left.type === 'Identifier' && a.left.name === name).length;
      if (open === MAX_NESTED_ASSIGNMENTS + 1) {
        report(node, `assigns \`${name}\` inside ${MAX_NESTED_ASSIGNMENTS} pending assignments to it: Espruino's lock count on the name overflows and leaks memory each run`);
      }
    },
  });

  if (budget && Buffer.byteLength(code, 'latin1') > budget) {
    problems.push({ message: `is ${Buffer.byteLength(code, 'latin1')} bytes, over its budget of ${budget} bytes`, line: 0, column: 0 });
  }
  if (/[^\x00-\x7f]/.test(code)) {
    problems.push({ message: 'holds non-ASCII characters (Espruino strings are 8-bit; escape them)', line: 0, column: 0 });
  }
  return problems;
}

/** Rollup plugin: fails the build naming each offender; prints the size and the budget. */
export function espruinoBundleCheck({ budget }) {
  return {
    name: 'espruino-bundle-check',
    generateBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const problems = checkBundle(chunk.code, { budget });
        if (problems.length) {
          const list = problems.map((p) => `  ${chunk.fileName}:${p.line}:${p.column} ${p.message}`).join('\n');
          this.error(`the bundle cannot run on Espruino:\n${list}`);
        }
        const bytes = Buffer.byteLength(chunk.code, 'latin1');
        console.log(`${chunk.fileName}: ${bytes} bytes (budget ${budget} bytes, ${Math.round((bytes / budget) * 100)}% used)`);
      }
    },
  };
}
