/** The messages between the validator page and its worker. */
import type { FileResult } from '@jiexu/standard';
import type { SchemeFigures } from './figures.ts';

export interface Label {
  code: string;
  zh: string;
  en: string;
}

export interface FormatChoice {
  name: string;
  description: { zh: string; en: string };
  extensions: string[];
}

/** One file of what was chosen: its path inside the chosen folder (or its name), and the File itself (a handle: posting it copies no bytes). */
export interface ChosenFile {
  path: string;
  file: File;
}

/**
 * Page → worker. `format`: a legacy format's name, 'canonical' (JSON/JSONL/envelope) or 'auto'.
 * `folder`: the files are the parts of a folder export named `name` (a dropped or picked folder,
 * or several files picked together), read as `jiexu validate <folder>` reads a folder; else
 * `files` holds the one file.
 */
export interface ReadRequest {
  type: 'read';
  name: string;
  folder: boolean;
  /** Several files chosen without their folder (Chosen.withoutFolder). */
  withoutFolder?: boolean;
  files: ChosenFile[];
  format: string;
}

export type WorkerMessage =
  | { type: 'ready'; formats: FormatChoice[]; schemes: Label[]; issueCodes: Label[]; severities: Label[] }
  | { type: 'progress'; bytes: number; total: number; records: number }
  | { type: 'done'; format: string; result: FileResult; figures: SchemeFigures[]; records: number; jsonl: Blob | null; millis: number }
  | { type: 'failed'; message: { zh: string; en: string } };

/** The canonical pseudo-format: JSON, JSON Lines, envelopes. */
export const CANONICAL_CHOICE = 'canonical';
export const AUTO = 'auto';
