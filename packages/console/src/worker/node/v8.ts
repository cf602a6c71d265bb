/**
 * node:v8 in the worker. The adapters spill rows to a temporary file with v8.serialize only past
 * `rowsInMemory`; the validator reads with no spill (the worker's file system is memory anyway),
 * so these are never called there. Called anyway, they say so.
 */
export function serialize(): never {
  throw new Error('v8.serialize is not available in the browser (read with rowsInMemory: Infinity)');
}
export function deserialize(): never {
  throw new Error('v8.deserialize is not available in the browser');
}
export default { serialize, deserialize };
