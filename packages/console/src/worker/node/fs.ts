/** node:fs in the worker: memfs's in-memory volume (see README.md). */
import { fs } from 'memfs';

export default fs;
export const {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  openSync,
  readSync,
  closeSync,
  promises,
  constants,
} = fs as unknown as typeof import('node:fs');
