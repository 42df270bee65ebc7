// STYLE C7: inside a transaction callback, every query goes through the callback's `tx`. Touching the
// outer database handle there runs the query on a second connection, outside the transaction (its
// writes survive a rollback, its reads miss the uncommitted rows), and on PGlite, which has one
// connection, it waits for the transaction to end: forever (pglite #1046). Modelled on medplum's
// packages/eslint-config/rules/no-transaction-callback-invoking-repo.mjs.
//
// Recognises `X.transaction(cb)` and `withTransaction(X, cb)`, where X is the handle (`db`,
// `deps.db`, `this.db` ...), and reports any use of the same X inside cb.

/** @param {import('estree').Node} node */
function handleText(node, sourceCode) {
  if (node.type === 'Identifier' || node.type === 'MemberExpression' || node.type === 'ThisExpression') return sourceCode.getText(node);
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid the outer database handle inside its transaction callback (STYLE C7)' },
    schema: [],
    messages: {
      outerDb: "'{{handle}}' is the outer database handle: inside its transaction callback use the transaction ('{{tx}}') instead (STYLE C7).",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    /** Handles whose callback we are inside: { text, variable, tx, fn }. */
    const stack = [];

    function callbackOf(call) {
      const { callee, arguments: args } = call;
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'transaction') {
        return { handle: callee.object, fn: args[0] };
      }
      if (callee.type === 'Identifier' && callee.name === 'withTransaction' && args.length >= 2) {
        return { handle: args[0], fn: args[1] };
      }
      return null;
    }

    function variableOf(node) {
      // The variable a handle's root identifier refers to, so a shadowing `db` inside is not confused with the outer one.
      let root = node;
      while (root.type === 'MemberExpression') root = root.object;
      if (root.type !== 'Identifier') return null;
      let scope = sourceCode.getScope(root);
      while (scope) {
        const v = scope.set.get(root.name);
        if (v) return v;
        scope = scope.upper;
      }
      return null;
    }

    return {
      CallExpression(call) {
        const found = callbackOf(call);
        if (!found || !found.fn) return;
        if (found.fn.type !== 'ArrowFunctionExpression' && found.fn.type !== 'FunctionExpression') return;
        const text = handleText(found.handle, sourceCode);
        if (!text) return;
        const txParam = found.fn.params[0];
        stack.push({ text, variable: variableOf(found.handle), tx: txParam && txParam.type === 'Identifier' ? txParam.name : 'tx', fn: found.fn, handle: found.handle });
      },
      'CallExpression:exit'(call) {
        const top = stack[stack.length - 1];
        if (top && callbackOf(call)?.fn === top.fn) stack.pop();
      },
      'Identifier, MemberExpression, ThisExpression'(node) {
        if (stack.length === 0) return;
        // Report the outermost matching expression only (`deps.db`, not also `deps`).
        const parent = node.parent;
        for (const frame of stack) {
          if (node === frame.handle) continue;
          if (!(node.range[0] >= frame.fn.body.range[0] && node.range[1] <= frame.fn.body.range[1])) continue;
          if (sourceCode.getText(node) !== frame.text) continue;
          if (parent && parent.type === 'MemberExpression' && parent.property === node && !parent.computed) continue;
          if (frame.variable && variableOf(node) !== frame.variable) continue;
          context.report({ node, messageId: 'outerDb', data: { handle: frame.text, tx: frame.tx } });
          return;
        }
      },
    };
  },
};
