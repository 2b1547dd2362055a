import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { root } from "../../server/build-if-stale.mjs";

/**
 * Remix removes `*.server` modules from the browser bundle: a value imported from one is
 * `undefined` in the browser. Route modules may use such values only in code that runs on the
 * server (loader, action, headers and what only they call). A module-level initialiser runs in
 * the browser too, as does the component and everything it reaches. This test finds each use
 * that would reach the browser (Admin → API tokens once crashed with "Cannot convert undefined
 * or null to object at new ZodEnum"; /wiki showed "Page 1 of NaN").
 */
const SERVER_EXPORTS = new Set(["loader", "action", "headers"]);

export function serverOnlyLeaks(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const serverValues = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (!/\.server(\.tsx?)?$/.test(st.moduleSpecifier.text) || st.importClause?.isTypeOnly) continue;
    const named = st.importClause?.namedBindings;
    if (st.importClause?.name) serverValues.add(st.importClause.name.text);
    if (named && ts.isNamedImports(named)) for (const el of named.elements) if (!el.isTypeOnly) serverValues.add(el.name.text);
  }
  if (serverValues.size === 0) return [];

  // Top-level declarations by name, and which names each one refers to.
  const declarations = new Map<string, ts.Node>();
  const exported = new Set<string>();
  let defaultExport: ts.Node | undefined;
  for (const st of sf.statements) {
    const isExported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) {
      declarations.set(st.name.text, st);
      if (isExported) exported.add(st.name.text);
      if (isDefault) defaultExport = st;
    } else if (ts.isFunctionDeclaration(st) && isDefault) {
      defaultExport = st;
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        declarations.set(d.name.text, d);
        if (isExported) exported.add(d.name.text);
      }
    } else if (ts.isExportAssignment(st)) {
      defaultExport = st;
    }
  }
  const refs = (node: ts.Node): Set<string> => {
    const out = new Set<string>();
    const visit = (n: ts.Node) => {
      const p = n.parent as ts.Node | undefined;
      // Property names (x.authorName, { authorName: 1 }, <a authorName>) are not references.
      const isName =
        p !== undefined &&
        ((ts.isPropertyAccessExpression(p) && p.name === n) ||
          (ts.isPropertyAssignment(p) && p.name === n) ||
          (ts.isBindingElement(p) && p.propertyName === n) ||
          (ts.isJsxAttribute(p) && p.name === n) ||
          (ts.isPropertySignature(p) && p.name === n) ||
          (ts.isQualifiedName(p) && p.right === n));
      if (ts.isIdentifier(n) && !isName) out.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(node);
    return out;
  };

  // What runs in the browser: the default export, every other export that is not server-only,
  // every module-level initialiser, and everything those reach.
  const browser = new Set<ts.Node>();
  const queue: ts.Node[] = [];
  const reach = (n: ts.Node | undefined) => {
    if (n && !browser.has(n)) {
      browser.add(n);
      queue.push(n);
    }
  };
  reach(defaultExport);
  for (const name of exported) if (!SERVER_EXPORTS.has(name)) reach(declarations.get(name));
  for (const [, node] of declarations) {
    // A variable whose initialiser is not a function runs when the module loads.
    if (ts.isVariableDeclaration(node) && node.initializer && !ts.isArrowFunction(node.initializer) && !ts.isFunctionExpression(node.initializer)) {
      const name = (node.name as ts.Identifier).text;
      if (!SERVER_EXPORTS.has(name)) reach(node);
    }
  }
  while (queue.length) {
    const node = queue.pop()!;
    for (const name of refs(node)) if (declarations.has(name) && !SERVER_EXPORTS.has(name)) reach(declarations.get(name));
  }
  const leaks: string[] = [];
  for (const node of browser) {
    const name = ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node) ? (node.name as ts.Identifier | undefined)?.text ?? "default" : "default";
    for (const used of refs(node)) {
      if (serverValues.has(used)) leaks.push(`${path.basename(file)}: ${name} uses ${used}, a value from a .server module, in code that runs in the browser`);
    }
  }
  return leaks;
}

describe("route modules keep .server values on the server", () => {
  it("finds the kind of leak that crashed Admin → API tokens", () => {
    const leaky = `import { z } from "zod";\nimport { TOKEN_SCOPES, listApiTokens } from "../models/agent.server";\nconst Schema = z.enum(TOKEN_SCOPES);\nexport async function loader() { return listApiTokens(); }\nexport async function action() { return Schema.parse("x"); }\nexport default function Page() { return null; }\n`;
    expect(serverOnlyLeaks("admin.tokens.tsx", leaky)).toEqual(["admin.tokens.tsx: Schema uses TOKEN_SCOPES, a value from a .server module, in code that runs in the browser"]);
    const fine = `import { listApiTokens } from "../models/agent.server";\nasync function load() { return listApiTokens(); }\nexport async function loader() { return load(); }\nexport default function Page() { return null; }\n`;
    expect(serverOnlyLeaks("ok.tsx", fine)).toEqual([]);
  });

  it("no route module uses a .server value in browser code", () => {
    const dir = path.join(root, "app/routes");
    const leaks = readdirSync(dir)
      .filter((f) => /\.tsx?$/.test(f))
      .flatMap((f) => serverOnlyLeaks(f, readFileSync(path.join(dir, f), "utf8")));
    expect(leaks).toEqual([]);
  });
});
