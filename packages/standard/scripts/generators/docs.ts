/**
 * Renders the standard's reference documentation from the schemas and the
 * case-type catalogue: docs/standard/catalogue.md (case types and the message
 * index), docs/standard/envelope.md, docs/standard/codelists.md and one page
 * per message (docs/standard/messages/<name>.md) with its fields and its
 * place in the case types, for the latest released version of the standard.
 * Each page is written twice, in English (docs/standard/…) and in Chinese
 * (docs/zh-CN/standard/…), each linking to the other at the top; the Chinese
 * pages take the code lists' and the catalogue's zh labels, and the Chinese of
 * every description (English in the schemas) from docs-zh.json, keyed by the
 * English text; a description without an entry shows in English, marked.
 * Pure and deterministic: sorted, no timestamps.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readVersions } from '../../../versioning/src/versions.ts';
import { GENERATED_NOTICE, type GeneratedFile } from './common.ts';

type Json = Record<string, unknown>;
interface Schema extends Json {
  $id?: string;
  $ref?: string;
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: Schema[];
  title?: string;
}
interface Step {
  message: string;
  from: string[];
  to: string[];
  opens?: boolean;
  inStates?: string[];
  answers?: string[];
  toState?: string;
  deadline?: { workingDays: number; startsAt: { message: string; field?: string }; source: string };
  description: string;
}
interface CaseType {
  code: string;
  zh: string;
  en: string;
  description: string;
  schemes: string[];
  sources: string[];
  states: Array<{ code: string; zh: string; en: string; final: boolean }>;
  opens: string[];
  closes: string[];
  steps: Step[];
  administrative: Array<{ message: string; from: string[] }>;
}
interface Catalogue {
  description: string;
  roles: Array<{ code: string; zh: string; en: string }>;
  sources: Array<{ id: string; zh: string; en: string; confirmed: boolean }>;
  administrative: Array<{ message: string; answers: string; effect: string; zh: string; en: string }>;
  caseTypes: CaseType[];
}
interface CodeList {
  name: string;
  source: string;
  version: string;
  description?: string;
  codes: Array<{ code: string; zh: string; en: string; description?: string }>;
}

/** The version documented: the latest released one (set by generate()). */
let VERSION = '';
let HEADER = '';

type Lang = 'zh' | 'en';
/** The language being rendered (set by generate() for each pass). */
let LANG: Lang = 'en';

/** Every fixed word of the pages, in both languages. */
const WORDS = {
  en: {
    field: 'field', type: 'type', required: 'required', description: 'description', yes: 'yes', no: 'no',
    string: 'string', object: 'object', integer: 'integer', number: 'number', boolean: 'boolean', null: 'null',
    oneOf: 'one of', constant: 'const', format: 'format', pattern: 'pattern', anyOf: 'any of', arrayOf: 'array of', see: 'see',
    needsOne: 'needs at least one of', min: 'min', max: 'max',
    workingDaysFrom: (n: number, from: string) => `${n} working days from ${from}`, receiptOf: (m: string) => `receipt of ${m}`, unconfirmed: ', unconfirmed',
    catalogueTitle: `case types and messages`, sourceOfTruth: (v: string) => `Source of truth: \`schemas/${v}/catalogue/case-types.json\` (shape: \`catalogue.schema.json\`). Deadlines are in working days of the official calendar, including the weekends declared working days (调休).`,
    roles: 'Roles', role: 'role', meaning: 'meaning', zhCol: '中文', caseTypes: 'Case types', schemes: 'Schemes (险种)',
    openedBy: 'Opened by', closedBy: 'closed by', legalSources: 'Legal sources', state: 'state', final: 'final',
    stepsHeader: '| # | message | from → to | fits when | answers | next state | deadline |', opensCase: 'opens the case', inStates: 'in', unchanged: 'unchanged',
    administrativeMessages: 'Administrative messages', adminAllowed: 'Allowed in any non-final state of a case type that lists them.',
    adminHeader: '| message | 中文 | answers | effect | meaning |', messages: 'Messages',
    envelopeType: (v: string) => `Envelope \`type\` is \`cn.jiexu.<message>.v1\`; \`dataschema\` is \`https://jiexu.org/standard/${v}/messages/<message>.schema.json\`.`,
    messagesHeader: '| message | 中文 | English | case types |', sourcesHeader: '| id | source | what it says here | confirmed |',
    envelopeTypeLine: 'envelope `type`', schemaFile: 'schema file', examplesIn: 'examples in', placeTitle: 'Place in the case types', caseTypeRole: '| case type | role |',
    fitsIn: 'fits in', sentBy: (from: string, to: string) => `sent by ${from} to ${to}`, answers: 'answers', answeredBy: 'answered by', then: 'then', stateUnchanged: 'state unchanged', deadline: 'deadline',
    administrative: (from: string) => `administrative, sent by ${from}`, notUsed: 'Not used by any case type.', fields: 'Fields',
    envelopeTitle: 'The envelope', envelopeExamples: (v: string) => `examples in \`schemas/${v}/envelope/examples/\``,
    codeListsTitle: (v: string) => `Code lists of the standard ${v}`, codeListFiles: (v: string) => `Files: \`schemas/${v}/codelists/<name>.json\`, shape \`codelist.schema.json\`. Schemas keep their \`enum\`s equal to these lists (checked by the tests).`,
    source: 'Source', version: 'Version', codesSee: (n: number, v: string, name: string) => `${n} codes; see \`schemas/${v}/codelists/${name}.json\`.`, codeHeader: '| code | 中文 | English | description |',
    standard: (v: string) => `jiexu standard ${v}`, twin: (href: string) => `[中文](${href})`,
  },
  zh: {
    field: '字段', type: '类型', required: '必填', description: '说明', yes: '是', no: '否',
    string: '字符串', object: '对象', integer: '整数', number: '数值', boolean: '布尔值', null: '空值',
    oneOf: '取值之一', constant: '常量', format: '格式', pattern: '模式', anyOf: '以下之一', arrayOf: '数组，元素为', see: '见',
    needsOne: '至少需要其一', min: '至少', max: '至多',
    workingDaysFrom: (n: number, from: string) => `自 ${from} 起 ${n} 个工作日`, receiptOf: (m: string) => `收到 ${m}`, unconfirmed: '，未经核实',
    catalogueTitle: '业务类型与报文', sourceOfTruth: (v: string) => `权威来源：\`schemas/${v}/catalogue/case-types.json\`（结构：\`catalogue.schema.json\`）。期限按官方日历的工作日计算，包括调休上班的周末。`,
    roles: '角色', role: '角色', meaning: '含义', zhCol: '中文', caseTypes: '业务类型', schemes: '险种',
    openedBy: '开启报文', closedBy: '结束报文', legalSources: '法律依据', state: '状态', final: '终态',
    stepsHeader: '| # | 报文 | 发送方 → 接收方 | 适用状态 | 答复 | 之后状态 | 期限 |', opensCase: '开启案件', inStates: '处于', unchanged: '不变',
    administrativeMessages: '管理报文', adminAllowed: '在列出它们的业务类型的任一非终态下都可发送。',
    adminHeader: '| 报文 | 中文 | 答复 | 作用 | 含义 |', messages: '报文',
    envelopeType: (v: string) => `信封的 \`type\` 为 \`cn.jiexu.<message>.v1\`；\`dataschema\` 为 \`https://jiexu.org/standard/${v}/messages/<message>.schema.json\`。`,
    messagesHeader: '| 报文 | 中文 | 英文 | 业务类型 |', sourcesHeader: '| 标识 | 文件 | 在此规定的内容 | 已核实 |',
    envelopeTypeLine: '信封 `type`', schemaFile: '模式文件', examplesIn: '示例见', placeTitle: '在业务类型中的位置', caseTypeRole: '| 业务类型 | 作用 |',
    fitsIn: '适用于', sentBy: (from: string, to: string) => `由 ${from} 发给 ${to}`, answers: '答复', answeredBy: '由以下报文答复', then: '之后为', stateUnchanged: '状态不变', deadline: '期限',
    administrative: (from: string) => `管理报文，由 ${from} 发送`, notUsed: '没有业务类型使用。', fields: '字段',
    envelopeTitle: '信封', envelopeExamples: (v: string) => `示例见 \`schemas/${v}/envelope/examples/\``,
    codeListsTitle: (v: string) => `标准 ${v} 的代码表`, codeListFiles: (v: string) => `文件：\`schemas/${v}/codelists/<name>.json\`，结构 \`codelist.schema.json\`。各模式中的 \`enum\` 与这些代码表保持一致（由测试检查）。`,
    source: '来源', version: '版本', codesSee: (n: number, v: string, name: string) => `共 ${n} 个代码；见 \`schemas/${v}/codelists/${name}.json\`。`, codeHeader: '| 代码 | 中文 | 英文 | 说明 |',
    standard: (v: string) => `接续标准 ${v}`, twin: (href: string) => `[English](${href})`,
  },
};
const w = () => WORDS[LANG];

/** A schema type name in the language rendered. */
const typeName = (t: string) => (w() as Record<string, unknown>)[t] as string | undefined ?? t;

/**
 * The Chinese name a description gives its field: its leading Chinese term
 * (`联系函编号: the contact letter number.` → 联系函编号), else its first
 * parenthesised one (`The insured person (参保人员): …` → 参保人员), else ''.
 */
export function chineseName(description: string): string {
  const lead = /^([\p{Script=Han}（）〔〕《》、0-9A-Za-z/ ]*\p{Script=Han}[\p{Script=Han}（）〔〕《》、]*)(?:\s*[:：(,]|\s+[a-z(])/u.exec(description);
  if (lead) return lead[1].trim();
  const paren = /\(([\p{Script=Han}][^()]*)\)/u.exec(description);
  return paren && /^\p{Script=Han}/u.test(paren[1]) ? paren[1].split(/[,;，；]/)[0].trim() : '';
}
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => byName(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'examples') out.push(...(await listJson(full)));
    } else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out;
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

/** Table cell: one line, pipes escaped. */
const cell = (s: unknown) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (s: string) => `\`${s}\``;

class SchemaIndex {
  private readonly byId = new Map<string, Schema>();
  add(schema: Schema) {
    if (schema.$id) this.byId.set(schema.$id, schema);
  }
  get(id: string): Schema | undefined {
    return this.byId.get(id);
  }
  /** Resolves a $ref against the id of the document it appears in. */
  resolve(ref: string, baseId: string): { schema: Schema; baseId: string; name: string } {
    const url = new URL(ref, baseId);
    const docId = `${url.origin}${url.pathname}`;
    const doc = this.byId.get(docId);
    if (!doc) throw new Error(`docs: cannot resolve ${ref} from ${baseId}`);
    let node: unknown = doc;
    const pointer = decodeURIComponent(url.hash.slice(1));
    for (const part of pointer.split('/').slice(1)) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!node) throw new Error(`docs: ${ref} from ${baseId} points nowhere`);
    const name = pointer ? pointer.split('/').pop()! : (doc.title ?? docId);
    return { schema: node as Schema, baseId: docId, name };
  }
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

function typeText(s: Schema, defName?: string): string {
  const parts: string[] = [];
  if (s.const !== undefined) parts.push(`${w().constant} ${code(JSON.stringify(s.const))}`);
  else if (s.enum) parts.push(`${s.type ? typeName(s.type) : ''} ${w().oneOf} ${s.enum.map((v) => code(String(v))).join(', ')}`.trim());
  else if (s.type) parts.push(typeName(s.type));
  if (s.format) parts.push(`${w().format} ${code(s.format)}`);
  if (s.pattern && !s.enum) parts.push(`${w().pattern} ${code(s.pattern)}`);
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (defName) parts.unshift(`${code(defName)}:`);
  return parts.join(' ');
}

/** Flattens a schema's properties to rows; $refs resolved locally; whole records are named, not expanded. */
function rows(index: SchemaIndex, schema: Schema, baseId: string, prefix: string, depth = 0): Row[] {
  const out: Row[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const p = `${prefix}${name}`;
    let target = prop;
    let targetBase = baseId;
    let defName: string | undefined;
    if (prop.$ref) {
      const r = index.resolve(prop.$ref, baseId);
      target = r.schema;
      targetBase = r.baseId;
      defName = r.schema.$id ? r.schema.title : r.name;
    }
    const description = prop.description ?? target.description ?? '';
    if (target.$id && target.$id !== baseId) {
      out.push({ path: p, type: `${code(target.title ?? target.$id)} (${w().see} ${target.$id.split('/').pop()})`, required: required.has(name), description });
      continue;
    }
    if (target.type === 'object' && target.properties) {
      const oneOfRequired = (target.anyOf ?? []).map((a) => a.required?.join(' + ')).filter(Boolean);
      const note = oneOfRequired.length ? ` (${w().needsOne} ${oneOfRequired.map((r) => code(r!)).join(', ')})` : '';
      out.push({ path: p, type: `${defName ? `${code(defName)}: ` : ''}${w().object}${note}`, required: required.has(name), description });
      if (depth < 4) out.push(...rows(index, target, targetBase, `${p}.`, depth + 1));
      continue;
    }
    if (target.anyOf) {
      const alts = target.anyOf.map((a) => (a.$ref ? index.resolve(a.$ref, targetBase).name : typeText(a)));
      out.push({ path: p, type: `${w().anyOf} ${alts.map(code).join(', ')}`, required: required.has(name), description });
      continue;
    }
    if (target.type === 'array' && target.items) {
      let item = target.items;
      let itemBase = targetBase;
      let itemName: string | undefined;
      if (item.$ref) {
        const r = index.resolve(item.$ref, targetBase);
        item = r.schema;
        itemBase = r.baseId;
        itemName = item.$id ? item.title : r.name;
      }
      const bounds = [target.minItems !== undefined ? `${w().min} ${target.minItems}` : '', target.maxItems !== undefined ? `${w().max} ${target.maxItems}` : ''].filter(Boolean).join(', ');
      const itemText = item.$id ? `${code(itemName!)} (${w().see} ${item.$id.split('/').pop()})` : item.type === 'object' ? w().object : typeText(item, itemName);
      out.push({ path: p, type: `${w().arrayOf} ${itemText}${bounds ? ` (${bounds})` : ''}`, required: required.has(name), description });
      if (!item.$id && item.type === 'object' && depth < 4) out.push(...rows(index, item, itemBase, `${p}[].`, depth + 1));
      continue;
    }
    out.push({ path: p, type: typeText(target, defName), required: required.has(name), description });
  }
  return out;
}

function fieldTable(r: Row[]): string {
  const t = w();
  if (LANG === 'zh') {
    const lines = [`| ${t.field} | 中文名 | ${t.type} | ${t.required} | ${t.description} |`, '|---|---|---|---|---|'];
    for (const row of r) lines.push(`| ${code(row.path)} | ${cell(chineseName(row.description))} | ${cell(row.type)} | ${row.required ? t.yes : ''} | ${prose(row.description)} |`);
    return lines.join('\n');
  }
  const lines = [`| ${t.field} | ${t.type} | ${t.required} | ${t.description} |`, '|---|---|---|---|'];
  for (const row of r) lines.push(`| ${code(row.path)} | ${cell(row.type)} | ${row.required ? t.yes : ''} | ${cell(row.description)} |`);
  return lines.join('\n');
}

function deadlineText(d: Step['deadline'], sources: Map<string, Catalogue['sources'][number]>): string {
  if (!d) return '';
  const src = sources.get(d.source);
  const from = d.startsAt.field ? `${code(d.startsAt.message + d.startsAt.field)}` : w().receiptOf(code(d.startsAt.message));
  return `${w().workingDaysFrom(d.workingDays, from)} (${src ? src.zh : d.source}${src && !src.confirmed ? w().unconfirmed : ''})`;
}

/**
 * The Chinese of the schemas' descriptions (English in the schemas), by their
 * text: scripts/generators/docs-zh.json. A description changed in a schema no
 * longer matches and shows in English, marked, until its entry is updated
 * (docs-zh.test.ts lists stale entries).
 */
let ZH: Record<string, string> = {};

/** A free-text description of the schemas: in English as it is; in Chinese its translation, else the English marked as such. */
function prose(text: unknown): string {
  const t = cell(text);
  if (LANG !== 'zh' || !t) return t;
  return ZH[t] ?? `（英文原文）${t}`;
}

/** The page's heading line: the title, then the link to the same page in the other language. */
function top(title: string, twinHref: string): string[] {
  return [HEADER, `# ${title}`, '', w().twin(twinHref), ''];
}

function renderCatalogue(cat: Catalogue, messageTypes: CodeList, messagesIn: Map<string, string[]>, twin: string): string {
  const t = w();
  const zh = LANG === 'zh';
  const sources = new Map(cat.sources.map((s) => [s.id, s]));
  const out: string[] = [...top(`${t.standard(VERSION)}${zh ? '：' : ': '}${t.catalogueTitle}`, twin), prose(cat.description), ''];
  out.push(t.sourceOfTruth(VERSION), '');
  out.push(`## ${t.roles}`, '', `| ${t.role} | ${t.zhCol} | ${t.meaning} |`, '|---|---|---|');
  for (const r of cat.roles) out.push(`| ${code(r.code)} | ${cell(r.zh)} | ${prose(r.en)} |`);
  out.push('', `## ${t.caseTypes}`, '');
  for (const c of [...cat.caseTypes].sort((a, b) => byName(a.code, b.code))) out.push(`- [${c.code}](#${c.code}) — ${c.zh} (${c.en})`);
  for (const c of [...cat.caseTypes].sort((a, b) => byName(a.code, b.code))) {
    const title = zh ? `**${c.zh}**（${c.en}）。${t.schemes}：${c.schemes.map(code).join(', ')}。` : `**${c.zh}** — ${c.en}. ${t.schemes}: ${c.schemes.map(code).join(', ')}.`;
    out.push('', `### ${c.code}`, '', title, '', prose(c.description), '');
    const opens = c.opens.map((m) => `[${code(m)}](messages/${m}.md)`).join(', ');
    const closes = c.closes.map((m) => `[${code(m)}](messages/${m}.md)`).join(', ');
    out.push(zh ? `${t.openedBy}：${opens}；${t.closedBy}：${closes}。` : `${t.openedBy} ${opens}; ${t.closedBy} ${closes}.`, '');
    const legal = c.sources.map((s) => sources.get(s)?.zh ?? s).join('; ');
    out.push(zh ? `${t.legalSources}：${legal}。` : `${t.legalSources}: ${legal}.`, '');
    out.push(`| ${t.state} | ${t.zhCol} | ${t.meaning} | ${t.final} |`, '|---|---|---|---|');
    for (const s of c.states) out.push(`| ${code(s.code)} | ${cell(s.zh)} | ${LANG === 'zh' ? (ZH[cell(s.en)] ?? '') : cell(s.en)} | ${s.final ? t.yes : ''} |`);
    out.push('', t.stepsHeader, '|---|---|---|---|---|---|---|');
    c.steps.forEach((s, i) => {
      const when = s.opens ? t.opensCase : `${t.inStates} ${(s.inStates ?? []).map(code).join(', ')}`;
      out.push(
        `| ${i + 1} | [${code(s.message)}](messages/${s.message}.md) | ${s.from.join(', ')} → ${s.to.join(', ')} | ${when} | ${(s.answers ?? []).map(code).join(', ')} | ${s.toState ? code(s.toState) : t.unchanged} | ${cell(deadlineText(s.deadline, sources))} |`,
      );
    });
    const admin = c.administrative.map((a) => `${code(a.message)} (${a.from.join(', ')})`).join('; ');
    out.push('', zh ? `${t.administrativeMessages}：${admin}。` : `${t.administrativeMessages}: ${admin}.`);
  }
  out.push('', `## ${t.administrativeMessages}`, '', t.adminAllowed, '', t.adminHeader, '|---|---|---|---|---|');
  for (const a of [...cat.administrative].sort((x, y) => byName(x.message, y.message)))
    out.push(`| [${code(a.message)}](messages/${a.message}.md) | ${cell(a.zh)} | ${a.answers} | ${a.effect} | ${prose(a.en)} |`);
  out.push('', `## ${t.messages}`, '', t.envelopeType(VERSION), '', t.messagesHeader, '|---|---|---|---|');
  for (const m of [...messageTypes.codes].sort((a, b) => byName(a.code, b.code)))
    out.push(`| [${code(m.code)}](messages/${m.code}.md) | ${cell(m.zh)} | ${cell(m.en)} | ${(messagesIn.get(m.code) ?? []).join(', ')} |`);
  out.push('', `## ${t.legalSources}`, '', t.sourcesHeader, '|---|---|---|---|');
  for (const s of cat.sources) out.push(`| ${code(s.id)} | ${cell(s.zh)} | ${prose(s.en)} | ${s.confirmed ? t.yes : t.no} |`);
  return `${out.join('\n')}\n`;
}

function renderMessage(name: string, schema: Schema, index: SchemaIndex, cat: Catalogue, label: CodeList['codes'][number] | undefined, twin: string): string {
  const t = w();
  const zh = LANG === 'zh';
  const sources = new Map(cat.sources.map((s) => [s.id, s]));
  const out: string[] = [...top(`${code(name)}${label ? ` — ${label.zh} (${label.en})` : ''}`, twin), prose(schema.description), ''];
  const colon = zh ? '：' : ': ';
  out.push(
    `- ${t.envelopeTypeLine}${colon}${code(`cn.jiexu.${name}.v1`)}`,
    `- \`dataschema\` / $id${colon}${code(schema.$id!)}`,
    `- ${t.schemaFile}${colon}\`schemas/${VERSION}/messages/${name}.schema.json\`${zh ? '；' : '; '}${t.examplesIn} \`schemas/${VERSION}/messages/examples/${name}/\``,
    '',
  );
  out.push(`## ${t.placeTitle}`, '');
  const places: string[] = [];
  for (const c of [...cat.caseTypes].sort((a, b) => byName(a.code, b.code))) {
    for (const s of c.steps.filter((x) => x.message === name)) {
      const answeredBy = c.steps.filter((x) => x.answers?.includes(name)).map((x) => code(x.message));
      const bits = [
        s.opens ? t.opensCase : `${t.fitsIn} ${(s.inStates ?? []).map(code).join(', ')}`,
        t.sentBy(s.from.join('/'), s.to.join(', ')),
        s.answers ? `${t.answers} ${s.answers.map(code).join(', ')}` : '',
        answeredBy.length ? `${t.answeredBy} ${[...new Set(answeredBy)].join(', ')}` : '',
        s.toState ? `${t.then} ${code(s.toState)}` : t.stateUnchanged,
        s.deadline ? `${t.deadline} ${deadlineText(s.deadline, sources)}` : '',
      ].filter(Boolean);
      places.push(`| [${c.code}](../catalogue.md#${c.code}) | ${cell(bits.join(zh ? '；' : '; '))} |`);
    }
    const admin = c.administrative.find((a) => a.message === name);
    if (admin) places.push(`| [${c.code}](../catalogue.md#${c.code}) | ${t.administrative(admin.from.join('/'))} |`);
  }
  out.push(...(places.length ? [t.caseTypeRole, '|---|---|', ...places] : [t.notUsed]), '');
  out.push(`## ${t.fields}`, '', fieldTable(rows(index, schema, schema.$id!, '')));
  return `${out.join('\n')}\n`;
}

function renderEnvelope(schema: Schema, index: SchemaIndex, twin: string): string {
  const t = w();
  const sep = LANG === 'zh' ? '；' : '; ';
  return `${[...top(t.envelopeTitle, twin), prose(schema.description), '', `$id${LANG === 'zh' ? '：' : ': '}${code(schema.$id!)}${sep}${t.envelopeExamples(VERSION)}${LANG === 'zh' ? '。' : '.'}`, '', `## ${t.fields}`, '', fieldTable(rows(index, schema, schema.$id!, ''))].join('\n')}\n`;
}

function renderCodeLists(lists: CodeList[], twin: string): string {
  const t = w();
  const zh = LANG === 'zh';
  const out: string[] = [...top(t.codeListsTitle(VERSION), twin).slice(0, -1), '', t.codeListFiles(VERSION)];
  for (const l of [...lists].sort((a, b) => byName(a.name, b.name))) {
    const about = zh ? `${t.source}：${cell(l.source)}。${t.version} ${l.version}。${l.description ? ` ${prose(l.description)}` : ''}` : `${t.source}: ${cell(l.source)}. ${t.version} ${l.version}.${l.description ? ` ${cell(l.description)}` : ''}`;
    out.push('', `## ${l.name}`, '', about, '');
    if (l.codes.length > 200) {
      out.push(t.codesSee(l.codes.length, VERSION, l.name));
      continue;
    }
    out.push(t.codeHeader, '|---|---|---|---|');
    for (const c of l.codes) out.push(`| ${code(c.code)} | ${cell(c.zh)} | ${cell(c.en)} | ${c.description ? prose(c.description) : ''} |`);
  }
  return `${out.join('\n')}\n`;
}

/** Where a page of the English reference lives in Chinese: docs/standard/x.md → docs/zh-CN/standard/x.md. */
export function zhPath(enPath: string): string {
  return enPath.replace(/^docs\//, 'docs/zh-CN/');
}

/** The relative link from one page to another. */
function linkFrom(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to);
}

export async function generate(root: string): Promise<GeneratedFile[]> {
  const latest = readVersions(path.join(root, 'schemas')).versions.filter((v) => v.status === 'released').at(-1)?.version;
  if (!latest) throw new Error('docs: schemas/versions.json lists no released version');
  VERSION = latest;
  ZH = await readJson<Record<string, string>>(path.join(root, 'packages/standard/scripts/generators/docs-zh.json'));
  HEADER = `<!-- ${GENERATED_NOTICE} (from schemas/${VERSION}/) -->\n`;
  const base = path.join(root, 'schemas', VERSION);
  const index = new SchemaIndex();
  const files = (await listJson(base)).filter((f) => f.endsWith('.schema.json'));
  const schemas = await Promise.all(files.map((f) => readJson<Schema>(f)));
  schemas.forEach((s) => index.add(s));
  const cat = await readJson<Catalogue>(path.join(base, 'catalogue', 'case-types.json'));
  const codelistDir = path.join(base, 'codelists');
  const lists = await Promise.all(
    (await readdir(codelistDir)).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort().map((f) => readJson<CodeList>(path.join(codelistDir, f))),
  );
  const messageTypes = lists.find((l) => l.name === 'message-type');
  if (!messageTypes) throw new Error(`docs: schemas/${VERSION}/codelists/message-type.json is missing`);

  const messagesIn = new Map<string, string[]>();
  for (const c of cat.caseTypes)
    for (const m of new Set([...c.steps.map((s) => s.message), ...c.administrative.map((a) => a.message)])) messagesIn.set(m, [...(messagesIn.get(m) ?? []), c.code].sort());

  const out: GeneratedFile[] = [];
  for (const lang of ['en', 'zh'] as const) {
    LANG = lang;
    /** A page at its English path, written at that path (en) or at its zh-CN path (zh), linking to the other. */
    const page = (enPath: string, render: (twin: string) => string) => {
      const here = lang === 'en' ? enPath : zhPath(enPath);
      const there = lang === 'en' ? zhPath(enPath) : enPath;
      out.push({ path: here, content: render(linkFrom(here, there)) });
    };
    page('docs/standard/catalogue.md', (twin) => renderCatalogue(cat, messageTypes, messagesIn, twin));
    page('docs/standard/codelists.md', (twin) => renderCodeLists(lists, twin));
    const envelope = index.get(`https://jiexu.org/standard/${VERSION}/envelope.schema.json`);
    if (envelope) page('docs/standard/envelope.md', (twin) => renderEnvelope(envelope, index, twin));
    for (const m of [...messageTypes.codes].sort((a, b) => byName(a.code, b.code))) {
      const schema = index.get(`https://jiexu.org/standard/${VERSION}/messages/${m.code}.schema.json`);
      if (!schema) throw new Error(`docs: no schema for message ${m.code}`);
      page(`docs/standard/messages/${m.code}.md`, (twin) => renderMessage(m.code, schema, index, cat, m, twin));
    }
  }
  LANG = 'en';
  return out.sort((a, b) => byName(a.path, b.path));
}
