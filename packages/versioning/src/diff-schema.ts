/**
 * Compares two JSON Schemas (2020-12) keyword by keyword, following `$ref`
 * into the loaded files, and classifies every difference by its effect on the
 * set of valid documents (see compat.ts). Each keyword's rule is in one small
 * function below; docs/versioning.md lists them in prose.
 */
import { STORABLE_TEXT_PATTERN } from '@jiexu/standard';
import { classOf, flip, type Bilingual, type Change, type ChangeClass } from './compat.ts';
import { canonical, deepEqual, show } from './json.ts';
import { escapePointer, isObject, resolveRef, versionFreeKey, type Json, type JsonObject, type LoadedVersion, type SchemaFile } from './load.ts';

/** A position in one version's schema: the node there (undefined when the keyword is absent). */
export interface Side {
  version: LoadedVersion;
  file: SchemaFile;
  pointer: string;
  base: string;
  node: Json | undefined;
}

/** How a difference at this depth affects the whole document: same direction, reversed (under `not`), or unknown. */
interface Ctx {
  polarity: 'same' | 'reversed' | 'unknown';
  why?: Bilingual;
}

/** Keywords that never affect validation. */
const ANNOTATIONS = new Set([
  'title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly',
  'contentMediaType', 'contentEncoding', 'contentSchema', '$schema', '$anchor', '$dynamicAnchor', '$vocabulary',
]);

/** Which instance type a keyword constrains (keywords on other types have no effect there). */
const APPLIES_TO: Record<string, 'string' | 'number' | 'array' | 'object'> = {
  minLength: 'string', maxLength: 'string', pattern: 'string', format: 'string',
  minimum: 'number', maximum: 'number', exclusiveMinimum: 'number', exclusiveMaximum: 'number', multipleOf: 'number',
  items: 'array', prefixItems: 'array', contains: 'array', minItems: 'array', maxItems: 'array', uniqueItems: 'array',
  minContains: 'array', maxContains: 'array', unevaluatedItems: 'array',
  properties: 'object', required: 'object', additionalProperties: 'object', patternProperties: 'object',
  propertyNames: 'object', minProperties: 'object', maxProperties: 'object', dependentRequired: 'object',
  dependentSchemas: 'object', unevaluatedProperties: 'object',
};

const LENGTHS: Array<[string, 'min' | 'max', Bilingual]> = [
  ['minLength', 'min', { zh: '字符', en: 'characters' }], ['maxLength', 'max', { zh: '字符', en: 'characters' }],
  ['minItems', 'min', { zh: '项', en: 'items' }], ['maxItems', 'max', { zh: '项', en: 'items' }],
  ['minProperties', 'min', { zh: '属性', en: 'properties' }], ['maxProperties', 'max', { zh: '属性', en: 'properties' }],
  ['minContains', 'min', { zh: '匹配项', en: 'matching items' }], ['maxContains', 'max', { zh: '匹配项', en: 'matching items' }],
];

/** Keywords handled together by a rule (so each is compared once). */
const HANDLED = new Set([
  '$ref', '$id', '$defs', 'definitions', 'type', 'enum', 'const', 'format', 'pattern',
  'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'multipleOf', 'uniqueItems', 'required',
  'properties', 'additionalProperties', 'unevaluatedProperties', 'patternProperties', 'propertyNames',
  'dependentRequired', 'dependentSchemas', 'items', 'prefixItems', 'contains', 'unevaluatedItems',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
  ...LENGTHS.map(([k]) => k),
]);

export interface Labels {
  old: string;
  new: string;
  /** The same names for the Chinese texts ("1.0", or 旧模式 / 新模式); the English ones when absent. */
  zh?: { old: string; new: string };
}

/** A text pair: `t(zh, en)`. */
const t = (zh: string, en: string): Bilingual => ({ zh, en });

/**
 * The storable-text rule (docs/standard/conformance.md): every version of the standard refuses a
 * string with NUL or a lone surrogate, by a rule across the document where its schemas do not
 * say it. A schema that states it (1.2 on) or stops stating it accepts the same documents.
 */
const STORABLE_REASON = t(
  '每个版本都拒绝含 NUL 或孤立代理项的字符串（conformance.md 的可存储文本规则，模式未写明时由校验器施行）：写入或去掉这条模式，合格的文档不变',
  'every version refuses strings with NUL or a lone surrogate (the storable-text rule of conformance.md, applied by the validator where a schema does not state it): stating it or not accepts the same documents',
);

/** `allOf: [{ "pattern": STORABLE_TEXT_PATTERN }]`: only the storable-text rule. */
function isStorableBranches(v: Json | undefined): boolean {
  return Array.isArray(v) && v.length > 0 && v.every((b) => isObject(b) && Object.keys(b).length === 1 && b.pattern === STORABLE_TEXT_PATTERN);
}

/** A keyword, pointer token or value as code in Chinese text. */
const code = (s: string): string => `\`${s}\``;

export class SchemaDiffer {
  readonly changes: Change[] = [];
  private readonly seen = new Set<string>();
  private readonly emitted = new Set<string>();

  constructor(private readonly labels: Labels) {}

  // ---- reporting -------------------------------------------------------

  /** Records a change found at `where` (+ keyword) with the raw direction, adjusted for the context. */
  private emit(where: Side, keyword: string | undefined, change: Bilingual, cls: ChangeClass, reason: Bilingual, ctx: Ctx): void {
    let c = cls;
    let r = reason;
    if (c !== 'none' && ctx.polarity === 'reversed') {
      c = flip(c);
      if (c !== cls) r = t(`${reason.zh}（位于 \`not\` 之下，对文档的影响方向相反）`, `${reason.en} (under \`not\`, so the effect on the document is reversed)`);
    }
    if (c !== 'none' && ctx.polarity === 'unknown') {
      c = 'unclassified';
      const why = ctx.why ?? t('此处无法确定影响的方向', 'the direction of the effect cannot be determined here');
      r = t(`${reason.zh}；但${why.zh}`, `${reason.en}; but ${why.en}`);
    }
    const pointer = keyword === undefined ? where.pointer : `${where.pointer}/${escapePointer(keyword)}`;
    const item: Change = { schema: where.file.path, pointer, change: change.en, class: c, reason: r.en, zh: { change: change.zh, reason: r.zh } };
    const key = `${item.schema}#${item.pointer}|${item.change}|${item.class}`;
    if (this.emitted.has(key)) return;
    this.emitted.add(key);
    this.changes.push(item);
  }

  /** Emits with the class computed from (old data stays valid, new data was valid). */
  private emitDir(where: Side, keyword: string | undefined, change: Bilingual, oldStaysValid: boolean, newWasValid: boolean, reason: Bilingual, ctx: Ctx): void {
    this.emit(where, keyword, change, classOf(oldStaysValid, newWasValid), reason, ctx);
  }

  private get L(): Labels {
    return this.labels;
  }

  /** The version names for Chinese texts. */
  private get Z(): { old: string; new: string } {
    return this.labels.zh ?? this.labels;
  }

  // ---- navigation ------------------------------------------------------

  private child(side: Side, ...tokens: string[]): Side {
    let node: Json | undefined = side.node;
    let base = side.base;
    let pointer = side.pointer;
    for (const t of tokens) {
      if (Array.isArray(node)) node = node[Number(t)];
      else if (isObject(node)) node = node[t];
      else node = undefined;
      pointer += `/${escapePointer(t)}`;
      if (isObject(node) && typeof node.$id === 'string') base = new URL(node.$id, base).href;
    }
    return { ...side, node, pointer, base };
  }

  private resolve(side: Side, ref: string): Side | undefined {
    const r = resolveRef(side.version, side.base, ref);
    if (!r) return undefined;
    const base = isObject(r.node) && typeof r.node.$id === 'string' ? new URL(r.node.$id, r.file.id).href : baseOfTarget(r.file, r.pointer);
    return { version: side.version, file: r.file, pointer: r.pointer, base, node: r.node };
  }

  /** Follows a node that is only a `$ref` (plus annotations) to its target. */
  private deref(side: Side, depth = 0): Side {
    const n = side.node;
    if (depth < 20 && isObject(n) && typeof n.$ref === 'string' && Object.keys(n).every((k) => k === '$ref' || ANNOTATIONS.has(k))) {
      const t = this.resolve(side, n.$ref);
      if (t) return this.deref(t, depth + 1);
    }
    return side;
  }

  // ---- entry -----------------------------------------------------------

  /** Compares the schema at `o` (old) with the one at `n` (new). */
  compare(o: Side, n: Side, ctx: Ctx = { polarity: 'same' }): void {
    const key = `${o.file.path}#${o.pointer}|${n.file.path}#${n.pointer}|${ctx.polarity}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);

    const on = o.node === undefined ? true : o.node;
    const nn = n.node === undefined ? true : n.node;
    if (!hasRef(on) && !hasRef(nn) && deepEqualModuloIds(on, nn)) return;

    if (typeof on === 'boolean' || typeof nn === 'boolean' || !isObject(on) || !isObject(nn)) {
      this.compareWhole(o, n, ctx);
      return;
    }
    if (this.compareRefs(o, n, ctx)) return;
    this.compareKeywords(o, n, ctx);
  }

  /** At least one side is a boolean schema (or absent, i.e. true). */
  private compareWhole(o: Side, n: Side, ctx: Ctx): void {
    const oNode = o.node === undefined ? true : o.node;
    const nNode = n.node === undefined ? true : n.node;
    const oTrivial = isTrivial(oNode);
    const nTrivial = isTrivial(nNode);
    const what = lastToken(n.pointer || o.pointer);
    const name = what === '' ? t('模式', 'the schema') : t(code(what), `\`${what}\``);
    const whole = t(`${name.zh}：${describe(o.node).zh} → ${describe(n.node).zh}`, `${name.en}: ${describe(o.node).en} → ${describe(n.node).en}`);
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    if (oTrivial && nTrivial) {
      this.emit(n.node === undefined ? o : n, undefined, whole, 'none', t('两者都接受任何值', 'both accept anything'), ctx);
      return;
    }
    if (oNode === false || nNode === false) {
      if (oNode === false && nNode === false) return;
      const loosen = oNode === false;
      this.emitDir(loosen ? n : o, undefined, whole, loosen, !loosen,
        loosen
          ? t(`${ZO} 在此处不接受任何值；${ZN} 的数据可能用到它，而 ${ZO} 的读取方会拒绝`, `${O} accepted nothing here; ${N} data may use it and readers of ${O} reject that`)
          : t(`按 ${ZO} 合格的数据可能用到它；${ZN} 在此处不接受任何值`, `data valid under ${O} may use it; ${N} accepts nothing here`),
        ctx);
      return;
    }
    // one side accepts anything, the other constrains
    const tighten = oTrivial;
    this.emitDir(tighten ? n : o, undefined, whole, !tighten, tighten,
      tighten
        ? t(`${ZO} 在此处接受任何值；${ZN} 加了约束，按 ${ZO} 合格的数据可能被拒绝`, `${O} accepted any value here; ${N} constrains it, so data valid under ${O} may be rejected`)
        : t(`${ZN} 在此处接受任何值；${ZN} 的数据可能含有 ${ZO} 的读取方拒绝的值`, `${N} accepts any value here; ${N} data may hold values readers of ${O} reject`),
      ctx);
  }

  /** `$ref` on either side. Returns true when it fully handled the comparison. */
  private compareRefs(o: Side, n: Side, ctx: Ctx): boolean {
    const on = o.node as JsonObject;
    const nn = n.node as JsonObject;
    const oRef = typeof on.$ref === 'string' ? on.$ref : undefined;
    const nRef = typeof nn.$ref === 'string' ? nn.$ref : undefined;
    if (oRef === undefined && nRef === undefined) return false;
    if (oRef !== undefined && nRef !== undefined) {
      const ot = this.resolve(o, oRef);
      const nt = this.resolve(n, nRef);
      if (!ot || !nt) {
        if (versionFreeRef(oRef, o.base) !== versionFreeRef(nRef, n.base)) {
          this.emit(n, '$ref', same(`$ref ${show(oRef)} → ${show(nRef)}`), 'unclassified', t(`在给定的模式中无法解析 ${code(!nt ? nRef : oRef)}（不会联网获取）`, `cannot resolve ${!nt ? nRef : oRef} among the given schemas (nothing is fetched)`), ctx);
        }
        return false; // same unresolvable reference: compare the siblings only
      }
      if (versionFreeRef(oRef, o.base) !== versionFreeRef(nRef, n.base)) {
        this.emit(n, '$ref', same(`$ref ${show(oRef)} → ${show(nRef)}`), 'none', t('引用目标在下文比较，其差异在各自位置报告', 'the targets are compared below; their differences are reported where they are'), ctx);
      }
      this.compare(ot, nt, ctx);
      return false; // and the siblings of $ref
    }
    // $ref on one side only: an inlined or extracted definition
    const refSide = oRef !== undefined ? o : n;
    const ref = (oRef ?? nRef) as string;
    const siblings = Object.keys(refSide.node as JsonObject).filter((k) => k !== '$ref' && !ANNOTATIONS.has(k));
    const target = this.resolve(refSide, ref);
    if (!target) {
      this.emit(refSide, '$ref', t(`$ref ${show(ref)} ${oRef !== undefined ? '被删除' : '新增'}`, `$ref ${show(ref)} ${oRef !== undefined ? 'removed' : 'added'}`), 'unclassified', t(`在给定的模式中无法解析 ${code(ref)}（不会联网获取）`, `cannot resolve ${ref} among the given schemas (nothing is fetched)`), ctx);
      return true;
    }
    if (siblings.length > 0) {
      this.emit(refSide, '$ref', t(`与其他关键字并列的 $ref ${show(ref)} ${oRef !== undefined ? '被删除' : '新增'}`, `$ref ${show(ref)} ${oRef !== undefined ? 'removed' : 'added'} beside other keywords`), 'unclassified', t('带并列约束的 $ref 被内联或提取；请人工比较', 'a $ref with sibling constraints was inlined or extracted; compare by hand'), ctx);
      return true;
    }
    if (oRef !== undefined) this.compare(target, n, ctx);
    else this.compare(o, target, ctx);
    return true;
  }

  private compareKeywords(o: Side, n: Side, ctx: Ctx): void {
    const on = o.node as JsonObject;
    const nn = n.node as JsonObject;
    const keys = new Set([...Object.keys(on), ...Object.keys(nn)]);
    const oTypes = typeSet(on);
    const nTypes = typeSet(nn);

    for (const k of keys) {
      if (HANDLED.has(k)) continue;
      if (deepEqual(on[k], nn[k])) continue;
      const where = k in nn ? n : o;
      const what = keywordChange(k, on, nn);
      if (ANNOTATIONS.has(k)) this.emit(where, k, what, 'none', t('注解：不影响哪些数据合格', 'an annotation: no effect on which data is valid'), ctx);
      else if (k.startsWith('x-')) this.emit(where, k, what, 'none', t('扩展注解：不影响校验', 'an extension annotation: no effect on validation'), ctx);
      else this.emit(where, k, what, 'unclassified', t(`检查器不理解关键字 ${code(k)}`, `the checker does not understand the keyword \`${k}\``), ctx);
    }
    if (typeof on.$id === 'string' && typeof nn.$id === 'string' && versionFreeKey(on.$id) !== versionFreeKey(nn.$id)) {
      this.emit(n, '$id', same(`$id ${show(on.$id)} → ${show(nn.$id)}`), 'none', t('名称变了；文档不受影响（引用旧名称的地方不再能解析）', 'the name changed; documents are unaffected (references to the old name no longer resolve)'), ctx);
    }

    // keywords constraining one instance type have no effect when neither version accepts that type
    const inert = (k: string): boolean => {
      const t = APPLIES_TO[k];
      return t !== undefined && oTypes !== undefined && nTypes !== undefined && !acceptsKind(oTypes, t) && !acceptsKind(nTypes, t);
    };
    const inertEmit = (k: string): boolean => {
      if (!inert(k) || deepEqual(on[k], nn[k])) return false;
      const types = [...(nTypes ?? [])];
      this.emit(k in nn ? n : o, k, keywordChange(k, on, nn), 'none', t(`没有影响：该模式只接受 ${types.map(code).join('、')}`, `no effect: the schema only accepts ${types.join(', ')}`), ctx);
      return true;
    };

    this.diffType(o, n, ctx);
    this.diffValues(o, n, ctx);
    if (!inertEmit('format')) this.diffFormat(o, n, ctx);
    if (!inertEmit('pattern')) this.diffPattern(o, n, ctx);
    if (!inertEmit('minimum') && !inertEmit('exclusiveMinimum')) this.diffNumberBound(o, n, 'lower', ctx);
    if (!inertEmit('maximum') && !inertEmit('exclusiveMaximum')) this.diffNumberBound(o, n, 'upper', ctx);
    if (!inertEmit('multipleOf')) this.diffMultipleOf(o, n, ctx);
    for (const [k, side, unit] of LENGTHS) if (!inertEmit(k)) this.diffLength(o, n, k, side, unit, ctx);
    if (!inertEmit('uniqueItems')) this.diffUniqueItems(o, n, ctx);
    if (!inertEmit('properties')) this.diffProperties(o, n, ctx);
    if (!inertEmit('required')) this.diffRequired(o, n, ctx);
    for (const k of ['additionalProperties', 'unevaluatedProperties', 'propertyNames', 'items', 'unevaluatedItems']) {
      if (!inertEmit(k)) this.compareSub(o, n, k, ctx);
    }
    if (!inertEmit('patternProperties')) this.diffPatternProperties(o, n, ctx);
    if (!inertEmit('dependentRequired')) this.diffDependentRequired(o, n, ctx);
    if (!inertEmit('dependentSchemas')) this.diffKeyedSchemas(o, n, 'dependentSchemas', ctx);
    if (!inertEmit('prefixItems')) this.diffPrefixItems(o, n, ctx);
    if (!inertEmit('contains')) this.diffOptionalApplicator(o, n, 'contains', ctx);
    this.diffOptionalApplicator(o, n, 'not', { ...ctx, polarity: ctx.polarity === 'same' ? 'reversed' : ctx.polarity === 'reversed' ? 'same' : 'unknown' });
    this.diffConditional(o, n, ctx);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) this.diffBranches(o, n, k, ctx);
  }

  // ---- rules -----------------------------------------------------------

  private diffType(o: Side, n: Side, ctx: Ctx): void {
    const ot = typeSet(o.node as JsonObject);
    const nt = typeSet(n.node as JsonObject);
    if (sameSet(ot, nt)) return;
    const b = nt === undefined || (ot !== undefined && [...ot].every((t) => covers(nt, t)));
    const f = ot === undefined || (nt !== undefined && [...nt].every((t) => covers(ot, t)));
    const types = (s: Set<string> | undefined): Bilingual => (s ? same([...s].join('|')) : t('任意', 'any'));
    const tz = (s: Set<string> | undefined): string => (s ? code([...s].join('|')) : types(s).zh);
    const change = t(`\`type\` ${tz(ot)} → ${tz(nt)}`, `type ${types(ot).en} → ${types(nt).en}`);
    const where = (n.node as JsonObject).type !== undefined ? n : o;
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    const reason = b && f ? t('换一种写法，值相同', 'the same values in other words')
      : b ? t(`按 ${ZO} 合格的每个值类型不变；${ZN} 的数据可能是 ${ZO} 的读取方拒绝的类型`, `every value valid under ${O} keeps its type; ${N} data may have a type readers of ${O} reject`)
      : f ? t(`按 ${ZO} 合格的数据可能是 ${ZN} 拒绝的类型`, `data valid under ${O} may have a type ${N} rejects`)
      : t(`按 ${ZO} 合格的数据可能是 ${ZN} 拒绝的类型，反之亦然`, `data valid under ${O} may have a type ${N} rejects, and the other way round`);
    this.emitDir(where, 'type', change, b, f, reason, ctx);
  }

  /** `enum` and `const` together: the set of allowed values. */
  private diffValues(o: Side, n: Side, ctx: Ctx): void {
    const on = o.node as JsonObject;
    const nn = n.node as JsonObject;
    if (deepEqual(on.enum, nn.enum) && deepEqual(on.const, nn.const)) return;
    const ov = valueSet(on);
    const nv = valueSet(nn);
    const kw = 'enum' in nn ? 'enum' : 'const' in nn ? 'const' : 'enum' in on ? 'enum' : 'const';
    const where = kw in nn ? n : o;
    if (ov !== undefined && nv !== undefined && sameKeys(ov, nv)) {
      this.emit(where, kw, t(`${code(kw)}：同样的值，写法不同`, `${kw}: same values written differently`), 'none', t('允许的值相同', 'the allowed values are the same'), ctx);
      return;
    }
    const added = nv === undefined ? [] : [...nv.keys()].filter((k) => !ov || !ov.has(k)).map((k) => nv.get(k) as Json);
    const removed = ov === undefined ? [] : [...ov.keys()].filter((k) => !nv || !nv.has(k)).map((k) => ov.get(k) as Json);
    const b = nv === undefined || (ov !== undefined && removed.length === 0);
    const f = ov === undefined || (nv !== undefined && added.length === 0);
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    const parts: Bilingual[] = [];
    if (ov === undefined) parts.push(t(`限定为 ${listZh(added)}`, `restricted to ${list(added)}`));
    else if (nv === undefined) parts.push(t('取消了固定值的限定', 'restriction to fixed values removed'));
    else {
      if (added.length) parts.push(t(`新增 ${listZh(added)}`, `${list(added)} added`));
      if (removed.length) parts.push(t(`删除 ${listZh(removed)}`, `${list(removed)} removed`));
    }
    const reasons: Bilingual[] = [];
    if (!b) reasons.push(ov === undefined ? t(`按 ${ZO} 合格的数据可能含有其他值`, `data valid under ${O} may hold other values`) : t(`按 ${ZO} 合格的数据可能含有 ${listZh(removed)}，而 ${ZN} 拒绝这些值`, `data valid under ${O} may hold ${list(removed)}, which ${N} rejects`));
    if (!f) reasons.push(nv === undefined ? t(`${ZN} 的数据可能含有任何值`, `${N} data may hold any value`) : t(`${ZN} 的数据可能含有 ${listZh(added)}，而 ${ZO} 的读取方拒绝这些值`, `${N} data may hold ${list(added)}, which readers of ${O} reject`));
    if (reasons.length === 0) reasons.push(t('值相同', 'the same values'));
    this.emitDir(where, kw, t(`${code(kw)}：${parts.map((p) => p.zh).join('，')}`, `${kw}: ${parts.map((p) => p.en).join(', ')}`), b, f,
      t(reasons.map((x) => x.zh).join('；'), reasons.map((x) => x.en).join('; ')), ctx);
  }

  private diffFormat(o: Side, n: Side, ctx: Ctx): void {
    const of = (o.node as JsonObject).format;
    const nf = (n.node as JsonObject).format;
    if (deepEqual(of, nf)) return;
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    if (of === undefined) {
      this.emitDir(n, 'format', t(`新增 \`format\` ${show(nf)}`, `format ${show(nf)} added`), false, true, t(`接续会校验格式：按 ${ZO} 合格的数据可能不符合 ${show(nf)}`, `formats are asserted in jiexu: data valid under ${O} may not be a ${nf}`), ctx);
    } else if (nf === undefined) {
      this.emitDir(o, 'format', t(`删除 \`format\` ${show(of)}`, `format ${show(of)} removed`), true, false, t(`${ZN} 的数据不必符合 ${show(of)}，而 ${ZO} 的读取方要求符合`, `${N} data need not be a ${of}, which readers of ${O} require`), ctx);
    } else {
      this.emit(n, 'format', t(`\`format\` ${show(of)} → ${show(nf)}`, `format ${show(of)} → ${show(nf)}`), 'unclassified', t('检查器不知道一种格式是否包含另一种', 'whether one format contains the other is not known to the checker'), ctx);
    }
  }

  private diffPattern(o: Side, n: Side, ctx: Ctx): void {
    const op = (o.node as JsonObject).pattern;
    const np = (n.node as JsonObject).pattern;
    if (deepEqual(op, np)) return;
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    if ((op === undefined && np === STORABLE_TEXT_PATTERN) || (np === undefined && op === STORABLE_TEXT_PATTERN)) {
      this.emit(op === undefined ? n : o, 'pattern', t(`${op === undefined ? '新增' : '删除'}可存储文本的 \`pattern\``, `storable-text pattern ${op === undefined ? 'added' : 'removed'}`), 'none', STORABLE_REASON, ctx);
      return;
    }
    if (op === undefined) {
      this.emitDir(n, 'pattern', t(`新增 \`pattern\` ${show(np)}`, `pattern ${show(np)} added`), false, true, t(`按 ${ZO} 合格的数据可能不匹配它`, `data valid under ${O} may not match it`), ctx);
    } else if (np === undefined) {
      this.emitDir(o, 'pattern', t(`删除 \`pattern\` ${show(op)}`, `pattern ${show(op)} removed`), true, false, t(`${ZN} 的数据不必匹配 ${show(op)}，而 ${ZO} 的读取方要求匹配`, `${N} data need not match ${show(op)}, which readers of ${O} require`), ctx);
    } else {
      this.emit(n, 'pattern', t(`\`pattern\` ${show(op)} → ${show(np)}`, `pattern ${show(op)} → ${show(np)}`), 'unclassified', t('检查器不判断一个正则表达式是否匹配另一个所匹配的全部内容；请人工复核', 'whether one regular expression matches everything the other does is not decided by the checker; review by hand'), ctx);
    }
  }

  private diffNumberBound(o: Side, n: Side, which: 'lower' | 'upper', ctx: Ctx): void {
    const [inc, exc] = which === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
    const on = o.node as JsonObject;
    const nn = n.node as JsonObject;
    if (deepEqual(on[inc], nn[inc]) && deepEqual(on[exc], nn[exc])) return;
    const integers = onlyIntegers(on) && onlyIntegers(nn);
    const ob = bound(on, which, integers);
    const nb = bound(nn, which, integers);
    const admitsAll = (a: Bound | undefined, b: Bound | undefined): boolean => // a admits every number b admits
      a === undefined || (b !== undefined && (which === 'lower' ? a.v < b.v || (a.v === b.v && (!a.excl || b.excl)) : a.v > b.v || (a.v === b.v && (!a.excl || b.excl))));
    const b = admitsAll(nb, ob);
    const f = admitsAll(ob, nb);
    const kw = exc in nn ? exc : inc in nn ? inc : exc in on ? exc : inc;
    const where = kw in nn ? n : o;
    const raw = (node: JsonObject): string => [inc, exc].filter((k) => k in node).map((k) => `${k} ${show(node[k])}`).join(' and ') || 'none';
    const rawZh = (node: JsonObject): string => [inc, exc].filter((k) => k in node).map((k) => `\`${k}\` ${show(node[k])}`).join(' 且 ') || '无';
    const change = t(`${which === 'lower' ? '下限' : '上限'}：${rawZh(on)} → ${rawZh(nn)}`, `${which} bound: ${raw(on)} → ${raw(nn)}`);
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    const reason = b && f ? (integers ? t('整数范围相同', 'the same integers') : t('数值范围相同', 'the same numbers'))
      : b ? t(`${ZN} 接受 ${ZO} 接受的每个数；${ZN} 的数据可能含有 ${ZO} 的读取方拒绝的数`, `${N} accepts every number ${O} does; ${N} data may hold numbers readers of ${O} reject`)
      : f ? t(`按 ${ZO} 合格的数据可能含有 ${ZN} 拒绝的数`, `data valid under ${O} may hold numbers ${N} rejects`)
      : t('每个版本都接受另一个版本拒绝的数', 'each version accepts numbers the other rejects');
    this.emitDir(where, kw, change, b, f, reason, ctx);
  }

  private diffMultipleOf(o: Side, n: Side, ctx: Ctx): void {
    const om = (o.node as JsonObject).multipleOf;
    const nm = (n.node as JsonObject).multipleOf;
    if (deepEqual(om, nm)) return;
    const divides = (a: number, b: number): boolean => Number.isInteger(b / a); // every multiple of b is a multiple of a
    const b = typeof nm !== 'number' || (typeof om === 'number' && divides(nm, om));
    const f = typeof om !== 'number' || (typeof nm === 'number' && divides(om, nm));
    const where = nm !== undefined ? n : o;
    this.emitDir(where, 'multipleOf', t(`\`multipleOf\` ${show(om)} → ${show(nm)}`, `multipleOf ${show(om)} → ${show(nm)}`), b, f,
      b && f ? t('数值范围相同', 'the same numbers')
      : b ? t(`${show(om)} 的每个倍数都是 ${show(nm)} 的倍数`, `every multiple of ${show(om)} is a multiple of ${show(nm)}`)
      : f ? t(`按 ${this.Z.old} 合格的数据可能不是 ${show(nm)} 的倍数`, `data valid under ${this.L.old} may not be a multiple of ${show(nm)}`)
      : t('每个版本都接受另一个版本拒绝的数', 'each version accepts numbers the other rejects'), ctx);
  }

  private diffLength(o: Side, n: Side, k: string, side: 'min' | 'max', unit: Bilingual, ctx: Ctx): void {
    const ov = (o.node as JsonObject)[k];
    const nv = (n.node as JsonObject)[k];
    if (deepEqual(ov, nv)) return;
    const dflt = side === 'min' ? 0 : Number.POSITIVE_INFINITY;
    const a = typeof ov === 'number' ? ov : dflt;
    const b2 = typeof nv === 'number' ? nv : dflt;
    const loosen = side === 'min' ? b2 <= a : b2 >= a;
    const tighten = side === 'min' ? b2 >= a : b2 <= a;
    const where = nv !== undefined ? n : o;
    const text = (v: Json | undefined): string => (v === undefined ? 'none' : String(v));
    const textZh = (v: Json | undefined): string => (v === undefined ? '无' : String(v));
    const more = side === 'min' ? t('少', 'fewer') : t('多', 'more');
    const reason = loosen && tighten ? t('限度相同', 'the same limit')
      : loosen ? t(`${this.Z.new} 的数据的${unit.zh}数可能比 ${this.Z.old} 的读取方接受的${more.zh}`, `${this.L.new} data may have ${more.en} ${unit.en} than readers of ${this.L.old} accept`)
      : t(`按 ${this.Z.old} 合格的数据的${unit.zh}数可能比 ${this.Z.new} 接受的${more.zh}`, `data valid under ${this.L.old} may have ${more.en} ${unit.en} than ${this.L.new} accepts`);
    this.emitDir(where, k, t(`${code(k)} ${textZh(ov)} → ${textZh(nv)}`, `${k} ${text(ov)} → ${text(nv)}`), loosen, tighten, reason, ctx);
  }

  private diffUniqueItems(o: Side, n: Side, ctx: Ctx): void {
    const ou = (o.node as JsonObject).uniqueItems === true;
    const nu = (n.node as JsonObject).uniqueItems === true;
    if (ou === nu) return;
    this.emitDir(nu ? n : o, 'uniqueItems', t(`\`uniqueItems\` \`${ou}\` → \`${nu}\``, `uniqueItems ${ou} → ${nu}`), ou, nu,
      nu ? t(`按 ${this.Z.old} 合格的数据可能有重复项`, `data valid under ${this.L.old} may repeat items`) : t(`${this.Z.new} 的数据可能有重复项，而 ${this.Z.old} 的读取方拒绝重复项`, `${this.L.new} data may repeat items, which readers of ${this.L.old} reject`), ctx);
  }

  /** What governs a property name that `properties` does not list. */
  private governing(side: Side, name: string): { kind: 'forbidden' | 'free' | 'schema' | 'pattern'; side?: Side; via: Bilingual } {
    const node = side.node as JsonObject;
    if (isObject(node.patternProperties)) {
      for (const p of Object.keys(node.patternProperties)) {
        const via = t(`\`patternProperties\` ${show(p)}`, `patternProperties ${show(p)}`);
        try {
          if (new RegExp(p, 'u').test(name)) return { kind: 'pattern', via };
        } catch {
          return { kind: 'pattern', via };
        }
      }
    }
    for (const k of ['additionalProperties', 'unevaluatedProperties']) {
      if (k in node) {
        const v = node[k];
        if (v === false) return { kind: 'forbidden', via: t(code(`${k}: false`), `${k}: false`) };
        if (isTrivial(v)) return { kind: 'free', via: t(`${code(k)}：${describe(v).zh}`, `${k}: ${describe(v).en}`) };
        return { kind: 'schema', side: this.child(side, k), via: t(code(k), k) };
      }
    }
    return { kind: 'free', via: t('未设 `additionalProperties`', 'no additionalProperties') };
  }

  /** Whether a version lets an object carry the property at all. */
  private allows(side: Side, name: string): boolean {
    const node = side.node as JsonObject;
    if (isObject(node.properties) && name in node.properties) return node.properties[name] !== false;
    return this.governing(side, name).kind !== 'forbidden';
  }

  private diffProperties(o: Side, n: Side, ctx: Ctx): void {
    const op = isObject((o.node as JsonObject).properties) ? ((o.node as JsonObject).properties as JsonObject) : {};
    const np = isObject((n.node as JsonObject).properties) ? ((n.node as JsonObject).properties as JsonObject) : {};
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    for (const name of new Set([...Object.keys(op), ...Object.keys(np)])) {
      const q = code(name);
      const added = t(`新增属性 ${q}`, `property '${name}' added`);
      const removed = t(`删除属性 ${q}`, `property '${name}' removed`);
      if (name in op && name in np) {
        this.compare(this.child(o, 'properties', name), this.child(n, 'properties', name), ctx);
      } else if (name in np) {
        const at = this.child(n, 'properties', name);
        const gov = this.governing(o, name);
        if (gov.kind === 'forbidden') {
          this.emitDir(at, undefined, added, true, np[name] === false,
            t(`${ZO} 拒绝 ${q}（${gov.via.zh}），所以按 ${ZO} 合格的数据从不含它；${ZN} 的数据可能含有它，而 ${ZO} 的读取方会拒绝`,
              `${O} rejects '${name}' (${gov.via.en}), so data valid under ${O} never has it; ${N} data may carry it and readers of ${O} reject that`), ctx);
        } else if (gov.kind === 'free') {
          if (isTrivial(np[name])) this.emit(at, undefined, added, 'none', t(`${ZO} 已经接受任何 ${q}（${gov.via.zh}）`, `${O} already accepted any '${name}' (${gov.via.en})`), ctx);
          else this.emitDir(at, undefined, added, false, true, t(`${ZO} 接受 ${q} 的任何值（${gov.via.zh}）；${ZN} 对它加了约束`, `${O} accepted any value of '${name}' (${gov.via.en}); ${N} constrains it`), ctx);
        } else if (gov.kind === 'schema' && gov.side) {
          this.compare(gov.side, at, ctx);
        } else {
          this.emit(at, undefined, added, 'unclassified', t(`在 ${ZO} 中 ${q} 受 ${gov.via.zh} 约束；请人工比较`, `'${name}' was governed by ${gov.via.en} in ${O}; compare by hand`), ctx);
        }
      } else {
        const at = this.child(o, 'properties', name);
        const gov = this.governing(n, name);
        if (gov.kind === 'forbidden') {
          this.emitDir(at, undefined, removed, op[name] === false, true,
            t(`按 ${ZO} 合格的数据可能含有 ${q}，而 ${ZN} 拒绝它（${gov.via.zh}）`, `data valid under ${O} may carry '${name}', which ${N} rejects (${gov.via.en})`), ctx);
        } else if (gov.kind === 'free') {
          if (isTrivial(op[name])) this.emit(at, undefined, removed, 'none', t(`${ZN} 仍接受任何 ${q}（${gov.via.zh}）`, `${N} still accepts any '${name}' (${gov.via.en})`), ctx);
          else this.emitDir(at, undefined, removed, true, false, t(`${ZN} 接受 ${q} 的任何值（${gov.via.zh}）；${ZN} 的数据可能含有 ${ZO} 的读取方拒绝的值`, `${N} accepts any value of '${name}' (${gov.via.en}); ${N} data may hold values readers of ${O} reject`), ctx);
        } else if (gov.kind === 'schema' && gov.side) {
          this.compare(at, gov.side, ctx);
        } else {
          this.emit(at, undefined, removed, 'unclassified', t(`在 ${ZN} 中 ${q} 受 ${gov.via.zh} 约束；请人工比较`, `'${name}' is governed by ${gov.via.en} in ${N}; compare by hand`), ctx);
        }
      }
    }
  }

  private diffRequired(o: Side, n: Side, ctx: Ctx): void {
    const or = stringSet((o.node as JsonObject).required);
    const nr = stringSet((n.node as JsonObject).required);
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    for (const name of nr) {
      if (or.has(name)) continue;
      const allowedBefore = this.allows(o, name);
      const q = code(name);
      this.emitDir(n, 'required', t(`属性 ${q} 改为必填属性（加入 \`required\`）`, `property '${name}' added to required`), false, allowedBefore,
        allowedBefore
          ? t(`按 ${ZO} 合格的数据可能缺少它`, `data valid under ${O} may lack it`)
          : t(`按 ${ZO} 合格的数据缺少它，且 ${ZO} 的读取方拒绝 ${q}（${this.governing(o, name).via.zh}）`, `data valid under ${O} lacks it, and readers of ${O} reject '${name}' (${this.governing(o, name).via.en})`),
        ctx);
    }
    for (const name of or) {
      if (nr.has(name)) continue;
      const allowedAfter = this.allows(n, name);
      const q = code(name);
      this.emitDir(o, 'required', t(`属性 ${q} 不再是必填属性`, `property '${name}' no longer required`), allowedAfter, false,
        allowedAfter
          ? t(`${ZN} 的数据可能缺少 ${q}，而 ${ZO} 的读取方要求有它`, `${N} data may lack '${name}', which readers of ${O} require`)
          : t(`${ZN} 拒绝 ${q}（${this.governing(n, name).via.zh}），而按 ${ZO} 合格的数据总含有它`, `${N} rejects '${name}' (${this.governing(n, name).via.en}) that data valid under ${O} always has`),
        ctx);
    }
  }

  /** A keyword whose value is a schema and whose absence means "anything". */
  private compareSub(o: Side, n: Side, k: string, ctx: Ctx): void {
    const on = (o.node as JsonObject)[k];
    const nn = (n.node as JsonObject)[k];
    if (on === undefined && nn === undefined) return;
    if (Array.isArray(on) || Array.isArray(nn)) {
      if (!deepEqual(on, nn)) this.emit(nn !== undefined ? n : o, k, t(`${code(k)} 有变化（数组形式）`, `${k} changed (array form)`), 'unclassified', t(`不比较 ${code(k)} 的数组形式`, `the array form of \`${k}\` is not compared`), ctx);
      return;
    }
    this.compare(this.child(o, k), this.child(n, k), ctx);
  }

  /** `not`, `contains`: absence means "no constraint", which is not the same as a `true` schema. */
  private diffOptionalApplicator(o: Side, n: Side, k: 'not' | 'contains', ctx: Ctx): void {
    const on = (o.node as JsonObject)[k];
    const nn = (n.node as JsonObject)[k];
    if (on === undefined && nn === undefined) return;
    if (on !== undefined && nn !== undefined) {
      this.compare(this.child(o, k), this.child(n, k), ctx);
      return;
    }
    // adding a constraint tightens the *containing* schema (ctx here is already reversed for `not`; undo that)
    const outer: Ctx = k === 'not' ? { ...ctx, polarity: ctx.polarity === 'reversed' ? 'same' : ctx.polarity === 'same' ? 'reversed' : 'unknown' } : ctx;
    const added = nn !== undefined;
    this.emitDir(added ? n : o, k, t(`${added ? '新增' : '删除'} ${code(k)}`, `${k} ${added ? 'added' : 'removed'}`), !added, added,
      added ? t(`按 ${this.Z.old} 合格的数据可能不满足新的 ${code(k)}`, `data valid under ${this.L.old} may fail the new \`${k}\``)
        : t(`${this.Z.new} 的数据不必满足 ${this.Z.old} 的读取方检查的 ${code(k)}`, `${this.L.new} data need not satisfy the \`${k}\` readers of ${this.L.old} check`), outer);
  }

  private diffConditional(o: Side, n: Side, ctx: Ctx): void {
    const on = o.node as JsonObject;
    const nn = n.node as JsonObject;
    if (on.if === undefined && nn.if === undefined) return;
    if (!deepEqual(on.if, nn.if) || hasRef(on.if ?? null) || hasRef(nn.if ?? null)) {
      if (!deepEqual(on.if, nn.if)) {
        this.emit(nn.if !== undefined ? n : o, 'if', keywordChange('if', on, nn), 'unclassified', t('条件变了，文档会在 `then` 与 `else` 之间移动；请人工比较', 'a changed condition moves documents between `then` and `else`; compare by hand'), ctx);
        return;
      }
    }
    for (const k of ['then', 'else']) this.compareSub(o, n, k, ctx);
  }

  private diffPatternProperties(o: Side, n: Side, ctx: Ctx): void {
    const op = isObject((o.node as JsonObject).patternProperties) ? ((o.node as JsonObject).patternProperties as JsonObject) : {};
    const np = isObject((n.node as JsonObject).patternProperties) ? ((n.node as JsonObject).patternProperties as JsonObject) : {};
    for (const p of new Set([...Object.keys(op), ...Object.keys(np)])) {
      if (p in op && p in np) this.compare(this.child(o, 'patternProperties', p), this.child(n, 'patternProperties', p), ctx);
      else this.emit(p in np ? this.child(n, 'patternProperties', p) : this.child(o, 'patternProperties', p), undefined, t(`${p in np ? '新增' : '删除'} \`patternProperties\` ${show(p)}`, `patternProperties ${show(p)} ${p in np ? 'added' : 'removed'}`), 'unclassified', t('检查器不判断哪些属性名在 `patternProperties` 与 `additionalProperties` 之间移动', 'which property names move between patternProperties and additionalProperties is not decided by the checker'), ctx);
    }
  }

  private diffDependentRequired(o: Side, n: Side, ctx: Ctx): void {
    const od = isObject((o.node as JsonObject).dependentRequired) ? ((o.node as JsonObject).dependentRequired as JsonObject) : {};
    const nd = isObject((n.node as JsonObject).dependentRequired) ? ((n.node as JsonObject).dependentRequired as JsonObject) : {};
    for (const key of new Set([...Object.keys(od), ...Object.keys(nd)])) {
      const a = stringSet(od[key]);
      const b = stringSet(nd[key]);
      for (const x of b) if (!a.has(x)) this.emitDir(this.child(n, 'dependentRequired'), key, t(`有 ${code(key)} 时 ${code(x)} 为必填属性`, `'${x}' required when '${key}' is present`), false, true, t(`按 ${this.Z.old} 合格的数据可能有 ${code(key)} 而没有 ${code(x)}`, `data valid under ${this.L.old} may have '${key}' without '${x}'`), ctx);
      for (const x of a) if (!b.has(x)) this.emitDir(this.child(o, 'dependentRequired'), key, t(`有 ${code(key)} 时 ${code(x)} 不再是必填属性`, `'${x}' no longer required when '${key}' is present`), true, false, t(`${this.Z.new} 的数据可能有 ${code(key)} 而没有 ${code(x)}，而 ${this.Z.old} 的读取方拒绝这样的数据`, `${this.L.new} data may have '${key}' without '${x}', which readers of ${this.L.old} reject`), ctx);
    }
  }

  private diffKeyedSchemas(o: Side, n: Side, k: string, ctx: Ctx): void {
    const od = isObject((o.node as JsonObject)[k]) ? ((o.node as JsonObject)[k] as JsonObject) : {};
    const nd = isObject((n.node as JsonObject)[k]) ? ((n.node as JsonObject)[k] as JsonObject) : {};
    for (const key of new Set([...Object.keys(od), ...Object.keys(nd)])) this.compare(this.child(o, k, key), this.child(n, k, key), ctx);
  }

  private diffPrefixItems(o: Side, n: Side, ctx: Ctx): void {
    const oa = (o.node as JsonObject).prefixItems;
    const na = (n.node as JsonObject).prefixItems;
    if (oa === undefined && na === undefined) return;
    const ol = Array.isArray(oa) ? oa.length : 0;
    const nl = Array.isArray(na) ? na.length : 0;
    for (let i = 0; i < Math.min(ol, nl); i++) this.compare(this.child(o, 'prefixItems', String(i)), this.child(n, 'prefixItems', String(i)), ctx);
    if (ol !== nl) this.emit(nl > ol ? n : o, 'prefixItems', t(`\`prefixItems\` ${ol} → ${nl} 项`, `prefixItems ${ol} → ${nl} entries`), 'unclassified', t('位置在 `prefixItems` 与 `items` 之间移动；请人工比较', 'positions move between prefixItems and items; compare by hand'), ctx);
  }

  /** allOf / anyOf / oneOf: branches paired by equality first, then by position. */
  private diffBranches(o: Side, n: Side, k: 'allOf' | 'anyOf' | 'oneOf', ctx: Ctx): void {
    const oa = (o.node as JsonObject)[k];
    const na = (n.node as JsonObject)[k];
    if (oa === undefined && na === undefined) return;
    if (k === 'allOf' && (oa === undefined || na === undefined) && isStorableBranches(oa ?? na)) {
      this.emit(na !== undefined ? n : o, k, t(`${na !== undefined ? '新增' : '删除'}可存储文本的 \`allOf\``, `storable-text allOf ${na !== undefined ? 'added' : 'removed'}`), 'none', STORABLE_REASON, ctx);
      return;
    }
    if (!Array.isArray(oa) || !Array.isArray(na)) {
      const added = Array.isArray(na);
      this.emitDir(added ? n : o, k, t(`${added ? '新增' : '删除'} ${code(k)}`, `${k} ${added ? 'added' : 'removed'}`), !added, added,
        added ? t(`按 ${this.Z.old} 合格的数据可能不满足新的 ${code(k)}`, `data valid under ${this.L.old} may fail the new \`${k}\``)
          : t(`${this.Z.new} 的数据不必满足 ${this.Z.old} 的读取方检查的 ${code(k)}`, `${this.L.new} data need not satisfy the \`${k}\` readers of ${this.L.old} check`), ctx);
      return;
    }
    let inner = ctx;
    if (k === 'oneOf') {
      const disjoint = this.pairwiseDisjoint(o, oa.length, k) && this.pairwiseDisjoint(n, na.length, k);
      if (!disjoint) inner = { polarity: 'unknown', why: t('无法证明这个 `oneOf` 的分支互不相交，变更可能使文档匹配两个分支（或一个也不匹配）', 'the branches of this oneOf are not provably disjoint, so a change may make a document match two branches (or none)') };
    }
    const pairs: Array<[number, number]> = [];
    const usedOld = new Set<number>();
    const usedNew = new Set<number>();
    na.forEach((nb, j) => {
      const i = oa.findIndex((ob, i2) => !usedOld.has(i2) && deepEqual(ob, nb));
      if (i >= 0) {
        usedOld.add(i);
        usedNew.add(j);
        pairs.push([i, j]);
      }
    });
    const restOld = oa.map((_, i) => i).filter((i) => !usedOld.has(i));
    const restNew = na.map((_, j) => j).filter((j) => !usedNew.has(j));
    while (restOld.length && restNew.length) pairs.push([restOld.shift() as number, restNew.shift() as number]);
    for (const [i, j] of pairs) this.compare(this.child(o, k, String(i)), this.child(n, k, String(j)), inner);
    const loosenOnAdd = k !== 'allOf';
    const O = this.L.old, N = this.L.new, ZO = this.Z.old, ZN = this.Z.new;
    for (const j of restNew) {
      this.emitDir(this.child(n, k, String(j)), undefined, t(`${code(k)} 新增分支`, `${k} branch added`), loosenOnAdd, !loosenOnAdd,
        loosenOnAdd ? t(`新的可选分支：${ZN} 的数据可能只匹配它，而 ${ZO} 的读取方拒绝这样的数据`, `a new alternative: ${N} data may match only it, which readers of ${O} reject`)
          : t(`新的条件：按 ${ZO} 合格的数据可能不满足它`, `a new condition: data valid under ${O} may fail it`), inner);
    }
    for (const i of restOld) {
      this.emitDir(this.child(o, k, String(i)), undefined, t(`${code(k)} 删除分支`, `${k} branch removed`), !loosenOnAdd, loosenOnAdd,
        loosenOnAdd ? t(`按 ${ZO} 合格的数据可能只匹配这个分支`, `data valid under ${O} may match only this alternative`)
          : t(`${ZN} 的数据不必满足这个条件，而 ${ZO} 的读取方检查它`, `${N} data need not meet this condition, which readers of ${O} check`), inner);
    }
  }

  private pairwiseDisjoint(side: Side, count: number, k: string): boolean {
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        if (!this.disjoint(this.child(side, k, String(i)), this.child(side, k, String(j)), 0)) return false;
      }
    }
    return true;
  }

  /** True when no document can be valid under both schemas (a sufficient test, not a complete one). */
  disjoint(a0: Side, b0: Side, depth: number): boolean {
    if (depth > 6) return false;
    const a = this.deref(a0);
    const b = this.deref(b0);
    if (a.node === false || b.node === false) return true;
    if (!isObject(a.node) || !isObject(b.node)) return false;
    const an = a.node;
    const bn = b.node;
    const at = typeSet(an);
    const bt = typeSet(bn);
    if (at && bt && ![...at].some((t) => [...bt].some((u) => covers(new Set([t]), u) || covers(new Set([u]), t)))) return true;
    const av = valueSet(an);
    const bv = valueSet(bn);
    if (av && bv && ![...av.keys()].some((x) => bv.has(x))) return true;
    const ap = isObject(an.properties) ? an.properties : {};
    const bp = isObject(bn.properties) ? bn.properties : {};
    const required = new Set([...stringSet(an.required), ...stringSet(bn.required)]);
    for (const p of required) {
      const aReq = stringSet(an.required).has(p);
      const bReq = stringSet(bn.required).has(p);
      if (p in ap && p in bp && this.disjoint(this.child(a, 'properties', p), this.child(b, 'properties', p), depth + 1)) return true;
      if (aReq && !this.allows(b, p)) return true;
      if (bReq && !this.allows(a, p)) return true;
    }
    return false;
  }
}

// ---- helpers -------------------------------------------------------------

interface Bound {
  v: number;
  excl: boolean;
}

function bound(node: JsonObject, which: 'lower' | 'upper', integers: boolean): Bound | undefined {
  const [inc, exc] = which === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
  const cands: Bound[] = [];
  if (typeof node[inc] === 'number') cands.push({ v: node[inc] as number, excl: false });
  if (typeof node[exc] === 'number') cands.push({ v: node[exc] as number, excl: true });
  if (cands.length === 0) return undefined;
  const norm = cands.map((c) => {
    if (!integers) return c;
    if (which === 'lower') return { v: c.excl ? Math.floor(c.v) + 1 : Math.ceil(c.v), excl: false };
    return { v: c.excl ? Math.ceil(c.v) - 1 : Math.floor(c.v), excl: false };
  });
  // the tighter of the two
  return norm.reduce((x, y) => {
    if (which === 'lower') return y.v > x.v || (y.v === x.v && y.excl) ? y : x;
    return y.v < x.v || (y.v === x.v && y.excl) ? y : x;
  });
}

function onlyIntegers(node: JsonObject): boolean {
  const t = typeSet(node);
  return t !== undefined && [...t].every((x) => x === 'integer');
}

export function typeSet(node: JsonObject): Set<string> | undefined {
  const t = node.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  return undefined;
}

/** Whether a type set accepts values of type t ("integer" values are "number"s). */
function covers(set: Set<string> | undefined, t: string): boolean {
  return set === undefined || set.has(t) || (t === 'integer' && set.has('number'));
}

/** Whether a type set accepts any value a keyword for `kind` constrains (integers are numbers). */
function acceptsKind(set: Set<string>, kind: string): boolean {
  return set.has(kind) || (kind === 'number' && set.has('integer'));
}

function sameSet(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** The allowed values under `enum` and `const`, keyed by canonical JSON; undefined when unrestricted. */
function valueSet(node: JsonObject): Map<string, Json> | undefined {
  let set: Map<string, Json> | undefined;
  if (Array.isArray(node.enum)) set = new Map(node.enum.map((v) => [canonical(v), v]));
  if ('const' in node) {
    const c = node.const as Json;
    const k = canonical(c);
    set = set === undefined ? new Map([[k, c]]) : set.has(k) ? new Map([[k, c]]) : new Map();
  }
  return set;
}

function sameKeys(a: Map<string, Json>, b: Map<string, Json>): boolean {
  return a.size === b.size && [...a.keys()].every((k) => b.has(k));
}

function stringSet(v: Json | undefined): Set<string> {
  return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
}

function list(values: Json[]): string {
  return values.map((v) => show(v)).join(', ');
}

/** The values for a Chinese text: strings as they are shown ("…"), other values as code. */
function listZh(values: Json[]): string {
  return values.map((v) => (typeof v === 'string' ? show(v) : code(show(v)))).join('、');
}

/** The same text in both languages (code only: pointers, keywords, values). */
function same(s: string): Bilingual {
  return { zh: s, en: s };
}

/** `k added` / `k removed` / `k changed`, by which side has the keyword. */
function keywordChange(k: string, on: JsonObject, nn: JsonObject): Bilingual {
  const verb = !(k in on) ? t('新增', 'added') : !(k in nn) ? t('删除', 'removed') : t('有变化', 'changed');
  return t(verb.zh === '有变化' ? `${code(k)} 有变化` : `${verb.zh} ${code(k)}`, `${k} ${verb.en}`);
}

/** A schema that accepts anything: true, {}, or only annotations. */
export function isTrivial(node: Json | undefined): boolean {
  if (node === undefined || node === true) return true;
  return isObject(node) && Object.keys(node).every((k) => ANNOTATIONS.has(k) || k === '$id' || k.startsWith('x-'));
}

function describe(node: Json | undefined): Bilingual {
  if (node === undefined) return t('缺省', 'absent');
  if (node === true) return t('`true`', 'true');
  if (node === false) return t('`false`', 'false');
  return isTrivial(node) ? t('`{}`', '{}') : t('一个模式', 'a schema');
}

const refCache = new WeakMap<object, boolean>();

function hasRef(node: Json): boolean {
  if (node === null || typeof node !== 'object') return false;
  const cached = refCache.get(node);
  if (cached !== undefined) return cached;
  const result = Array.isArray(node)
    ? node.some(hasRef)
    : Object.entries(node).some(([k, v]) => (k === '$ref' && typeof v === 'string') || (k !== 'enum' && k !== 'const' && hasRef(v)));
  refCache.set(node, result);
  return result;
}

/** Equal apart from the version segment in $id (every $id changes between versions). */
function deepEqualModuloIds(a: Json, b: Json): boolean {
  if (deepEqual(a, b)) return true;
  if (!canonical(a).includes('"$id"')) return false;
  const strip = (n: Json): Json => {
    if (Array.isArray(n)) return n.map(strip);
    if (!isObject(n)) return n;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(n)) out[k] = k === '$id' && typeof v === 'string' ? versionFreeKey(v) : k === 'enum' || k === 'const' ? v : strip(v);
    return out;
  };
  return deepEqual(strip(a), strip(b));
}

function versionFreeRef(ref: string, base: string): string {
  try {
    const url = new URL(ref, base);
    return `${versionFreeKey(url.href.replace(/#.*$/, ''))}${url.hash}`;
  } catch {
    return ref;
  }
}

function lastToken(pointer: string): string {
  const parts = pointer.split('/');
  return parts.length > 1 ? (parts[parts.length - 1] as string).replace(/~1/g, '/').replace(/~0/g, '~') : '';
}

function baseOfTarget(file: SchemaFile, pointer: string): string {
  // nested $id along the way change the base; the loaded index registers nested ids, so the file id is right for the common case
  let base = file.id;
  let node: Json | undefined = file.root;
  for (const t of pointer.split('/').slice(1)) {
    const token = t.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (isObject(node) && typeof node.$id === 'string') base = new URL(node.$id, base).href;
  }
  return base;
}
