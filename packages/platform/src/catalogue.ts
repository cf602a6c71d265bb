/**
 * The case-type catalogue (schemas/<version>/catalogue/case-types.json) read as small
 * state machines: which message opens a case, which answers which, who may send it, the
 * state it leads to, and the deadline of each step in working days.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir, supportedVersions } from '@jiexu/standard';

export type Role = string; // old | new | platform | region

export interface Deadline {
  workingDays: number;
  startsAt: { message: string; field?: string };
  source?: string;
}

export interface Step {
  message: string;
  from: Role[];
  to?: Role[];
  inStates?: string[];
  answers?: string[];
  toState?: string;
  opens?: boolean;
  deadline?: Deadline;
}

export interface CaseType {
  code: string;
  schemes?: string[];
  states: Array<{ code: string; final: boolean }>;
  opens: string[];
  closes: string[];
  steps: Step[];
  administrative?: Array<{ message: string; from: Role[] }>;
}

export interface AdministrativeMessage {
  message: string;
  /** any: answers a message of the case; own: answers one the sender sent; none: answers nothing. */
  answers: 'any' | 'own' | 'none';
  effect: 'none' | 'revert' | 'close';
}

export interface Catalogue {
  version: string;
  administrative: AdministrativeMessage[];
  caseTypes: CaseType[];
}

/**
 * The catalogue of the latest supported version of the standard, shipped in the repository's
 * schemas/. Within a major every version keeps every case type and step of the earlier ones
 * (the versioning policy), so the latest catalogue fits the cases of every supported version.
 */
export const CATALOGUE_PATH = join(schemasDir(), `${supportedVersions().at(-1)}`, 'catalogue', 'case-types.json');

export function loadCatalogue(path: string = CATALOGUE_PATH): Catalogue {
  return JSON.parse(readFileSync(path, 'utf8')) as Catalogue;
}

/** `cn.jiexu.pension.contact-letter.v1` → `pension.contact-letter` (undefined when not of that form). */
export function messageName(type: string): string | undefined {
  return /^cn\.jiexu\.([a-z][a-z0-9-]*\.[a-z][a-z0-9-]*)\.v[0-9]+$/.exec(type)?.[1];
}

export function messageType(name: string, major = 1): string {
  return `cn.jiexu.${name}.v${major}`;
}

export function caseType(cat: Catalogue, code: string): CaseType | undefined {
  return cat.caseTypes.find((t) => t.code === code);
}

export function isFinal(t: CaseType, state: string): boolean {
  return t.states.find((s) => s.code === state)?.final ?? false;
}

/**
 * The steps the case now waits for: those allowed in `state` that carry a deadline.
 * Steps that move the case on (toState) come first; optional side steps only when no
 * progressing step has a deadline.
 */
export function awaitedSteps(t: CaseType, state: string): Step[] {
  const allowed = t.steps.filter((s) => s.deadline && s.inStates?.includes(state));
  const progressing = allowed.filter((s) => s.toState);
  return progressing.length ? progressing : allowed;
}
