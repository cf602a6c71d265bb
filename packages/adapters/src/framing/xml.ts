/**
 * XML framing: a root element (file-level values), Person elements, Scheme
 * elements inside them, and row (Period) and account elements inside those;
 * every value an attribute. Streamed with saxes; DTDs and entities refused.
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlFraming, XmlLevel } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow, RowValues } from '../rows.ts';
import { wrongEncoding } from '../encoding.ts';
import { LIMIT_OPTIONS } from '../limits.ts';
import { collectPlainAttributes } from './xml-attributes.ts';
import { RowBuilders, type RowBuilder } from './xml-rows.ts';
import { plainTagWriter } from './xml-plain-tags.ts';
import { Sink, accountRows, contributionRows, decodeFields, decodedText, encodeFields, personValues, recordLabel, LINE_LABELS, type DecodeContext, type RecordLabel, type EncodeContext } from './common.ts';

/** The decoded text is fed to saxes in slices this long, so a refusal stops the parse within one slice. */
const SLICE = 1 << 14;
/** Rows passed on together (a few slices' worth). */
const BATCH = 512;

interface Open {
  local: string;
  path: string;
  counts: Map<string, number>;
  /** Children that are leaves (rows, accounts), counted by leaf rather than in `counts` (no map lookup per row). */
  leafCounts: number[];
}

const NO_LEAVES: number[] = [];
/** See decodeFields's `row`. */
type RowStep = ((decoded: readonly RowValues[string][]) => RowValues | undefined) | undefined;
const IGNORED: Open = { local: '', path: '', counts: new Map(), leafCounts: NO_LEAVES };

/** saxes 6's handler properties, one per event (private in its types). */
type Slots = Record<'xmldeclHandler' | 'textHandler' | 'piHandler' | 'doctypeHandler' | 'commentHandler' | 'openTagStartHandler' | 'attributeHandler' | 'openTagHandler' | 'closeTagHandler' | 'cdataHandler' | 'errorHandler' | 'endHandler' | 'readyHandler', unknown>;

/**
 * A namespace-aware saxes parser that stays a fast V8 object whatever
 * handlers are set. saxes adds each handler as a property on `on()`, by a
 * computed key, and V8 lets an object grow that way by only a few properties:
 * the reader's eight handlers turned the parser into a dictionary object, where
 * every field read of saxes's per-character loop is a hash lookup (the whole
 * parse 3× slower). Created first by plain named stores (which V8 allows many
 * more of), the properties are only overwritten by `on()`. xml.test.ts checks
 * the parser stays fast with every handler set.
 */
export function fastParser(): SaxesParser<{ xmlns: true; position: true }> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const slots = parser as unknown as Slots;
  // one named store each (a loop over the names would be the computed-key store that causes the problem)
  slots.xmldeclHandler = undefined;
  slots.textHandler = undefined;
  slots.piHandler = undefined;
  slots.doctypeHandler = undefined;
  slots.commentHandler = undefined;
  slots.openTagStartHandler = undefined;
  slots.attributeHandler = undefined;
  slots.openTagHandler = undefined;
  slots.closeTagHandler = undefined;
  slots.cdataHandler = undefined;
  slots.errorHandler = undefined;
  slots.endHandler = undefined;
  slots.readyHandler = undefined;
  return parser;
}

/**
 * Whether plain self-closing elements are read without saxes (xml-plain-tags.ts), and how many were
 * since the process started: switched off and counted by the test that both ways read the same.
 */
export const PLAIN_TAGS = { on: true, read: 0 };

/** The events of saxes, for the test that every handler keeps the parser fast. */
export const SAXES_EVENTS = ['xmldecl', 'text', 'processinginstruction', 'doctype', 'comment', 'opentagstart', 'attribute', 'opentag', 'closetag', 'cdata', 'error', 'end', 'ready'] as const;

export async function* readXml(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const { mapping, issues } = ctx;
  const framing = mapping.framing as XmlFraming;
  {
    const fh = await open(path, 'r');
    const sample = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
    await fh.close();
    const wrong = wrongEncoding(sample.subarray(0, bytesRead), mapping);
    if (wrong) {
      issues.add('fatal', 'legacy-encoding', wrong.en, wrong.zh, wrong.byteOffset !== undefined ? { byteOffset: wrong.byteOffset } : undefined);
      return;
    }
  }
  const { xmlDepth, xmlAttributes, fieldLength, recordLength } = ctx.limits;
  const levels: XmlLevel[] = [framing.root, framing.person, framing.scheme];
  const leaves = new Map<string, { level: XmlLevel; role: LegacyRow['role'] }>([[framing.row.element, { level: framing.row, role: 'row' }]]);
  if (framing.account) leaves.set(framing.account.element, { level: framing.account, role: 'account' });
  const leafList = [...leaves.values()];
  const leafNames = [...leaves.keys()];
  /** The leaf an element of this name is (its index in leafList), or -1: compared by name, at most two. */
  const leafIndexOf = (local: string): number => {
    for (let i = 0; i < leafNames.length; i++) if (leafNames[i] === local) return i;
    return -1;
  };
  /**
   * The one stack entry of the open leaf (a leaf is only ever at depth 3, so one at a time), refilled for
   * each. A leaf holds nothing, but an element inside one is reported at its path: its counts are this
   * read's and start again with every leaf.
   */
  const leafEntry: Open = { local: '', path: '', counts: new Map(), leafCounts: NO_LEAVES };

  const namespace = framing.namespace;
  const parser = fastParser();
  const stack: Open[] = [];
  let ignoreBelow = -1; // depth from which elements are skipped (after an unexpected or unreadable element)
  let rootValues: RowValues | undefined;
  let personVals: RowValues | undefined;
  let schemeVals: RowValues | undefined;
  /** The root's, person's and scheme's values every row of the current scheme inherits (a row's own value wins). */
  let inheritedKeys: string[] = [];
  let inheritedValues: RowValues[keyof RowValues][] = [];
  /**
   * Per leaf level, the row step for the current inherited keys (see rowBuilder; undefined where none applies): given to
   * decodeFields, it makes the row's object with what it inherits from the decoded values, in one literal.
   */
  const rowSteps = new Map<XmlLevel, RowStep>();
  /** Whether the last leaf's values came from its row step (they then hold the inherited values already). */
  let built = false;
  const rowStep = (builder: RowBuilder | undefined) =>
    builder &&
    ((decoded: readonly RowValues[string][]): RowValues | undefined => {
      const v = builder(decoded, inheritedValues);
      built = v !== undefined;
      return v;
    });
  const inherit = (): void => {
    const all: RowValues = { ...rootValues, ...personVals, ...schemeVals };
    inheritedKeys = Object.keys(all);
    inheritedValues = inheritedKeys.map((k) => all[k]);
    for (const { level } of leaves.values()) rowSteps.set(level, rowStep(rowBuilders.get(level.fields, inheritedKeys)));
  };
  /** A leaf's values with the inherited ones it lacks: already there when its row step built them, else added key by key (the same keys in the same order). */
  const withInherited = (v: RowValues): RowValues => {
    if (built) return v;
    for (let i = 0; i < inheritedKeys.length; i++) if (!(inheritedKeys[i] in v)) v[inheritedKeys[i]] = inheritedValues[i];
    return v;
  };
  const rowBuilders = new RowBuilders();
  /**
   * True while no text fed to saxes can have put U+FFFD into a value: none in the text read so far, and no
   * character reference (`&#…;` can write one; the only other references, the five XML entities, cannot). While
   * true, decodeFields need not search each value for U+FFFD (seven searches a row); once false, it searches all.
   */
  let noReplacement = true;
  /** A `&` that ended the text decoded so far, held back and fed with the next text: a character reference cut between two chunks is then found whole (reported, and noReplacement cleared). */
  let heldAmpersand = '';
  let sawAccount = false;
  let batch: LegacyRow[] = [];
  const pos = (): Position => ({ line: parser.line, column: parser.column });

  /** Per level: which attribute names it reads, the field index of each name (its first field of that name), and one reused slot per field for an element's values. */
  interface LevelAttributes { known: Set<string>; names: string[]; indexOf: Map<string, number>; first: number[]; slots: (string | undefined)[] }
  const levelAttributes = new Map<XmlLevel, LevelAttributes>();
  for (const level of [...levels, ...[...leaves.values()].map((l) => l.level)]) {
    const names = level.fields.map((f) => f.name);
    const indexOf = new Map<string, number>();
    names.forEach((name, i) => indexOf.has(name) || indexOf.set(name, i));
    levelAttributes.set(level, { known: new Set(names), names, indexOf, first: names.map((name) => indexOf.get(name)!), slots: names.map(() => undefined) });
  }
  const plain = collectPlainAttributes(parser);
  const tooManyAttributes = (tag: SaxesTagNS, count: number, at: Position): undefined => {
    issues.error('legacy-xml-attributes', `${tag.local} has ${count} attributes; at most ${xmlAttributes} are accepted (${LIMIT_OPTIONS.xmlAttributes.option})`, `${tag.local} 有 ${count} 个属性，最多接受 ${xmlAttributes} 个（${LIMIT_OPTIONS.xmlAttributes.option}）`, at, { value: count });
    return undefined;
  };
  const tooLong = (name: string, value: string, at: Position): undefined => {
    issues.error('legacy-field-too-large', `attribute ${name} is ${value.length} characters long`, `属性 ${name} 长达 ${value.length} 个字符`, { ...at, field: name });
    return undefined;
  };
  const unknown = (name: string, at: Position): void => {
    issues.warning('legacy-field-unknown', `attribute ${name} is not part of ${mapping.name}; ignored`, `属性 ${name} 不属于 ${mapping.name}，已忽略`, { ...at, field: name });
  };
  /** The attributes being decoded (read by `rawOf` / `rawOfSlot`, one function each for every element rather than a closure each). */
  let current: SaxesTagNS['attributes'] = {};
  const rawOf = (f: { name: string }): string | undefined => (current[f.name] as { value: string } | undefined)?.value;
  let currentLevel: LevelAttributes | undefined;
  const rawOfSlot = (_f: unknown, i: number): string | undefined => currentLevel!.slots[currentLevel!.first[i]];
  /** An element saxes processed for namespaces (a declaration or a prefix on it): its attribute objects. */
  const namespacedAttrsOf = (tag: SaxesTagNS, level: XmlLevel, at: Position, row: RowStep): RowValues | undefined => {
    const { known } = levelAttributes.get(level)!;
    // one pass for the usual element: its attributes counted, and whether any needs a word (namespaced, unknown, too long)
    let count = 0;
    let remarkable = false;
    for (const k in tag.attributes) {
      count++;
      const a = tag.attributes[k];
      if (a.uri !== '' || a.value.length > fieldLength || !known.has(a.local)) remarkable = true;
    }
    if (count > xmlAttributes) return tooManyAttributes(tag, count, at);
    if (remarkable) {
      for (const k in tag.attributes) {
        const a = tag.attributes[k];
        if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
        if (a.value.length > fieldLength) return tooLong(a.name, a.value, at);
        if (!known.has(a.local) || a.uri !== '') unknown(a.name, at);
      }
    }
    current = tag.attributes;
    return decodeFields(level.fields, rawOf, at, ctx, noReplacement, row);
  };
  /** Any other element (no prefix, no declaration: every attribute in no namespace): its names and values as collected, each value put in its field's slot. */
  const attrsOf = (tag: SaxesTagNS, level: XmlLevel, at: Position, row?: RowStep): RowValues | undefined => {
    if (plain.namespaced) return namespacedAttrsOf(tag, level, at, row);
    const { count, names, values } = plain;
    if (count > xmlAttributes) return tooManyAttributes(tag, count, at);
    const la = levelAttributes.get(level)!;
    const { slots, first, indexOf } = la;
    const fieldNames = la.names;
    for (let i = 0; i < slots.length; i++) slots[i] = undefined;
    let remarkable = false;
    // attributes are usually written in the fields' order: try the next field's name before the lookup
    for (let j = 0, k = 0; j < count; j++) {
      const name = names[j];
      const value = values[j];
      if (value.length > fieldLength) remarkable = true;
      const i = k < fieldNames.length && fieldNames[k] === name ? k : indexOf.get(name);
      if (i === undefined) remarkable = true;
      else {
        slots[first[i]] = value;
        k = i + 1;
      }
    }
    if (remarkable) {
      for (let j = 0; j < count; j++) {
        if (values[j].length > fieldLength) return tooLong(names[j], values[j], at);
        if (!indexOf.has(names[j])) unknown(names[j], at);
      }
    }
    currentLevel = la;
    return decodeFields(level.fields, rawOfSlot, at, ctx, noReplacement, row);
  };

  parser.on('doctype', () => {
    issues.add('fatal', 'legacy-xml-dtd', 'the file has a DOCTYPE: DTDs and entity declarations are refused', '文件含有 DOCTYPE：不接受 DTD 和实体声明', pos());
  });
  parser.on('error', (err) => {
    if (issues.fatal) return;
    const entity = /entity/i.test(err.message);
    issues.add('fatal', entity ? 'legacy-xml-dtd' : 'legacy-xml-syntax', entity ? `entity reference refused: ${err.message}` : `not well-formed XML: ${err.message}`, entity ? `拒绝实体引用：${err.message}` : `XML 格式错误：${err.message}`, pos());
  });
  for (const event of ['comment', 'cdata', 'processinginstruction'] as const) {
    parser.on(event, () => {
      if (issues.fatal || ignoreBelow >= 0) return;
      const what = { comment: 'a comment', cdata: 'a CDATA section', processinginstruction: 'a processing instruction' }[event];
      const whatZh = { comment: '注释', cdata: 'CDATA 段', processinginstruction: '处理指令' }[event];
      issues.error('legacy-xml-unexpected', `${what}: ${mapping.name} has none`, `出现${whatZh}：${mapping.name} 不含此类内容`, { ...pos(), ...(stack.length ? { path: stack[stack.length - 1].path } : {}) });
    });
  }
  parser.on('text', (text) => {
    if (stack.length && text.trim() !== '' && ignoreBelow < 0) {
      issues.error('legacy-xml-unexpected', `text "${text.trim().slice(0, 40)}" inside ${stack[stack.length - 1].local}: values are attributes`, `${stack[stack.length - 1].local} 中出现文本“${text.trim().slice(0, 40)}”：值应为属性`, { ...pos(), path: stack[stack.length - 1].path });
    }
  });
  let sinceTag = 0;
  const onOpen = (tag: SaxesTagNS): void => {
    sinceTag = 0;
    const t = tag as SaxesTagNS;
    if (issues.fatal) return;
    const depth = stack.length;
    if (depth >= xmlDepth) {
      issues.add('fatal', 'legacy-xml-too-deep', `elements nested deeper than ${xmlDepth} (${LIMIT_OPTIONS.xmlDepth.option})`, `元素嵌套超过 ${xmlDepth} 层（${LIMIT_OPTIONS.xmlDepth.option}）`, { ...pos(), path: `${stack[depth - 1].path}/${t.local}` });
      return;
    }
    if (ignoreBelow >= 0 && depth >= ignoreBelow) {
      stack.push(IGNORED); // skipped: no path built (time stays linear in the depth)
      return;
    }
    const parent = stack[depth - 1];
    const leafIndex = depth === 3 ? leafIndexOf(t.local) : -1;
    let n: number;
    if (leafIndex >= 0) n = ++parent.leafCounts[leafIndex];
    else {
      n = parent ? (parent.counts.get(t.local) ?? 0) + 1 : 1;
      parent?.counts.set(t.local, n);
    }
    const path = parent ? `${parent.path}/${t.local}[${n}]` : `/${t.local}`;
    const leaf = leafIndex >= 0 ? leafList[leafIndex] : undefined;
    if (leaf) {
      leafEntry.local = t.local;
      leafEntry.path = path;
      if (leafEntry.counts.size) leafEntry.counts.clear();
      stack.push(leafEntry);
    } else stack.push({ local: t.local, path, counts: new Map(), leafCounts: leafList.map(() => 0) });
    const at: Position = { line: parser.line, column: parser.column, path };
    if (t.uri !== namespace) {
      issues.add(depth === 0 ? 'fatal' : 'error', 'legacy-xml-namespace', `element ${t.name} is in namespace "${t.uri}", not ${framing.namespace}`, `元素 ${t.name} 的命名空间为“${t.uri}”，应为 ${framing.namespace}`, at);
      ignoreBelow = depth;
      return;
    }
    const expected = depth < 3 ? levels[depth] : undefined;
    if (!leaf && (!expected || expected.element !== t.local)) {
      issues.add(depth === 0 ? 'fatal' : 'error', 'legacy-xml-unexpected', `unexpected element ${t.local} here (its content is not read)`, `此处不应出现元素 ${t.local}（其内容未读取）`, at);
      ignoreBelow = depth;
      return;
    }
    if (leaf) {
      if (leaf.role === 'row' && sawAccount) {
        issues.error('legacy-xml-unexpected', `${t.local} after an ${framing.account!.element}: a scheme's ${framing.account!.element}s come after its ${t.local}s (its content is not read)`, `${t.local} 出现在 ${framing.account!.element} 之后：险种的 ${framing.account!.element} 应在其 ${t.local} 之后（其内容未读取）`, at);
        ignoreBelow = depth + 1;
        return;
      }
      if (leaf.role === 'account') sawAccount = true;
      built = false;
      // the row step only where the row is kept (it reads the scheme's inherited values)
      const v = attrsOf(t, leaf.level, at, personVals && schemeVals ? rowSteps.get(leaf.level) : undefined);
      if (v && personVals && schemeVals) batch.push({ role: leaf.role, values: withInherited(v), at });
      // a leaf holds nothing: whatever it does hold (text, a comment, an element) is reported by the handlers as anywhere else, not skipped
      return;
    }
    const v = attrsOf(t, expected!, at);
    if (depth === 0) {
      rootValues = v ?? {};
      if (v?.region !== undefined) ctx.header.region = v.region as string;
      if (v?.exportedAt !== undefined) ctx.header.exportedAt = v.exportedAt as string;
    } else if (depth === 1) {
      personVals = v;
      if (!v) ignoreBelow = depth + 1;
    } else {
      schemeVals = v;
      sawAccount = false;
      if (!v) ignoreBelow = depth + 1;
      else inherit();
    }
  };
  const onClose = (): void => {
    sinceTag = 0;
    const depth = stack.length - 1;
    stack.pop();
    if (ignoreBelow >= 0 && depth <= ignoreBelow) ignoreBelow = -1;
    if (depth === 1) personVals = undefined;
    if (depth === 2) schemeVals = undefined;
  };
  parser.on('opentag', onOpen);
  parser.on('closetag', onClose);
  const plainTags = plainTagWriter(parser, plain, onOpen, onClose);

  /**
   * Feeds text to saxes in slices, stopping at a refusal; a character reference is reported where it is (parsed up to it first, for the position).
   * Rows are passed on every few slices rather than once per decoded chunk: a chunk's rows all kept until its end outlived V8's young generation (copied, then promoted and collected again).
   */
  const slice = Math.max(256, Math.min(SLICE, recordLength >> 1)); // a tag inside a slice resets the count: at most one slice is over-counted
  function* feed(text: string): Generator<LegacyRow[]> {
    let ref = -1; // the next character reference at or after i (searched again only once passed)
    for (let i = 0; i < text.length && !issues.fatal; ) {
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
      const end = Math.min(text.length, i + slice);
      if (ref < i) ref = text.indexOf('&#', i);
      if (ref < 0) ref = text.length;
      if (ref >= 0 && ref < end) {
        parser.write(text.slice(i, ref));
        if (!issues.fatal && ignoreBelow < 0) {
          issues.error('legacy-xml-unexpected', `a character reference (${text.slice(ref, text.indexOf(';', ref) + 1 || ref + 8)}): ${mapping.name} writes characters as they are`, `出现字符引用（${text.slice(ref, text.indexOf(';', ref) + 1 || ref + 8)}）：${mapping.name} 直接书写字符`, { line: parser.line, column: parser.column + 1 });
        }
        parser.write('&#');
        i = ref + 2;
        continue;
      }
      if (PLAIN_TAGS.on) plainTags.write(text, i, end);
      else parser.write(text.slice(i, end));
      sinceTag += end - i;
      if (sinceTag > recordLength) {
        issues.add('fatal', 'legacy-record-too-large', `more than ${recordLength} characters without a tag (a huge attribute or text; ${LIMIT_OPTIONS.recordLength.option})`, `超过 ${recordLength} 个字符没有标签（属性或文本过大；${LIMIT_OPTIONS.recordLength.option}）`, { line: parser.line, column: parser.column });
      }
      i = end;
    }
  }
  for await (const decoded of decodedText(path, ctx)) {
    if (issues.fatal) break;
    let text = heldAmpersand + decoded;
    heldAmpersand = text.endsWith('&') ? '&' : '';
    if (heldAmpersand) text = text.slice(0, -1);
    if (noReplacement && (text.includes('\uFFFD') || text.includes('&#'))) noReplacement = false;
    for (const rows of feed(text)) if (!issues.fatal) yield rows;
    if (batch.length && !issues.fatal) {
      yield batch;
      batch = [];
    }
  }
  if (heldAmpersand && !issues.fatal) for (const rows of feed(heldAmpersand)) if (!issues.fatal) yield rows;
  PLAIN_TAGS.read += plainTags.read;
  if (!issues.fatal) parser.close();
  if (batch.length && !issues.fatal) yield batch;
}

/** Characters XML 1.0 cannot hold, not even as references. */
const NOT_XML = /[\u0000-\u001F\uFFFE\uFFFF]/; // tab and line ends too: the reader refuses character references

const escapeAttr = (s: string): string =>
  s.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);

export async function writeXml(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void> {
  const { mapping } = ctx;
  const framing = mapping.framing as XmlFraming;
  const sink = new Sink(out);
  const element = (level: XmlLevel, values: RowValues, where: RecordLabel, close: boolean): string | undefined => {
    const raws = encodeFields(level.fields, values, where, ctx);
    if (!raws) return undefined;
    const bad = raws.findIndex((r) => typeof r === 'string' && NOT_XML.test(r));
    if (bad >= 0) {
      ctx.issues.error('legacy-field-invalid', `${where.en}: ${level.fields[bad].name} holds a character XML 1.0 cannot carry`, `${where.zh}：${level.fields[bad].name} 含有 XML 1.0 无法表示的字符`, { field: level.fields[bad].name });
      return undefined;
    }
    const attrs = level.fields.map((f, i) => (raws[i] === undefined || raws[i] === null ? '' : ` ${f.name}="${escapeAttr(String(raws[i]))}"`)).join('');
    return `<${level.element}${attrs}${close ? '/>' : '>'}`;
  };
  const rootOpen = element(framing.root, { region: ctx.region, exportedAt: ctx.exportedAt }, LINE_LABELS.root, false)!;
  await sink.write(`<?xml version="1.0" encoding="UTF-8"?>\n${rootOpen.replace(`<${framing.root.element}`, `<${framing.root.element} xmlns="${escapeAttr(framing.namespace)}"`)}\n`);
  let currentPerson: string | undefined;
  let n = 0;
  for await (const r of records) {
    n++;
    const where = recordLabel(n, r);
    if (r.person.id !== currentPerson) {
      if (currentPerson !== undefined) await sink.write(`  </${framing.person.element}>\n`);
      currentPerson = r.person.id;
      const p = element(framing.person, personValues(r, n, ctx), where, false);
      await sink.write(`  ${p ?? `<${framing.person.element}>`}\n`);
    }
    await sink.write(`    ${element(framing.scheme, { scheme: r.scheme }, where, false) ?? `<${framing.scheme.element}>`}\n`);
    for (const row of contributionRows(r, {}, mapping)) {
      const e = element(framing.row, row, where, true);
      if (e) await sink.write(`      ${e}\n`);
    }
    if (r.account?.length) {
      if (!framing.account) {
        ctx.issues.add('information', 'legacy-account-not-written', `${where.en}: ${mapping.name} does not carry the individual account`, `${where.zh}：${mapping.name} 不含个人账户`, { record: n });
      } else {
        for (const a of accountRows(r)) {
          const e = element(framing.account, a, where, true);
          if (e) await sink.write(`      ${e}\n`);
        }
      }
    }
    await sink.write(`    </${framing.scheme.element}>\n`);
  }
  if (currentPerson !== undefined) await sink.write(`  </${framing.person.element}>\n`);
  await sink.write(`</${framing.root.element}>\n`);
  await sink.flush();
}
