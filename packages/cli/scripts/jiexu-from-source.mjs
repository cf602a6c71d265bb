#!/usr/bin/env node
/**
 * Runs `jiexu` from its TypeScript sources, for tests that spawn the real
 * command and for development without a build:
 *   node packages/cli/scripts/jiexu-from-source.mjs <args>
 * It adds the @jiexu/source export condition (so every @jiexu/* package
 * resolves to its src/, as `node --conditions=@jiexu/source` would) and loads
 * TypeScript through tsx. Installed, the command is plain JavaScript:
 * package.json "bin" → dist/bin.js.
 */
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

const addSourceCondition = `export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('@jiexu/source') ? context.conditions : ['@jiexu/source', ...context.conditions];
  return next(specifier, { ...context, conditions });
}`;
register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
registerTsx();
await import('../src/bin.ts');
