/**
 * Bench: assessing one person with a 45-year monthly history (540 months over
 * six pooling regions in four provinces, pension and unemployment, with an
 * overlap, arrears and pre-1998 months) must take under a millisecond.
 * Baseline in the same run: just iterating the same months and summing bases.
 *   pnpm --filter @jiexu/rules bench
 */
import { assessPerson } from '../src/assess.ts';
import { monthIndex, monthString } from '../src/month.ts';
import type { ContributionRecord, Scheme } from '../src/record.ts';

const person = { id: '230128196208035598', name: '高强兰', gender: 'M' as const, birthDate: '1962-08-03', hukouRegion: '230128' };
const spells: Array<[string, string, string]> = [
  ['210100', '1980-01', '1989-12'],
  ['210200', '1990-01', '1997-06'],
  ['330100', '1997-07', '2005-12'],
  ['440300', '2005-10', '2012-12'], // three months overlap with 330100
  ['441900', '2013-01', '2018-12'],
  ['110000', '2019-01', '2024-12'],
];

function records(scheme: Scheme): ContributionRecord[] {
  return spells.map(([region, from, to]) => {
    const contributions = [];
    for (let m = monthIndex(from); m <= monthIndex(to); m++) {
      const baseFen = 300000 + (m % 97) * 1234;
      contributions.push({ month: monthString(m), baseFen, employerFen: Math.round(baseFen * 0.16), individualFen: Math.round(baseFen * 0.08), status: m % 50 === 0 ? ('arrears' as const) : ('paid' as const) });
    }
    const account = scheme === '110' && region !== '330100' ? [{ year: Number(to.slice(0, 4)), creditedFen: 100000, interestFen: 1000, balanceFen: 5000000 }] : undefined;
    return { kind: 'contribution-record', version: '1.0', person, region, scheme, contributions, ...(account ? { account } : {}), provenance: { region, format: 'canonical' } } satisfies ContributionRecord;
  });
}

const history = [...records('110'), ...records('210')];
const months = history.reduce((n, r) => n + r.contributions.length, 0);

function baseline(): number {
  let sum = 0;
  for (const r of history) for (const c of r.contributions) if (c.status !== 'arrears') sum += c.baseFen;
  return sum;
}

/** Wall-clock and CPU microseconds per call (CPU time is what the process itself used: fairer on a loaded machine). */
function time(fn: () => unknown, iterations: number): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(); // warm-up
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const wall = Number(process.hrtime.bigint() - start) / iterations / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / iterations };
}

const ITERATIONS = 2000;
const assess = time(() => assessPerson(history, { asOf: '2026-11-29' }), ITERATIONS);
const base = time(baseline, ITERATIONS * 10);
const assessUs = Math.min(assess.wall, assess.cpu);
const baselineUs = Math.min(base.wall, base.cpu);
const pension = assessPerson(history, { asOf: '2026-11-29' }).schemes['110']!;
const budgetUs = 1000;
process.stdout.write(
  [
    `history: ${months / 2} months × 2 schemes (${months} monthly entries), ${spells.length} regions; pension paid months ${pension.paidMonths}, overlap ${pension.overlapMonths}`,
    `assessPerson: ${assess.cpu.toFixed(1)} µs CPU, ${assess.wall.toFixed(1)} µs wall per assessment (${ITERATIONS} runs)`,
    `baseline (iterate and sum the months): ${base.cpu.toFixed(2)} µs CPU, ${base.wall.toFixed(2)} µs wall`,
    `ratio: ${(assessUs / baselineUs).toFixed(1)}× the baseline; budget ${budgetUs} µs: ${assessUs < budgetUs ? 'within' : 'OVER'}`,
  ].join('\n') + '\n',
);
process.exitCode = assessUs < budgetUs ? 0 : 1;
