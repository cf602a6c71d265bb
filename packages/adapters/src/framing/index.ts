/**
 * The framing registry: every framing a mapping can name in `framing.kind`.
 * The built-in ones register here; a format folder's own framing.js|mjs|ts
 * (see registry.ts) and `registerFraming` add more. Nothing else lists framings.
 */
import { BUILT_IN } from './builtin.ts';
import { FRAMING_API_VERSION, type Framing } from './types.ts';

const registry = new Map<string, Framing<never>>();

/** Adds a framing; its kind must be new and its apiVersion one this package implements. */
export function registerFraming<O>(framing: Framing<O>): void {
  const f = framing as unknown as Framing<never>;
  if (typeof f !== 'object' || f === null || typeof f.kind !== 'string' || !/^[a-z][a-z0-9-]{1,40}$/.test(f.kind)) {
    throw new Error('a framing must be an object with a kind (lower-case letters, digits and -)');
  }
  if (f.apiVersion !== FRAMING_API_VERSION) throw new Error(`framing ${f.kind} is written for framing API version ${String(f.apiVersion)}; this @jiexu/adapters implements version ${FRAMING_API_VERSION}`);
  for (const m of ['fields', 'read', 'write'] as const) if (typeof f[m] !== 'function') throw new Error(`framing ${f.kind} has no ${m}() function`);
  if (typeof f.optionsSchema !== 'object' || f.optionsSchema === null) throw new Error(`framing ${f.kind} has no optionsSchema`);
  const known = registry.get(f.kind);
  if (known && known !== f) throw new Error(`framing ${f.kind} is already registered`);
  registry.set(f.kind, f);
}

/** The framing of that kind, or undefined. */
export function framingOf(kind: string): Framing<never> | undefined {
  return registry.get(kind);
}

/** The registered kinds, for messages. */
export function framingKinds(): string[] {
  return [...registry.keys()];
}

for (const f of BUILT_IN) registerFraming(f);

export type { Framing, ReadSource, WriteTarget, Part, JsonSchema } from './types.ts';
export { FRAMING_API_VERSION, defineFraming } from './types.ts';
