/**
 * The compiled validators' `minProperties: 1` check (src/generated/validators.js, rewritten by
 * scripts/generators/validators.ts cheaperMinPropertiesChecks): ajv emits
 * `Object.keys(data).length < 1`, which builds the list of keys of every position of every row
 * the adapters' gate passes only to see whether it is empty. The same answer without the list:
 * `for…in` meets every own enumerable string key (and inherited ones, which `hasOwnProperty`
 * leaves out), as Object.keys lists them.
 */
export function hasNoOwnKeys(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return false;
  return true;
}
