/** node:url in the worker: file URLs of the in-memory file system. */
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;

export function fileURLToPath(url: string | URL): string {
  const u = typeof url === 'string' ? new globalThis.URL(url) : url;
  if (u.protocol !== 'file:') throw new TypeError(`The URL must be of scheme file: ${u.href}`);
  return decodeURIComponent(u.pathname);
}

export function pathToFileURL(path: string): URL {
  const u = new globalThis.URL('file:///');
  u.pathname = path.startsWith('/') ? path : `/${path}`;
  return u;
}

export default { URL, URLSearchParams, fileURLToPath, pathToFileURL };
