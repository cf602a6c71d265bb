/** node:zlib in the worker: browserify-zlib (inflate for the xlsx reader's unzipper), with crc32 (the adapters' zip check). */
import zlib from 'browserify-zlib';

let table: Uint32Array | undefined;

export function crc32(data: Uint8Array | string, value = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let crc = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const z = zlib as unknown as Record<string, unknown>;
export const { createInflateRaw, createInflate, createGunzip, inflateRawSync, inflateRaw, constants } = z as Record<string, any>;
export default { ...z, crc32 };
