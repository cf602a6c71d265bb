/**
 * @jiexu/console on the Node side: where the built static bundle is, for a server to serve
 * (`jiexu serve` mounts it under /console/). The bundle itself is browser code, built by Vite.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The URL path the bundle is built for and served under. */
export const CONSOLE_BASE = '/console/';

/** The built bundle's folder (index.html, assets/), with a trailing separator. The same from src/ and dist/. */
export function consoleAppDir(): string {
  return fileURLToPath(new URL('../dist/app/', import.meta.url));
}

/** Whether the bundle has been built (index.html exists). */
export function consoleAppBuilt(): boolean {
  return existsSync(new URL('../dist/app/index.html', import.meta.url));
}
