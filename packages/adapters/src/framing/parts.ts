/**
 * Which part of a folder a row was read from. The standard's positions carry
 * no file, so a framing reading parts marks each row's position here
 * (`inPart`) and sets `ctx.issues.file` while it reads a part; the framework
 * names a record's first part in `provenance.file`.
 */
const partOf = new WeakMap<object, string>();

/** Marks a position as being in the part named `name`; returns the position. */
export function inPart<T extends object>(at: T, name: string): T {
  partOf.set(at, name);
  return at;
}

/** The part a position was marked in, if any. */
export function partOfPosition(at: object | undefined): string | undefined {
  return at ? partOf.get(at) : undefined;
}
