/**
 * The ledger's inputs file (schemas/ledger-inputs.schema.json): what the project
 * cannot source — provincial average monthly wages by year, crediting rates —
 * validated against its schema, with every source named. `wageOf` says which
 * series it used, so every figure can name its inputs.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export type Series = Record<string, number>;

export interface LedgerInputs {
  kind: 'jiexu-ledger-inputs';
  description?: string;
  sources: Record<string, { title: string; publisher?: string; note?: string }>;
  valuationYear: number;
  femaleCategory?: 'female-50' | 'female-55';
  averageWages: { source: string; byProvince?: Record<string, Series>; default: Series };
  creditingRates: { source: string; byYear: Record<string, string> };
}

export class InputsError extends Error {
  constructor(
    message: string,
    readonly problems: Array<{ pointer: string; message: string }>,
  ) {
    super(message);
    this.name = 'InputsError';
  }
}

const schema = JSON.parse(readFileSync(new URL('../../schemas/ledger-inputs.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** Checks a parsed inputs document: the schema, then that every series names a listed source. */
export function checkLedgerInputs(value: unknown): LedgerInputs {
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => ({ pointer: e.instancePath || '/', message: e.message ?? 'invalid' }));
    throw new InputsError(problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), problems);
  }
  const v = value as LedgerInputs;
  const problems: Array<{ pointer: string; message: string }> = [];
  for (const [pointer, id] of [['/averageWages/source', v.averageWages.source], ['/creditingRates/source', v.creditingRates.source]] as const) {
    if (!Object.hasOwn(v.sources, id)) problems.push({ pointer, message: `names source "${id}", which /sources does not list` });
  }
  if (problems.length) throw new InputsError(problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), problems);
  return v;
}

/** The wage of a province in a year and which series gave it; null when neither the province nor the default has the year. */
export function wageOf(inputs: LedgerInputs, province: string, year: number): { fen: number; from: 'province' | 'default' } | null {
  const own = inputs.averageWages.byProvince?.[province]?.[String(year)];
  if (own !== undefined) return { fen: own, from: 'province' };
  const d = inputs.averageWages.default[String(year)];
  return d === undefined ? null : { fen: d, from: 'default' };
}
