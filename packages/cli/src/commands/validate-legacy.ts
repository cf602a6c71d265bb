/**
 * `jiexu validate --format <format> <file>`: a legacy export read by the
 * adapters (every problem with its file position), each record it yields then
 * checked against the canonical schema, problems placed at the record's rows.
 */
import { stat } from 'node:fs/promises';
import { AdapterError, decode } from '@jiexu/adapters';
import { strictly, validateRecord, type Issue } from '@jiexu/standard';
import { EXIT } from '../errors.ts';
import { foreign, noSuchFileOrFolder, notAFileOrFolder } from '../file-errors.ts';
import type { FileResult, LegacyFileValidator } from './validate.ts';

/** Checks the adapters already made while reading, with the file position: not repeated from the schema. */
const CHECKED_WHILE_READING = new Set(['citizen-id-check', 'citizen-id-birth-date', 'uscc-check', 'region-unknown', 'month-duplicate']);

export const validateLegacyFile: LegacyFileValidator = async (file, opts) => {
  if (file !== '-') {
    const st = await stat(file).catch(() => undefined);
    if (!st) throw noSuchFileOrFolder(file);
    if (!st.isFile() && !st.isDirectory()) throw notAFileOrFolder(file); // a folder: a multi-part export
  }
  const issues: Issue[] = [];
  let documents = 0;
  let decoding;
  try {
    decoding = decode(opts.format, file === '-' ? process.stdin : file, { fileName: file === '-' ? 'stdin' : undefined });
    for await (const batch of decoding.batches()) {
      for (const record of batch) {
        documents++;
        for (const i of validateRecord(record).issues) {
          if (CHECKED_WHILE_READING.has(i.code) || (i.code === 'format' && /^\/(person\/id|region)$|\/employerId$|\/employers\/\d+\/id$/.test(i.pointer ?? ''))) continue;
          const m = /^\/contributions\/(\d+)/.exec(i.pointer ?? '');
          const at = (m ? record.contributions[Number(m[1])]?.at : undefined) ?? record.provenance.at;
          issues.push({ ...i, location: { file: record.provenance.file ?? file, ...at } });
        }
      }
    }
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage, file);
    throw err;
  }
  const all = [...decoding.report.issues.map((i) => ({ ...i, location: { ...i.location, file } })), ...issues.map((i) => ({ ...i, location: { ...i.location, file } }))];
  const final = opts.strict ? strictly(all) : all;
  const result: FileResult = { file, documents, valid: !final.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues: final };
  return result;
};
