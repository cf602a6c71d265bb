/**
 * `jiexu validate --format <format> <file>`: a legacy export read by the
 * adapters (every problem with its file position). The adapters' gate has
 * already checked each record against the canonical schema (problems placed at
 * the record's rows), so the decision is the one `jiexu convert` makes.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AdapterError, decode } from '@jiexu/adapters';
import { strictly } from '@jiexu/standard';
import { EXIT } from '../errors.ts';
import { foreign, noSuchFileOrFolder, notAFileOrFolder } from '../file-errors.ts';
import type { FileResult, LegacyFileValidator } from './validate.ts';

export const validateLegacyFile: LegacyFileValidator = async (file, opts) => {
  if (file !== '-') {
    const st = await stat(file).catch(() => undefined);
    if (!st) throw noSuchFileOrFolder(file);
    if (!st.isFile() && !st.isDirectory()) throw notAFileOrFolder(file); // a folder: a multi-part export
  }
  let documents = 0;
  let decoding;
  try {
    decoding = decode(opts.format, file === '-' ? process.stdin : file, { fileName: file === '-' ? 'stdin' : undefined, limits: opts.limits });
    for await (const batch of decoding.batches()) documents += batch.length;
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage, file);
    throw err;
  }
  // a folder's issues keep the part they are in (page-0003.json of the folder), the folder's own name the rest
  const parts = file !== '-' && (await stat(file)).isDirectory() ? new Set(await readdir(file)) : undefined;
  const where = (part: string | undefined): string => (parts && part !== undefined && parts.has(part) ? join(file, part) : file);
  const all = decoding.report.issues.map((i) => ({ ...i, location: { ...i.location, file: where(i.location?.file) } }));
  const final = opts.strict ? strictly(all) : all;
  const result: FileResult = { file, documents, valid: !final.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues: final };
  return result;
};
