// Refuses, before running it, code that uses syntax Espruino does not have. (Espruino
// itself fails lazily, when execution reaches the line; refusing up front is stricter.)
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import { unsupportedRegExp } from '../../tools/espruino-regexp.js';

const REFUSED = {
  LabeledStatement: 'labels',
  ArrayPattern: 'destructuring',
  ObjectPattern: 'destructuring',
  SpreadElement: 'spread',
  RestElement: 'rest parameters',
  AssignmentPattern: 'default parameters',
  AwaitExpression: 'async/await',
  YieldExpression: 'generators',
  ChainExpression: 'optional chaining (?.)',
  ImportExpression: 'dynamic import',
  TaggedTemplateExpression: 'tagged templates',
  PropertyDefinition: 'class fields',
  StaticBlock: 'class static blocks',
};

export function findUnsupportedSyntax(code) {
  let ast;
  try {
    ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch (err) {
    return [`SyntaxError: ${err.message}`];
  }
  const found = [];
  const at = (node, what) => found.push(`${what} at line ${node.loc.start.line}:${node.loc.start.column}`);
  walk.full(ast, (node) => {
    if (REFUSED[node.type]) at(node, REFUSED[node.type]);
    if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')) {
      if (node.async) at(node, 'async functions');
      if (node.generator) at(node, 'generators');
    }
    if ((node.type === 'BinaryExpression' || node.type === 'AssignmentExpression') && (node.operator === '**' || node.operator === '**=')) at(node, 'the ** operator');
    if (node.type === 'Property' && node.computed) at(node, 'computed property keys');
    const reason = node.type === 'Literal' && node.regex && unsupportedRegExp(node.regex.pattern);
    if (reason) at(node, `a RegExp Espruino cannot run (${node.raw}: ${reason})`);
  });
  return found;
}
