/**
 * The gate's validator is the standard's fast one (validateRecord: generated validators with
 * rewritten length and pattern checks, remembered identifier answers, the storable-text walk
 * without the text a valid record's schema fixes). It must decide and word everything exactly as
 * the plain one (referenceValidateRecord: ajv compiled at run time from the schema files, plain
 * checks, the whole walk): the same report, issue for issue, for every record of every sample
 * and for many records mutated from them (the fuzz suite's rng, fixed seeds). Both run in one
 * process over the same sequence of records, so answers remembered from one record meet the next.
 */
import { describe, expect, it } from 'vitest';
import { referenceValidateRecord, validateRecord, citizenIdCheckChar, usccCheckChar, organizationCodeCheckChar } from '@jiexu/standard';
import { decode, type ContributionRecord } from './index.ts';
import { rng } from './fuzz/mutations.ts';
import { samples } from './testing/fuzz-samples.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = Json[] | { [key: string]: Json };

async function recordsOf(format: string, source: string): Promise<ContributionRecord[]> {
  const d = decode(format, source);
  const out: ContributionRecord[] = [];
  for await (const batch of d.batches()) out.push(...batch);
  return out;
}

/** Every container of `doc` with the path to it. */
function containers(doc: Json, at: (string | number)[] = []): Array<{ node: Node; at: (string | number)[] }> {
  if (doc === null || typeof doc !== 'object') return [];
  const out = [{ node: doc, at }];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...containers(v, [...at, i])));
  else for (const [k, v] of Object.entries(doc)) out.push(...containers(v, [...at, k]));
  return out;
}

/** Every (container, key) whose value is a string or a number. */
function leaves(doc: Json): Array<{ node: Node; key: string | number; value: string | number }> {
  return containers(doc).flatMap(({ node }) =>
    (Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node)).flatMap(([key, value]) => (typeof value === 'string' || typeof value === 'number' ? [{ node, key, value }] : [])),
  );
}

const set = (node: Node, key: string | number, value: Json | undefined): void => {
  if (value === undefined) delete (node as Record<string | number, Json>)[key];
  else (node as Record<string | number, Json>)[key] = value;
};

/** A valid USCC other than the sample's employers (so a month naming it names an unlisted employer). */
const otherUscc = (() => {
  const org8 = '12345678';
  const first17 = `91440300${org8}${organizationCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
})();

/** One edit of `doc` in place, chosen by `pick`: what a hostile or careless export can do to a record, and what the schema and the rules beside it check. */
function mutate(doc: Record<string, Json>, pick: (n: number) => number): void {
  const of = <T>(xs: readonly T[]): T => xs[pick(xs.length)]!;
  const contributions = (Array.isArray(doc.contributions) ? doc.contributions : []) as Json[];
  const ls = leaves(doc);
  const leaf = ls.length ? of(ls) : undefined;
  const strings = ls.filter((l) => typeof l.value === 'string');
  /** A string's characters: often a NUL or a lone surrogate, which a record otherwise valid carries past the schema (1.0, 1.1) to the storable-text walk. */
  const text = () => {
    if (!strings.length) return;
    const { node, key, value } = of(strings);
    const s = value as string;
    const i = pick(s.length + 1);
    const put = of(['\u0000', '\uD842', '\uDFB7', '\u0000', '\uD842', '𠮷', 'X', 'a', '0', ' ', '/', '~', '张']);
    set(node, key, of([s.slice(0, i) + put + s.slice(i), s.slice(0, i) + put + s.slice(i), s.slice(0, i) + put + s.slice(i + 1), '', s.repeat(1 + pick(40)), s.slice(0, i)]));
  };
  const edits: Array<() => void> = [
    text,
    text,
    text,
    // a value's type or range
    () => leaf && set(leaf.node, leaf.key, of<Json>([-1, 0, 1.5, 9e15, 2 ** 53, null, true, '12', [], {}, String(leaf.value), Number(leaf.value) || 7])),
    // a property gone, or one too many (a name with a NUL too)
    () => {
      const objects = containers(doc).filter((c) => !Array.isArray(c.node));
      const { node } = of(objects);
      const keys = Object.keys(node);
      if (pick(2) && keys.length) set(node, of(keys), undefined);
      else set(node, of(['extra', 'ba\u0000d', '\uD800', 'at']), of<Json>([1, 'x', {}]));
    },
    // one wrong value down a run of months (an employer code mistyped the same way on each): the same string met again and again
    () => {
      const entries = contributions.filter((c): c is Record<string, Json> => c !== null && typeof c === 'object' && !Array.isArray(c));
      if (!entries.length) return;
      const key = of(['employerId', 'month', 'status']);
      const was = entries[0]![key];
      const s = typeof was === 'string' ? was : 'x';
      const bad = of([s.toLowerCase(), `${s}0`, s.slice(1), `${s.slice(0, -1)}I`, '2010-13', '\u0000', 'paid ']);
      const from = pick(entries.length);
      for (let i = from; i < Math.min(entries.length, from + 2 + pick(6)); i++) entries[i]![key] = bad;
    },
    // months out of order, twice, or one gone
    () => {
      if (contributions.length < 2) return;
      const i = pick(contributions.length);
      const j = pick(contributions.length);
      if (pick(2)) contributions.splice(j, 0, structuredClone(contributions[i]!));
      else [contributions[i], contributions[j]] = [contributions[j]!, contributions[i]!];
    },
    // an employer not listed, or the list gone
    () => {
      if (pick(2) && contributions.length) {
        const c = of(contributions) as Record<string, Json>;
        if (c && typeof c === 'object') c.employerId = otherUscc;
      } else delete doc.employers;
    },
    // the person's ID: another check character, another birth date, the sex flipped
    () => {
      const person = doc.person as Record<string, Json> | undefined;
      if (!person || typeof person.id !== 'string') return;
      const id = person.id;
      const first17 = of([id.slice(0, 17), `${id.slice(0, 6)}20991231${id.slice(14, 17)}`, `${id.slice(0, 6)}18990101${id.slice(14, 17)}`, `999999${id.slice(6, 17)}`, `${id.slice(0, 16)}${(Number(id[16]) + 1) % 10}`]);
      person.id = of([first17 + citizenIdCheckChar(first17), first17 + (citizenIdCheckChar(first17) === '0' ? '1' : '0')]);
      if (pick(2)) person.gender = person.gender === 'M' ? 'F' : 'M';
      if (pick(2)) person.birthDate = '1970-01-01';
    },
    // the declared version or kind, the scheme (an account outside pensions), the region
    () => {
      const [key, value] = of<[string, Json]>([
        ['version', '1.1'],
        ['version', '1.2'],
        ['version', '9.9'],
        ['version', 1],
        ['kind', 'envelope'],
        ['scheme', '310'],
        ['region', '999999'],
        ['region', '4403'],
      ]);
      doc[key] = value;
    },
  ];
  of(edits)();
}

describe('the gate decides and words as the reference validator', () => {
  it('over every record of every sample, then many records mutated from them', async () => {
    let compared = 0;
    let refused = 0;
    for (const [n, s] of samples.entries()) {
      const records = (await recordsOf(s.format, s.source)) as unknown as Record<string, Json>[];
      expect(records.length, s.file).toBeGreaterThan(0);
      const r = rng(20261203 + n);
      const pick = (k: number) => Math.floor(r() * k);
      for (const record of records) {
        expect(validateRecord(record), `${s.file} ${String((record.person as Record<string, Json>).id)}`).toStrictEqual(referenceValidateRecord(record));
        compared++;
        // each record mutated a few times, one to four edits each, interleaved with the original again
        for (let m = 0; m < 3; m++) {
          const doc = structuredClone(record);
          for (let e = 1 + pick(4); e > 0; e--) mutate(doc, pick);
          const fast = validateRecord(doc);
          expect(fast, `${s.file} mutation ${m} of ${String((record.person as Record<string, Json>).id)}`).toStrictEqual(referenceValidateRecord(doc));
          if (!fast.valid) refused++;
          compared++;
          expect(validateRecord(record)).toStrictEqual(referenceValidateRecord(record));
        }
      }
    }
    // the mutations reach the refusals, not only the valid path
    expect(refused).toBeGreaterThan(compared / 4);
  }, 300_000);
});
