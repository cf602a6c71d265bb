/**
 * What the zip check (zip-check.ts) learns about a workbook while it inflates
 * every entry anyway: whether each person's rows in the rows sheet are
 * together, so the reader can stream them ungrouped (grouping holds every row
 * until the input ends: at 200k rows that was most of the read's time), and
 * the accounts sheet's bytes, so a workbook whose accounts sheet comes after
 * its rows (as jiexu writes it) can still give the assembler every account
 * year before the first person's rows.
 *
 * The scan looks only at the identifier column of the rows sheet, as the raw
 * cell (a shared-string index, or inline text), and resolves the indices
 * through sharedStrings.xml. It answers "together" only when it understood
 * every identifier cell: one identifier cell per row, plain `<c r="A2" t="s">
 * <v>n</v>` or inline text without entities, shared strings without rich text
 * or entities. Anything else (other writers' layouts, quoting, formulas) and
 * it answers false: the rows are then grouped, which is always correct, only
 * slower. Should it ever be wrong, the assembler refuses to split a person
 * (`legacy-person-not-contiguous`) rather than altering records silently.
 *
 * Sheet names are found as exceljs finds them: `xl/worksheets/sheetN.xml` →
 * the first relationship of xl/_rels/workbook.xml.rels targeting
 * `worksheets/sheetN.xml` → the first `<sheet>` of xl/workbook.xml with its
 * `r:id`.
 */
import { SaxesParser } from 'saxes';
import type { SpreadsheetFraming } from '../mapping.ts';

/** Accounts sheets up to this many inflated bytes are held for reading before the rows. */
const ACCOUNTS_HELD = 32 << 20;
/** workbook.xml and its relationships are small; past this, the scan gives up. */
const DIRECTORY_FILE = 4 << 20;
/** A worksheet entry as exceljs recognizes it (unanchored, as it matches). */
export const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
const SPECIAL = new Set(['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml']);

export interface WorkbookScan {
  /** True when every person's rows in the rows sheet are together (false also when unsure). */
  personsTogether: boolean;
  /** The accounts sheet's inflated XML, when it was small enough to hold, and its number (sheetN.xml). */
  accounts?: { sheetNo: string; bytes: Buffer };
}

/** A sink for one entry's inflated bytes. */
export interface EntrySink {
  data(chunk: Buffer): void;
  end(): void;
}

/** What zip-check.ts asks of an observer of the entries it inflates. */
export interface EntryObserver {
  /** Inflation order: lower first (the order does not change what is checked). */
  rank(name: string): number;
  /** A sink for the entry's bytes, or undefined to leave it alone. */
  open(name: string): EntrySink | undefined;
}

/**
 * buf.indexOf(needle, from), found by the needle's last byte (Buffer.indexOf of one byte is a memchr) and a
 * comparison of the bytes before it: Buffer.indexOf of the multi-byte `<c r="A` and `<row` ran at about 1 GB/s,
 * twice over the rows sheet, and was most of the zip check's time. Tested against Buffer.indexOf.
 */
export function find(buf: Buffer, needle: Buffer, from: number): number {
  const last = needle.length - 1;
  const key = needle[last];
  for (let k = buf.indexOf(key, from + last); k >= 0; k = buf.indexOf(key, k + 1)) if (bytesAt(buf, k - last, needle, last)) return k - last;
  return -1;
}

/** True when buf holds the first `n` bytes of `bytes` at `at` (byte by byte: they are a few, and buf.compare's call cost more than the search). */
function bytesAt(buf: Buffer, at: number, bytes: Buffer, n = bytes.length): boolean {
  if (at + n > buf.length) return false;
  for (let j = 0; j < n; j++) if (buf[at + j] !== bytes[j]) return false;
  return true;
}

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
function columnLetters(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function collect(limit: number, done: (bytes: Buffer | undefined) => void): EntrySink {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    data(chunk) {
      size += chunk.length;
      if (size <= limit) parts.push(chunk);
    },
    end() {
      done(size <= limit ? Buffer.concat(parts) : undefined);
    },
  };
}

/** Elements of a small XML file with their attributes (undefined when it does not parse). */
function elements(bytes: Buffer, name: string): Record<string, string>[] | undefined {
  const out: Record<string, string>[] = [];
  const parser = new SaxesParser();
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (t) => {
    if (t.name === name) out.push({ ...(t.attributes as Record<string, string>) });
  });
  parser.write(bytes.toString('utf8')).close();
  return failed ? undefined : out;
}

/**
 * The identifier column of the rows sheet: raw tokens ("s" + index, or "i" +
 * inline text) run by run, stopping at the first token seen again after
 * another.
 */
class IdColumn implements EntrySink {
  private carry: Buffer = Buffer.alloc(0);
  private prev: string | undefined;
  private readonly seen = new Set<string>();
  /** Distinct tokens in the order of their runs. */
  readonly runs: string[] = [];
  rows = 0;
  cells = 0;
  /** Unsure (a layout not understood): grouping decides. */
  unsure = false;
  /** A person's rows seen apart (by raw token). */
  apart = false;
  private readonly open: Buffer;
  /** `<v>n</v></c>` of the last shared-string identifier cell read by the patterns (its token is `prev`). */
  private prevValue: Buffer | undefined;
  private static readonly ROW = Buffer.from('<row');

  constructor(column: string) {
    this.open = Buffer.from(`<c r="${column}`, 'latin1');
  }

  data(chunk: Buffer): void {
    if (this.unsure || this.apart) return;
    this.scan(this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk, false);
  }

  /** Bytes scanned as they are (Buffer.indexOf): the sheet is most of the workbook, and text of it would be copied twice. */
  private scan(buf: Buffer, last: boolean): void {
    if (this.unsure || this.apart) return;
    // everything before `stop` is scanned now; the rest waits for the next chunk
    let stop = last ? buf.length : Math.max(0, buf.length - 32);
    let pos = find(buf, this.open, 0);
    while (pos >= 0 && pos < stop) {
      const end = this.cell(buf, pos);
      if (end < 0) {
        if (this.unsure || this.apart) return;
        if (last) {
          this.unsure = true; // a cell cut off at the end
          return;
        }
        stop = pos; // incomplete: wait for more
        break;
      }
      pos = find(buf, this.open, end);
    }
    for (let r = find(buf, IdColumn.ROW, 0); r >= 0 && r < stop; r = find(buf, IdColumn.ROW, r + 4)) {
      const c = buf[r + 4];
      if (c === 0x20 || c === 0x3e || c === 0x2f || c === 0x09 || c === 0x0a || c === 0x0d) this.rows++;
    }
    this.carry = Buffer.from(buf.subarray(stop)); // a copy: a view would pin the whole chunk
    if (this.carry.length > 1 << 16) this.unsure = true; // a cell this long: not worth a guess
  }

  /** Reads the identifier cell at `pos`: the index just past it, or -1 (incomplete, or unsure/apart set). */
  private cell(buf: Buffer, pos: number): number {
    let i = pos + this.open.length;
    while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
    if (i === pos + this.open.length) return i; // `<c r="AB…`: another column beginning with the id column's letters
    if (i >= buf.length) return -1;
    if (buf[i] !== 0x22) {
      this.unsure = true;
      return -1;
    }
    const close = buf.indexOf(0x3e, i);
    if (close < 0) return -1;
    // the usual cell repeats the row before's identifier (`<c r="A3" t="s"><v>5</v></c>`): matched on its
    // bytes, without the strings and patterns below (they were most of the zip check's time); what the
    // patterns would read from the same bytes is the previous token, so nothing else changes
    const repeat = this.prevValue;
    if (repeat && close - i === 1 + SHARED_ATTRS.length && buf.length - close >= 40 && bytesAt(buf, i + 1, SHARED_ATTRS) && bytesAt(buf, close + 1, repeat)) {
      this.cells++;
      return close + 1 + repeat.length;
    }
    this.prevValue = undefined;
    const attrs = buf.toString('latin1', i + 1, close);
    if (attrs.endsWith('/')) return close + 1; // an empty cell: no identifier
    let token: string;
    let end: number;
    if (SHARED_CELL.test(attrs)) {
      if (buf.length - close < 40) return -1;
      const m = SHARED_VALUE.exec(buf.toString('latin1', close + 1, close + 40));
      if (!m) {
        this.unsure = true;
        return -1;
      }
      token = `s${m[1]}`;
      end = close + 1 + m[0].length;
      this.prevValue = Buffer.from(buf.subarray(close + 1, end)); // a copy: a view would pin the chunk
    } else if (INLINE_CELL.test(attrs)) {
      const stop = buf.indexOf('</c>', close, 'latin1');
      if (stop < 0) return -1;
      const m = INLINE_VALUE.exec(buf.toString('latin1', close + 1, stop));
      if (!m) {
        this.unsure = true;
        return -1;
      }
      token = `i${m[1]}`;
      end = stop + 4;
    } else {
      this.unsure = true; // a number, a formula, a typed string: not scanned
      return -1;
    }
    this.cells++;
    if (token !== this.prev) {
      if (this.seen.has(token)) {
        this.apart = true;
        return -1;
      }
      this.seen.add(token);
      this.runs.push(token);
      this.prev = token;
    }
    return end;
  }

  end(): void {
    this.scan(this.carry, true);
  }
}

const SHARED_CELL = /^ t="s"(?: s="\d+")?$|^ s="\d+" t="s"$/;
/** The attributes after `r="…"` of the usual shared-string cell. */
const SHARED_ATTRS = Buffer.from(' t="s"', 'latin1');
const SHARED_VALUE = /^<v>(\d+)<\/v><\/c>/;
const INLINE_CELL = /^ t="inlineStr"(?: s="\d+")?$|^ s="\d+" t="inlineStr"$/;
const INLINE_VALUE = /^<is><t(?: xml:space="preserve")?>([^<&]*)<\/t><\/is>$/;

/** sharedStrings.xml: the plain text of the wanted indices (undefined: rich text or entities among them). */
class SharedStrings implements EntrySink {
  private carry = '';
  private index = 0;
  readonly texts = new Map<number, string>();
  unsure = false;
  constructor(private readonly wanted: Set<number>) {}

  data(chunk: Buffer): void {
    if (this.unsure) return;
    // latin1: bytes as characters, so texts compare as the bytes do (inline tokens are latin1 too)
    const text = this.carry + chunk.toString('latin1');
    let pos = 0;
    for (;;) {
      const open = text.indexOf('<si', pos);
      if (open < 0 || open + 5 > text.length) break;
      const next = text[open + 3];
      if (next === '/') {
        this.index++;
        pos = open + 5;
        continue;
      }
      if (next !== '>') {
        if (/[\s]/.test(next)) {
          this.unsure = true; // attributes on <si>: not understood
          return;
        }
        pos = open + 3; // <sst…>? no: another element starting "<si"
        continue;
      }
      const close = text.indexOf('</si>', open);
      if (close < 0) {
        pos = open;
        break;
      }
      if (this.wanted.has(this.index)) {
        const m = /^<t(?: xml:space="preserve")?>([^<&]*)<\/t>$/.exec(text.slice(open + 4, close));
        if (!m) {
          this.unsure = true;
          return;
        }
        this.texts.set(this.index, m[1]);
      }
      this.index++;
      pos = close + 5;
    }
    this.carry = text.slice(pos);
    if (this.carry.length > 1 << 20) this.unsure = true;
  }

  end(): void {}
}

/**
 * An observer for checkZip: call `result()` after the check for what it
 * learned. Entries are ranked so that the workbook and its relationships
 * come first (to know which entry is the rows sheet), shared strings last
 * (to know which indices matter).
 */
export function workbookScan(framing: SpreadsheetFraming): EntryObserver & { result(): WorkbookScan } {
  const idField = framing.rows.fields.findIndex((f) => f.as === 'person.id');
  let sheets: Record<string, string>[] | undefined;
  let rels: Record<string, string>[] | undefined;
  let directoryFailed = false;
  let ids: IdColumn | undefined;
  let shared: SharedStrings | undefined;
  let accounts: WorkbookScan['accounts'];
  const names = new Map<string, number>(); // sheet name → entries of that name
  const seenEntries = new Set<string>();
  let duplicateEntry = false;

  const nameOf = (sheetNo: string): string => {
    const rel = rels!.find((r) => r.Target === `worksheets/sheet${sheetNo}.xml`);
    const sheet = rel && sheets!.find((s) => s['r:id'] === rel.Id);
    return sheet?.name ?? `Sheet${sheetNo}`;
  };

  return {
    rank(name) {
      if (name === 'xl/workbook.xml' || name === 'xl/_rels/workbook.xml.rels') return 0;
      if (name === 'xl/sharedStrings.xml') return 2;
      return 1;
    },
    open(name) {
      if (seenEntries.has(name)) duplicateEntry = true;
      seenEntries.add(name);
      if (name === 'xl/workbook.xml') {
        return collect(DIRECTORY_FILE, (b) => {
          sheets = b && elements(b, 'sheet');
          if (!sheets) directoryFailed = true;
        });
      }
      if (name === 'xl/_rels/workbook.xml.rels') {
        return collect(DIRECTORY_FILE, (b) => {
          rels = b && elements(b, 'Relationship');
          if (!rels) directoryFailed = true;
        });
      }
      if (name === 'xl/sharedStrings.xml') {
        if (!ids || ids.unsure || ids.apart) return undefined;
        const wanted = new Set(ids.runs.filter((t) => t[0] === 's').map((t) => Number(t.slice(1))));
        shared = new SharedStrings(wanted);
        return shared;
      }
      const m = SPECIAL.has(name) ? null : WORKSHEET.exec(name);
      if (!m || !sheets || !rels) return undefined;
      const sheetName = nameOf(m[1]);
      names.set(sheetName, (names.get(sheetName) ?? 0) + 1);
      if (sheetName === framing.rows.sheet && idField >= 0) {
        ids = new IdColumn(columnLetters(idField + 1));
        return ids;
      }
      if (framing.accounts && sheetName === framing.accounts.sheet) {
        const sheetNo = m[1];
        return collect(ACCOUNTS_HELD, (b) => {
          accounts = b ? { sheetNo, bytes: b } : undefined;
        });
      }
      return undefined;
    },
    result() {
      const one = (sheet: string | undefined): boolean => sheet === undefined || (names.get(sheet) ?? 0) <= 1;
      const sound = !directoryFailed && !duplicateEntry && one(framing.rows.sheet) && one(framing.accounts?.sheet) && one(framing.persons?.sheet);
      let together = false;
      if (sound && ids && !ids.unsure && !ids.apart && ids.cells === ids.rows) {
        // tokens → texts: the runs' texts must all differ (one index per text is not promised)
        const needShared = ids.runs.some((t) => t[0] === 's');
        if (!needShared || (shared && !shared.unsure)) {
          const texts = new Set<string>();
          let prev: string | undefined;
          together = true;
          for (const t of ids.runs) {
            const text = t[0] === 's' ? shared!.texts.get(Number(t.slice(1))) : t.slice(1);
            if (text === undefined) {
              together = false; // an index past the shared strings: exceljs will say what it makes of it
              break;
            }
            if (text === prev) continue;
            if (texts.has(text)) {
              together = false;
              break;
            }
            texts.add(text);
            prev = text;
          }
        }
      }
      return { personsTogether: together, accounts: sound ? accounts : undefined };
    },
  };
}
