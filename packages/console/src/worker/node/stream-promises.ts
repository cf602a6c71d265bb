/** node:stream/promises in the worker: readable-stream's. */
import { promises } from 'readable-stream';

export const { pipeline, finished } = promises as { pipeline: (...args: unknown[]) => Promise<void>; finished: (stream: unknown, opts?: unknown) => Promise<void> };
export default { pipeline, finished };
