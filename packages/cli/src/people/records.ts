/**
 * A person's items → their contribution records: each canonical line parsed
 * and (unless the adapters produced it) validated against the standard's
 * schema, and its person.id checked against the id the grouping used. Runs in
 * the main thread or in a worker (no I/O); problems come back as text lines.
 * A person's records are put in one order (first month, region, scheme, text),
 * so the assessment does not depend on the order of rows or files.
 */
import { formatIssue, jsonParseMessage, validateRecord, type Issue } from '@jiexu/standard';
import type { ContributionRecord } from '@jiexu/rules';
import type { Lang } from '../lang.ts';
import type { PersonItem } from './items.ts';

export interface ParsedPerson {
  records: ContributionRecord[];
  /** one line per problem, ready for stderr */
  problems: string[];
  /** records left out */
  invalid: number;
}

/** The file name of an input as shown to the user. */
const at = (files: string[], item: PersonItem): { file: string; line?: number } => (item.line ? { file: files[item.src], line: item.line } : { file: files[item.src] });

/** A record's place among the person's records: its first month, region and scheme. */
function orderKey(r: ContributionRecord): string {
  let first = '';
  for (const c of r.contributions ?? []) if (first === '' || c.month < first) first = c.month;
  return `${first}\t${r.region}\t${r.scheme}`;
}

export function parsePerson(items: PersonItem[], files: string[], lang: Lang): ParsedPerson {
  const records: ContributionRecord[] = [];
  const keyed: Array<[string, string, ContributionRecord]> = [];
  const problems: string[] = [];
  let invalid = 0;
  const problem = (item: PersonItem, i: Omit<Issue, 'location'>) => problems.push(formatIssue({ ...i, location: at(files, item) } as Issue, lang));
  for (const item of items) {
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (e) {
      invalid += 1;
      problem(item, { severity: 'error', code: 'canonical-json-invalid', message: { zh: `不是合法的 JSON：${jsonParseMessage(e).zh}`, en: `not JSON: ${(e as Error).message}` } });
      continue;
    }
    if (!item.trusted) {
      const check = validateRecord(value);
      if (!check.valid) {
        invalid += 1;
        for (const i of check.issues) problem(item, i as Issue);
        continue;
      }
    }
    const record = value as ContributionRecord;
    if (record.person.id !== item.id) {
      // the id was read from the line's text: a record whose text hides its own id is not counted under another person
      invalid += 1;
      problem(item, { severity: 'error', code: 'canonical-json-invalid', message: { zh: `无法从该行可靠读出参保人身份号码（读到 "${item.id}"，记录为 "${record.person.id}"）：请以标准 JSONL 格式写出（jiexu convert）`, en: `cannot read the person id from the line reliably (read "${item.id}", the record says "${record.person.id}"): write it as canonical JSONL (jiexu convert)` } });
      continue;
    }
    keyed.push([orderKey(record), item.text, record]);
  }
  // one order whatever the order of the input: by first month, region, scheme, then the record's text
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  for (const [, , r] of keyed) records.push(r);
  return { records, problems, invalid };
}
