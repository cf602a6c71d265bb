/**
 * No import circles (DESIGN: small modules, no import circles): every relative import between
 * the TypeScript files of packages/ — `import type` included, since a circle of types is a
 * circle of ideas — read with the TypeScript compiler's own pre-processor (the pinned
 * `typescript`), and the strongly connected components of that graph found (Tarjan). Any
 * component of more than one file, or a file importing itself, is a circle and fails the test
 * with the files named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', 'dist', 'generated-copies']);

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (/\.(ts|mts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Module specifiers `file` imports at run time or for types, with whether the import is for types only. */
function specifiers(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      out.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      out.push({ spec: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The files `file` imports by relative path; `runtimeOnly`: leave out imports of types only (erased at run time). */
function relativeImports(file: string, runtimeOnly: boolean): string[] {
  const out: string[] = [];
  for (const { spec, typeOnly } of specifiers(file)) {
    if (!spec.startsWith('.') || (runtimeOnly && typeOnly)) continue;
    const base = resolve(dirname(file), spec);
    const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
    const found = candidates.find((c) => /\.(ts|mts|tsx)$/.test(c) && existsSync(c));
    if (found) out.push(found);
  }
  return out;
}

/** Tarjan's strongly connected components. */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

/**
 * Circles that were there when this check came (run-time imports), to be untied by whoever
 * works on those packages next; pinned, so a new circle — or a change in one of these —
 * fails. packages/platform has none (cases → messages → duplicates → cases was untied:
 * message-types.ts, store.ts, platform-messages.ts).
 */
const KNOWN = [
  [
    'packages/adapters/src/adapter.ts',
    'packages/adapters/src/assemble.ts',
    'packages/adapters/src/conformance/rules.ts',
    'packages/adapters/src/framing/builtin.ts',
    'packages/adapters/src/framing/index.ts',
    'packages/adapters/src/mapping.ts',
    'packages/adapters/src/registry.ts',
  ],
  ['packages/cli/src/commands/assess.ts', 'packages/cli/src/commands/ledger.ts'],
];

describe('import circles', () => {
  it('finds a circle when there is one (the check itself works)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(g)).toEqual([['a', 'b', 'c']]);
    expect(circles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('there is none among the TypeScript files of packages/ (but the known ones, pinned)', () => {
    const files = tsFiles(join(ROOT, 'packages'));
    expect(files.length).toBeGreaterThan(50);
    const graph = new Map(files.map((f) => [f, relativeImports(f, true)]));
    const found = circles(graph)
      .map((c) => c.map((f) => relative(ROOT, f)))
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(found.filter((c) => c.some((f) => f.startsWith('packages/platform/')))).toEqual([]);
    expect(found).toEqual(KNOWN);
  });
});
