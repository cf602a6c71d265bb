/** Test helper: a copy of an xlsx file with a change made through exceljs (for malformed-workbook tests anywhere in the repo). */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';

export async function mutateWorkbook(source: string, target: string, change: (wb: ExcelJS.Workbook) => void): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(source)) as unknown as ArrayBuffer);
  change(wb);
  await wb.xlsx.writeFile(target);
}
