/** node:os in the worker: os-browserify, with the errno constants the xlsx reader's `tmp` dependency reads at load. */
import os from 'os-browserify/browser.js';

const o = os as unknown as Record<string, any>;
export const constants = { errno: { ENOENT: 2, EBADF: 9, EEXIST: 17 }, signals: {} };
export const tmpdir = (): string => '/tmp';
export const EOL = '\n';
export const platform = (): string => 'browser';
export const homedir = (): string => '/';
export const hostname = o.hostname as () => string;
export const cpus = (): unknown[] => [];
export default { ...o, constants, tmpdir, EOL, platform, homedir, cpus };
