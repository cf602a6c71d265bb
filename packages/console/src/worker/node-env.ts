/**
 * Runs first in the validator's worker: fills the in-memory file system with what the adapters
 * and the standard read at run time (see build/jiexu-in-browser.ts). Must be imported before them.
 */
import './globals.ts';
import { vol } from 'memfs';
import files from 'virtual:jiexu-files';

vol.fromJSON(files);
vol.mkdirSync('/tmp', { recursive: true });
vol.mkdirSync('/input', { recursive: true });
