/**
 * Start-up CPU of a reader run, by phase, in a fresh process: loading the standard (its generated
 * validators), loading the adapters, loading the built-in mappings (formatEntries), the first record
 * through the gate. Prints {standard, adapters, mappings, firstGate, total} in CPU milliseconds.
 * `tsx --conditions=@jiexu/source bench/startup-run.ts [tree]`: a tree (a checkout's root) measures
 * that checkout's packages instead of this one's, for interleaved runs against another branch.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const tree = process.argv[2];
const at = (path: string, fallback: string): string => (tree ? pathToFileURL(resolve(tree, path)).href : fallback);
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = cpu();
const standard = (await import(at('packages/standard/src/index.ts', '@jiexu/standard'))) as typeof import('@jiexu/standard');
const t1 = cpu();
const adapters = (await import(at('packages/adapters/src/index.ts', '../src/index.ts'))) as typeof import('../src/index.ts');
const t2 = cpu();
const registry = (await import(at('packages/adapters/src/registry.ts', '../src/registry.ts'))) as typeof import('../src/registry.ts');
registry.formatEntries();
const t3 = cpu();
standard.validateRecord({ kind: 'contribution-record', version: '1.0' });
const t4 = cpu();
void adapters;
console.log(JSON.stringify({ standard: t1 - t0, adapters: t2 - t1, mappings: t3 - t2, firstGate: t4 - t3, total: t4 - t0 }));
