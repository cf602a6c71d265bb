/**
 * The canonical contribution record (schemas/1.0/contribution-record), mirrored
 * by hand until @jiexu/standard generates `ContributionRecord`. This is the only
 * file that declares it: swap the interfaces below for
 * `export type { ContributionRecord } from '@jiexu/standard'` when it exists.
 */

export type Scheme = '110' | '120' | '170' | '210' | '310' | '390' | '410' | '510';
export type ContributionStatus = 'paid' | 'backpaid' | 'arrears';

export interface Position {
  line?: number;
  column?: number;
  byteOffset?: number;
  record?: number;
  sheet?: string;
  row?: number;
  path?: string;
}

export interface Contribution {
  /** YYYY-MM */
  month: string;
  baseFen: number;
  employerFen: number;
  individualFen: number;
  status: ContributionStatus;
  employerId?: string;
  at?: Position;
}

export interface AccountYear {
  year: number;
  creditedFen: number;
  interestFen: number;
  balanceFen: number;
  at?: Position;
}

export interface ContributionRecord {
  kind: 'contribution-record';
  version: '1.0';
  person: {
    id: string;
    name?: string;
    damagedName?: string;
    gender?: 'M' | 'F';
    birthDate?: string;
    hukouRegion?: string;
  };
  /** Pooling region, six digits. */
  region: string;
  scheme: Scheme | string;
  employers?: Array<{ id: string; name?: string }>;
  contributions: Contribution[];
  /** Pension individual account by year; absent when the source does not export it. */
  account?: AccountYear[];
  provenance: {
    region: string;
    system?: string;
    format: string;
    file?: string;
    exportedAt?: string;
    at?: Position;
  };
}

/** A month counts toward contribution years when it was paid on time or back-paid (补缴); arrears never count. */
export function counts(c: Contribution): boolean {
  return c.status === 'paid' || c.status === 'backpaid';
}
