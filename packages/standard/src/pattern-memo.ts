/**
 * The compiled validators' `pattern` checks (src/generated/validators.js, rewritten by
 * scripts/generators/validators.ts rememberPassingPatterns): a regex test that first compares the
 * value with the last one the same pattern accepted. Identifiers repeat row after row (one
 * employer's USCC on hundreds of monthly entries, each a fresh slice of the reader's text), and
 * comparing 18 characters costs less than running the regex again.
 *
 * The same answers: a pattern without the `g` or `y` flag (ajv compiles patterns with `u` only)
 * keeps no state between tests, so a value equal to one it accepted is accepted again. One value
 * is kept per pattern, so the memory held is bounded (a kept slice keeps its parent text alive:
 * at most one per pattern).
 */
export function lastPassing(pattern: RegExp): (value: string) => boolean {
  if (pattern.global || pattern.sticky) throw new Error(`a pattern with state (${pattern.flags}) answers by position: not remembered`);
  let passed: string | undefined;
  return (value) => {
    if (value === passed) return true;
    if (!pattern.test(value)) return false;
    passed = value;
    return true;
  };
}
