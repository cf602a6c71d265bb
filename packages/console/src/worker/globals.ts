/**
 * Node's globals for the adapters' dependencies in the worker (Buffer, process, global,
 * setImmediate). Imported first: the zip check (yauzl) calls setImmediate before anything that
 * happens to bring a polyfill along (exceljs is loaded only once a workbook passes that check).
 */
import { Buffer } from 'buffer';
import process from 'process';
import 'setimmediate';

const g = globalThis as unknown as Record<string, unknown>;
g.global ??= globalThis;
g.Buffer ??= Buffer;
g.process ??= process;
