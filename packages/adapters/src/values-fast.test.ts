/**
 * values.ts's shortcuts for spreadsheet cells (issue 11 item 5) against the
 * rules they shortcut, as properties over wide input ranges (fast-check, fixed
 * seed): an amount cell read as a number becomes the same fen, or the same
 * problem, as String(n) and the pattern give; a month cell gives the same
 * month, or the same problem, as toISOString gives, the first time and when
 * remembered; an amount read from the bytes of an ASCII field is what its
 * text gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, fenFromYuanNumber, fenFromYuanNumberByText, plainYuan, plainYuanBytes, type Raw } from './values.ts';
import { problem } from './issues.ts';
import type { FieldSpec, Mapping } from './mapping.ts';

const SEED = 20261202;

/** Doubles near two-decimal amounts, where the shortcut's round trip decides: k/100 and its neighbours, sums like 0.1 + 0.2. */
const nearCents = fc.tuple(fc.integer({ min: 0, max: 2 ** 53 }), fc.integer({ min: -3, max: 3 }), fc.constantFrom(1, 10, 100, 1000)).map(([k, ulps, scale]) => {
  let x = k / scale;
  for (let i = 0; i < Math.abs(ulps); i++) x = ulps > 0 ? nextUp(x) : nextDown(x);
  return x;
});
const sums = fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 })).map(([a, b]) => a / 100 + b / 100);
const edges = fc.constantFrom(0, -0, 0.1 + 0.2, 0.3, 1.005, 1.015, 4280.1, 4280.105, 0.01, 0.001, 5e-324, 1e-7, 9999999999999.99, 9999999999999.994, 9999999999999.996, 1e13, 1e13 - 0.01, 1e15, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, -0.01, -1, -1e21, NaN, Infinity, -Infinity);
const amounts = fc.oneof(fc.double(), fc.double({ min: 0, max: 1e16 }), nearCents, sums, edges, fc.integer({ min: 0, max: 10 ** 15 }).map((f) => f / 100));

function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] += x > 0 ? 1n : -1n;
  return b[0];
}
const nextDown = (x: number): number => -nextUp(-x);

describe('fenFromYuanNumber', () => {
  it('gives what String(n) and the pattern give, fen or problem, over doubles of every range', () => {
    fc.assert(
      fc.property(amounts, (n) => {
        const fast = fenFromYuanNumber(n);
        expect(fast).toStrictEqual(fenFromYuanNumberByText(n)); // Object.is on numbers: −0 is not 0
      }),
      { seed: SEED, numRuns: 50_000 },
    );
  });

  it('the shortcut is taken for the usual amounts (so the test above tests it)', () => {
    // the rule's problems come from problem(); the shortcut never builds one and never calls String
    const spy = String;
    let calls = 0;
    globalThis.String = ((v: unknown) => {
      calls++;
      return spy(v);
    }) as StringConstructor;
    try {
      for (const n of [0, -0, 0.1, 0.3, 4280.1, 1234567890123.45, 9999999999999.99]) fenFromYuanNumber(n);
    } finally {
      globalThis.String = spy;
    }
    expect(calls).toBe(0);
    expect(fenFromYuanNumber(0.1 + 0.2)).toStrictEqual(problem('legacy-amount-not-exact', 'amount 0.30000000000000004 has more than two decimals (or is out of range); whole fen expected', '金额 0.30000000000000004 超过两位小数（或超出范围），应为整分'));
  });
});

describe('month date cells', () => {
  const spec: FieldSpec = { name: '缴费年月', as: 'month', type: 'month', format: 'date-cell' };
  const mapping = { codes: {} } as unknown as Mapping;
  const MONTH = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$/;
  /** decodeMonth for date cells before the shortcut, as written then. */
  function asWritten(raw: Raw): unknown {
    const d = raw instanceof Date ? raw : typeof raw === 'number' && raw > 60 && Number.isFinite(raw) ? new Date(Date.UTC(1899, 11, 30) + raw * 86_400_000) : undefined;
    if (!d || Number.isNaN(d.getTime())) return problem('legacy-field-invalid', `expected a date cell, found ${JSON.stringify(raw)}`, `应为日期单元格，实为 ${JSON.stringify(raw)}`);
    if (d.getUTCDate() !== 1 || d.getTime() % 86_400_000 !== 0) return problem('legacy-field-invalid', `month cell ${d.toISOString()} is not the first day of a month`, `年月单元格 ${d.toISOString()} 不是某月第一天`);
    const iso = d.toISOString().slice(0, 7);
    if (!MONTH.test(iso)) return problem('legacy-field-invalid', `"${String(raw)}" is not a month (date-cell)`, `“${String(raw)}”不是有效年月（date-cell）`);
    return iso;
  }
  const firstOfMonth = fc.tuple(fc.integer({ min: 1700, max: 2300 }), fc.integer({ min: 0, max: 11 })).map(([y, m]) => new Date(Date.UTC(y, m, 1)));
  const nearFirst = fc.tuple(firstOfMonth, fc.constantFrom(-86_400_000, -1, 1, 3_600_000, 86_400_000, 28_800_000)).map(([d, ms]) => new Date(d.getTime() + ms));
  const serials = fc.oneof(fc.integer({ min: -10, max: 80_000 }), fc.double({ min: -1e6, max: 1e9 }), fc.constantFrom(60, 61, 0, NaN, Infinity, 1e300));
  const cells: fc.Arbitrary<Raw> = fc.oneof(firstOfMonth, nearFirst, fc.date({ noInvalidDate: false }), serials, fc.constantFrom('2020-01', true, new Date(Number.NaN)));

  it('give the month, or the problem, that toISOString gives: the first time and when remembered', () => {
    fc.assert(
      fc.property(fc.array(cells, { minLength: 1, maxLength: 8 }), (raws) => {
        for (const raw of [...raws, ...raws]) expect(decodeValue(raw, spec, mapping), String(raw)).toStrictEqual(asWritten(raw));
      }),
      { seed: SEED, numRuns: 5_000 },
    );
  });
});

describe('plainYuanBytes', () => {
  const chars = fc.constantFrom(...'0123456789..-+ eE,/:'.split(''), String.fromCharCode(0), '\u007f');
  const texts = fc.oneof(fc.string({ unit: chars, maxLength: 20 }), fc.stringMatching(/^[0-9]{0,15}\.[0-9]{0,3}$/), fc.string({ unit: 'binary-ascii', maxLength: 18 }));

  it('gives plainYuan of the text for the bytes of any ASCII text, at any offset in a buffer', () => {
    fc.assert(
      fc.property(texts, fc.nat(8), fc.nat(8), (t, before, after) => {
        const buf = Buffer.concat([Buffer.alloc(before, 0x37), Buffer.from(t, 'latin1'), Buffer.alloc(after, 0x2e)]);
        expect(plainYuanBytes(buf, before, before + t.length), JSON.stringify(t)).toBe(plainYuan(t));
      }),
      { seed: SEED, numRuns: 50_000 },
    );
    expect(plainYuanBytes(Buffer.from('x4280.10y'), 1, 8)).toBe(428010);
  });
});
