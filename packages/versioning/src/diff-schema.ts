/**
 * Compares two JSON Schemas (2020-12) keyword by keyword, following `$ref`
 * into the loaded files, and classifies every difference by its effect on the
 * set of valid documents (see compat.ts). Each keyword's rule is in one small
 * function below; docs/versioning.md lists them in prose.
 */
import { classOf, flip, type Change, type ChangeClass } from './compat.ts';
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
  why?: string;
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

const LENGTHS: Array<[string, 'min' | 'max', string]> = [
  ['minLength', 'min', 'characters'], ['maxLength', 'max', 'characters'],
  ['minItems', 'min', 'items'], ['maxItems', 'max', 'items'],
  ['minProperties', 'min', 'properties'], ['maxProperties', 'max', 'properties'],
  ['minContains', 'min', 'matching items'], ['maxContains', 'max', 'matching items'],
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
}

export class SchemaDiffer {
  readonly changes: Change[] = [];
  private readonly seen = new Set<string>();
  private readonly emitted = new Set<string>();

  constructor(private readonly labels: Labels) {}

  // ---- reporting -------------------------------------------------------

  /** Records a change found at `where` (+ keyword) with the raw direction, adjusted for the context. */
  private emit(where: Side, keyword: string | undefined, change: string, cls: ChangeClass, reason: string, ctx: Ctx): void {
    let c = cls;
    let r = reason;
    if (c !== 'none' && ctx.polarity === 'reversed') {
      c = flip(c);
      if (c !== cls) r = `${reason} (under \`not\`, so the effect on the document is reversed)`;
    }
    if (c !== 'none' && ctx.polarity === 'unknown') {
      c = 'unclassified';
      r = `${reason}; but ${ctx.why ?? 'the direction of the effect cannot be determined here'}`;
    }
    const pointer = keyword === undefined ? where.pointer : `${where.pointer}/${escapePointer(keyword)}`;
    const item: Change = { schema: where.file.path, pointer, change, class: c, reason: r };
    const key = `${item.schema}#${item.pointer}|${item.change}|${item.class}`;
    if (this.emitted.has(key)) return;
    this.emitted.add(key);
    this.changes.push(item);
  }

  /** Emits with the class computed from (old data stays valid, new data was valid). */
  private emitDir(where: Side, keyword: string | undefined, change: string, oldStaysValid: boolean, newWasValid: boolean, reason: string, ctx: Ctx): void {
    this.emit(where, keyword, change, classOf(oldStaysValid, newWasValid), reason, ctx);
  }

  private get L(): Labels {
    return this.labels;
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
    const name = what === '' ? 'the schema' : `\`${what}\``;
    if (oTrivial && nTrivial) {
      this.emit(n.node === undefined ? o : n, undefined, `${name}: ${describe(o.node)} → ${describe(n.node)}`, 'none', 'both accept anything', ctx);
      return;
    }
    if (oNode === false || nNode === false) {
      if (oNode === false && nNode === false) return;
      const loosen = oNode === false;
      this.emitDir(loosen ? n : o, undefined, `${name}: ${describe(o.node)} → ${describe(n.node)}`, loosen, !loosen,
        loosen
          ? `${this.L.old} accepted nothing here; ${this.L.new} data may use it and readers of ${this.L.old} reject that`
          : `data valid under ${this.L.old} may use it; ${this.L.new} accepts nothing here`,
        ctx);
      return;
    }
    // one side accepts anything, the other constrains
    const tighten = oTrivial;
    this.emitDir(tighten ? n : o, undefined, `${name}: ${describe(o.node)} → ${describe(n.node)}`, !tighten, tighten,
      tighten
        ? `${this.L.old} accepted any value here; ${this.L.new} constrains it, so data valid under ${this.L.old} may be rejected`
        : `${this.L.new} accepts any value here; ${this.L.new} data may hold values readers of ${this.L.old} reject`,
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
          this.emit(n, '$ref', `$ref ${show(oRef)} → ${show(nRef)}`, 'unclassified', `cannot resolve ${!nt ? nRef : oRef} among the given schemas (nothing is fetched)`, ctx);
        }
        return false; // same unresolvable reference: compare the siblings only
      }
      if (versionFreeRef(oRef, o.base) !== versionFreeRef(nRef, n.base)) {
        this.emit(n, '$ref', `$ref ${show(oRef)} → ${show(nRef)}`, 'none', 'the targets are compared below; their differences are reported where they are', ctx);
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
      this.emit(refSide, '$ref', `$ref ${show(ref)} ${oRef !== undefined ? 'removed' : 'added'}`, 'unclassified', `cannot resolve ${ref} among the given schemas (nothing is fetched)`, ctx);
      return true;
    }
    if (siblings.length > 0) {
      this.emit(refSide, '$ref', `$ref ${show(ref)} ${oRef !== undefined ? 'removed' : 'added'} beside other keywords`, 'unclassified', 'a $ref with sibling constraints was inlined or extracted; compare by hand', ctx);
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
      const verb = !(k in on) ? 'added' : !(k in nn) ? 'removed' : 'changed';
      if (ANNOTATIONS.has(k)) this.emit(where, k, `${k} ${verb}`, 'none', 'an annotation: no effect on which data is valid', ctx);
      else if (k.startsWith('x-')) this.emit(where, k, `${k} ${verb}`, 'none', 'an extension annotation: no effect on validation', ctx);
      else this.emit(where, k, `${k} ${verb}`, 'unclassified', `the checker does not understand the keyword \`${k}\``, ctx);
    }
    if (typeof on.$id === 'string' && typeof nn.$id === 'string' && versionFreeKey(on.$id) !== versionFreeKey(nn.$id)) {
      this.emit(n, '$id', `$id ${show(on.$id)} → ${show(nn.$id)}`, 'none', 'the name changed; documents are unaffected (references to the old name no longer resolve)', ctx);
    }

    // keywords constraining one instance type have no effect when neither version accepts that type
    const inert = (k: string): boolean => {
      const t = APPLIES_TO[k];
      return t !== undefined && oTypes !== undefined && nTypes !== undefined && !acceptsKind(oTypes, t) && !acceptsKind(nTypes, t);
    };
    const inertEmit = (k: string): boolean => {
      if (!inert(k) || deepEqual(on[k], nn[k])) return false;
      this.emit(k in nn ? n : o, k, `${k} ${!(k in on) ? 'added' : !(k in nn) ? 'removed' : 'changed'}`, 'none', `no effect: the schema only accepts ${[...(nTypes ?? [])].join(', ')}`, ctx);
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
    const change = `type ${ot ? [...ot].join('|') : 'any'} → ${nt ? [...nt].join('|') : 'any'}`;
    const where = (n.node as JsonObject).type !== undefined ? n : o;
    const reason = b && f ? 'the same values in other words'
      : b ? `every value valid under ${this.L.old} keeps its type; ${this.L.new} data may have a type readers of ${this.L.old} reject`
      : f ? `data valid under ${this.L.old} may have a type ${this.L.new} rejects`
      : `data valid under ${this.L.old} may have a type ${this.L.new} rejects, and the other way round`;
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
      this.emit(where, kw, `${kw}: same values written differently`, 'none', 'the allowed values are the same', ctx);
      return;
    }
    const added = nv === undefined ? [] : [...nv.keys()].filter((k) => !ov || !ov.has(k)).map((k) => nv.get(k) as Json);
    const removed = ov === undefined ? [] : [...ov.keys()].filter((k) => !nv || !nv.has(k)).map((k) => ov.get(k) as Json);
    const b = nv === undefined || (ov !== undefined && removed.length === 0);
    const f = ov === undefined || (nv !== undefined && added.length === 0);
    const parts: string[] = [];
    if (ov === undefined) parts.push(`restricted to ${list(added)}`);
    else if (nv === undefined) parts.push('restriction to fixed values removed');
    else {
      if (added.length) parts.push(`${list(added)} added`);
      if (removed.length) parts.push(`${list(removed)} removed`);
    }
    const reasons: string[] = [];
    if (!b) reasons.push(ov === undefined ? `data valid under ${this.L.old} may hold other values` : `data valid under ${this.L.old} may hold ${list(removed)}, which ${this.L.new} rejects`);
    if (!f) reasons.push(nv === undefined ? `${this.L.new} data may hold any value` : `${this.L.new} data may hold ${list(added)}, which readers of ${this.L.old} reject`);
    if (reasons.length === 0) reasons.push('the same values');
    this.emitDir(where, kw, `${kw}: ${parts.join(', ')}`, b, f, reasons.join('; '), ctx);
  }

  private diffFormat(o: Side, n: Side, ctx: Ctx): void {
    const of = (o.node as JsonObject).format;
    const nf = (n.node as JsonObject).format;
    if (deepEqual(of, nf)) return;
    if (of === undefined) {
      this.emitDir(n, 'format', `format ${show(nf)} added`, false, true, `formats are asserted in jiexu: data valid under ${this.L.old} may not be a ${nf}`, ctx);
    } else if (nf === undefined) {
      this.emitDir(o, 'format', `format ${show(of)} removed`, true, false, `${this.L.new} data need not be a ${of}, which readers of ${this.L.old} require`, ctx);
    } else {
      this.emit(n, 'format', `format ${show(of)} → ${show(nf)}`, 'unclassified', 'whether one format contains the other is not known to the checker', ctx);
    }
  }

  private diffPattern(o: Side, n: Side, ctx: Ctx): void {
    const op = (o.node as JsonObject).pattern;
    const np = (n.node as JsonObject).pattern;
    if (deepEqual(op, np)) return;
    if (op === undefined) {
      this.emitDir(n, 'pattern', `pattern ${show(np)} added`, false, true, `data valid under ${this.L.old} may not match it`, ctx);
    } else if (np === undefined) {
      this.emitDir(o, 'pattern', `pattern ${show(op)} removed`, true, false, `${this.L.new} data need not match ${show(op)}, which readers of ${this.L.old} require`, ctx);
    } else {
      this.emit(n, 'pattern', `pattern ${show(op)} → ${show(np)}`, 'unclassified', 'whether one regular expression matches everything the other does is not decided by the checker; review by hand', ctx);
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
    const change = `${which} bound: ${raw(on)} → ${raw(nn)}`;
    const reason = b && f ? (integers ? 'the same integers' : 'the same numbers')
      : b ? `${this.L.new} accepts every number ${this.L.old} does; ${this.L.new} data may hold numbers readers of ${this.L.old} reject`
      : f ? `data valid under ${this.L.old} may hold numbers ${this.L.new} rejects`
      : 'each version accepts numbers the other rejects';
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
    this.emitDir(where, 'multipleOf', `multipleOf ${show(om)} → ${show(nm)}`, b, f,
      b && f ? 'the same numbers' : b ? `every multiple of ${show(om)} is a multiple of ${show(nm)}` : f ? `data valid under ${this.L.old} may not be a multiple of ${show(nm)}` : 'each version accepts numbers the other rejects', ctx);
  }

  private diffLength(o: Side, n: Side, k: string, side: 'min' | 'max', unit: string, ctx: Ctx): void {
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
    const reason = loosen && tighten ? 'the same limit'
      : loosen ? `${this.L.new} data may have ${side === 'min' ? 'fewer' : 'more'} ${unit} than readers of ${this.L.old} accept`
      : `data valid under ${this.L.old} may have ${side === 'min' ? 'fewer' : 'more'} ${unit} than ${this.L.new} accepts`;
    this.emitDir(where, k, `${k} ${text(ov)} → ${text(nv)}`, loosen, tighten, reason, ctx);
  }

  private diffUniqueItems(o: Side, n: Side, ctx: Ctx): void {
    const ou = (o.node as JsonObject).uniqueItems === true;
    const nu = (n.node as JsonObject).uniqueItems === true;
    if (ou === nu) return;
    this.emitDir(nu ? n : o, 'uniqueItems', `uniqueItems ${ou} → ${nu}`, ou, nu,
      nu ? `data valid under ${this.L.old} may repeat items` : `${this.L.new} data may repeat items, which readers of ${this.L.old} reject`, ctx);
  }

  /** What governs a property name that `properties` does not list. */
  private governing(side: Side, name: string): { kind: 'forbidden' | 'free' | 'schema' | 'pattern'; side?: Side; via: string } {
    const node = side.node as JsonObject;
    if (isObject(node.patternProperties)) {
      for (const p of Object.keys(node.patternProperties)) {
        try {
          if (new RegExp(p, 'u').test(name)) return { kind: 'pattern', via: `patternProperties ${show(p)}` };
        } catch {
          return { kind: 'pattern', via: `patternProperties ${show(p)}` };
        }
      }
    }
    for (const k of ['additionalProperties', 'unevaluatedProperties']) {
      if (k in node) {
        const v = node[k];
        if (v === false) return { kind: 'forbidden', via: `${k}: false` };
        if (isTrivial(v)) return { kind: 'free', via: `${k}: ${describe(v)}` };
        return { kind: 'schema', side: this.child(side, k), via: k };
      }
    }
    return { kind: 'free', via: 'no additionalProperties' };
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
    for (const name of new Set([...Object.keys(op), ...Object.keys(np)])) {
      if (name in op && name in np) {
        this.compare(this.child(o, 'properties', name), this.child(n, 'properties', name), ctx);
      } else if (name in np) {
        const at = this.child(n, 'properties', name);
        const gov = this.governing(o, name);
        if (gov.kind === 'forbidden') {
          this.emitDir(at, undefined, `property '${name}' added`, true, np[name] === false,
            `${this.L.old} rejects '${name}' (${gov.via}), so data valid under ${this.L.old} never has it; ${this.L.new} data may carry it and readers of ${this.L.old} reject that`, ctx);
        } else if (gov.kind === 'free') {
          if (isTrivial(np[name])) this.emit(at, undefined, `property '${name}' added`, 'none', `${this.L.old} already accepted any '${name}' (${gov.via})`, ctx);
          else this.emitDir(at, undefined, `property '${name}' added`, false, true, `${this.L.old} accepted any value of '${name}' (${gov.via}); ${this.L.new} constrains it`, ctx);
        } else if (gov.kind === 'schema' && gov.side) {
          this.compare(gov.side, at, ctx);
        } else {
          this.emit(at, undefined, `property '${name}' added`, 'unclassified', `'${name}' was governed by ${gov.via} in ${this.L.old}; compare by hand`, ctx);
        }
      } else {
        const at = this.child(o, 'properties', name);
        const gov = this.governing(n, name);
        if (gov.kind === 'forbidden') {
          this.emitDir(at, undefined, `property '${name}' removed`, op[name] === false, true,
            `data valid under ${this.L.old} may carry '${name}', which ${this.L.new} rejects (${gov.via})`, ctx);
        } else if (gov.kind === 'free') {
          if (isTrivial(op[name])) this.emit(at, undefined, `property '${name}' removed`, 'none', `${this.L.new} still accepts any '${name}' (${gov.via})`, ctx);
          else this.emitDir(at, undefined, `property '${name}' removed`, true, false, `${this.L.new} accepts any value of '${name}' (${gov.via}); ${this.L.new} data may hold values readers of ${this.L.old} reject`, ctx);
        } else if (gov.kind === 'schema' && gov.side) {
          this.compare(at, gov.side, ctx);
        } else {
          this.emit(at, undefined, `property '${name}' removed`, 'unclassified', `'${name}' is governed by ${gov.via} in ${this.L.new}; compare by hand`, ctx);
        }
      }
    }
  }

  private diffRequired(o: Side, n: Side, ctx: Ctx): void {
    const or = stringSet((o.node as JsonObject).required);
    const nr = stringSet((n.node as JsonObject).required);
    for (const name of nr) {
      if (or.has(name)) continue;
      const allowedBefore = this.allows(o, name);
      this.emitDir(n, 'required', `property '${name}' added to required`, false, allowedBefore,
        allowedBefore
          ? `data valid under ${this.L.old} may lack it`
          : `data valid under ${this.L.old} lacks it, and readers of ${this.L.old} reject '${name}' (${this.governing(o, name).via})`,
        ctx);
    }
    for (const name of or) {
      if (nr.has(name)) continue;
      const allowedAfter = this.allows(n, name);
      this.emitDir(o, 'required', `property '${name}' no longer required`, allowedAfter, false,
        allowedAfter
          ? `${this.L.new} data may lack '${name}', which readers of ${this.L.old} require`
          : `${this.L.new} rejects '${name}' (${this.governing(n, name).via}) that data valid under ${this.L.old} always has`,
        ctx);
    }
  }

  /** A keyword whose value is a schema and whose absence means "anything". */
  private compareSub(o: Side, n: Side, k: string, ctx: Ctx): void {
    const on = (o.node as JsonObject)[k];
    const nn = (n.node as JsonObject)[k];
    if (on === undefined && nn === undefined) return;
    if (Array.isArray(on) || Array.isArray(nn)) {
      if (!deepEqual(on, nn)) this.emit(nn !== undefined ? n : o, k, `${k} changed (array form)`, 'unclassified', `the array form of \`${k}\` is not compared`, ctx);
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
    this.emitDir(added ? n : o, k, `${k} ${added ? 'added' : 'removed'}`, !added, added,
      added ? `data valid under ${this.L.old} may fail the new \`${k}\`` : `${this.L.new} data need not satisfy the \`${k}\` readers of ${this.L.old} check`, outer);
  }

  private diffConditional(o: Side, n: Side, ctx: Ctx): void {
    const on = o.node as JsonObject;
    const nn = n.node as JsonObject;
    if (on.if === undefined && nn.if === undefined) return;
    if (!deepEqual(on.if, nn.if) || hasRef(on.if ?? null) || hasRef(nn.if ?? null)) {
      if (!deepEqual(on.if, nn.if)) {
        this.emit(nn.if !== undefined ? n : o, 'if', `if ${on.if === undefined ? 'added' : nn.if === undefined ? 'removed' : 'changed'}`, 'unclassified', 'a changed condition moves documents between `then` and `else`; compare by hand', ctx);
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
      else this.emit(p in np ? this.child(n, 'patternProperties', p) : this.child(o, 'patternProperties', p), undefined, `patternProperties ${show(p)} ${p in np ? 'added' : 'removed'}`, 'unclassified', 'which property names move between patternProperties and additionalProperties is not decided by the checker', ctx);
    }
  }

  private diffDependentRequired(o: Side, n: Side, ctx: Ctx): void {
    const od = isObject((o.node as JsonObject).dependentRequired) ? ((o.node as JsonObject).dependentRequired as JsonObject) : {};
    const nd = isObject((n.node as JsonObject).dependentRequired) ? ((n.node as JsonObject).dependentRequired as JsonObject) : {};
    for (const key of new Set([...Object.keys(od), ...Object.keys(nd)])) {
      const a = stringSet(od[key]);
      const b = stringSet(nd[key]);
      for (const x of b) if (!a.has(x)) this.emitDir(this.child(n, 'dependentRequired'), key, `'${x}' required when '${key}' is present`, false, true, `data valid under ${this.L.old} may have '${key}' without '${x}'`, ctx);
      for (const x of a) if (!b.has(x)) this.emitDir(this.child(o, 'dependentRequired'), key, `'${x}' no longer required when '${key}' is present`, true, false, `${this.L.new} data may have '${key}' without '${x}', which readers of ${this.L.old} reject`, ctx);
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
    if (ol !== nl) this.emit(nl > ol ? n : o, 'prefixItems', `prefixItems ${ol} → ${nl} entries`, 'unclassified', 'positions move between prefixItems and items; compare by hand', ctx);
  }

  /** allOf / anyOf / oneOf: branches paired by equality first, then by position. */
  private diffBranches(o: Side, n: Side, k: 'allOf' | 'anyOf' | 'oneOf', ctx: Ctx): void {
    const oa = (o.node as JsonObject)[k];
    const na = (n.node as JsonObject)[k];
    if (oa === undefined && na === undefined) return;
    if (!Array.isArray(oa) || !Array.isArray(na)) {
      const added = Array.isArray(na);
      this.emitDir(added ? n : o, k, `${k} ${added ? 'added' : 'removed'}`, !added, added,
        added ? `data valid under ${this.L.old} may fail the new \`${k}\`` : `${this.L.new} data need not satisfy the \`${k}\` readers of ${this.L.old} check`, ctx);
      return;
    }
    let inner = ctx;
    if (k === 'oneOf') {
      const disjoint = this.pairwiseDisjoint(o, oa.length, k) && this.pairwiseDisjoint(n, na.length, k);
      if (!disjoint) inner = { polarity: 'unknown', why: 'the branches of this oneOf are not provably disjoint, so a change may make a document match two branches (or none)' };
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
    for (const j of restNew) {
      this.emitDir(this.child(n, k, String(j)), undefined, `${k} branch added`, loosenOnAdd, !loosenOnAdd,
        loosenOnAdd ? `a new alternative: ${this.L.new} data may match only it, which readers of ${this.L.old} reject` : `a new condition: data valid under ${this.L.old} may fail it`, inner);
    }
    for (const i of restOld) {
      this.emitDir(this.child(o, k, String(i)), undefined, `${k} branch removed`, !loosenOnAdd, loosenOnAdd,
        loosenOnAdd ? `data valid under ${this.L.old} may match only this alternative` : `${this.L.new} data need not meet this condition, which readers of ${this.L.old} check`, inner);
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

/** A schema that accepts anything: true, {}, or only annotations. */
export function isTrivial(node: Json | undefined): boolean {
  if (node === undefined || node === true) return true;
  return isObject(node) && Object.keys(node).every((k) => ANNOTATIONS.has(k) || k === '$id' || k.startsWith('x-'));
}

function describe(node: Json | undefined): string {
  if (node === undefined) return 'absent';
  if (node === true) return 'true';
  if (node === false) return 'false';
  return isTrivial(node) ? '{}' : 'a schema';
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
