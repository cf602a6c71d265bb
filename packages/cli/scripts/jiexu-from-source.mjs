#!/usr/bin/env node
/**
 * Runs `jiexu` from its TypeScript sources, for tests that spawn the real
 * command and for development without a build:
 *   node --conditions=@jiexu/source packages/cli/scripts/jiexu-from-source.mjs <args>
 * (the condition makes the @jiexu/* packages resolve to their src/ too).
 * Installed, the command is plain JavaScript: package.json "bin" → dist/bin.js.
 */
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
