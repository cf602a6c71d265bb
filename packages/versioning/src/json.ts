/** Small JSON helpers: canonical form and deep equality. */
import type { Json } from './load.ts';

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonical(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const text = Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
        .join(',')}}`;
  cache.set(value, text);
  return text;
}

/**
 * Loaded schemas are compared many times over (every $ref is followed), so the
 * canonical text of each object is remembered. Callers never mutate compared
 * documents (migrations and cuts work on copies).
 */
const cache = new WeakMap<object, string>();

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  return canonical(a) === canonical(b);
}

/** A short rendering of a value for messages: strings quoted, long values cut. */
export function show(value: Json | undefined): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
