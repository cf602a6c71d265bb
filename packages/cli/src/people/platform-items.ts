/**
 * The platform's completed pension transfers as person items for `jiexu ledger`:
 * every `pension.transfer-info` form (the old place's information form, with
 * the funds) of a case that has a `pension.transfer-completed` message, read
 * either from the platform's database (the operator: a read-only query, paged)
 * or from case bundles (`jiexu case export`, GET /v1/cases/{id}/bundle). The
 * contribution records a form carries (`records`, one per region × scheme)
 * become the person's records; a form without records is counted, with the
 * funds it names, and its person is not — the output says how many. The funds
 * the forms name are summed per province (sent by the `fromRegion`'s province,
 * received by the `toRegion`'s), so the modelled 2009 flows can be set beside
 * what the platform carried.
 */
import type { Queryable } from '@jiexu/platform';
import { CliError, EXIT } from '../errors.ts';
import { readJsonFile } from '../file-errors.ts';
import type { PersonItem, ReadStats } from './items.ts';

const INFO = /^cn\.jiexu\.pension\.transfer-info\.v\d+$/;
const COMPLETED = /^cn\.jiexu\.pension\.transfer-completed\.v\d+$/;

export interface PlatformStats {
  /** completed pension-transfer cases read */
  cases: number;
  /** their information forms */
  forms: number;
  /** forms that carried no contribution records (their people are not in the ledger) */
  formsWithoutRecords: number;
  /** per province: the funds the forms name, fen */
  recorded: Record<string, { sentFen: number; receivedFen: number; transfersOut: number; transfersIn: number }>;
}

export const newPlatformStats = (): PlatformStats => ({ cases: 0, forms: 0, formsWithoutRecords: 0, recorded: {} });

interface Form {
  data?: { fromRegion?: unknown; toRegion?: unknown; totalTransferFen?: unknown; records?: unknown };
}

function* formItems(envelope: Form, src: number, stats: ReadStats, pstats: PlatformStats, seq: { n: number }): Generator<PersonItem> {
  const d = envelope.data ?? {};
  pstats.forms += 1;
  const fen = Number.isSafeInteger(d.totalTransferFen) ? (d.totalTransferFen as number) : 0;
  const from = typeof d.fromRegion === 'string' ? d.fromRegion.slice(0, 2) : '';
  const to = typeof d.toRegion === 'string' ? d.toRegion.slice(0, 2) : '';
  const row = (p: string) => (pstats.recorded[p] ??= { sentFen: 0, receivedFen: 0, transfersOut: 0, transfersIn: 0 });
  if (from) {
    row(from).sentFen += fen;
    row(from).transfersOut += 1;
  }
  if (to) {
    row(to).receivedFen += fen;
    row(to).transfersIn += 1;
  }
  const records = Array.isArray(d.records) ? d.records : [];
  if (!records.length) pstats.formsWithoutRecords += 1;
  for (const r of records) {
    stats.records += 1;
    const id = (r as { person?: { id?: unknown } })?.person?.id;
    yield { id: typeof id === 'string' ? id : '', text: JSON.stringify(r), src, seq: seq.n++, line: 0, trusted: false };
  }
}

/** From the platform's database: forms of completed cases, in the order the platform received them, 500 at a time. */
export async function* databaseItems(db: Queryable, src: number, stats: ReadStats, pstats: PlatformStats): AsyncGenerator<PersonItem> {
  const seq = { n: 0 };
  const [{ n }] = await db.query<{ n: string }>(`SELECT count(DISTINCT case_id)::text AS n FROM messages WHERE type LIKE 'cn.jiexu.pension.transfer-completed.v%'`);
  pstats.cases += Number(n);
  let after = '0';
  for (;;) {
    const rows = await db.query<{ seq: string; envelope: Form }>(
      `SELECT m.seq::text AS seq, m.envelope FROM messages m
        WHERE m.type LIKE 'cn.jiexu.pension.transfer-info.v%' AND m.seq > $1::bigint
          AND EXISTS (SELECT 1 FROM messages d WHERE d.case_id = m.case_id AND d.type LIKE 'cn.jiexu.pension.transfer-completed.v%')
        ORDER BY m.seq LIMIT 500`,
      [after],
    );
    if (!rows.length) return;
    for (const r of rows) yield* formItems(r.envelope, src, stats, pstats, seq);
    after = rows[rows.length - 1].seq;
  }
}

/** From case bundles: each a completed case's messages as stored (check them with `jiexu verify` first). */
export async function* bundleItems(files: string[], firstSrc: number, stats: ReadStats, pstats: PlatformStats): AsyncGenerator<PersonItem> {
  const seq = { n: 0 };
  for (let k = 0; k < files.length; k++) {
    const b = (await readJsonFile(files[k])) as { format?: unknown; messages?: Array<{ envelope?: { type?: unknown } & Form }> };
    if (b?.format !== 'jiexu-case-bundle/1' || !Array.isArray(b.messages)) {
      throw new CliError({ zh: `${files[k]}：不是案件证据包（jiexu case export 的输出，format "jiexu-case-bundle/1"）`, en: `${files[k]}: not a case bundle (the output of jiexu case export, format "jiexu-case-bundle/1")` }, EXIT.invalid);
    }
    const types = b.messages.map((m) => String(m.envelope?.type ?? ''));
    if (!types.some((t) => COMPLETED.test(t))) continue; // not completed: nothing moved for good yet
    pstats.cases += 1;
    for (const m of b.messages) if (INFO.test(String(m.envelope?.type ?? ''))) yield* formItems(m.envelope!, firstSrc + k, stats, pstats, seq);
  }
}
