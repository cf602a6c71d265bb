/** node:fs/promises in the worker: memfs's promises API. */
import { fs } from 'memfs';

const p = (fs as unknown as typeof import('node:fs')).promises;
export default p;
export const { open, stat, lstat, readdir, readFile, writeFile, mkdir, mkdtemp, rename, rm, unlink, access, copyFile } = p;
