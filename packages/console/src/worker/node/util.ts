/** node:util in the worker: the util package, with the encoding classes the browser has built in. */
import util from 'util/';

const u = util as unknown as Record<string, unknown>;
export const TextDecoder = globalThis.TextDecoder;
export const TextEncoder = globalThis.TextEncoder;
export const inherits = u.inherits as (a: unknown, b: unknown) => void;
export const promisify = u.promisify as (fn: unknown) => unknown;
export const inspect = u.inspect as (v: unknown) => string;
export const format = u.format as (...args: unknown[]) => string;
export const deprecate = u.deprecate as <T>(fn: T) => T;
export const debuglog = u.debuglog as (name: string) => (...args: unknown[]) => void;
export const types = u.types;
export const isDeepStrictEqual = u.isDeepStrictEqual;
export default { ...u, TextDecoder, TextEncoder };
