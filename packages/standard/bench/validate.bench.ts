/**
 * How many monthly contribution entries per second the compiled validator
 * checks, on one core, beside baselines run in the same process on the same
 * data: JSON.parse of the records' text, and a hand-written loop that only
 * checks each entry's field types. Run: pnpm --filter @jiexu/standard bench
 * Goal: ≥ 500,000 entries/s for the compiled validator.
 */
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from '../src/identifiers.ts';
import { v1_0_contribution_record as compiled } from '../src/generated/validators.js';
import { validateDocument } from '../src/validate.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200);
const MONTHS = 540; // 45 years, 1980-01 … 2024-12
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

function uscc(n: number): string {
  const org8 = String(10_000_000 + n).slice(-8);
  const first17 = `91360100${org8}${organizationCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}

function makeRecord(n: number) {
  const first17 = `360124${1960 + (n % 30)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
  const employers = [uscc(n * 3), uscc(n * 3 + 1), uscc(n * 3 + 2)];
  const contributions = [];
  for (let m = 0; m < MONTHS; m++) {
    const baseFen = 300_000 + ((n * 7 + m) % 500) * 100;
    contributions.push({
      month: `${1980 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`,
      baseFen,
      employerFen: (baseFen * 16) / 100,
      individualFen: (baseFen * 8) / 100,
      status: m % 97 === 0 ? 'backpaid' : 'paid',
      employerId: employers[Math.floor(m / 180)],
      at: { line: m + 2 },
    });
  }
  return {
    kind: 'contribution-record',
    version: '1.0',
    person: { id: first17 + citizenIdCheckChar(first17), name: `测试${n}` },
    region: '360100',
    scheme: '110',
    employers: employers.map((id) => ({ id })),
    contributions,
    provenance: { region: '360100', format: 'jx-fixed', file: 'bench.txt' },
  };
}

/** Runs `fn` ROUNDS times after a warm-up; the median round's rate (the machine may be shared: medians resist noise). */
function time(label: string, fn: () => number): { label: string; perSecond: number } {
  fn(); // warm up (JIT)
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    const entries = fn();
    rates.push(entries / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  return { label, perSecond: rates[Math.floor(rates.length / 2)] };
}

const records = Array.from({ length: RECORDS }, (_, n) => makeRecord(n));
const texts = records.map((r) => JSON.stringify(r));
const total = RECORDS * MONTHS;
for (const r of records) if (!compiled(r)) throw new Error(`bench data invalid: ${JSON.stringify(compiled.errors)}`);

// The validators first: JSON.parse leaves garbage whose collection would be billed to whatever runs next.
const ajv = time('compiled validator (ajv standalone, all keywords and formats)', () => {
  for (const r of records) if (!compiled(r)) throw new Error('invalid');
  return total;
});
const full = time('validateDocument (validator + record rules + issue mapping)', () => {
  for (const r of records) if (!validateDocument(r).valid) throw new Error('invalid');
  return total;
});

const handLoop = time('baseline: hand loop checking field types', () => {
  let ok = 0;
  for (const r of records) {
    for (const c of r.contributions) {
      if (typeof c.month === 'string' && Number.isInteger(c.baseFen) && Number.isInteger(c.employerFen) && Number.isInteger(c.individualFen) && typeof c.status === 'string') ok++;
    }
  }
  if (ok !== total) throw new Error('hand loop disagrees');
  return total;
});
const parse = time('baseline: JSON.parse of the same records', () => {
  for (const t of texts) JSON.parse(t);
  return total;
});
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
process.stdout.write(`${RECORDS} records × ${MONTHS} months = ${fmt(total)} entries, median of ${ROUNDS} rounds, one core (node ${process.version})\n`);
for (const r of [parse, handLoop, ajv, full]) process.stdout.write(`  ${r.label.padEnd(64)} ${fmt(r.perSecond).padStart(12)} entries/s\n`);
process.stdout.write(
  `compiled validator: ${fmt(ajv.perSecond)} entries/s = ${(ajv.perSecond / parse.perSecond).toFixed(2)}× JSON.parse, ${(ajv.perSecond / handLoop.perSecond).toFixed(3)}× the hand loop; validateDocument ${(full.perSecond / parse.perSecond).toFixed(2)}× JSON.parse (goal ≥ 500,000 entries/s: ${ajv.perSecond >= 500_000 ? 'met' : 'NOT met'})\n`,
);
