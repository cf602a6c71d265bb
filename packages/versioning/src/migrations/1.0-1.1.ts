/**
 * 1.0 ↔ 1.1. Standard 1.1 adds two optional fields to the contribution record:
 * - `deemedMonths`: months deemed paid in this region (视同缴费年限, in months),
 *   which decide the benefit place (66号 art. 6, 人社部规〔2016〕5号 §1 count
 *   deemed years per province);
 * - `temporaryAccount`: true when the region keeps these contributions in a
 *   temporary pension account (临时基本养老保险缴费账户, 66号 art. 5).
 * Up: nothing to do beyond the version marker (1.0 records never carry them).
 * Down: both are dropped, each with a warning in the report.
 */
import type { MigrationIssue } from '../issue-codes.ts';
import type { JsonObject } from '../load.ts';
import { dropped, type MigrationStep } from './step.ts';

export const step_1_0_to_1_1: MigrationStep = {
  from: '1.0',
  to: '1.1',
  upRecord(): void {
    // every 1.0 record is a 1.1 record once its version says so
  },
  downRecord(record: JsonObject, pointer: string, issues: MigrationIssue[]): void {
    if ('deemedMonths' in record) {
      issues.push(dropped(`${pointer}/deemedMonths`, record.deemedMonths,
        `视同缴费月数（${String(record.deemedMonths)}）已删除：1.0 版没有该字段，接收方须另行取得视同缴费年限`,
        `deemedMonths (${String(record.deemedMonths)} months deemed paid, 视同缴费) dropped: 1.0 has no field for it; the receiver must obtain the deemed years another way`));
      delete record.deemedMonths;
    }
    if ('temporaryAccount' in record) {
      issues.push(dropped(`${pointer}/temporaryAccount`, record.temporaryAccount,
        `临时缴费账户标记（${String(record.temporaryAccount)}）已删除：1.0 版无法表示`,
        `temporaryAccount (${String(record.temporaryAccount)}) dropped: 1.0 cannot say whether the contributions sit in a temporary account`));
      delete record.temporaryAccount;
    }
  },
};
