/** @jiexu/versioning: the standard's compatibility checker, version policy, version cutting and migrations. */
export * from './compat.ts';
export { diffPaths, diffVersions, checkPaths, type DiffResult, type DiffOptions, type CheckedDiff } from './diff.ts';
export { loadVersion, LoadError, versionFreeKey, type LoadedVersion } from './load.ts';
export { checkPolicy, type PolicyFailure } from './policy.ts';
export { cutVersion, releaseVersion, type CutResult } from './cut.ts';
export { supportedVersions, latestVersion, readVersions, compareVersions, majorOf, SCHEMAS_DIR, type VersionEntry } from './versions.ts';
export { migrate, versionOfDocument, MigrationError, STEPS, type MigrationReport, type MigrationResult } from './migrate.ts';
export type { MigrationStep } from './migrations/step.ts';
export { MIGRATION_ISSUE_CODES, type MigrationIssueCode, type MigrationIssue } from './issue-codes.ts';
