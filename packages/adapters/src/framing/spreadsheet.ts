/**
 * Spreadsheet framing (xlsx, 1900 date system): a sheet of monthly rows, and
 * optionally a sheet of persons and one of account years, each with one header
 * row. Read with exceljs's streaming reader in one pass when the persons sheet
 * comes before the rows sheet, else in two (persons and accounts first, then
 * the rows); written with its streaming writer, the records spooled
 * to a temporary file so the sheets can be written in their order.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import type { FieldSpec, SheetSpec, SpreadsheetFraming } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow, RowValues } from '../rows.ts';
import { Issues } from '../issues.ts';
import { removeTemp, tempDir } from '../temp.ts';
import { checkZip } from './zip-check.ts';
import { workbookScan, type WorkbookScan } from './xlsx-scan.ts';
import { worksheets, type WorkbookStream, type WorksheetStream } from './xlsx-sheets.ts';
import type { Raw } from '../values.ts';
import { Sink, accountRows, contributionRows, decodeFields, encodeFields, personValues, recordLabel, accountLabel, personLabel, type DecodeContext, type RecordLabel, type EncodeContext } from './common.ts';

type CellValue = ExcelJS.CellValue;

let excel: typeof ExcelJS | undefined;
/**
 * exceljs, loaded on first use: loading it costs more CPU than refusing a
 * hostile workbook from its zip directory, so the reader loads it only once
 * the zip check (zip-check.ts) has passed.
 */
async function loadExcel(): Promise<typeof ExcelJS> {
  excel ??= (await import('exceljs')).default;
  return excel;
}

/** A cell's value as a plain string, number or Date (rich text joined, formulas by their result). */
function plain(v: CellValue): Raw {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return plain(v.result as CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return `#ERROR ${String(v.error)}`;
  }
  return String(v);
}

/** One parsed row of a sheet, as exceljs gives it (`values` is a getter building a new array on each call: read it once). */
interface SheetRow {
  number: number;
  values: CellValue[];
}

interface SheetRows {
  name: string;
  /** The sheet's rows in batches, one batch per chunk of XML parsed (so the per-row cost of async iteration is paid per chunk). */
  rows: AsyncIterable<SheetRow[]>;
}

/** Thrown when exceljs's stream stops without ending (the event loop ran dry while waiting on it). */
class Stalled extends Error {}

/**
 * Iterates an exceljs stream so that it cannot hang the process: on some
 * damaged zips exceljs's stream neither ends nor fails, the event loop runs
 * dry with the read still awaited and Node exits 13 with no output. When the
 * loop runs dry while waiting (`beforeExit`), the wait fails with Stalled.
 */
async function* unstalled<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  // one waiter at a time: a Promise.race against one long-lived promise would keep a reaction, and with it
  // every row read, per call (memory growing with the sheet)
  let failWaiter: ((err: Error) => void) | undefined;
  const onDry = (): void => failWaiter?.(new Stalled('the workbook stream stopped without ending'));
  process.on('beforeExit', onDry);
  try {
    for (;;) {
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        failWaiter = reject;
        it.next().then(resolve, reject);
      });
      failWaiter = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    failWaiter = undefined;
    process.off('beforeExit', onDry);
  }
}

/** The rows of each parsed chunk of a worksheet (exceljs's row-by-row iterator costs two async steps a row). */
async function* rowBatches(ws: WorksheetStream): AsyncGenerator<SheetRow[]> {
  for await (const events of unstalled(ws.parse())) {
    const rows: SheetRow[] = [];
    for (const e of events) if (e.eventType === 'row') rows.push(e.value as SheetRow);
    if (rows.length) yield rows;
  }
}

/** The workbook's streaming reader (exceljs loaded: readSpreadsheet loads it after the zip check); its entries come from worksheets() (xlsx-sheets.ts), not its own unzip. */
const workbookReader = (path: string): WorkbookStream =>
  new excel!.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' }) as unknown as WorkbookStream;

async function* sheets(path: string, reader: WorkbookStream = workbookReader(path)): AsyncGenerator<SheetRows> {
  for await (const ws of unstalled(worksheets(path, reader))) {
    yield { name: ws.name, rows: rowBatches(ws) };
  }
}

/** A worksheet whose inflated XML the zip check held (xlsx-scan.ts), read through the workbook being read (undefined if exceljs gives no sheet). */
function heldSheet(reader: WorkbookStream, sheetNo: string, bytes: Buffer): SheetRows | undefined {
  for (const e of reader._parseWorksheet([bytes], sheetNo)) if (e.eventType === 'worksheet') return { name: e.value.name, rows: rowBatches(e.value) };
  return undefined;
}

/** A formula cell: exceljs gives its cached result, which may not be what the formula computes. */
const isFormula = (v: CellValue): boolean => typeof v === 'object' && v !== null && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v);

/**
 * exceljs's streaming reader sometimes loses zip entries on Node ≥ 18
 * (https://github.com/exceljs/exceljs/issues/3064): sheets then come without
 * their names (`SheetN`) or the read throws. A pass showing that is repeated
 * (nothing from it has been passed on yet); after this many, the file is refused.
 */
const ATTEMPTS = 5;
const UNNAMED = /^Sheet[0-9]+$/;

/** Rows of one sheet as values; the header row must name the sheet's fields in order. */
async function* sheetRows(s: SheetRows, spec: SheetSpec, role: LegacyRow['role'], ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const { issues, mapping } = ctx;
  let batch: LegacyRow[] = [];
  let header = false;
  const n = spec.fields.length;
  for await (const rows of s.rows) {
    for (const row of rows) {
      const vals = row.values; // a getter: a new array each time
      const at: Position = { sheet: s.name, row: row.number };
      const cells: Raw[] = new Array(n);
      let blank = true;
      let formula = -1;
      for (let i = 0; i < n; i++) {
        const v = vals[i + 1];
        const c = plain(v);
        cells[i] = c;
        if (c !== undefined && c !== '') blank = false;
        if (formula < 0 && isFormula(v)) formula = i;
      }
      if (!header) {
        header = true;
        const names = spec.fields.map((f) => f.name);
        if (row.number !== 1 || cells.some((c, i) => c !== names[i])) {
          issues.add('fatal', 'legacy-header-mismatch', `sheet ${s.name}: the first row must be the header ${names.join(', ')}`, `工作表 ${s.name}：第一行应为表头 ${names.join('、')}`, at);
          return;
        }
        continue;
      }
      if (blank && vals.length <= 1) continue;
      if (vals.length - 1 > n && vals.slice(n + 1).some((v) => plain(v) !== undefined && plain(v) !== '')) {
        issues.error('legacy-record-length', `row has values beyond the ${n} columns of ${s.name}`, `该行有超出 ${s.name} 的 ${n} 列的值`, at);
        continue;
      }
      if (formula >= 0) {
        const f = vals[formula + 1] as { formula?: string; sharedFormula?: string };
        issues.error('legacy-formula-cell', `${spec.fields[formula].name} is a formula; its cached value is not used (${mapping.name} cells hold values)`, `${spec.fields[formula].name} 为公式，其缓存值不采用（${mapping.name} 的单元格应为值）`, { ...at, field: spec.fields[formula].name }, { value: String(f.formula ?? f.sharedFormula) });
        continue;
      }
      const values = decodeFields(spec.fields, (_f, i) => cells[i], at, ctx);
      if (values) batch.push({ role, values, at });
      if (batch.length >= 512) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
  if (!header) issues.error('legacy-header-mismatch', `sheet ${s.name} is empty: no header row`, `工作表 ${s.name} 为空：没有表头行`, { sheet: s.name });
}

interface SidePass {
  persons: Map<string, RowValues>;
  accounts: LegacyRow[];
  seen: Set<string>;
  issues: Issues;
}

/** Pass 1: the persons and account sheets, gathered (one entry per person and year). Undefined when the pass was cut short. */
async function sidePass(path: string, ctx: DecodeContext): Promise<SidePass | undefined> {
  const framing = ctx.mapping.framing as SpreadsheetFraming;
  const result: SidePass = { persons: new Map(), accounts: [], seen: new Set(), issues: new Issues(ctx.issues.file) };
  const attemptCtx: DecodeContext = { ...ctx, issues: result.issues };
  try {
    for await (const s of sheets(path)) {
      if (UNNAMED.test(s.name)) return undefined;
      result.seen.add(s.name);
      if (framing.persons && s.name === framing.persons.sheet) {
        for await (const batch of sheetRows(s, framing.persons, 'row', attemptCtx)) {
          for (const r of batch) {
            const id = r.values['person.id'] as string;
            if (result.persons.has(id)) result.issues.error('legacy-person-duplicate', `${id} is listed twice in ${s.name}`, `${id} 在 ${s.name} 中出现两次`, r.at, { value: id });
            else result.persons.set(id, r.values);
          }
        }
      } else if (framing.accounts && s.name === framing.accounts.sheet) {
        for await (const batch of sheetRows(s, framing.accounts, 'account', attemptCtx)) result.accounts.push(...batch);
      } else {
        for await (const _ of s.rows); // drain
      }
      if (result.issues.fatal) return result;
    }
  } catch {
    return undefined;
  }
  return result;
}

/**
 * The workbook read once, when its persons sheet comes before its rows sheet
 * (as jiexu and the systems we know write it): persons gathered, rows streamed
 * joined with them, account rows passed on as they come (rows of a workbook
 * are always grouped by person, group.ts, which holds them until the input
 * ends and passes account rows on at once: the assembler has every account
 * year before the first person's rows). False, with nothing passed on, when
 * the rows sheet comes first, is missing, or the pass was cut short before
 * the rows: the caller then reads in two passes.
 */
async function* onePass(path: string, ctx: DecodeContext, scan: WorkbookScan): AsyncGenerator<LegacyRow[], boolean> {
  const { issues } = ctx;
  const framing = ctx.mapping.framing as SpreadsheetFraming;
  const local = new Issues(issues.file);
  const localCtx: DecodeContext = { ...ctx, issues: local };
  let persons: Map<string, RowValues> | undefined = framing.persons ? undefined : new Map();
  const early: LegacyRow[] = [];
  const seen = new Set<string>();
  let committed = false;
  /** The accounts sheet was read from the bytes the zip check held, before the rows: exceljs's own reading of it is skipped. */
  let accountsRead = false;
  const reader = workbookReader(path);
  const unreadable = (why: string): boolean => {
    issues.add('fatal', 'legacy-syntax', `not a readable xlsx workbook: ${why}`, `不是可读取的 xlsx 工作簿：${why}`);
    return true;
  };
  try {
    for await (const s of sheets(path, reader)) {
      if (UNNAMED.test(s.name)) return committed ? unreadable(`sheet ${s.name} came without its name`) : false;
      seen.add(s.name);
      if (framing.persons && s.name === framing.persons.sheet) {
        if (committed) return unreadable(`a second sheet ${s.name}`);
        persons = new Map();
        for await (const batch of sheetRows(s, framing.persons, 'row', localCtx)) {
          for (const r of batch) {
            const id = r.values['person.id'] as string;
            if (persons.has(id)) local.error('legacy-person-duplicate', `${id} is listed twice in ${s.name}`, `${id} 在 ${s.name} 中出现两次`, r.at, { value: id });
            else persons.set(id, r.values);
          }
        }
        if (local.fatal) {
          issues.list.push(...local.list);
          issues.fatal = true;
          return true;
        }
      } else if (s.name === framing.rows.sheet) {
        if (!persons || committed) return committed ? unreadable(`a second sheet ${s.name}`) : false;
        committed = true;
        issues.list.push(...local.list);
        // each person's rows together (the zip check's scan) and every account year before them: the rows need no grouping
        let together = scan.personsTogether;
        if (together && framing.accounts && !seen.has(framing.accounts.sheet)) {
          const held = scan.accounts && heldSheet(reader, scan.accounts.sheetNo, scan.accounts.bytes);
          if (held && held.name === framing.accounts.sheet) {
            accountsRead = true;
            for await (const batch of sheetRows(held, framing.accounts, 'account', ctx)) early.push(...batch);
            if (issues.fatal) return true;
          } else together = false;
        }
        if (together) ctx.header.personsTogether = true;
        if (early.length) yield early.splice(0);
        for await (const batch of joined(sheetRows(s, framing.rows, 'row', ctx), persons, ctx)) yield batch;
        if (issues.fatal) return true;
      } else if (framing.accounts && s.name === framing.accounts.sheet && accountsRead) {
        for await (const _ of s.rows); // read before the rows, from the zip check's bytes
      } else if (framing.accounts && s.name === framing.accounts.sheet) {
        for await (const batch of sheetRows(s, framing.accounts, 'account', committed ? ctx : localCtx)) {
          if (committed) yield batch;
          else early.push(...batch);
        }
        if (!committed && local.fatal) {
          issues.list.push(...local.list);
          issues.fatal = true;
          return true;
        }
      } else {
        for await (const _ of s.rows); // drain
      }
    }
  } catch (err) {
    return committed ? unreadable((err as Error).message) : false;
  }
  if (!committed) return false;
  for (const spec of [framing.persons, framing.accounts]) {
    if (spec && !seen.has(spec.sheet)) issues.error('legacy-sheet-missing', `the workbook has no sheet ${spec.sheet}`, `工作簿缺少工作表 ${spec.sheet}`, { sheet: spec.sheet });
  }
  return true;
}

/** Rows of the rows sheet, each joined with its person from the persons sheet. */
async function* joined(rows: AsyncIterable<LegacyRow[]>, persons: Map<string, RowValues>, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const framing = ctx.mapping.framing as SpreadsheetFraming;
  let lastId: string | undefined;
  let lastKeys: string[] = [];
  let p: RowValues | undefined;
  for await (const batch of rows) {
    const out: LegacyRow[] = [];
    for (const r of batch) {
      const v = r.values;
      const id = v['person.id'] as string;
      if (id !== lastId || !p) {
        lastId = id;
        p = persons.get(id);
        lastKeys = p ? Object.keys(p) : [];
      }
      if (framing.persons && !p) {
        ctx.issues.error('legacy-person-unknown', `${id} is not listed in ${framing.persons.sheet}`, `${id} 未列在 ${framing.persons.sheet} 中`, { ...r.at, field: framing.rows.fields[0].name }, { value: id });
        continue;
      }
      // the person's values under the row's own (the row's win), added in place: the row is the reader's own
      for (const k of lastKeys) if (!(k in v)) v[k] = p![k];
      out.push(r);
    }
    if (out.length) yield out;
  }
}

export async function* readSpreadsheet(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const { issues } = ctx;
  const framing = ctx.mapping.framing as SpreadsheetFraming;
  const unreadable = (why: string) =>
    issues.add('fatal', 'legacy-syntax', `not a readable xlsx workbook: ${why}`, `不是可读取的 xlsx 工作簿：${why}`);
  const scanning = workbookScan(framing);
  if (!(await checkZip(path, ctx.limits, issues, scanning))) return;
  const scan = scanning.result();
  await loadExcel();

  if (yield* onePass(path, ctx, scan)) return;

  let side: SidePass | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS && !side; attempt++) {
    side = await sidePass(path, ctx);
    const expected = [framing.persons, framing.rows, framing.accounts].filter((x) => x !== undefined);
    if (side && !side.issues.fatal && expected.some((x) => !side!.seen.has(x.sheet)) && attempt < ATTEMPTS) side = undefined; // maybe cut short: again
  }
  if (!side) {
    unreadable(`its sheets could not be read (${ATTEMPTS} attempts)`);
    return;
  }
  issues.list.push(...side.issues.list);
  if (side.issues.fatal) issues.fatal = true;
  for (const spec of [framing.persons, framing.rows, framing.accounts]) {
    if (spec && !side.seen.has(spec.sheet)) {
      issues.add(spec === framing.rows ? 'fatal' : 'error', 'legacy-sheet-missing', `the workbook has no sheet ${spec.sheet}`, `工作簿缺少工作表 ${spec.sheet}`, { sheet: spec.sheet });
    }
  }
  if (issues.fatal) return;
  if (scan.personsTogether) ctx.header.personsTogether = true; // the account years come first here
  if (side.accounts.length) yield side.accounts;
  const { persons } = side;

  // pass 2: the monthly rows, each joined with its person, streamed
  for (let attempt = 1; ; attempt++) {
    let found = false;
    let cutShort = false;
    try {
      for await (const s of sheets(path)) {
        if (UNNAMED.test(s.name)) {
          cutShort = true;
          break;
        }
        if (s.name !== framing.rows.sheet) {
          for await (const _ of s.rows);
          continue;
        }
        found = true;
        yield* joined(sheetRows(s, framing.rows, 'row', ctx), persons, ctx);
      }
    } catch (err) {
      if (found) {
        unreadable((err as Error).message);
        return;
      }
      cutShort = true;
    }
    if (found) return;
    if (attempt >= ATTEMPTS) {
      unreadable(cutShort ? `its sheets could not be read (${ATTEMPTS} attempts)` : `sheet ${framing.rows.sheet} disappeared between passes`);
      return;
    }
  }
}

function cellOf(raw: Raw, f: FieldSpec): CellValue {
  if (raw === undefined || raw === null) return f.type === 'text' && f.optional ? '' : null;
  return raw as CellValue;
}

export async function writeSpreadsheet(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void> {
  const { mapping } = ctx;
  const framing = mapping.framing as SpreadsheetFraming;
  const dir = tempDir('jiexu-xlsx-');
  try {
    // pass over the records: persons and accounts gathered (one entry per person/year), rows spooled
    const spoolPath = join(dir, 'rows.jsonl');
    const spool = createWriteStream(spoolPath);
    const sink = new Sink(spool);
    const persons = new Map<string, RowValues>();
    const accounts: RowValues[] = [];
    let n = 0;
    for await (const r of records) {
      n++;
      const where = recordLabel(n, r);
      const person = personValues(r, n, ctx);
      if (!persons.has(r.person.id)) persons.set(r.person.id, person);
      for (const row of contributionRows(r, person, mapping)) await sink.write(`${JSON.stringify([where, row])}\n`);
      if (r.account?.length) {
        if (framing.accounts) accounts.push(...accountRows(r));
        else ctx.issues.add('information', 'legacy-account-not-written', `${where.en}: ${mapping.name} does not carry the individual account`, `${where.zh}：${mapping.name} 不含个人账户`, { record: n });
      }
    }
    await sink.flush();
    spool.end();
    await finished(spool);

    const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
    const addSheet = async (spec: SheetSpec, rows: AsyncIterable<[RecordLabel, RowValues]> | Iterable<[RecordLabel, RowValues]>): Promise<void> => {
      const ws = wb.addWorksheet(spec.sheet);
      ws.columns = spec.fields.map((f) => ({ key: f.name, width: f.numFmt ? 12 : 20, ...(f.numFmt ? { style: { numFmt: f.numFmt } } : {}) }));
      ws.addRow(spec.fields.map((f) => f.name)).commit();
      for await (const [where, values] of rows) {
        const raws = encodeFields(spec.fields, values, where, ctx);
        if (raws) ws.addRow(raws.map((r, i) => cellOf(r, spec.fields[i]))).commit();
      }
      ws.commit();
    };
    if (framing.persons) await addSheet(framing.persons, [...persons.entries()].map(([id, v]) => [personLabel(id), v] as [RecordLabel, RowValues]));
    const lines = createInterface({ input: createReadStream(spoolPath, { encoding: 'utf8' }), crlfDelay: Infinity });
    await addSheet(framing.rows, (async function* () {
      for await (const line of lines) yield JSON.parse(line) as [RecordLabel, RowValues];
    })());
    if (framing.accounts) await addSheet(framing.accounts, accounts.map((a) => [accountLabel(a['person.id'], a['account.year']), a] as [RecordLabel, RowValues]));
    await wb.commit();
  } finally {
    await removeTemp(dir);
  }
}
