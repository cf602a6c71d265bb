/**
 * One call checks everything: validateDocument() recognises what a document
 * is (an envelope by `specversion` + `type`, its body by the message schema
 * `type` names; a record by `kind` + `version`), runs the compiled validator
 * (ajv standalone, allErrors, identifier formats compiled in), turns every
 * ajv error into an Issue with a stable code, a message in Chinese and
 * English and the full JSON Pointer, and adds the checks JSON Schema cannot
 * express (months unique and ascending, employers listed, account only for
 * pensions, envelope consistency, abolished address codes as warnings).
 */
import type { ErrorObject } from 'ajv';
import { schemaIndex, standardVersions, type SchemaIndexEntry } from './generated/schema-index.ts';
import { byId as validators, type CompiledValidator } from './generated/validators.js';
import { checkCitizenId, checkUscc, type CitizenIdCheck, type IdentifierProblem } from './identifiers.ts';
import { checkCitizenIdRemembered } from './citizen-id-memo.ts';
import type { IssueCode } from './issue-codes.ts';
import { makeReport, type Issue, type Report, type Severity } from './report.ts';
import { jsonParseMessage } from './json-positions.ts';
import { STORABLE_TEXT_PATTERN, unstorableStrings } from './storable-text.ts';
import { FIXED_ENTRY_SCHEMAS, validRecordMayHoldUnstorable } from './storable-record.ts';

export interface SchemaInfo {
  /** The schema's $id. */
  id: string;
  /** The standard version, e.g. 1.0 */
  version: string;
  /** contribution-record, envelope, messages/pension.contact-letter … */
  name: string;
  title: string | null;
  /** Repository-relative path of the schema file. */
  file: string;
  /** The `kind` a record of this schema declares, if any. */
  kind: string | null;
  /** For a message body: the envelope `type` carrying it. */
  messageType: string | null;
  envelope: boolean;
}

export interface ValidateOptions {
  /**
   * Validate against this schema instead of recognising the kind: a $id or `name@version` (that
   * exact schema), or a name, kind or message type without version (that schema in the version
   * the document declares, the latest when it declares none).
   */
  schema?: string;
  /**
   * Also accept documents declaring a draft version of the standard (schemas/versions.json
   * status `draft`): for a platform or a test trying a draft out. Default: a draft is refused as
   * unsupported, like any version that is not released.
   */
  drafts?: boolean;
}

/** The versions a document may declare: the released ones, with `drafts` every listed one. */
function acceptedVersions(opts: ValidateOptions): readonly string[] {
  return opts.drafts ? LISTED : RELEASED;
}

/** The released versions, computed once: the generated list never changes at run time. */
const RELEASED: readonly string[] = standardVersions.filter((v) => v.status === 'released').map((v) => v.version);
/** Every listed version (drafts included), computed once. */
const LISTED: readonly string[] = standardVersions.map((v) => v.version);

/** The released versions of the standard, oldest first (schemas/versions.json): the versions a document may declare. */
export function supportedVersions(): string[] {
  return [...RELEASED];
}

/** Every document schema of every version (drafts included), ordered by $id. */
export function listSchemas(): SchemaInfo[] {
  return schemaIndex.map(info);
}

/**
 * The schema for a $id, a name (`contribution-record`, `messages/pension.contact-letter`,
 * `pension.contact-letter`), a record kind, or an envelope message type
 * (`cn.jiexu.pension.contact-letter.v1`), optionally with a version: `contribution-record@1.0`
 * or the `version` argument. Without one, the latest released version (a $id names its own).
 */
export function schemaFor(kindOrType: string, version?: string): SchemaInfo | undefined {
  const entry = findEntry(kindOrType, version);
  return entry && info(entry);
}

/**
 * The schema a document declares — what validateDocument checks it against: an envelope by its
 * `standardversion`, a record by `kind` + `version`, the catalogue by `name` + `version`.
 * Undefined when the document does not say, or names a version that is not supported.
 */
export function schemaOf(doc: unknown): SchemaInfo | undefined {
  const recognised = recognise(doc);
  return 'entry' in recognised ? info(recognised.entry) : undefined;
}

/** Validates a document as a contribution record, whatever its `kind` says, in the version it declares (the latest when it declares none). */
export function validateRecord(doc: unknown): Report {
  return validateDocument(doc, { schema: 'contribution-record' });
}

/**
 * The parts of validation that have a faster form than the plain one. validateDocument runs the
 * fast ones (FAST); the reference of src/reference.ts runs the plain ones, and the tests that prove
 * the fast forms equivalent compare the two reports.
 */
export interface ValidationEngine {
  /** The compiled validator of each schema, by $id. */
  validators: Readonly<Record<string, CompiledValidator>>;
  /** checkCitizenId, for a citizen ID's warnings and the person fields it must agree with. */
  checkCitizenId: (id: string) => CitizenIdCheck;
  /** Whether the storable-text walk leaves out the text a schema-valid record's schema fixes (storable-record.ts). */
  skipFixedText: boolean;
}

/** The generated validators (with their rewritten length and pattern checks), the remembered citizen-ID answer, the storable-text walk without the fixed text. */
const FAST: ValidationEngine = { validators, checkCitizenId: checkCitizenIdRemembered, skipFixedText: true };

/**
 * Validates any document of the standard and reports every issue at once, against the schema
 * of exactly the version the document declares; a version that is not supported is a fatal
 * `version-unsupported` issue naming the supported ones. `schema` overrides the recognition.
 */
export function validateDocument(doc: unknown, opts: ValidateOptions = {}): Report {
  return validateWith(FAST, doc, opts);
}

/** validateDocument with the given engine (the reference of src/reference.ts runs the plain one). */
export function validateWith(engine: ValidationEngine, doc: unknown, opts: ValidateOptions = {}): Report {
  const issues: Issue[] = [];
  let entry: SchemaIndexEntry | undefined;
  if (opts.schema !== undefined) {
    const named = parseKey(opts.schema);
    const candidates = matching(named.key);
    if (named.version !== undefined || candidates.some((s) => s.id === named.key)) entry = candidates.find((s) => named.version === undefined || s.version === named.version);
    else if (candidates.length) {
      const chosen = inDeclaredVersion(doc, candidates, acceptedVersions(opts));
      if ('issue' in chosen) return makeReport([chosen.issue]);
      entry = chosen.entry;
    }
    if (!entry) {
      issues.push(issue('fatal', 'unknown-kind', '', `未知的模式 “${opts.schema}”`, `unknown schema "${opts.schema}"`));
      return makeReport(issues);
    }
  } else {
    const recognised = recognise(doc, acceptedVersions(opts));
    if ('issue' in recognised) return makeReport([recognised.issue]);
    entry = recognised.entry;
  }
  const schemaValid = checkAgainst(engine, entry, doc, '', issues);
  if (entry.envelope && isObject(doc)) checkEnvelope(engine, doc, entry.version, issues, acceptedVersions(opts));
  // a record its schema found valid: the entries' text that schema fixes needs no second look
  const skipFixed = engine.skipFixedText && schemaValid && FIXED_ENTRY_SCHEMAS.has(entry.id) && isObject(doc);
  if (!skipFixed || validRecordMayHoldUnstorable(doc)) issues.push(...unstorableIssues(doc));
  return makeReport(sortIssues(issues));
}

// ---------------------------------------------------------------- recognising the kind and version

function recognise(doc: unknown, accepted: readonly string[] = RELEASED): { entry: SchemaIndexEntry } | { issue: Issue } {
  const fail = (pointer: string, zh: string, en: string) => ({ issue: issue('fatal', 'unknown-kind', pointer, zh, en) });
  if (!isObject(doc)) {
    return fail('', `文档必须是 JSON 对象，实际为${jsonTypeZh(doc)}`, `a document must be a JSON object, not ${jsonType(doc)}`);
  }
  let candidates: SchemaIndexEntry[] | undefined;
  if ('specversion' in doc || ('type' in doc && 'data' in doc)) {
    candidates = schemaIndex.filter((s) => s.envelope);
  } else if ('kind' in doc) {
    const kinds = schemaIndex.filter((s) => s.declares.kind !== undefined);
    candidates = kinds.filter((s) => s.declares.kind === doc.kind);
    if (!candidates.length) {
      const known = [...new Set(kinds.map((s) => s.declares.kind))].join(', ');
      return fail('/kind', `未知的文档类型 kind “${String(doc.kind)}”；已知：${known}`, `unknown document kind "${String(doc.kind)}"; known kinds: ${known}`);
    }
  } else {
    const named = schemaIndex.filter((s) => s.declares.name !== undefined && s.declares.name === doc.name);
    if (named.length) candidates = named;
  }
  if (!candidates?.length) {
    return fail(
      '',
      '无法识别文档类型：信封须有 specversion 和 type，记录须有 kind 和 version（或用 --schema 指定模式）',
      'cannot tell what the document is: an envelope has specversion and type, a record has kind and version (or name a schema with --schema)',
    );
  }
  return inDeclaredVersion(doc, candidates, accepted);
}

/**
 * Among the versions of one schema, the one the document declares. One it does not declare
 * (absent, not a string) is reported by the latest schema's own `required` or `type`.
 */
function inDeclaredVersion(doc: unknown, candidates: readonly SchemaIndexEntry[], accepted: readonly string[]): { entry: SchemaIndexEntry } | { issue: Issue } {
  const property = candidates.find((s) => s.versionProperty !== null)?.versionProperty;
  const declared = property && isObject(doc) ? doc[property] : undefined;
  if (typeof declared !== 'string') return { entry: latest(candidates)! };
  const entry = accepted.includes(declared) ? candidates.find((s) => s.version === declared) : undefined;
  if (!entry) return { issue: unsupported(declared, `/${property}`) };
  return { entry };
}

/** A fatal issue: the document declares a version this validator does not support. */
function unsupported(version: string, pointer: string): Issue {
  const list = supportedVersions().join(', ');
  return issue(
    'fatal',
    'version-unsupported',
    pointer,
    `不支持的标准版本 ${show(version)}；支持的版本：${list}`,
    `standard version ${show(version)} is not supported; supported versions: ${list}`,
    version,
  );
}

/** `name`, `name@1.1` or a $id; a version given here or as `version` selects it, else the latest released. */
function findEntry(key: string, version?: string): SchemaIndexEntry | undefined {
  const named = parseKey(key);
  const candidates = matching(named.key);
  version ??= named.version;
  if (version !== undefined) return candidates.find((s) => s.version === version);
  return latest(candidates);
}

/** `contribution-record@1.0` → key and version; a $id or a name without `@` as it is. */
function parseKey(key: string): { key: string; version?: string } {
  const at = /^(.+)@([0-9]+\.[0-9]+)$/.exec(key);
  return at && !key.includes('://') ? { key: at[1], version: at[2] } : { key };
}

/** Every version's schema answering to a $id, name, kind or message type. */
function matching(key: string): readonly SchemaIndexEntry[] {
  let found = matchingCache.get(key);
  if (found === undefined) {
    found = findMatching(key);
    // keys come from callers (`--schema`, options): bounded, so endless distinct keys cannot grow it
    if (matchingCache.size >= 256) matchingCache.clear();
    matchingCache.set(key, found);
  }
  return found;
}

/** matching()'s answers by key (the index is generated, constant at run time: every record of a run asks the same). */
const matchingCache = new Map<string, readonly SchemaIndexEntry[]>();

function findMatching(key: string): SchemaIndexEntry[] {
  return schemaIndex.filter(
    (s) =>
      s.id === key ||
      s.name === key ||
      s.name === `messages/${key}` ||
      s.messageType === key ||
      s.declares.kind === key ||
      (s.declares.name !== undefined && s.declares.name === key),
  );
}

/** The entry of the latest released version among `entries` (of a draft only when no released version has one). */
function latest(entries: readonly SchemaIndexEntry[]): SchemaIndexEntry | undefined {
  const byVersion = (a: SchemaIndexEntry, b: SchemaIndexEntry) => compareVersions(b.version, a.version);
  return entries.filter((s) => RELEASED.includes(s.version)).sort(byVersion)[0] ?? [...entries].sort(byVersion)[0];
}

// ---------------------------------------------------------------- one schema at one place

/** Validates `value` (found at `prefix` in the document) against one schema, with its extra rules; true when the schema itself found nothing. */
function checkAgainst(engine: ValidationEngine, entry: SchemaIndexEntry, value: unknown, prefix: string, issues: Issue[]): boolean {
  const validate = engine.validators[entry.id];
  if (!validate) throw new Error(`no compiled validator for ${entry.id}: run pnpm generate`);
  const schemaValid = validate(value) as boolean;
  if (!schemaValid) issues.push(...mapErrors(validate.errors ?? [], value, prefix));
  for (const site of entry.citizenIds) {
    for (const [pointer, id] of expand(value, site)) if (typeof id === 'string') citizenIdWarnings(engine.checkCitizenId(id), id, prefix + pointer, value, pointer, issues);
  }
  for (const embedded of entry.embedded) {
    if (kindOf(embedded.id) !== 'contribution-record') continue;
    for (const [pointer, record] of expand(value, embedded.at)) if (isObject(record)) recordRules(record, prefix + pointer, issues);
  }
  return schemaValid;
}

/** The kind a schema declares, by $id (looked up once per schema, not once per document). */
const kinds = new Map<string, string | undefined>();
function kindOf(id: string): string | undefined {
  if (!kinds.has(id)) kinds.set(id, schemaIndex.find((s) => s.id === id)?.declares.kind);
  return kinds.get(id);
}

// ---------------------------------------------------------------- ajv errors → issues

function mapErrors(errors: ErrorObject[], doc: unknown, prefix: string): Issue[] {
  const out: Issue[] = [];
  const folded = new Set<number>();
  // anyOf / oneOf: the failed branches' errors come right before the combinator's own error;
  // fold them into one issue that lists what each branch wanted.
  errors.forEach((e, i) => {
    if (e.keyword !== 'anyOf' && !(e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas == null)) return;
    for (let j = i - 1; j >= 0 && !folded.has(j); j--) {
      const b = errors[j];
      if (!isUnder(b.instancePath, e.instancePath) || !inBranchOf(b.schemaPath, e.schemaPath)) break;
      folded.add(j);
    }
  });
  errors.forEach((e, i) => {
    if (folded.has(i)) return;
    if (e.keyword === 'if') return; // the then/else branch's own errors say what is wrong
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches: ErrorObject[] = [];
      for (let j = i - 1; j >= 0 && folded.has(j); j--) {
        if (isUnder(errors[j].instancePath, e.instancePath) && inBranchOf(errors[j].schemaPath, e.schemaPath)) branches.unshift(errors[j]);
        else break;
      }
      out.push(combinatorIssue(e, branches, doc, prefix));
      return;
    }
    out.push(...keywordIssues(e, doc, prefix));
  });
  return dedupe(out);
}

/** An error inside a combinator's branch: same schema resource below the combinator, or another resource (a $ref) inside it. */
function inBranchOf(schemaPath: string, combinatorPath: string): boolean {
  if (schemaPath.startsWith(`${combinatorPath}/`)) return true;
  const resource = (p: string) => p.slice(0, p.indexOf('#'));
  return resource(schemaPath) !== resource(combinatorPath);
}

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function combinatorIssue(e: ErrorObject, branches: ErrorObject[], doc: unknown, prefix: string): Issue {
  const code: IssueCode = e.keyword === 'anyOf' ? 'any-of' : 'one-of';
  const pointer = prefix + e.instancePath;
  const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (e.keyword === 'oneOf' && passing) {
    return issue('error', code, pointer, `同时符合多个备选（第 ${passing.map((n) => n + 1).join('、')} 种），只能符合一种`, `matches more than one alternative (${passing.map((n) => n + 1).join(', ')}); exactly one is allowed`);
  }
  const wants = branches.flatMap((b) => keywordIssues(b, doc, prefix));
  const zh = wants.map((w) => `${relative(w.pointer, pointer)}${w.message.zh}`);
  const en = wants.map((w) => `${relative(w.pointer, pointer)}${w.message.en}`);
  const uniq = (xs: string[]) => [...new Set(xs)];
  return issue(
    'error',
    code,
    pointer,
    `不符合任何一种允许的形式${zh.length ? `：${uniq(zh).join('；或 ')}` : ''}`,
    `matches none of the allowed alternatives${en.length ? `: ${uniq(en).join('; or ')}` : ''}`,
    valueAt(doc, e.instancePath),
  );
}

function relative(pointer: string | undefined, base: string): string {
  if (!pointer || pointer === base) return '';
  return `${pointer.slice(base.length)} `;
}

const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  integer: '整数',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null',
};

function keywordIssues(e: ErrorObject, doc: unknown, prefix: string): Issue[] {
  const at = prefix + e.instancePath;
  const value = valueAt(doc, e.instancePath);
  const p = e.params as Record<string, unknown>;
  const err = (code: IssueCode, zh: string, en: string, pointer = at, v: unknown = value) => [issue('error', code, pointer, zh, en, v)];
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired': {
      const name = String(p.missingProperty);
      return err('required', `缺少必填字段 “${name}”`, `required property "${name}" is missing`, `${at}/${escapePointer(name)}`, undefined);
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      return err('unknown-property', `不允许的字段 “${name}”`, `property "${name}" is not allowed here`, `${at}/${escapePointer(name)}`, undefined);
    }
    case 'type': {
      const types = String(p.type).split(',');
      return err(
        'type',
        `类型错误：应为${types.map((t) => TYPE_ZH[t] ?? t).join('或')}，实际为${jsonTypeZh(value)}`,
        `must be ${types.map((t) => (t === 'integer' ? 'an integer' : t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`)).join(' or ')}, not ${jsonType(value)}`,
      );
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const list = allowed.length > 20 ? `${allowed.slice(0, 20).map(show).join(', ')} …` : allowed.map(show).join(', ');
      return err('enum', `取值 ${show(value)} 不是允许的代码之一：${list}`, `${show(value)} is not one of the allowed codes: ${list}`);
    }
    case 'const':
      return err('const', `应为 ${show(p.allowedValue)}，实际为 ${show(value)}`, `must be ${show(p.allowedValue)}, not ${show(value)}`);
    case 'pattern': {
      // the storable-text rule (1.2 on) is reported for the whole document by unstorableIssues
      if (p.pattern === STORABLE_TEXT_PATTERN) return [];
      const what = firstSentence(e.parentSchema?.description);
      return err(
        'pattern',
        `${show(value)} 不符合规定格式${what ? `：${what}` : ''}（${String(p.pattern)}）`,
        `${show(value)} does not have the required form${what ? `: ${what}` : ''} (${String(p.pattern)})`,
      );
    }
    case 'format':
      return formatIssues(String(p.format), value, at);
    case 'minimum':
    case 'exclusiveMinimum':
      return err('minimum', `不得${e.keyword === 'minimum' ? '小于' : '小于或等于'} ${String(p.limit)}，实际为 ${show(value)}`, `must be ${e.keyword === 'minimum' ? '≥' : '>'} ${String(p.limit)}, not ${show(value)}`);
    case 'maximum':
    case 'exclusiveMaximum':
      return err('maximum', `不得${e.keyword === 'maximum' ? '大于' : '大于或等于'} ${String(p.limit)}，实际为 ${show(value)}`, `must be ${e.keyword === 'maximum' ? '≤' : '<'} ${String(p.limit)}, not ${show(value)}`);
    case 'multipleOf':
      return err('multiple-of', `应为 ${String(p.multipleOf)} 的整数倍`, `must be a multiple of ${String(p.multipleOf)}`);
    case 'minLength':
      return err('min-length', `长度不得少于 ${String(p.limit)} 个字符`, `must be at least ${String(p.limit)} characters long`);
    case 'maxLength':
      return err('max-length', `长度不得超过 ${String(p.limit)} 个字符，实际为 ${typeof value === 'string' ? [...value].length : '?'} 个`, `must be at most ${String(p.limit)} characters long, not ${typeof value === 'string' ? [...value].length : '?'}`, at, undefined);
    case 'minItems':
      return err('min-items', `至少应有 ${String(p.limit)} 项`, `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, at, undefined);
    case 'maxItems':
      return err('max-items', `最多 ${String(p.limit)} 项，实际为 ${Array.isArray(value) ? value.length : '?'} 项`, `must have at most ${String(p.limit)} items, not ${Array.isArray(value) ? value.length : '?'}`, at, undefined);
    case 'uniqueItems':
      return err('unique-items', `第 ${Number(p.j) + 1} 项与第 ${Number(p.i) + 1} 项重复`, `items ${String(p.j)} and ${String(p.i)} are identical`, `${at}/${String(p.i)}`, undefined);
    case 'contains':
    case 'minContains':
    case 'maxContains':
      return err('contains', '不含所要求的项', 'does not contain the required items', at, undefined);
    case 'minProperties':
      return err('min-properties', `至少应有 ${String(p.limit)} 个字段`, `must have at least ${String(p.limit)} propert${p.limit === 1 ? 'y' : 'ies'}`, at, undefined);
    case 'maxProperties':
      return err('max-properties', `最多 ${String(p.limit)} 个字段`, `must have at most ${String(p.limit)} properties`, at, undefined);
    case 'propertyNames':
      return err('property-name', `字段名 “${String(p.propertyName)}” 不符合要求`, `property name "${String(p.propertyName)}" is not allowed`, `${at}/${escapePointer(String(p.propertyName))}`, undefined);
    case 'not':
      return err('not', '取值属于不允许的形式', 'has a form that is not allowed');
    case 'false schema':
      return err('unknown-property', '此处不允许有值', 'no value is allowed here', at, undefined);
    default:
      return err('schema-violation', `不符合模式（${e.keyword}）：${e.message ?? ''}`, `violates the schema (${e.keyword}): ${e.message ?? ''}`);
  }
}

const FORMAT_TEXT: Record<string, [string, string]> = {
  date: ['不是有效日期（YYYY-MM-DD）', 'is not a calendar date (YYYY-MM-DD)'],
  'date-time': ['不是有效的时间（RFC 3339，须带时区，如 2026-03-02T09:30:00+08:00）', 'is not a valid RFC 3339 date-time with an offset (e.g. 2026-03-02T09:30:00+08:00)'],
  time: ['不是有效时间', 'is not a valid time'],
  email: ['不是有效的电子邮件地址', 'is not a valid e-mail address'],
  uri: ['不是有效的 URI', 'is not a valid URI'],
  uuid: ['不是有效的 UUID', 'is not a valid UUID'],
};

function formatIssues(format: string, value: unknown, pointer: string): Issue[] {
  const fromProblems = (problems: IdentifierProblem[]) =>
    problems
      .filter((p) => p.severity === 'error')
      .map((p) => {
        const out: Issue = { severity: p.severity, code: p.code, message: p.message, pointer, value };
        if (p.code === 'format') shapeIssues.add(out);
        return out;
      });
  if (format === 'citizen-id') return fromProblems(checkCitizenId(value).problems);
  if (format === 'uscc') return fromProblems(checkUscc(value).problems);
  if (format === 'pooling-region') {
    return [
      issue('error', 'region-unknown', pointer, `统筹地区代码 ${show(value)} 不是现行的行政区划代码（GB/T 2260）`, `pooling region ${show(value)} is not a division code in force (GB/T 2260)`, value),
    ];
  }
  const [zh, en] = FORMAT_TEXT[format] ?? [`不符合格式 ${format}`, `does not match format ${format}`];
  return [issue('error', 'format', pointer, `${show(value)} ${zh}`, `${show(value)} ${en}`, value)];
}

/** Identifier issues about the shape alone (length, characters), which a schema `pattern` usually reports too. */
const shapeIssues = new WeakSet<Issue>();

/** Each issue once; an identifier's shape error caught by the schema's `pattern` too is reported by `pattern` only. */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  const patterns = new Set(issues.filter((i) => i.code === 'pattern').map((i) => i.pointer));
  return issues.filter((i) => {
    if (shapeIssues.has(i) && patterns.has(i.pointer)) return false;
    const key = `${i.code}\u0000${i.pointer}\u0000${i.message.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- rules JSON Schema cannot state

/** `check`: checkCitizenId(id) (the fast engine's is the answer the schema's `citizen-id` format has just had). */
function citizenIdWarnings(check: CitizenIdCheck, id: string, pointer: string, root: unknown, localPointer: string, issues: Issue[]): void {
  for (const p of check.problems) if (p.severity === 'warning') issues.push({ ...p, pointer, value: id });
  if (!check.valid) return;
  // The person's other fields must agree with what the ID encodes.
  const person = valueAt(root, localPointer.slice(0, localPointer.lastIndexOf('/')));
  if (!isObject(person)) return;
  const base = pointer.slice(0, pointer.lastIndexOf('/'));
  if ((person.gender === 'M' || person.gender === 'F') && check.gender && person.gender !== check.gender) {
    issues.push(
      issue('warning', 'gender-mismatch', `${base}/gender`, `性别 ${person.gender} 与公民身份号码（${check.gender}）不一致`, `gender ${person.gender} disagrees with the citizen ID (${check.gender})`, person.gender),
    );
  }
  if (typeof person.birthDate === 'string' && check.birthDate && person.birthDate !== check.birthDate) {
    issues.push(
      issue('warning', 'birth-date-mismatch', `${base}/birthDate`, `出生日期 ${person.birthDate} 与公民身份号码（${check.birthDate}）不一致`, `birth date ${person.birthDate} disagrees with the citizen ID (${check.birthDate})`, person.birthDate),
    );
  }
}

/** A month of the form YYYY-MM (its digits are the schema's `pattern`'s concern). */
function isMonth(m: unknown): m is string {
  return typeof m === 'string' && m.length === 7 && m[4] === '-';
}

/** Month order and uniqueness, employers listed, account years, account only for pensions. */
function recordRules(record: Record<string, unknown>, at: string, issues: Issue[]): void {
  const contributions = Array.isArray(record.contributions) ? record.contributions : [];
  let lastMonth = '';
  let lastIndex = -1;
  // Months normally ascend: a month after the last one seen can repeat none. Only a month at
  // or before it needs the set of earlier months, built the first time it is needed.
  let seen: Set<string> | undefined;
  const listed = new Set(Array.isArray(record.employers) ? record.employers.map((e) => (isObject(e) ? e.id : undefined)) : []);
  const unlisted = new Map<string, { first: number; count: number }>();
  /** The last employer id found listed. */
  let lastListed: string | undefined;
  for (let i = 0; i < contributions.length; i++) {
    const c: unknown = contributions[i];
    if (!isObject(c)) continue;
    const month = c.month;
    // A month of the wrong form is the schema's `pattern` issue; order is checked on YYYY-MM only.
    if (isMonth(month)) {
      if (month > lastMonth) {
        lastMonth = month;
        lastIndex = i;
        seen?.add(month);
      } else {
        seen ??= new Set(contributions.slice(0, i).flatMap((x: unknown) => (isObject(x) && isMonth(x.month) ? [x.month] : [])));
        if (seen.has(month)) {
          const first = contributions.findIndex((x: unknown) => isObject(x) && x.month === month);
          issues.push(
            issue('error', 'month-duplicate', `${at}/contributions/${i}/month`, `月份 ${month} 重复出现（首次在 ${at}/contributions/${first}）；每月只能有一项`, `month ${month} appears again (first at ${at}/contributions/${first}); one entry per month`, month),
          );
        } else {
          seen.add(month);
          issues.push(
            issue('error', 'month-order', `${at}/contributions/${i}/month`, `月份 ${month} 排在 ${lastMonth}（${at}/contributions/${lastIndex}）之后；应按月份升序排列`, `month ${month} comes after ${lastMonth} (at ${at}/contributions/${lastIndex}); entries must be in ascending month order`, month),
          );
        }
      }
    }
    const employerId = c.employerId;
    // the previous month's employer again (the usual case) needs no lookup: the set would hash each fresh string
    if (employerId === lastListed) continue;
    if (typeof employerId === 'string' && listed.has(employerId)) lastListed = employerId;
    else if (typeof employerId === 'string') {
      const u = unlisted.get(employerId);
      if (u) u.count++;
      else unlisted.set(employerId, { first: i, count: 1 });
    }
  }
  for (const [id, { first, count }] of unlisted) {
    const more = count > 1 ? `（共 ${count} 个月）` : '';
    const moreEn = count > 1 ? ` (${count} months)` : '';
    issues.push(
      issue('error', 'employer-unlisted', `${at}/contributions/${first}/employerId`, `单位 ${id} 未列在 employers 中${more}`, `employer ${id} is not listed in employers${moreEn}`, id),
    );
  }
  if (record.account !== undefined && typeof record.scheme === 'string' && record.scheme !== '110') {
    issues.push(
      issue('error', 'account-not-pension', `${at}/account`, `个人账户只属于企业职工基本养老保险（110），本记录险种为 ${record.scheme}`, `an individual account belongs to the enterprise employee pension (110) only; this record's scheme is ${record.scheme}`),
    );
  }
  if (Array.isArray(record.account)) {
    const years = new Map<number, number>();
    let lastYear = -Infinity;
    record.account.forEach((y, i) => {
      if (!isObject(y) || typeof y.year !== 'number') return;
      const seen = years.get(y.year);
      if (seen !== undefined) {
        issues.push(issue('error', 'year-duplicate', `${at}/account/${i}/year`, `账户年度 ${y.year} 重复出现（首次在 ${at}/account/${seen}）`, `account year ${y.year} appears again (first at ${at}/account/${seen})`, y.year));
        return;
      }
      years.set(y.year, i);
      if (y.year < lastYear) {
        issues.push(issue('error', 'year-order', `${at}/account/${i}/year`, `账户年度 ${y.year} 排在 ${lastYear} 之后；应按年度升序排列`, `account year ${y.year} comes after ${lastYear}; years must be ascending`, y.year));
      } else lastYear = y.year;
    });
  }
}

/**
 * Body by `type` in the envelope's version (`standardversion`), dataschema naming that same
 * message schema, source = sender, subject = caseid.
 */
function checkEnvelope(engine: ValidationEngine, env: Record<string, unknown>, envelopeVersion: string, issues: Issue[], accepted: readonly string[]): void {
  const urn = 'urn:jiexu:institution:';
  // A source that is not a URN at all is the schema pattern's issue; here: a URN naming another institution.
  if (typeof env.sender === 'string' && typeof env.source === 'string' && env.source.startsWith(urn) && env.source !== `${urn}${env.sender}`) {
    issues.push(
      issue('error', 'source-sender-mismatch', '/source', `source 应为 urn:jiexu:institution:${env.sender}（与 sender 一致）`, `source must be urn:jiexu:institution:${env.sender} (the sender)`, env.source),
    );
  }
  if (typeof env.subject === 'string' && typeof env.caseid === 'string' && env.subject !== env.caseid) {
    issues.push(issue('error', 'subject-caseid-mismatch', '/subject', `subject 应与 caseid（${env.caseid}）相同`, `subject must equal caseid (${env.caseid})`, env.subject));
  }
  if (typeof env.type !== 'string') return;
  const bodies = schemaIndex.filter((s) => s.messageType === env.type);
  const expected = bodies.find((s) => s.version === envelopeVersion);
  if (!expected) return; // the envelope schema's `type` enum reports a type its version does not have
  const dataschema = typeof env.dataschema === 'string' ? env.dataschema : undefined;
  // The body is checked against the schema dataschema names when it is this type's (of a supported
  // version); a dataschema naming another message or version is an error of its own.
  const named = dataschema !== undefined ? schemaIndex.find((s) => s.id === dataschema) : undefined;
  const body = named && named.messageType === env.type && accepted.includes(named.version) ? named : expected;
  if (dataschema !== undefined && dataschema !== expected.id) {
    let zh: string;
    let en: string;
    if (named?.messageType && named.messageType !== env.type) {
      zh = `dataschema 指向报文 ${named.messageType}，但 type 为 ${env.type}，其报文模式为 ${expected.id}`;
      en = `dataschema names the message ${named.messageType}, but type is ${env.type}, whose body schema is ${expected.id}`;
    } else if (named?.messageType) {
      zh = `dataschema 的版本 ${named.version} 与 standardversion ${envelopeVersion} 不一致（应为 ${expected.id}）`;
      en = `dataschema is version ${named.version} but standardversion is ${envelopeVersion} (expected ${expected.id})`;
    } else {
      zh = `dataschema 不是 type ${env.type} 的报文模式（应为 ${expected.id}）`;
      en = `dataschema is not the body schema of type ${env.type} (expected ${expected.id})`;
    }
    issues.push(issue('error', 'body-schema-mismatch', '/dataschema', zh, en, dataschema));
  }
  if (isObject(env.data)) checkAgainst(engine, body, env.data, '/data', issues); // a non-object body is the envelope schema's `type` issue
}

/** Storable text (conformance.md §8a), every version: each value or property name with a NUL or a lone surrogate. */
function unstorableIssues(doc: unknown): Issue[] {
  return unstorableStrings(doc).map((u) => {
    const what = u.character === 'U+0000' ? { zh: '空字符 NUL（U+0000）', en: 'a NUL character (U+0000)' } : { zh: `孤立的代理项 ${u.character}`, en: `a lone surrogate ${u.character}` };
    const zhWhere = u.in === 'name' ? '字段名' : '字符串';
    const enWhere = u.in === 'name' ? 'property name' : 'string';
    return issue(
      'error',
      'unstorable-character',
      u.pointer,
      `${zhWhere}在第 ${u.index + 1} 个字符处含${what.zh}：无法存储或以 UTF-8 传送的字符，任何字段都不允许`,
      `${enWhere} holds ${what.en} at character ${u.index + 1}: a character that cannot be stored or sent as UTF-8, allowed in no field`,
    );
  });
}

// ---------------------------------------------------------------- helpers

function issue(severity: Severity, code: IssueCode, pointer: string, zh: string, en: string, value?: unknown): Issue {
  const out: Issue = { severity, code, message: { zh, en }, pointer };
  if (value !== undefined && (value === null || typeof value !== 'object')) out.value = value;
  return out;
}

function info(s: SchemaIndexEntry): SchemaInfo {
  return { id: s.id, version: s.version, name: s.name, title: s.title, file: s.file, kind: s.declares.kind ?? null, messageType: s.messageType, envelope: s.envelope };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value a JSON Pointer names, or undefined. */
function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = unescapePointer(raw);
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

/** Every (pointer, value) a pattern such as /records/*\/person/id names in `doc`. */
function expand(doc: unknown, pattern: string): Array<[string, unknown]> {
  let found: Array<[string, unknown]> = [['', doc]];
  if (pattern === '') return found;
  for (const raw of pattern.slice(1).split('/')) {
    const next: Array<[string, unknown]> = [];
    for (const [at, node] of found) {
      if (raw === '*') {
        if (Array.isArray(node)) node.forEach((v, i) => next.push([`${at}/${i}`, v]));
        else if (isObject(node)) for (const [k, v] of Object.entries(node)) next.push([`${at}/${escapePointer(k)}`, v]);
      } else {
        const key = unescapePointer(raw);
        if (isObject(node) && Object.prototype.hasOwnProperty.call(node, key)) next.push([`${at}/${raw}`, node[key]]);
        else if (Array.isArray(node) && /^[0-9]+$/.test(key) && Number(key) < node.length) next.push([`${at}/${raw}`, node[Number(key)]]);
      }
    }
    found = next;
  }
  return found;
}

/** Issues in document order (array indexes numerically), stable within one place. */
function sortIssues(issues: Issue[]): Issue[] {
  if (issues.length < 2) return issues; // the usual valid document: nothing to order
  const key = (p: string | undefined) => (p ?? '').split('/').slice(1);
  return issues
    .map((issue, index) => ({ issue, index, path: key(issue.pointer) }))
    .sort((a, b) => {
      const n = Math.min(a.path.length, b.path.length);
      for (let i = 0; i < n; i++) {
        if (a.path[i] === b.path[i]) continue;
        const x = /^[0-9]+$/.test(a.path[i]) && /^[0-9]+$/.test(b.path[i]);
        return x ? Number(a.path[i]) - Number(b.path[i]) : a.path[i] < b.path[i] ? -1 : 1;
      }
      return a.path.length - b.path.length || a.index - b.index;
    })
    .map((x) => x.issue);
}

/** The first sentence of a schema description, to say what a field should look like. */
function firstSentence(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text) return undefined;
  const end = text.search(/(?<!\be\.g|\bi\.e)[.。](\s|$)/);
  const s = end === -1 ? text : text.slice(0, end);
  return s.length > 140 ? `${s.slice(0, 139)}…` : s;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `"${v.length > 60 ? `${v.slice(0, 57)}…` : v}"`;
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  if (typeof v === 'string') return `the string ${show(v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function jsonTypeZh(v: unknown): string {
  if (v === null) return ' null';
  if (Array.isArray(v)) return '数组';
  if (typeof v === 'number') return `数字 ${v}`;
  if (typeof v === 'string') return `字符串 ${show(v)}`;
  if (typeof v === 'object') return '对象';
  return `${typeof v} ${String(v)}`;
}

function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}


/**
 * Parses one JSON text (a file, or one JSONL line) and validates it; a syntax
 * error is a fatal `json-syntax` issue whose location gives line and column
 * within `text` (add the line offset for JSONL).
 */
export function validateJsonText(text: string, opts: ValidateOptions = {}): Report & { document?: unknown } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const location: { line?: number; column?: number } = {};
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      location.line = before.split('\n').length;
      location.column = Number(pos[1]) - before.lastIndexOf('\n');
    }
    const said = jsonParseMessage(err);
    const i: Issue = { severity: 'fatal', code: 'json-syntax', message: { zh: `JSON 语法错误：${said.zh}`, en: `JSON syntax error: ${message}` } };
    if (location.line !== undefined) i.location = location;
    return makeReport([i]);
  }
  return { ...validateDocument(doc, opts), document: doc };
}
