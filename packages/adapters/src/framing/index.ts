/** Framing kinds: how rows are laid out in bytes. Each reads rows from a file and writes records to a stream. */
import type { Writable } from 'node:stream';
import type { Framing } from '../mapping.ts';
import type { ContributionRecord } from '../record.ts';
import type { LegacyRow } from '../rows.ts';
import type { DecodeContext, EncodeContext } from './common.ts';
import { readFixed, writeFixed } from './fixed.ts';
import { readDelimited, writeDelimited } from './delimited.ts';
import { readXml, writeXml } from './xml.ts';
import { readSpreadsheet, writeSpreadsheet } from './spreadsheet.ts';

export interface FramingImpl {
  read(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]>;
  write(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void>;
}

export const framings: Partial<Record<Framing['kind'], FramingImpl>> = {
  fixed: { read: readFixed, write: writeFixed },
  delimited: { read: readDelimited, write: writeDelimited },
  xml: { read: readXml, write: writeXml },
  spreadsheet: { read: readSpreadsheet, write: writeSpreadsheet },
};
