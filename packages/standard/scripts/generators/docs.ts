/**
 * Renders the standard's reference documentation from the schemas and the
 * case-type catalogue: docs/standard/catalogue.md (case types and the message
 * index), docs/standard/envelope.md, docs/standard/codelists.md and one page
 * per message (docs/standard/messages/<name>.md) with its fields and its
 * place in the case types, for the latest released version of the standard.
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
  if (s.const !== undefined) parts.push(`const ${code(JSON.stringify(s.const))}`);
  else if (s.enum) parts.push(`${s.type ?? ''} one of ${s.enum.map((v) => code(String(v))).join(', ')}`.trim());
  else if (s.type) parts.push(s.type);
  if (s.format) parts.push(`format ${code(s.format)}`);
  if (s.pattern && !s.enum) parts.push(`pattern ${code(s.pattern)}`);
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
      out.push({ path: p, type: `${code(target.title ?? target.$id)} (see ${target.$id.split('/').pop()})`, required: required.has(name), description });
      continue;
    }
    if (target.type === 'object' && target.properties) {
      const oneOfRequired = (target.anyOf ?? []).map((a) => a.required?.join(' + ')).filter(Boolean);
      const note = oneOfRequired.length ? ` (needs at least one of ${oneOfRequired.map((r) => code(r!)).join(', ')})` : '';
      out.push({ path: p, type: `${defName ? `${code(defName)}: ` : ''}object${note}`, required: required.has(name), description });
      if (depth < 4) out.push(...rows(index, target, targetBase, `${p}.`, depth + 1));
      continue;
    }
    if (target.anyOf) {
      const alts = target.anyOf.map((a) => (a.$ref ? index.resolve(a.$ref, targetBase).name : typeText(a)));
      out.push({ path: p, type: `any of ${alts.map(code).join(', ')}`, required: required.has(name), description });
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
      const bounds = [target.minItems !== undefined ? `min ${target.minItems}` : '', target.maxItems !== undefined ? `max ${target.maxItems}` : ''].filter(Boolean).join(', ');
      const itemText = item.$id ? `${code(itemName!)} (see ${item.$id.split('/').pop()})` : item.type === 'object' ? 'object' : typeText(item, itemName);
      out.push({ path: p, type: `array of ${itemText}${bounds ? ` (${bounds})` : ''}`, required: required.has(name), description });
      if (!item.$id && item.type === 'object' && depth < 4) out.push(...rows(index, item, itemBase, `${p}[].`, depth + 1));
      continue;
    }
    out.push({ path: p, type: typeText(target, defName), required: required.has(name), description });
  }
  return out;
}

function fieldTable(r: Row[]): string {
  const lines = ['| field | type | required | description |', '|---|---|---|---|'];
  for (const row of r) lines.push(`| ${code(row.path)} | ${cell(row.type)} | ${row.required ? 'yes' : ''} | ${cell(row.description)} |`);
  return lines.join('\n');
}

function deadlineText(d: Step['deadline'], sources: Map<string, Catalogue['sources'][number]>): string {
  if (!d) return '';
  const src = sources.get(d.source);
  const from = d.startsAt.field ? `${code(d.startsAt.message + d.startsAt.field)}` : `receipt of ${code(d.startsAt.message)}`;
  return `${d.workingDays} working days from ${from} (${src ? src.zh : d.source}${src && !src.confirmed ? ', unconfirmed' : ''})`;
}

function renderCatalogue(cat: Catalogue, messageTypes: CodeList, messagesIn: Map<string, string[]>): string {
  const sources = new Map(cat.sources.map((s) => [s.id, s]));
  const out: string[] = [HEADER, `# jiexu standard ${VERSION}: case types and messages`, '', cell(cat.description), ''];
  out.push(`Source of truth: \`schemas/${VERSION}/catalogue/case-types.json\` (shape: \`catalogue.schema.json\`). Deadlines are in working days of the official calendar, including the weekends declared working days (调休).`, '');
  out.push('## Roles', '', '| role | 中文 | meaning |', '|---|---|---|');
  for (const r of cat.roles) out.push(`| ${code(r.code)} | ${cell(r.zh)} | ${cell(r.en)} |`);
  out.push('', '## Case types', '');
  for (const c of [...cat.caseTypes].sort((a, b) => byName(a.code, b.code))) out.push(`- [${c.code}](#${c.code}) — ${c.zh} (${c.en})`);
  for (const c of [...cat.caseTypes].sort((a, b) => byName(a.code, b.code))) {
    out.push('', `### ${c.code}`, '', `**${c.zh}** — ${c.en}. Schemes (险种): ${c.schemes.map(code).join(', ')}.`, '', cell(c.description), '');
    out.push(`Opened by ${c.opens.map((m) => `[${code(m)}](messages/${m}.md)`).join(', ')}; closed by ${c.closes.map((m) => `[${code(m)}](messages/${m}.md)`).join(', ')}.`, '');
    out.push(`Legal sources: ${c.sources.map((s) => sources.get(s)?.zh ?? s).join('; ')}.`, '');
    out.push('| state | 中文 | meaning | final |', '|---|---|---|---|');
    for (const s of c.states) out.push(`| ${code(s.code)} | ${cell(s.zh)} | ${cell(s.en)} | ${s.final ? 'yes' : ''} |`);
    out.push('', '| # | message | from → to | fits when | answers | next state | deadline |', '|---|---|---|---|---|---|---|');
    c.steps.forEach((s, i) => {
      const when = s.opens ? 'opens the case' : `in ${(s.inStates ?? []).map(code).join(', ')}`;
      out.push(
        `| ${i + 1} | [${code(s.message)}](messages/${s.message}.md) | ${s.from.join(', ')} → ${s.to.join(', ')} | ${when} | ${(s.answers ?? []).map(code).join(', ')} | ${s.toState ? code(s.toState) : 'unchanged'} | ${cell(deadlineText(s.deadline, sources))} |`,
      );
    });
    out.push('', `Administrative messages: ${c.administrative.map((a) => `${code(a.message)} (${a.from.join(', ')})`).join('; ')}.`);
  }
  out.push('', '## Administrative messages', '', 'Allowed in any non-final state of a case type that lists them.', '', '| message | 中文 | answers | effect | meaning |', '|---|---|---|---|---|');
  for (const a of [...cat.administrative].sort((x, y) => byName(x.message, y.message)))
    out.push(`| [${code(a.message)}](messages/${a.message}.md) | ${cell(a.zh)} | ${a.answers} | ${a.effect} | ${cell(a.en)} |`);
  out.push('', '## Messages', '', `Envelope \`type\` is \`cn.jiexu.<message>.v1\`; \`dataschema\` is \`https://jiexu.org/standard/${VERSION}/messages/<message>.schema.json\`.`, '', '| message | 中文 | English | case types |', '|---|---|---|---|');
  for (const m of [...messageTypes.codes].sort((a, b) => byName(a.code, b.code)))
    out.push(`| [${code(m.code)}](messages/${m.code}.md) | ${cell(m.zh)} | ${cell(m.en)} | ${(messagesIn.get(m.code) ?? []).join(', ')} |`);
  out.push('', '## Legal sources', '', '| id | source | what it says here | confirmed |', '|---|---|---|---|');
  for (const s of cat.sources) out.push(`| ${code(s.id)} | ${cell(s.zh)} | ${cell(s.en)} | ${s.confirmed ? 'yes' : 'no'} |`);
  return `${out.join('\n')}\n`;
}

function renderMessage(name: string, schema: Schema, index: SchemaIndex, cat: Catalogue, label?: CodeList['codes'][number]): string {
  const sources = new Map(cat.sources.map((s) => [s.id, s]));
  const out: string[] = [HEADER, `# ${code(name)}${label ? ` — ${label.zh} (${label.en})` : ''}`, '', cell(schema.description), ''];
  out.push(`- envelope \`type\`: ${code(`cn.jiexu.${name}.v1`)}`, `- \`dataschema\` / $id: ${code(schema.$id!)}`, `- schema file: \`schemas/${VERSION}/messages/${name}.schema.json\`; examples in \`schemas/${VERSION}/messages/examples/${name}/\``, '');
  out.push('## Place in the case types', '');
  const places: string[] = [];
  for (const c of [...cat.caseTypes].sort((a, b) => byName(a.code, b.code))) {
    for (const s of c.steps.filter((x) => x.message === name)) {
      const answeredBy = c.steps.filter((x) => x.answers?.includes(name)).map((x) => code(x.message));
      const bits = [
        s.opens ? 'opens the case' : `fits in ${(s.inStates ?? []).map(code).join(', ')}`,
        `sent by ${s.from.join('/')} to ${s.to.join(', ')}`,
        s.answers ? `answers ${s.answers.map(code).join(', ')}` : '',
        answeredBy.length ? `answered by ${[...new Set(answeredBy)].join(', ')}` : '',
        s.toState ? `then ${code(s.toState)}` : 'state unchanged',
        s.deadline ? `deadline ${deadlineText(s.deadline, sources)}` : '',
      ].filter(Boolean);
      places.push(`| [${c.code}](../catalogue.md#${c.code}) | ${cell(bits.join('; '))} |`);
    }
    const admin = c.administrative.find((a) => a.message === name);
    if (admin) places.push(`| [${c.code}](../catalogue.md#${c.code}) | administrative, sent by ${admin.from.join('/')} |`);
  }
  out.push(...(places.length ? ['| case type | role |', '|---|---|', ...places] : ['Not used by any case type.']), '');
  out.push('## Fields', '', fieldTable(rows(index, schema, schema.$id!, '')));
  return `${out.join('\n')}\n`;
}

function renderEnvelope(schema: Schema, index: SchemaIndex): string {
  return `${[HEADER, '# The envelope', '', cell(schema.description), '', `$id: ${code(schema.$id!)}; examples in \`schemas/${VERSION}/envelope/examples/\`.`, '', '## Fields', '', fieldTable(rows(index, schema, schema.$id!, ''))].join('\n')}\n`;
}

function renderCodeLists(lists: CodeList[]): string {
  const out: string[] = [HEADER, `# Code lists of the standard ${VERSION}`, '', `Files: \`schemas/${VERSION}/codelists/<name>.json\`, shape \`codelist.schema.json\`. Schemas keep their \`enum\`s equal to these lists (checked by the tests).`];
  for (const l of [...lists].sort((a, b) => byName(a.name, b.name))) {
    out.push('', `## ${l.name}`, '', `Source: ${cell(l.source)}. Version ${l.version}.${l.description ? ` ${cell(l.description)}` : ''}`, '');
    if (l.codes.length > 200) {
      out.push(`${l.codes.length} codes; see \`schemas/${VERSION}/codelists/${l.name}.json\`.`);
      continue;
    }
    out.push('| code | 中文 | English | description |', '|---|---|---|---|');
    for (const c of l.codes) out.push(`| ${code(c.code)} | ${cell(c.zh)} | ${cell(c.en)} | ${cell(c.description)} |`);
  }
  return `${out.join('\n')}\n`;
}

export async function generate(root: string): Promise<GeneratedFile[]> {
  const latest = readVersions(path.join(root, 'schemas')).versions.filter((v) => v.status === 'released').at(-1)?.version;
  if (!latest) throw new Error('docs: schemas/versions.json lists no released version');
  VERSION = latest;
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

  const out: GeneratedFile[] = [
    { path: 'docs/standard/catalogue.md', content: renderCatalogue(cat, messageTypes, messagesIn) },
    { path: 'docs/standard/codelists.md', content: renderCodeLists(lists) },
  ];
  const envelope = index.get(`https://jiexu.org/standard/${VERSION}/envelope.schema.json`);
  if (envelope) out.push({ path: 'docs/standard/envelope.md', content: renderEnvelope(envelope, index) });
  for (const m of [...messageTypes.codes].sort((a, b) => byName(a.code, b.code))) {
    const schema = index.get(`https://jiexu.org/standard/${VERSION}/messages/${m.code}.schema.json`);
    if (!schema) throw new Error(`docs: no schema for message ${m.code}`);
    out.push({ path: `docs/standard/messages/${m.code}.md`, content: renderMessage(m.code, schema, index, cat, m) });
  }
  return out.sort((a, b) => byName(a.path, b.path));
}
