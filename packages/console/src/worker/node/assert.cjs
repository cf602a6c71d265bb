// node:assert in the worker, as far as the bundled dependencies use it (browserify-zlib's
// `assert(value, message)`, `assert.equal`, `require('assert').ok`). CommonJS, as Node's is: the
// module itself is the function. (An ES module with a default export reaches a `require('assert')`
// as a namespace object, so `assert(…)` threw "assert is not a function" inside memfs's fs.read
// callback, memfs then called that callback a second time, and yauzl's zip check never ended.)
'use strict';

class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

function assert(value, message) {
  if (!value) throw new AssertionError(message === undefined ? 'assertion failed' : message);
}

assert.ok = assert;
assert.equal = (actual, expected, message) => {
  // eslint-disable-next-line eqeqeq
  if (actual != expected) throw new AssertionError(message === undefined ? `${String(actual)} == ${String(expected)}` : message);
};
assert.strictEqual = (actual, expected, message) => {
  if (actual !== expected) throw new AssertionError(message === undefined ? `${String(actual)} === ${String(expected)}` : message);
};
assert.AssertionError = AssertionError;

module.exports = assert;
