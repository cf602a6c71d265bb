/**
 * The built-in framings, declared through the public Framing interface. Their
 * implementations are loaded on first use (the spreadsheet one pulls in exceljs).
 */
import { readFile } from 'node:fs/promises';
import type { DelimitedFraming, FixedFraming, SpreadsheetFraming, XmlFraming } from '../mapping.ts';
import { BOM, encodeText } from '../encoding.ts';
import { detectDbf, type DbfFraming } from './dbf.ts';
import { detectJson, type JsonFraming } from './json.ts';
import type { Writable } from 'node:stream';
import { defineFraming, type Framing, type JsonSchema, type WriteTarget } from './types.ts';

const schemaRef = (def: string): JsonSchema => ({ $ref: `https://jiexu.org/adapters/mapping.schema.json#/$defs/${def}` });
const one = (target: WriteTarget): Writable => {
  if (!target.stream) throw new Error('this framing writes one file, not a folder');
  return target.stream;
};

export const fixed = defineFraming<FixedFraming>({
  apiVersion: 1,
  kind: 'fixed',
  text: true,
  optionsSchema: schemaRef('fixed'),
  fields: (o) => o.records.flatMap((r) => r.fields),
  async *read(source, ctx) {
    yield* (await import('./fixed.ts')).readFixed(source.path, ctx);
  },
  async write(records, target, ctx) {
    await (await import('./fixed.ts')).writeFixed(records, one(target), ctx);
  },
  detect(head, m) {
    const f = m.framing as FixedFraming;
    const header = f.records.find((r) => r.role === 'header') ?? f.records[0];
    const eol = head.indexOf(m.lineEnd);
    return head[0] === header.type.charCodeAt(0) && eol === f.recordLength;
  },
  async check(path, m) {
    return (await import('../conformance/rules.ts')).checkFixed(await readFile(path), m);
  },
});

export const delimited = defineFraming<DelimitedFraming>({
  apiVersion: 1,
  kind: 'delimited',
  text: true,
  optionsSchema: schemaRef('delimited'),
  fields: (o) => o.fields,
  async *read(source, ctx) {
    yield* (await import('./delimited.ts')).readDelimited(source.path, ctx);
  },
  async write(records, target, ctx) {
    await (await import('./delimited.ts')).writeDelimited(records, one(target), ctx);
  },
  detect(head, m) {
    const f = m.framing as DelimitedFraming;
    let text = head;
    if (text.subarray(0, 3).equals(BOM)) text = text.subarray(3);
    const eol = text.indexOf(0x0a);
    const first = text.subarray(0, eol < 0 ? text.length : eol).toString('latin1').replace(/\r$/, '');
    // compared as bytes in the format's encoding
    return first === encodeText(f.fields.map((x) => x.name).join(f.delimiter), m).toString('latin1');
  },
  async check(path, m) {
    return (await import('../conformance/rules.ts')).checkDelimited(await readFile(path), m);
  },
});

export const xml = defineFraming<XmlFraming>({
  apiVersion: 1,
  kind: 'xml',
  text: true,
  optionsSchema: schemaRef('xml'),
  fields: (o) => [o.root, o.person, o.scheme, o.row, ...(o.account ? [o.account] : [])].flatMap((l) => l.fields),
  async *read(source, ctx) {
    yield* (await import('./xml.ts')).readXml(source.path, ctx);
  },
  async write(records, target, ctx) {
    await (await import('./xml.ts')).writeXml(records, one(target), ctx);
  },
  detect(head, m) {
    const f = m.framing as XmlFraming;
    return head.includes(Buffer.from(`<${f.root.element}`)) && head.includes(Buffer.from(f.namespace));
  },
  async check(path, m) {
    return (await import('../conformance/rules.ts')).checkXml(await readFile(path), m);
  },
});

export const spreadsheet = defineFraming<SpreadsheetFraming>({
  apiVersion: 1,
  kind: 'spreadsheet',
  text: false,
  optionsSchema: schemaRef('spreadsheet'),
  fields: (o) => [o.persons, o.rows, o.accounts].flatMap((s) => (s ? s.fields : [])),
  async *read(source, ctx) {
    yield* (await import('./spreadsheet.ts')).readSpreadsheet(source.path, ctx);
  },
  async write(records, target, ctx) {
    await (await import('./spreadsheet.ts')).writeSpreadsheet(records, one(target), ctx);
  },
  detect: (head) => head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  async check(path, m) {
    return (await import('../conformance/rules.ts')).checkSpreadsheet(path, m);
  },
});

export const dbf = defineFraming<DbfFraming>({
  apiVersion: 1,
  kind: 'dbf',
  text: false,
  characterTables: true,
  optionsSchema: schemaRef('dbf'),
  fields: (o) => o.fields,
  async *read(source, ctx) {
    yield* (await import('./dbf.ts')).readDbf(source.path, ctx);
  },
  async write(records, target, ctx) {
    await (await import('./dbf.ts')).writeDbf(records, one(target), ctx);
  },
  detect: (head, m) => detectDbf(head, m),
  async check(path, m) {
    return (await import('./dbf.ts')).checkDbf(path, m);
  },
});

export const json = defineFraming<JsonFraming>({
  apiVersion: 1,
  kind: 'json',
  text: false,
  characterTables: true,
  optionsSchema: schemaRef('json'),
  writerSchema: { type: 'object', properties: { pageSize: { description: 'rows per page (pages layout)', type: 'integer', minimum: 1 } } },
  multiPart: (o) => o.layout === 'pages',
  fields: (o) => [...(o.document?.fields ?? []), ...o.persons.fields, ...(o.schemes?.fields ?? []), ...o.rows.fields],
  async *read(source, ctx) {
    yield* (await import('./json.ts')).readJson(source, ctx);
  },
  async write(records, target, ctx) {
    const m = await import('./json.ts');
    await m.writeJson(records, target, ctx);
  },
  detect: (head, m) => detectJson(head, m),
});

export const BUILT_IN: Framing<never>[] = [fixed, delimited, xml, spreadsheet, dbf, json] as unknown as Framing<never>[];
