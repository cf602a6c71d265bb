/**
 * Optional static files beside the API: a folder served read-only under a URL prefix, with no
 * signature (they are public, like /healthz). `jiexu serve` passes the console's built bundle
 * (@jiexu/console) here; the platform itself knows nothing of the console.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface StaticFiles {
  /** The folder to serve (absolute path). */
  dir: string;
  /** The URL prefix, with a leading and a trailing slash, e.g. /console/. */
  prefix: string;
}

/** Whether a request path is one of the static files (served without a signature). */
export function isStaticPath(files: StaticFiles | undefined, path: string): boolean {
  return files !== undefined && (path === files.prefix.slice(0, -1) || path.startsWith(files.prefix));
}

/** Serves the folder under its prefix: index.html for the prefix itself, the prefix without its slash redirected. */
export function registerStaticFiles(app: FastifyInstance, files: StaticFiles): void {
  if (!/^\/([A-Za-z0-9._-]+\/)+$/.test(files.prefix)) throw new Error(`static prefix must look like /name/, got ${files.prefix}`);
  app.register(fastifyStatic, { root: files.dir, prefix: files.prefix, index: 'index.html', decorateReply: false, cacheControl: true, maxAge: 0 });
  app.get(files.prefix.slice(0, -1), (_req, reply) => reply.redirect(files.prefix, 301));
}
