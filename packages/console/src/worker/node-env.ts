/**
 * Runs first in the validator's worker: fills the in-memory file system with what the adapters
 * and the standard read at run time (see build/jiexu-in-browser.ts). Must be imported before them.
 */
import './globals.ts';
import { fs, vol } from 'memfs';
import files from 'virtual:jiexu-files';
import { readCallsBackOnce } from './node/memfs-read.ts';

readCallsBackOnce(fs as unknown as { read: (...args: unknown[]) => void });
vol.fromJSON(files);
vol.mkdirSync('/tmp', { recursive: true });
vol.mkdirSync('/input', { recursive: true });
