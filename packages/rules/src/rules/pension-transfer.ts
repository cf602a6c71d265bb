/**
 * Rule 7: the funds that move on a pension (110) transfer (国办发〔2009〕66号 art. 4).
 * Pooled fund: 12% of the sum of the actual monthly bases of the months actually
 * paid (paid or back-paid) from 1998-01 on, rounded half-up to the fen once.
 * Individual account: the whole balance (the last year-end balance exported).
 */
import { monthIndex, POOLED_FUND_FROM } from '../month.ts';
import { counts, type AccountYear, type Contribution } from '../record.ts';

/** 12% of a sum of fen, rounded half-up once (exact, in BigInt). */
export function twelvePercentHalfUp(sumFen: bigint): bigint {
  return (sumFen * 12n + 50n) / 100n;
}

export interface PooledFund {
  /** The sum of the bases that count, fen. */
  baseSumFen: bigint;
  /** 12% of it, half-up, fen. */
  fen: bigint;
  /** Paid months from 1998-01 on whose base was summed. */
  months: number;
  /** Paid months before 1998-01 left out (their pooled part does not move: UNCONFIRMED). */
  monthsBefore1998: number;
}

export function pooledFund(contributions: Iterable<Contribution>): PooledFund {
  let baseSumFen = 0n;
  let months = 0;
  let monthsBefore1998 = 0;
  for (const c of contributions) {
    if (!counts(c)) continue;
    if (monthIndex(c.month) < POOLED_FUND_FROM) {
      monthsBefore1998 += 1;
      continue;
    }
    baseSumFen += BigInt(c.baseFen);
    months += 1;
  }
  return { baseSumFen, fen: twelvePercentHalfUp(baseSumFen), months, monthsBefore1998 };
}

/** The last year-end balance of an exported account, or null when the region exports none. */
export function lastBalance(account: readonly AccountYear[] | undefined): { year: number; fen: number } | null {
  if (!account || account.length === 0) return null;
  let last = account[0];
  for (const a of account) if (a.year > last.year) last = a;
  return { year: last.year, fen: last.balanceFen };
}

/** A BigInt fen amount as a JSON number, refusing to lose precision. */
export function fenNumber(fen: bigint): number {
  const n = Number(fen);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${fen} fen exceeds the exact integer range`);
  return n;
}
