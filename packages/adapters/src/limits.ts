/**
 * Limits on what a reader accepts, so hostile input is refused early and
 * cheaply: defaults here, a format may declare its own (`limits` in its
 * mapping.json), and a caller may override them (`DecodeOptions.limits`, the
 * CLI's `--max-…` options). Each refusal has its own issue code and position.
 */
export interface Limits {
  /** Characters in one field (attribute, cell, delimited field). */
  fieldLength: number;
  /** Bytes (fixed, delimited) or characters (between two XML tags) of one record. */
  recordLength: number;
  /** XML element nesting depth. */
  xmlDepth: number;
  /** Attributes on one XML element. */
  xmlAttributes: number;
  /** xlsx: total uncompressed bytes of all entries (declared in the zip directory, and checked while inflating). */
  xlsxUncompressed: number;
  /** xlsx: entries in the zip directory. */
  xlsxEntries: number;
  /** xlsx: uncompressed / compressed size of one entry. */
  xlsxRatio: number;
}

export const DEFAULT_LIMITS: Limits = {
  fieldLength: 1000,
  recordLength: 1 << 16,
  xmlDepth: 16,
  xmlAttributes: 32,
  xlsxUncompressed: 512 << 20,
  xlsxEntries: 1000,
  xlsxRatio: 200,
};

/** The CLI option and the meaning of each limit, for `--max-…` options and messages. */
export const LIMIT_OPTIONS: Record<keyof Limits, { option: string; en: string; zh: string }> = {
  fieldLength: { option: '--max-field-length', en: 'characters in one field', zh: '单个字段的字符数' },
  recordLength: { option: '--max-record-length', en: 'bytes in one record or row', zh: '单条记录或单行的字节数' },
  xmlDepth: { option: '--max-xml-depth', en: 'XML element depth', zh: 'XML 元素嵌套层数' },
  xmlAttributes: { option: '--max-xml-attributes', en: 'attributes on one XML element', zh: '单个 XML 元素的属性数' },
  xlsxUncompressed: { option: '--max-xlsx-size', en: 'uncompressed bytes of an xlsx workbook', zh: 'xlsx 工作簿解压后的字节数' },
  xlsxEntries: { option: '--max-xlsx-entries', en: 'entries in an xlsx workbook', zh: 'xlsx 工作簿的条目数' },
  xlsxRatio: { option: '--max-xlsx-ratio', en: 'compression ratio of an xlsx entry', zh: 'xlsx 条目的压缩比' },
};

export function resolveLimits(declared: Partial<Limits> | undefined, given: Partial<Limits> | undefined): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const src of [declared, given]) {
    if (!src) continue;
    for (const k of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
      const v = src[k];
      if (v !== undefined) out[k] = v;
    }
  }
  return out;
}
