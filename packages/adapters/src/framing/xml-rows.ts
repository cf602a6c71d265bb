/**
 * A leaf row's values with the values it inherits (the root's, person's and
 * scheme's), built in one object literal.
 *
 * The reader used to add each inherited value the row lacks to the row's own
 * object, key by key: a dozen stores that grow the object's shape and its
 * property store one step at a time, per row (a sixth of the framing's own
 * time at 1M rows). Where that loop's result is known in advance, one literal
 * gives the same object: when the row's fields have no hook (so the row holds
 * only its fields' targets), no target is among the inherited keys (so every
 * inherited key is added), and the row holds every target (the decoder's
 * usual, complete row). The literal lists the targets in field order and then
 * the inherited keys in their order: the keys, their order and the values of
 * the loop. Any other row is left to the loop (the builder answers undefined).
 *
 * The builder reads the row's values as decodeFields holds them, one per
 * field by index, before it makes the row's own object (common.ts rowValues:
 * the same targets in the same order, when complete): the row's object was
 * otherwise built only to be copied into this one and dropped, 1M objects at
 * 1M rows.
 * Keys are written as JSON string literals and values read by index: nothing
 * of the mapping is evaluated as code (as common.ts's valuesBuilder).
 */
import type { FieldSpec } from '../mapping.ts';
import type { RowValues } from '../rows.ts';

type Value = RowValues[keyof RowValues];
/** The row with its inherited values from each field's decoded value (by field index), or undefined when the row is not the complete one the builder was made for. */
export type RowBuilder = (decoded: readonly Value[], inherited: Value[]) => RowValues | undefined;

/** At most this many builders a reader (inherited key lists are few: optional person fields present or not). */
const MAX_BUILDERS = 64;

/** A reader's builders, by field list and inherited keys. */
export class RowBuilders {
  private readonly made = new Map<FieldSpec[], Map<string, RowBuilder | undefined>>();
  private count = 0;

  get(fields: FieldSpec[], inheritedKeys: string[]): RowBuilder | undefined {
    let byKeys = this.made.get(fields);
    if (!byKeys) this.made.set(fields, (byKeys = new Map()));
    const key = inheritedKeys.join('\u0000');
    if (byKeys.has(key)) return byKeys.get(key);
    if (this.count >= MAX_BUILDERS) return undefined;
    const built = rowBuilder(fields, inheritedKeys);
    byKeys.set(key, built);
    this.count++;
    return built;
  }
}

/** The builder for rows of these fields inheriting these keys, or undefined where the loop must decide key by key. */
export function rowBuilder(fields: FieldSpec[], inheritedKeys: string[]): RowBuilder | undefined {
  if (fields.some((f) => f.type === 'hook')) return undefined;
  const targeted = fields.flatMap((f, i) => (f.as ? [[f.as, i] as const] : []));
  const targets: string[] = targeted.map(([as]) => as);
  if (new Set(targets).size !== targets.length) return undefined;
  if (new Set(inheritedKeys).size !== inheritedKeys.length) return undefined;
  if (inheritedKeys.some((k) => targets.includes(k))) return undefined;
  // a key every object has (toString, __proto__ …): the loop's `in` sees it on any row, a literal would not
  if ([...targets, ...inheritedKeys].some((k) => k in Object.prototype)) return undefined;
  const own = targeted.map(([, i]) => `d[${i}]`);
  const body = [
    targets.length ? `if (${own.map((o) => `${o} === undefined`).join(' || ')}) return undefined;` : '',
    `return {${[...targets.map((t, i) => `${JSON.stringify(t)}: ${own[i]}`), ...inheritedKeys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`)].join(', ')}};`,
  ].join('\n');
  return new Function('d', 'v', body) as RowBuilder;
}
