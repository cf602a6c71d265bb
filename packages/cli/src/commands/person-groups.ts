/**
 * Reading records a person at a time for `jiexu ledger` (and any command that
 * folds over people): legacy exports through the adapters, canonical JSONL from
 * files or `-` (stdin, read line by line and validated as it comes).
 *
 * Two modes. `grouped` (the default for `-`, `--grouped`): the records of a
 * person are consecutive (as `jiexu simulate population` writes them, or after
 * a sort by person); memory holds one person at a time, and a person seen again
 * later is an error naming the line. Otherwise the records are gathered by person
 * in memory first (fine for exports of a few regions; for large unsorted inputs
 * sort by person — the adapters branch builds bounded-memory grouping for legacy
 * readers).
 */
import { createInterface } from 'node:readline';
import { AdapterError, decode, detectFormat } from '@jiexu/adapters';
import { validateRecord, formatIssue, jsonParseMessage, type Issue } from '@jiexu/standard';
import type { ContributionRecord } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { foreign, unreadable } from '../file-errors.ts';
import type { Lang } from '../lang.ts';

export interface GroupStats {
  records: number;
  invalid: number;
}

async function* canonicalStdin(stats: GroupStats, lang: Lang): AsyncGenerator<ContributionRecord> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new CliError({ zh: `-：第 ${line} 行：不是 JSON（${jsonParseMessage(e).zh}）`, en: `-: line ${line}: not JSON (${(e as Error).message})` }, EXIT.invalid);
    }
    const check = validateRecord(value);
    if (!check.valid) {
      stats.invalid += 1;
      for (const i of check.issues) process.stderr.write(`-: line ${line}: ${formatIssue(i as Issue, lang)}\n`);
      continue;
    }
    stats.records += 1;
    yield value as ContributionRecord;
  }
}

async function* fileRecords(file: string, format: string | undefined, stats: GroupStats, lang: Lang): AsyncGenerator<ContributionRecord> {
  let fmt = format;
  try {
    fmt ??= await detectFormat(file);
  } catch (err) {
    throw unreadable(file, err);
  }
  if (!fmt) throw new CliError({ zh: `${file}：无法识别其格式，请用 --format 指定`, en: `${file}: cannot tell the format; give --format` }, EXIT.usage);
  let d;
  try {
    d = decode(fmt, file);
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage, file);
    throw err;
  }
  for await (const batch of d.batches()) for (const r of batch) {
    stats.records += 1;
    yield r;
  }
  for (const i of d.report.issues) process.stderr.write(`${file}: ${formatIssue(i, lang)}\n`);
  if (!d.report.valid) stats.invalid += 1;
}

async function* allRecords(files: string[], format: string | undefined, stats: GroupStats, lang: Lang): AsyncGenerator<ContributionRecord> {
  for (const f of files) yield* f === '-' ? canonicalStdin(stats, lang) : fileRecords(f, format, stats, lang);
}

/** Each person's records, one person at a time. */
export async function* personGroups(files: string[], opts: { format?: string; grouped: boolean; lang: Lang }, stats: GroupStats): AsyncGenerator<ContributionRecord[]> {
  const source = allRecords(files, opts.format, stats, opts.lang);
  if (!opts.grouped) {
    const byPerson = new Map<string, ContributionRecord[]>();
    for await (const r of source) {
      const list = byPerson.get(r.person.id);
      if (list) list.push(r);
      else byPerson.set(r.person.id, [r]);
    }
    for (const id of [...byPerson.keys()].sort()) yield byPerson.get(id)!;
    return;
  }
  const done = new Set<string>();
  let current: ContributionRecord[] = [];
  for await (const r of source) {
    const id = r.person.id;
    if (current.length && current[0].person.id !== id) {
      done.add(current[0].person.id);
      yield current;
      current = [];
    }
    if (!current.length && done.has(id)) {
      throw new CliError({ zh: `参保人 ${id} 的记录不连续（第 ${stats.records} 条记录）：请先按参保人排序输入，或不用 --grouped，在内存中归集`, en: `records of person ${id} are not together (record ${stats.records}): sort the input by person, or leave out --grouped to gather in memory` }, EXIT.invalid);
    }
    current.push(r);
  }
  if (current.length) yield current;
}
