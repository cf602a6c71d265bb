/** @jiexu/versioning: the standard's compatibility checker, version policy and migrations. */
export * from './compat.ts';
export { diffPaths, diffVersions, checkPaths, type DiffResult, type DiffOptions, type CheckedDiff } from './diff.ts';
export { loadVersion, LoadError, versionFreeKey, type LoadedVersion } from './load.ts';
