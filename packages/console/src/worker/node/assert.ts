/**
 * node:assert in the worker, as far as the bundled dependencies use it (browserify-zlib's
 * `assert(value, message)` and `assert.equal`): a failed check throws, as Node's would.
 */
class AssertionError extends Error {
  override name = 'AssertionError';
}

function assert(value: unknown, message?: string): asserts value {
  if (!value) throw new AssertionError(message ?? 'assertion failed');
}

assert.ok = assert;
assert.equal = (actual: unknown, expected: unknown, message?: string): void => {
  // eslint-disable-next-line eqeqeq
  if (actual != expected) throw new AssertionError(message ?? `${String(actual)} == ${String(expected)}`);
};
assert.strictEqual = (actual: unknown, expected: unknown, message?: string): void => {
  if (actual !== expected) throw new AssertionError(message ?? `${String(actual)} === ${String(expected)}`);
};
assert.AssertionError = AssertionError;

export default assert;
export { AssertionError };
