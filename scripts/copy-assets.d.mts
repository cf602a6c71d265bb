// Types of copy-assets.mjs (a plain-JS build step, so that it runs before anything is built).
export const PACKAGE_COPIES: Record<string, Array<[from: string, to: string]>>;
export function rewriteRelativeTsImports(code: string): string;
export function copySourceAssets(pkgDir: string): number;
export function syncTree(source: string, target: string): { written: number; removed: number };
export function refreshCopies(pkgRel: string): void;
export function refreshAllCopies(): void;
export default refreshAllCopies;
