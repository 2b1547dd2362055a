// Remix's classic compiler swaps every `*.server` module for an empty one in the browser bundle
// and drops a route's `loader`, `action` and `headers` exports. Anything else in a route module
// (the component, `meta`, module-level constants such as a zod schema) runs in the browser too,
// where a value imported from a `.server` module is silently `undefined`: "Page 1 of NaN", or a
// crash in `z.enum(undefined)`. Neither the build nor the type checker notices, so this rule does:
// a value imported from a `.server` module may only be used inside `loader`, `action`, `headers`,
// or a module-level function that only those (transitively) call. Type-only uses are fine.

const SERVER_ONLY_EXPORTS = new Set(["loader", "action", "headers"]);
const SERVER_SOURCE = /\.server(\.[cm]?[jt]sx?)?$/;

/** The statement directly under Program that contains `node`. */
function topLevelStatement(node) {
  let current = node;
  while (current.parent && current.parent.type !== "Program") current = current.parent;
  return current;
}

/** The module-level function name a statement declares, if it declares exactly a function. */
function declaredFunction(statement) {
  const decl = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
  const exported = statement.type === "ExportNamedDeclaration";
  if (!decl) return null;
  if (decl.type === "FunctionDeclaration" && decl.id) return { name: decl.id.name, exported, node: decl };
  if (decl.type === "VariableDeclaration" && decl.declarations.length === 1) {
    const [d] = decl.declarations;
    if (d.id.type === "Identifier" && d.init && /^(Arrow)?FunctionExpression$/.test(d.init.type)) {
      return { name: d.id.name, exported, node: decl };
    }
  }
  return null;
}

function isTypeOnly(reference) {
  return reference.isTypeReference === true && reference.isValueReference !== true;
}

/** @type {import("eslint").Rule.RuleModule} */
export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow values from `.server` modules in code that runs in the browser" },
    schema: [],
    messages: {
      browser:
        "'{{name}}' comes from a .server module, which is empty in the browser, but it is used outside loader/action. Move the value to a module without .server (e.g. a *.schema.ts) or use it only on the server.",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const serverImports = [];
    return {
      ImportDeclaration(node) {
        if (node.importKind === "type" || !SERVER_SOURCE.test(String(node.source.value))) return;
        for (const spec of node.specifiers) {
          if (spec.importKind === "type") continue;
          serverImports.push(spec);
        }
      },
      "Program:exit"(program) {
        if (serverImports.length === 0) return;
        const moduleScope = sourceCode.getScope(program).childScopes.find((s) => s.type === "module") ?? sourceCode.getScope(program);
        const functions = new Map();
        for (const statement of program.body) {
          const fn = declaredFunction(statement);
          if (fn) functions.set(fn.name, { ...fn, statement });
        }
        const serverOnly = new Set();
        for (const fn of functions.values()) if (fn.exported && SERVER_ONLY_EXPORTS.has(fn.name)) serverOnly.add(fn.name);
        const inServerOnly = (node) => {
          const fn = declaredFunction(topLevelStatement(node));
          return fn !== null && serverOnly.has(fn.name);
        };
        // Grow the set of functions only the server calls until it stops growing.
        for (let changed = true; changed; ) {
          changed = false;
          for (const fn of functions.values()) {
            if (serverOnly.has(fn.name) || fn.exported) continue;
            const variable = moduleScope.set.get(fn.name);
            if (!variable) continue;
            const refs = variable.references.filter((r) => !isTypeOnly(r) && topLevelStatement(r.identifier) !== fn.statement);
            if (refs.length > 0 && refs.every((r) => inServerOnly(r.identifier))) {
              serverOnly.add(fn.name);
              changed = true;
            }
          }
        }
        for (const spec of serverImports) {
          for (const variable of sourceCode.getDeclaredVariables(spec)) {
            for (const reference of variable.references) {
              if (isTypeOnly(reference) || inServerOnly(reference.identifier)) continue;
              context.report({ node: reference.identifier, messageId: "browser", data: { name: variable.name } });
            }
          }
        }
      },
    };
  },
};
