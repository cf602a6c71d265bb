/**
 * The canonical contribution record, mirroring
 * schemas/1.0/contribution-record/contribution-record.schema.json.
 * Declared here until @jiexu/standard generates `ContributionRecord`; swap this
 * file's body for a re-export of the generated type then (nothing else changes).
 */

export type Scheme = '110' | '120' | '170' | '210' | '310' | '390' | '410' | '510';
export type Gender = 'M' | 'F';
export type ContributionStatus = 'paid' | 'backpaid' | 'arrears';

/** Where something sits in a legacy file (common.schema.json#/$defs/position). */
export interface Position {
  line?: number;
  column?: number;
  byteOffset?: number;
  record?: number;
  sheet?: string;
  row?: number;
  path?: string;
}

export interface Person {
  id: string;
  name?: string;
  damagedName?: string;
  gender?: Gender;
  birthDate?: string;
  hukouRegion?: string;
}

export interface Employer {
  id: string;
  name?: string;
}

export interface Contribution {
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

export interface Provenance {
  region: string;
  system?: string;
  format: string;
  file?: string;
  exportedAt?: string;
  at?: Position;
}

export interface ContributionRecord {
  kind: 'contribution-record';
  version: '1.0';
  person: Person;
  region: string;
  scheme: Scheme;
  employers?: Employer[];
  contributions: Contribution[];
  account?: AccountYear[];
  provenance: Provenance;
}

export const SCHEMES: readonly Scheme[] = ['110', '120', '170', '210', '310', '390', '410', '510'];
