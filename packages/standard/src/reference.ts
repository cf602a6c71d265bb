/**
 * Validation the plain way, the reference every fast path of validateDocument answers exactly
 * as: the schema files this package ships compiled by ajv at run time (the options the generator
 * compiles with; identifier formats as plain checks: no rewritten length or pattern checks,
 * nothing remembered), citizen IDs checked by checkCitizenId itself, and the storable-text rule
 * walking the whole document. Slow: every schema compiles on first use. For tests proving a fast
 * path equivalent (the adapters' gate compares the two issue for issue), and for a second
 * opinion on the generated validators.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { formats, plainJiexuFormats } from './formats.ts';
import type { CompiledValidator } from './generated/validators.js';
import { schemaIndex } from './generated/schema-index.ts';
import { checkCitizenId } from './identifiers.ts';
import type { Report } from './report.ts';
import { schemaFilePaths } from './schema-files.ts';
import { schemasDir } from './schemas-dir.ts';
import { validateWith, type ValidateOptions, type ValidationEngine } from './validate.ts';

let plain: ValidationEngine | undefined;

/** The plain engine, compiled once per process. */
function plainEngine(): ValidationEngine {
  if (!plain) {
    const schemas = schemaFilePaths(schemasDir()).map((f) => JSON.parse(readFileSync(f, 'utf8')) as object);
    const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, formats: { ...formats, ...plainJiexuFormats }, schemas });
    const validators: Record<string, CompiledValidator> = {};
    for (const { id } of schemaIndex) validators[id] = ajv.getSchema(id) as CompiledValidator;
    plain = { validators, checkCitizenId: (id) => checkCitizenId(id), skipFixedText: false };
  }
  return plain;
}

/** validateDocument, the plain way. */
export function referenceValidateDocument(doc: unknown, opts: ValidateOptions = {}): Report {
  return validateWith(plainEngine(), doc, opts);
}

/** validateRecord, the plain way. */
export function referenceValidateRecord(doc: unknown): Report {
  return referenceValidateDocument(doc, { schema: 'contribution-record' });
}
