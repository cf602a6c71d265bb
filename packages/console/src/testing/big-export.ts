/**
 * A large ln-jb export (辽宁 竖线分隔, GBK) for the validator's 100,000-row test and the bench:
 * `rows` monthly rows, 5 schemes × 100 months per person, valid citizen IDs and employer codes,
 * money in yuan with two decimals. Deterministic: the same `rows` give the same bytes.
 */
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from '@jiexu/standard';

const SCHEMES = ['110', '210', '310', '410', '510'];
const NAMES = ['高强兰', '王小明', '欧阳娜娜', '李', '张伟', '陈思远'];
const MONTHS_PER_SCHEME = 100;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

const yuanOf = (fen: number): string => `${Math.floor(fen / 100)}.${pad(fen % 100, 2)}`;

/** Writes the export to `path`; returns its row count (a multiple of 500 at or above `rows`). */
export function writeLnJbExport(path: string, rows: number): number {
  const lines = ['AAC002|AAC003|AAC004|AAB001|AAB301|AAE140|AAE002|AAE180|DWJF|GRJF|AAE114'];
  const people = Math.ceil(rows / (SCHEMES.length * MONTHS_PER_SCHEME));
  for (let p = 0; p < people; p++) {
    const birth = `19${pad(60 + (p % 35), 2)}${pad(1 + (p % 12), 2)}${pad(1 + (p % 28), 2)}`;
    const id17 = `210102${birth}${pad(p % 1000, 3)}`;
    const id = id17 + citizenIdCheckChar(id17);
    const org8 = pad(p % 100_000_000, 8);
    const uscc17 = `91210100${org8}${organizationCodeCheckChar(org8)}`;
    const employer = uscc17 + usccCheckChar(uscc17);
    const gender = Number(id[16]) % 2 === 1 ? '1' : '2';
    for (const scheme of SCHEMES) {
      for (let m = 0; m < MONTHS_PER_SCHEME; m++) {
        const year = 2005 + Math.floor(m / 12);
        const month = `${year}${pad(1 + (m % 12), 2)}`;
        const base = 300_000 + ((p * 37 + m * 11) % 500_000);
        const employerFen = Math.round(base * (scheme === '110' ? 0.16 : 0.02));
        const individualFen = scheme === '410' || scheme === '510' ? 0 : Math.round(base * 0.08);
        lines.push([id, NAMES[p % NAMES.length], gender, employer, '210100', scheme, month, yuanOf(base), yuanOf(employerFen), yuanOf(individualFen), '1'].join('|'));
      }
    }
  }
  writeFileSync(path, iconv.encode(`${lines.join('\n')}\n`, 'gbk'));
  return lines.length - 1;
}
