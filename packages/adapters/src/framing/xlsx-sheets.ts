/**
 * The worksheets of a workbook as exceljs's streaming reader gives them, its
 * entries fed from the zip directory (yauzl) instead of its own unzip. What
 * WorkbookReader.parse() of exceljs 4.4.0 does with each entry, in the same
 * order (lib/stream/xlsx/workbook-reader.js): front to back, relationships,
 * workbook, shared strings and styles parsed by its own methods as they come;
 * a worksheet read where it stands once the shared strings and relationships
 * are known, else after the last entry. Three reasons, measured on the bench
 * workbook (200,000 rows, bench/readers.bench.ts):
 *
 * - exceljs parses a sheet a chunk at a time and holds the chunk's events and
 *   rows until the next; from its temporary files the chunk is 64 kB, the rows
 *   of it outlive the collector's young generation while the reader converts
 *   them, and were promoted: 437 MB promoted and a third of the run's CPU in
 *   garbage collection. Fed 16 kB chunks, 36 MB.
 * - exceljs inflates every entry a second time (after the zip check,
 *   zip-check.ts) and, as jiexu writes the sheets before the shared strings,
 *   writes each sheet to a temporary file and reads it back; here only the
 *   entries it parses are inflated, straight into the parser.
 * - its unzip sometimes loses entries on Node ≥ 18 (exceljs#3064), and the
 *   reader then repeats the pass; the zip directory, checked by zip-check.ts
 *   (each local header where the directory says, entries back to back), does not.
 *
 * Text is decoded across chunk boundaries (exceljs decodes each chunk on its
 * own, which turns a character split between two chunks into two U+FFFD).
 */
import { pipeline, Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createInflateRaw } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { directoryEntries, openZip, rawStream } from './zip-check.ts';
import { WORKSHEET } from './xlsx-scan.ts';

/** Inflated bytes a chunk handed to exceljs's parser (see above: larger chunks cost the collector more). */
const SHEET_CHUNK = 16 << 10;

/** What exceljs's worksheet reader yields from `parse()`: the events of one parsed chunk. */
export type SheetEvents = { eventType: string; value: unknown }[];
export interface WorksheetStream {
  name: string;
  parse(): AsyncIterable<SheetEvents>;
}

/** exceljs's streaming workbook reader, with the internals its parse() calls for each entry. */
export interface WorkbookStream {
  sharedStrings?: unknown;
  workbookRels?: unknown;
  _parseRels(stream: Readable): Promise<void>;
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncIterable<unknown>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string> | Iterable<Buffer>, sheetNo: string): Iterable<{ eventType: string; value: WorksheetStream }>;
}

/** An entry's inflated text, SHEET_CHUNK bytes a chunk, decoded as UTF-8 across chunks (as exceljs's parser reads it). */
async function* entryText(zip: ZipFile, e: Entry): AsyncGenerator<string> {
  const raw = await rawStream(zip, e);
  const bytes: Readable = e.compressionMethod === 8 ? pipeline(raw, createInflateRaw({ chunkSize: SHEET_CHUNK }), () => undefined) : raw;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The name exceljs matches an entry by: its local header's name bytes as UTF-8 (the zip check held them equal to the directory's). */
const entryName = (e: Entry): string => (e as Entry & { fileNameRaw: Buffer }).fileNameRaw.toString('utf8');

/** The workbook's worksheets, in exceljs's order; `reader` holds what its entries set (shared strings, styles, sheet names). */
export async function* worksheets(path: string, reader: WorkbookStream): AsyncGenerator<WorksheetStream> {
  const zip = await openZip(path);
  try {
    const entries = (await directoryEntries(zip)).sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
    const stream = async (e: Entry): Promise<Readable> => Readable.from(entryText(zip, e));
    const sheet = (e: Entry, sheetNo: string): WorksheetStream | undefined => {
      for (const ev of reader._parseWorksheet(entryText(zip, e), sheetNo)) if (ev.eventType === 'worksheet') return ev.value;
      return undefined;
    };
    const waiting: { e: Entry; sheetNo: string }[] = [];
    for (const e of entries) {
      switch (entryName(e)) {
        case '_rels/.rels':
          break;
        case 'xl/_rels/workbook.xml.rels':
          await reader._parseRels(await stream(e));
          break;
        case 'xl/workbook.xml':
          await reader._parseWorkbook(await stream(e));
          break;
        case 'xl/sharedStrings.xml':
          for await (const _ of reader._parseSharedStrings(await stream(e))); // cached on the reader: nothing yielded
          break;
        case 'xl/styles.xml':
          await reader._parseStyles(await stream(e));
          break;
        default: {
          const m = WORKSHEET.exec(entryName(e));
          if (!m) break; // hyperlinks (ignored, as the reader is opened) and every other entry
          if (reader.sharedStrings && reader.workbookRels) {
            const ws = sheet(e, m[1]);
            if (ws) yield ws;
          } else waiting.push({ e, sheetNo: m[1] });
        }
      }
    }
    for (const { e, sheetNo } of waiting) {
      const ws = sheet(e, sheetNo);
      if (ws) yield ws;
    }
  } finally {
    zip.close();
  }
}
