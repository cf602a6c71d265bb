/**
 * Framing kinds: how rows are laid out in bytes. Each reads rows from a file and
 * writes records to a stream. Loaded on first use (the spreadsheet one pulls in exceljs).
 */
import type { Writable } from 'node:stream';
import type { Framing } from '../mapping.ts';
import type { ContributionRecord } from '../record.ts';
import type { LegacyRow } from '../rows.ts';
import type { DecodeContext, EncodeContext } from './common.ts';

export interface FramingImpl {
  read(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]>;
  write(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void>;
}

export const framings: Record<Framing['kind'], () => Promise<FramingImpl>> = {
  fixed: async () => {
    const m = await import('./fixed.ts');
    return { read: m.readFixed, write: m.writeFixed };
  },
  delimited: async () => {
    const m = await import('./delimited.ts');
    return { read: m.readDelimited, write: m.writeDelimited };
  },
  xml: async () => {
    const m = await import('./xml.ts');
    return { read: m.readXml, write: m.writeXml };
  },
  spreadsheet: async () => {
    const m = await import('./spreadsheet.ts');
    return { read: m.readSpreadsheet, write: m.writeSpreadsheet };
  },
};
