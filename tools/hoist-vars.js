// Espruino creates a `var` only when its declaration statement runs; it does not hoist. Where a
// function declares a name in one branch and assigns it in another (minifiers write such code
// when they give two block-scoped variables the same short name), the assignment on a path that
// skipped the declaration changes the outer variable of that name instead: a download once
// overwrote its own socket this way. So every part of the firmware has each function's vars
// declared in one statement at its very start, as JavaScript semantics assume anyway
// (terser's hoist_vars leaves a function's single declaration where it is).
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

const isFunction = (node) => node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression';

/** The var declarations of one function (or the program), not those of functions inside it. */
function ownDeclarations(body) {
  const found = [];
  const visit = (node, parent) => {
    if (!node || typeof node.type !== 'string') return;
    if (isFunction(node)) return;
    if (node.type === 'VariableDeclaration') found.push({ node, parent });
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (Array.isArray(child)) child.forEach((c) => c && typeof c.type === 'string' && visit(c, node));
      else if (child && typeof child.type === 'string' && key !== 'type') visit(child, node);
    }
  };
  for (const statement of body) visit(statement, null);
  return found;
}

/**
 * `code` with each function's (and the program's) vars declared at its start: every `var ` keyword
 * is deleted where it stood (what follows is then an assignment, or a bare name) and one
 * declaration of all the names is inserted first. Edits never overlap, so they are made from the
 * end of the text back.
 */
export function hoistVars(code) {
  const ast = acorn.parse(code, { ecmaVersion: 5 });
  const edits = [];
  const scopes = [{ body: ast.body, insertAt: 0, params: new Set() }];
  walk.full(ast, (node) => {
    if (isFunction(node)) scopes.push({ body: node.body.body, insertAt: node.body.start + 1, params: new Set(node.params.map((p) => p.name)) });
  });
  for (const { body, insertAt, params } of scopes) {
    const names = [];
    for (const { node } of ownDeclarations(body)) {
      if (code.slice(node.start, node.start + 4) !== 'var ') throw new Error(`hoistVars: a declaration at ${node.start} does not start with "var "`);
      for (const d of node.declarations) if (!params.has(d.id.name) && !names.includes(d.id.name)) names.push(d.id.name);
      edits.push({ at: node.start, remove: 4, text: '' });
    }
    if (names.length) edits.push({ at: insertAt, remove: 0, text: `var ${names.join(',')};` });
  }
  edits.sort((a, b) => b.at - a.at);
  let out = code;
  for (const { at, remove, text } of edits) out = out.slice(0, at) + text + out.slice(at + remove);
  return out;
}
