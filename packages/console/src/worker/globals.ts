/** Node's globals for the adapters' dependencies in the worker (Buffer, process, global). Imported first. */
import { Buffer } from 'buffer';
import process from 'process';

const g = globalThis as unknown as Record<string, unknown>;
g.global ??= globalThis;
g.Buffer ??= Buffer;
g.process ??= process;
