/**
 * Least-work readers: what any program must do with the same bytes to get the
 * same values out, and no more. Each uses the parser the reader is built on
 * (or, where the format needs none, the plainest split) and touches every
 * field of every row; none converts, checks or assembles. Each returns the
 * number of contribution rows it saw.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { SaxesParser } from 'saxes';
import ExcelJS from 'exceljs';

async function* chunks(path: string): AsyncGenerator<Buffer> {
  yield* createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}

/** jx-fixed: split the 120-byte records, decode the name from GB18030, slice every fixed field. */
async function jxFixed(path: string): Promise<number> {
  const starts = [1, 19, 39, 40, 46, 48, 54, 64, 74, 84, 85];
  const ends = [19, 39, 40, 46, 48, 54, 64, 74, 84, 85, 103];
  let n = 0;
  let sink = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks(path)) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      const line = buf.subarray(pos, nl - 1);
      pos = nl + 1;
      if (line[0] !== 0x44) continue;
      for (let f = 0; f < starts.length; f++) sink += (f === 1 ? iconv.decode(line.subarray(starts[f], ends[f]), 'gb18030').trimEnd() : line.toString('latin1', starts[f], ends[f])).length;
      n++;
    }
    carry = buf.subarray(pos);
  }
  if (sink === 0) throw new Error('nothing read');
  return n;
}

/** ln-jb (no quoting): decode GBK, split lines, split fields on "|". */
async function lnJb(path: string): Promise<number> {
  const dec = iconv.getDecoder('cp936');
  let n = -1; // the header line
  let sink = 0;
  let carry = '';
  for await (const chunk of chunks(path)) {
    const text = carry + dec.write(chunk);
    let pos = 0;
    for (let nl = text.indexOf('\n', pos); nl >= 0; nl = text.indexOf('\n', pos)) {
      for (const v of text.slice(pos, nl).split('|')) sink += v.length;
      n++;
      pos = nl + 1;
    }
    carry = text.slice(pos);
  }
  if (sink === 0) throw new Error('nothing read');
  return n;
}

/** zj-csv (RFC 4180 quoting): decode UTF-8, parse with csv-parse (its defaults), touch every field. */
async function zjCsv(path: string): Promise<number> {
  const dec = new TextDecoder('utf-8');
  const parser = parse({ bom: true });
  const feed = (async () => {
    for await (const chunk of chunks(path)) if (!parser.write(dec.decode(chunk, { stream: true }))) await new Promise((r) => parser.once('drain', r));
    parser.end();
  })();
  let n = -1;
  let sink = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    for (const v of record) sink += v.length;
    n++;
  }
  await feed;
  if (sink === 0) throw new Error('nothing read');
  return n;
}

/** gd-xml: decode UTF-8, parse with saxes (its defaults), touch every attribute of every element. */
async function gdXml(path: string): Promise<number> {
  const dec = new TextDecoder('utf-8');
  const parser = new SaxesParser();
  let n = 0;
  let sink = 0;
  parser.on('opentag', (tag) => {
    for (const k in tag.attributes) sink += (tag.attributes[k] as string).length;
    if (tag.name === 'Period') n++;
  });
  for await (const chunk of chunks(path)) parser.write(dec.decode(chunk, { stream: true }));
  parser.close();
  if (sink === 0) throw new Error('nothing read');
  return n;
}

/** bj-xlsx: exceljs's streaming reader (shared strings cached), every cell of every sheet touched once. */
async function bjXlsx(path: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let n = 0;
  let sink = 0;
  for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<{ values: unknown[] }> & { name: string }>) {
    const rows = ws.name === '缴费明细';
    for await (const row of ws) {
      for (const v of row.values) if (v !== undefined && v !== null) sink++;
      if (rows) n++;
    }
  }
  if (sink === 0) throw new Error('nothing read');
  return n - 1; // the header row
}

export const BASELINES: Record<string, { what: string; run: (path: string) => Promise<number> }> = {
  'jx-fixed': { what: 'split records, GB18030 name, slice fields', run: jxFixed },
  'zj-csv': { what: 'UTF-8 decode, csv-parse, every field', run: zjCsv },
  'ln-jb': { what: 'GBK decode, split lines and "|"', run: lnJb },
  'gd-xml': { what: 'UTF-8 decode, saxes, every attribute', run: gdXml },
  'bj-xlsx': { what: 'exceljs stream reader, every cell', run: bjXlsx },
};
