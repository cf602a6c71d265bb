/**
 * The framing extension point (public, versioned with @jiexu/adapters): how a
 * format's rows are laid out in bytes. A framing reads one file, or the parts
 * of a folder, into positioned rows of canonical values, and writes records as
 * one file or as parts. The framework around it does the rest: mapping
 * validation, value conversions (`ctx.fields`), hooks, assembly of rows into
 * records, identifier checks, reports. See docs/adapters.md#framings.
 */
import type { Writable } from 'node:stream';
import type { FieldSpec, Mapping } from '../mapping.ts';
import type { ContributionRecord } from '../record.ts';
import type { LegacyRow } from '../rows.ts';
import type { DecodeContext, EncodeContext } from './common.ts';

/**
 * The version of this interface. A framing states the version it was written
 * for (`apiVersion`); the framework refuses one it does not implement. It
 * changes only with a major version of @jiexu/adapters.
 */
export const FRAMING_API_VERSION = 1;

/** One file of an input: its name (relative to the folder, `/`-separated) and path. */
export interface Part {
  name: string;
  path: string;
}

/**
 * What a framing reads. `parts` holds one entry for a single file (its base
 * name), or every file of a folder, sorted by name. A framing that reads one
 * file at a time (`multiPart` false) is called once per part: the framework
 * names the part in every position and issue.
 */
export interface ReadSource {
  path: string;
  folder: boolean;
  parts: Part[];
}

/**
 * Where a framing writes. A single-file framing writes `stream`; a multi-part
 * one opens parts by name (`part('page-0001.json')`), writes each and ends it;
 * the framework writes them into a temporary folder renamed into place only
 * when the whole run succeeded.
 */
export interface WriteTarget {
  /** The output stream, for single-file output (undefined when writing a folder). */
  stream: Writable | undefined;
  /** Opens a new part of a folder output (throws when the output is one stream). */
  part(name: string): Writable;
}

/** A JSON Schema (2020-12) object. */
export type JsonSchema = Record<string, unknown>;

export interface Framing<Options = Record<string, unknown>> {
  /** The interface version the framing implements (FRAMING_API_VERSION). */
  apiVersion: 1;
  /** The name a mapping gives in `framing.kind`. */
  kind: string;
  /**
   * The JSON Schema of the framing's options: the mapping's `framing` object,
   * `kind` included. Fields may `$ref` "https://jiexu.org/adapters/mapping.schema.json#/$defs/field".
   */
  optionsSchema: JsonSchema;
  /** Text framings need `lineEnd` and `bom` in the mapping; binary ones (dbf, xlsx) do not. */
  text: boolean;
  /**
   * Whether the framing applies the mapping's private-character table
   * (`characters`) when it decodes and encodes text (`decodeWithTable`,
   * `encodeWithTable`). A mapping declaring a table for a framing that does not is refused.
   */
  characterTables?: boolean;
  /** The JSON Schema of writer options this framing takes besides `recordsPerPart` (e.g. `pageSize`). */
  writerSchema?: JsonSchema;
  /** Whether a mapping with these options reads and writes a folder of parts (pages) rather than one file. */
  multiPart?(options: Options): boolean;
  /** Every field the options declare (all record types, levels, sheets): lookups by target use them. */
  fields(options: Options): FieldSpec[];
  /** Rows of the source, in batches; problems go to `ctx.issues` with positions. */
  read(source: ReadSource, ctx: DecodeContext): AsyncIterable<LegacyRow[]>;
  /** Writes the records (one region's, in order) to the target; problems go to `ctx.issues`. */
  write(records: AsyncIterable<ContributionRecord>, target: WriteTarget, ctx: EncodeContext): Promise<void>;
  /** Whether the first bytes of a file are this format's (for `detectFormat`). */
  detect?(head: Buffer, mapping: Mapping): boolean;
  /**
   * Conformance rules on a written file or folder beyond reading it back: the
   * violations found (empty: conforms). The kit always reads back what a
   * framing wrote; this adds the format's own rules (widths, quoting, totals).
   */
  check?(path: string, mapping: Mapping): Promise<string[]>;
}

/** Declares a framing (type-checks it; returns it unchanged). */
export function defineFraming<Options = Record<string, unknown>>(framing: Framing<Options>): Framing<Options> {
  return framing;
}
