/**
 * An xlsx workbook checked as a zip before exceljs inflates anything: the
 * entry count, each entry's compression ratio and the total uncompressed size
 * declared in the central directory, against the format's limits; then every
 * entry inflated once, streaming and discarded, each held to exactly its
 * declared size (a directory that lies is caught as soon as an entry passes
 * its declared size, as yauzl's validateEntrySizes) and the total kept under the
 * limit, and each entry's CRC-32 compared with the directory's (a flipped bit
 * inside deflate data can inflate to other valid XML). Before inflating, each
 * entry's local header is held to the directory too (localHeadersAgree):
 * exceljs reads the zip front to back by its local headers, not by the
 * directory, and a flipped byte there (a name, a size, a flag) made it read
 * other entries than the ones checked here, or wait for bytes that never
 * come. Time is linear in the bytes the limits admit; memory is one inflate
 * window and one 256 kB inflated chunk. Damaged archives (bad offsets, broken deflate data) are found here,
 * where they get a position, instead of inside exceljs's stream.
 */
import { open } from 'node:fs/promises';
import { createInflateRaw, crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile, ZipFileOptions } from 'yauzl';
import type { Issues } from '../issues.ts';
import { LIMIT_OPTIONS, type Limits } from '../limits.ts';
import type { EntryObserver, EntrySink } from './xlsx-scan.ts';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
/** General-purpose flags that change how an entry is read: encrypted (0), sizes after the data (3), UTF-8 name (11). */
const READ_FLAGS = 0x0001 | 0x0008 | 0x0800;

/**
 * Each entry's local header against the central directory, entries in file
 * order: the signature, the flags that change how it is read, the method, the
 * name, and (when they are not deferred to a data descriptor) the CRC-32 and
 * both sizes; and the entries back to back from the first byte, each local
 * header where the one before it ends, as a reader going front to back (exceljs)
 * finds them, and the directory right after the last. The first disagreement,
 * with its entry and byte offset, or undefined.
 * One read of 30 bytes plus the name per entry.
 */
export async function localHeadersAgree(path: string, entries: Entry[]): Promise<{ entry: string; en: string; zh: string } | undefined> {
  const file = await open(path, 'r');
  try {
    const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
    let expected = 0;
    for (const e of sorted) {
      const at = e.relativeOffsetOfLocalHeader;
      const raw = (e as Entry & { fileNameRaw: Buffer }).fileNameRaw;
      const disagree = (en: string, zh: string) => ({ entry: e.fileName, en: `its local header at byte ${at} ${en}`, zh: `其本地文件头（第 ${at} 字节）${zh}` });
      if (at !== expected) return at > expected ? disagree(`is ${at - expected} bytes after the end of the entry before it (at byte ${expected})`, `与前一条目的结尾（第 ${expected} 字节）相隔 ${at - expected} 字节`) : disagree(`overlaps the entry before it (which ends at byte ${expected})`, `与前一条目重叠（前一条目至第 ${expected} 字节结束）`);
      const head = Buffer.alloc(30 + raw.length);
      const { bytesRead } = await file.read(head, 0, head.length, at);
      if (bytesRead < head.length) return disagree('is cut off by the end of the file', '被文件结尾截断');
      if (head.readUInt32LE(0) !== LOCAL_HEADER) return disagree('has no local header signature', '缺少本地文件头签名');
      const flags = head.readUInt16LE(6);
      if ((flags & READ_FLAGS) !== (e.generalPurposeBitFlag & READ_FLAGS)) return disagree(`has flags ${flags.toString(16)}, the directory ${e.generalPurposeBitFlag.toString(16)}`, `的标志为 ${flags.toString(16)}，中央目录为 ${e.generalPurposeBitFlag.toString(16)}`);
      if (head.readUInt16LE(8) !== e.compressionMethod) return disagree(`has compression method ${head.readUInt16LE(8)}, the directory ${e.compressionMethod}`, `的压缩方法为 ${head.readUInt16LE(8)}，中央目录为 ${e.compressionMethod}`);
      const nameLength = head.readUInt16LE(26);
      if (nameLength !== raw.length || !head.subarray(30).equals(raw)) {
        const [localName, centralName] = [JSON.stringify(head.toString('latin1', 30, 30 + Math.min(nameLength, raw.length))), JSON.stringify(raw.toString('latin1'))];
        return disagree(`names ${localName}, the directory ${centralName}`, `的文件名为 ${localName}，中央目录为 ${centralName}`);
      }
      const descriptor = (flags & 0x0008) !== 0;
      if (!descriptor) {
        const fields: [string, string, number, number][] = [['CRC-32', 'CRC-32', head.readUInt32LE(14), e.crc32 >>> 0], ['compressed size', '压缩大小', head.readUInt32LE(18), e.compressedSize], ['uncompressed size', '解压大小', head.readUInt32LE(22), e.uncompressedSize]];
        // 0xffffffff: the real figure is in a zip64 extra field (yauzl reads the directory's)
        for (const [en, zh, local, central] of fields) if (local !== central && local !== 0xffffffff) return disagree(`gives ${en} ${local}, the directory ${central}`, `的${zh}为 ${local}，中央目录为 ${central}`);
      }
      // a data descriptor (signature optional) follows deferred sizes: 12 or 16 bytes, 20 or 24 in zip64
      let end = at + 30 + nameLength + head.readUInt16LE(28) + e.compressedSize;
      if (descriptor) {
        const d = Buffer.alloc(4);
        await file.read(d, 0, 4, end);
        end += (d.readUInt32LE(0) === 0x08074b50 ? 4 : 0) + (e.compressedSize >= 0xffffffff || e.uncompressedSize >= 0xffffffff ? 20 : 12);
      }
      expected = end;
    }
    // what a front-to-back reader meets after the last entry: the directory itself
    const last = sorted[sorted.length - 1];
    if (last) {
      const sig = Buffer.alloc(4);
      const { bytesRead } = await file.read(sig, 0, 4, expected);
      if (bytesRead < 4 || sig.readUInt32LE(0) !== CENTRAL_HEADER) return { entry: last.fileName, en: `the central directory does not follow the last entry (at byte ${expected})`, zh: `最后一个条目之后（第 ${expected} 字节）不是中央目录` };
    }
    return undefined;
  } finally {
    await file.close();
  }
}

/** The workbook's zip opened by its central directory (entries read one by one, kept open until closed). */
export const openZip = (path: string): Promise<ZipFile> =>
  new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip))));

/** Inflated bytes a call: 16 times zlib's default, so the largest entry (the rows sheet) crosses the stream machinery, the CRC and the scan in 16 times fewer steps. */
const INFLATE_CHUNK = 256 << 10;

/** An entry's bytes as stored: deflate data raw (inflated by the caller), stored data as it is. */
export const rawStream = (zip: ZipFile, e: Entry): Promise<Readable> =>
  new Promise((resolve, reject) => zip.openReadStream(e, (e.compressionMethod === 8 ? { decompress: false } : {}) as ZipFileOptions, (err, stream) => (err ? reject(err) : resolve(stream))));

/**
 * One entry inflated and held to the directory: a deflated one to exactly its declared size
 * (refused as soon as it passes it, as yauzl's validateEntrySizes does, and
 * with its words), and its CRC-32. The entry's deflate data is read raw and
 * inflated here rather than by yauzl, whose inflate gives 16 kB a call
 * through two more streams.
 */
async function inflateChecked(zip: ZipFile, e: Entry, sink: EntrySink | undefined): Promise<void> {
  if (e.isEncrypted()) throw new Error('entry is encrypted, and options.decodeFileData !== false'); // yauzl's refusal, in its words
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) throw new Error(`unsupported compression method: ${e.compressionMethod}`);
  const raw = await rawStream(zip, e);
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      raw.unpipe();
      raw.destroy();
      if (inflate !== raw) inflate.destroy();
      reject(err);
    };
    const stored = e.compressionMethod === 0; // as yauzl reads it: no size check beyond the directory's (stored sizes must agree there), the CRC only
    const inflate: Readable = stored ? raw : raw.pipe(createInflateRaw({ chunkSize: INFLATE_CHUNK }));
    if (!stored) raw.on('error', fail);
    let crc = 0;
    let size = 0;
    inflate.on('data', (d: Buffer) => {
      if (failed) return;
      size += d.length;
      if (!stored && size > e.uncompressedSize) return fail(new Error(`too many bytes in the stream. expected ${e.uncompressedSize}. got at least ${size}`));
      crc = crc32(d, crc);
      sink?.data(d);
    });
    inflate.on('end', () => {
      if (failed) return;
      if (!stored && size < e.uncompressedSize) return fail(new Error(`not enough bytes in the stream. expected ${e.uncompressedSize}. got only ${size}`));
      if (crc >>> 0 !== e.crc32 >>> 0) return fail(new Error(`CRC-32 is ${(crc >>> 0).toString(16)}, the directory says ${(e.crc32 >>> 0).toString(16)}: the entry is corrupt`));
      sink?.end();
      resolve();
    });
    inflate.on('error', fail);
  });
}

/** Every entry of the central directory, in its order. */
export function directoryEntries(zip: ZipFile): Promise<Entry[]> {
  const entries: Entry[] = [];
  return new Promise<Entry[]>((resolve, reject) => {
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * True when the workbook may be handed to exceljs; else a fatal issue says why.
 * An observer sees the inflated bytes of the entries it asks for (xlsx-scan.ts),
 * on this one inflate, and may reorder it.
 */
export async function checkZip(path: string, limits: Limits, issues: Issues, observer?: EntryObserver): Promise<boolean> {
  const refuse = (code: 'legacy-xlsx-too-large' | 'legacy-xlsx-entries' | 'legacy-xlsx-ratio' | 'legacy-syntax', en: string, zh: string, entry?: string): false => {
    issues.add('fatal', code, en, zh, entry ? { path: entry } : undefined);
    return false;
  };
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    return refuse('legacy-syntax', `not a readable xlsx workbook: ${(err as Error).message}`, `不是可读取的 xlsx 工作簿：${(err as Error).message}`);
  }
  if (zip.entryCount > limits.xlsxEntries) {
    zip.close();
    return refuse('legacy-xlsx-entries', `the workbook has ${zip.entryCount} zip entries; at most ${limits.xlsxEntries} are accepted (${LIMIT_OPTIONS.xlsxEntries.option})`, `工作簿有 ${zip.entryCount} 个 zip 条目，最多接受 ${limits.xlsxEntries} 个（${LIMIT_OPTIONS.xlsxEntries.option}）`);
  }
  let entries: Entry[];
  try {
    entries = await directoryEntries(zip);
  } catch (err) {
    zip.close();
    return refuse('legacy-syntax', `not a readable xlsx workbook: ${(err as Error).message}`, `不是可读取的 xlsx 工作簿：${(err as Error).message}`);
  }
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(e.compressedSize, 1);
    if (e.uncompressedSize > 1 << 16 && ratio > limits.xlsxRatio) {
      zip.close();
      return refuse('legacy-xlsx-ratio', `zip entry ${e.fileName} inflates ${Math.round(ratio)} times (${e.compressedSize} → ${e.uncompressedSize} bytes); at most ${limits.xlsxRatio} is accepted (${LIMIT_OPTIONS.xlsxRatio.option})`, `zip 条目 ${e.fileName} 解压后膨胀 ${Math.round(ratio)} 倍（${e.compressedSize} → ${e.uncompressedSize} 字节），最多接受 ${limits.xlsxRatio} 倍（${LIMIT_OPTIONS.xlsxRatio.option}）`, e.fileName);
    }
  }
  if (declared > limits.xlsxUncompressed) {
    zip.close();
    return refuse('legacy-xlsx-too-large', `the workbook inflates to ${declared} bytes; at most ${limits.xlsxUncompressed} are accepted (${LIMIT_OPTIONS.xlsxUncompressed.option})`, `工作簿解压后为 ${declared} 字节，最多接受 ${limits.xlsxUncompressed} 字节（${LIMIT_OPTIONS.xlsxUncompressed.option}）`);
  }
  let local: { entry: string; en: string; zh: string } | undefined;
  try {
    local = await localHeadersAgree(path, entries);
  } catch (err) {
    zip.close();
    return refuse('legacy-syntax', `not a readable xlsx workbook: ${(err as Error).message}`, `不是可读取的 xlsx 工作簿：${(err as Error).message}`);
  }
  if (local) {
    zip.close();
    return refuse('legacy-syntax', `not a readable xlsx workbook: zip entry ${local.entry}: ${local.en}`, `不是可读取的 xlsx 工作簿：zip 条目 ${local.entry}：${local.zh}`, local.entry);
  }
  // the directory's figures are claims: inflate each entry once and hold yauzl to them
  const order = observer ? entries.map((e, i) => ({ e, i, rank: observer.rank(e.fileName) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.e) : entries;
  for (const e of order) {
    if (e.fileName.endsWith('/')) continue;
    const sink = observer?.open(e.fileName);
    try {
      await inflateChecked(zip, e, sink);
    } catch (err) {
      zip.close();
      return refuse('legacy-syntax', `not a readable xlsx workbook: zip entry ${e.fileName}: ${(err as Error).message}`, `不是可读取的 xlsx 工作簿：zip 条目 ${e.fileName}：${(err as Error).message}`, e.fileName);
    }
  }
  zip.close();
  return true;
}
