/**
 * node:module in the worker: no loader hooks (format code is bundled ahead of time, see
 * preloadFormatCode), and a createRequire for the two ajv run-time helpers the standard's
 * generated validators require.
 */
import * as equal from 'ajv/dist/runtime/equal.js';
import * as ucs2length from 'ajv/dist/runtime/ucs2length.js';

const MODULES: Record<string, unknown> = { 'ajv/dist/runtime/equal': equal, 'ajv/dist/runtime/ucs2length': ucs2length };

export const register = undefined;

export function createRequire(): (id: string) => unknown {
  return (id) => {
    if (!(id in MODULES)) throw new Error(`require(${JSON.stringify(id)}) is not available in the browser`);
    return MODULES[id];
  };
}

export default { register, createRequire };
