/**
 * The chosen files in the worker's in-memory file system, where the adapters read them by path
 * (they open a file several times: a zip check, a person-order pass, exceljs's passes). Each File
 * is read as a stream (`File.stream()`) into one Buffer of exactly its size, which becomes the
 * file's contents in memfs as it is — no whole ArrayBuffer first, no second copy inside memfs
 * (memfs's writeFile copies into a buffer it grows by doubling, up to twice the file).
 */
import { Buffer } from 'buffer';
import { vol } from 'memfs';

/** The bytes of `blob`, streamed into a Buffer of its size; `onBytes` after each chunk. */
export async function streamIntoBuffer(blob: Blob, onBytes?: (read: number) => void): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(blob.size);
  const reader = blob.stream().getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > buf.length) throw new Error(`the file grew while it was read (more than ${blob.size} bytes)`);
    buf.set(value, at);
    at += value.length;
    onBytes?.(at);
  }
  if (at !== buf.length) throw new Error(`the file shrank while it was read (${at} of ${blob.size} bytes)`);
  return buf;
}

interface MemfsNode {
  _setBuf?: (buf: Buffer) => void;
  buf?: Buffer;
}
interface MemfsCore {
  getResolvedLinkOrThrow?: (path: string) => { getNode(): MemfsNode };
}

/**
 * Makes `buf` the contents of the file at `path` (created empty first), without copying it, through
 * memfs 4.80's node API (`_setBuf`); true when that worked. On a memfs without it, the bytes are
 * written the ordinary way (a copy) and false is returned.
 */
export function placeBuffer(path: string, buf: Buffer, volume: typeof vol = vol): boolean {
  volume.writeFileSync(path, '');
  const core = (volume as unknown as { _core?: MemfsCore })._core;
  const node = core?.getResolvedLinkOrThrow?.(path).getNode();
  if (node && typeof node._setBuf === 'function') {
    node._setBuf(buf);
    if (node.buf === buf) return true;
  }
  volume.writeFileSync(path, buf);
  return false;
}
