/** node:crypto in the worker: random bytes only (the xlsx reader's `tmp` names its temporary files with them). */
import { Buffer } from 'buffer';

export function randomBytes(size: number, cb?: (err: Error | null, buf: Buffer) => void): Buffer {
  const buf = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(size)));
  if (cb) queueMicrotask(() => cb(null, buf));
  return buf;
}
export const pseudoRandomBytes = randomBytes;
export default { randomBytes, pseudoRandomBytes };
