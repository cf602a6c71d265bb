/**
 * The one gate every record of a legacy reader passes before it leaves the
 * adapter (canonical output, a platform send, `assess` input, `validate
 * --format`): the standard's own validator. A record it finds invalid is not
 * passed on; its problems are reported at the record's rows (the contribution
 * or account year the pointer names, else the record's first row), and a
 * `record-refused` error says the record was left out. Checks the reader
 * already made with the file position (identifiers, regions, duplicate
 * months) are not reported twice.
 */
import { validateRecord, type IssueCode } from '@jiexu/standard';
import type { Issues } from './issues.ts';
import type { ContributionRecord, Position } from './record.ts';

const CHECKED_WHILE_READING = new Set(['citizen-id-check', 'citizen-id-birth-date', 'uscc-check', 'region-unknown', 'month-duplicate']);
const READ_POINTERS = /^\/(person\/id|region)$|\/employerId$|\/employers\/\d+\/id$/;

function positionOf(record: ContributionRecord, pointer: string | undefined): Position | undefined {
  const c = /^\/contributions\/(\d+)/.exec(pointer ?? '');
  if (c) return record.contributions[Number(c[1])]?.at ?? record.provenance.at;
  const a = /^\/account\/(\d+)/.exec(pointer ?? '');
  if (a) return (record.account?.[Number(a[1])] as { at?: Position } | undefined)?.at ?? record.provenance.at;
  return record.provenance.at;
}

/** True when the record may be passed on; else its problems are in `issues`. */
export function passesGate(record: ContributionRecord, issues: Issues): boolean {
  const check = validateRecord(record);
  if (check.valid && check.issues.length === 0) return true;
  for (const i of check.issues) {
    if (CHECKED_WHILE_READING.has(i.code) || (i.code === 'format' && READ_POINTERS.test(i.pointer ?? ''))) continue;
    // the standard's validator builds every issue with one of its ISSUE_CODES (Report.code is typed string)
    issues.add(i.severity, i.code as IssueCode, i.message.en, i.message.zh, positionOf(record, i.pointer), { pointer: i.pointer, value: i.value });
  }
  if (check.valid) return true;
  issues.error(
    'record-refused',
    `the record of ${record.person.id} (scheme ${record.scheme}, region ${record.region}) does not meet the standard and is not passed on`,
    `${record.person.id}（险种 ${record.scheme}，统筹地区 ${record.region}）的记录不符合标准，未输出`,
    record.provenance.at,
    { value: record.person.id },
  );
  return false;
}
