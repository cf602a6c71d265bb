/**
 * An xlsx workbook checked as a zip before exceljs inflates anything: the
 * entry count, each entry's compression ratio and the total uncompressed size
 * declared in the central directory, against the format's limits; then every
 * entry inflated once, streaming and discarded, with yauzl checking that each
 * inflates to exactly its declared size (a directory that lies is caught as
 * soon as an entry passes its declared size) and the total kept under the
 * limit, and each entry's CRC-32 compared with the directory's (a flipped bit
 * inside deflate data can inflate to other valid XML). Time is linear in the bytes the limits admit; memory is one inflate
 * window. Damaged archives (bad offsets, broken deflate data) are found here,
 * where they get a position, instead of inside exceljs's stream.
 */
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Issues } from '../issues.ts';
import { LIMIT_OPTIONS, type Limits } from '../limits.ts';
import type { EntryObserver } from './xlsx-scan.ts';

const openZip = (path: string): Promise<ZipFile> =>
  new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip))));

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
  const entries: Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: Entry) => {
        entries.push(e);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
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
  // the directory's figures are claims: inflate each entry once and hold yauzl to them
  const order = observer ? entries.map((e, i) => ({ e, i, rank: observer.rank(e.fileName) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.e) : entries;
  for (const e of order) {
    if (e.fileName.endsWith('/')) continue;
    const sink = observer?.open(e.fileName);
    try {
      await new Promise<void>((resolve, reject) => {
        zip.openReadStream(e, (err, stream) => {
          if (err) return reject(err);
          let crc = 0;
          stream.on('data', (d: Buffer) => {
            crc = crc32(d, crc);
            sink?.data(d);
          });
          stream.on('end', () => (crc >>> 0 === e.crc32 >>> 0 ? (sink?.end(), resolve()) : reject(new Error(`CRC-32 is ${(crc >>> 0).toString(16)}, the directory says ${(e.crc32 >>> 0).toString(16)}: the entry is corrupt`))));
          stream.on('error', reject);
        });
      });
    } catch (err) {
      zip.close();
      return refuse('legacy-syntax', `not a readable xlsx workbook: zip entry ${e.fileName}: ${(err as Error).message}`, `不是可读取的 xlsx 工作簿：zip 条目 ${e.fileName}：${(err as Error).message}`, e.fileName);
    }
  }
  zip.close();
  return true;
}
