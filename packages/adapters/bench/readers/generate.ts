/**
 * Bench exports of the five reference formats, written by the adapters' own
 * writers from generated canonical records (so every file is one the reader
 * must accept): `rows` contribution rows, 2 schemes × 60 months a person, each
 * month's base different so run formats (gd-xml, zj-csv) also hold one row a
 * month. Person order as the writers write it.
 */
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from '@jiexu/standard';
import { writeRecords, type ContributionRecord } from '../../src/index.ts';

export const REGIONS: Record<string, string> = { 'jx-fixed': '360100', 'zj-csv': '330100', 'ln-jb': '210100', 'gd-xml': '440300', 'bj-xlsx': '110000' };
export const EXTENSIONS: Record<string, string> = { 'jx-fixed': '.txt', 'zj-csv': '.csv', 'ln-jb': '.txt', 'gd-xml': '.xml', 'bj-xlsx': '.xlsx' };
export const READERS = Object.keys(REGIONS);
const MONTHS = 60;
const SCHEMES = ['110', '310'] as const;
const NAMES = ['郝𠮷萍', '王小明', '欧阳娜娜', '李', '张伟', '陈思远'];
const pad = (n: number | string, w: number): string => String(n).padStart(w, '0');

/** Canonical records holding `rows` months in all (person by person). */
export async function* benchRecords(region: string, rows: number): AsyncGenerator<ContributionRecord> {
  let n = 0;
  for (let p = 0; n < rows; p++) {
    const birth = `${1960 + (Math.floor(p / 1000) % 40)}-01-01`;
    const first17 = `${region.slice(0, 4)}24${birth.replaceAll('-', '')}${pad(p % 1000, 3)}`;
    const id = first17 + citizenIdCheckChar(first17);
    const org8 = pad((p * 7919) % 100_000_000, 8);
    const u17 = `91${region}${org8}${organizationCodeCheckChar(org8)}`;
    const employer = u17 + usccCheckChar(u17);
    for (const scheme of SCHEMES) {
      const contributions = [];
      for (let m = 0; m < MONTHS && n < rows; m++, n++) {
        const baseFen = 500000 + m * 100 + (p % 100);
        contributions.push({ month: `${2010 + Math.floor(m / 12)}-${pad((m % 12) + 1, 2)}`, baseFen, employerFen: Math.round(baseFen * 0.16), individualFen: Math.round(baseFen * 0.08), status: m % 11 === 0 ? ('backpaid' as const) : ('paid' as const), employerId: employer });
      }
      if (!contributions.length) break;
      yield {
        kind: 'contribution-record',
        version: '1.0',
        person: { id, name: NAMES[p % NAMES.length], gender: Number(id[16]) % 2 ? 'M' : 'F', birthDate: birth },
        region,
        scheme,
        employers: [{ id: employer, name: '顺丰达物流有限公司' }],
        contributions,
        provenance: { region, format: 'canonical' },
      } as ContributionRecord;
    }
  }
}

export async function generate(format: string, path: string, rows: number): Promise<void> {
  const region = REGIONS[format];
  const { report } = await writeRecords(benchRecords(region, rows), format, path, { region, exportedAt: '2026-03-01T10:00:00+08:00' });
  if (!report.valid) throw new Error(`${format}: ${JSON.stringify(report.issues.slice(0, 3))}`);
}
