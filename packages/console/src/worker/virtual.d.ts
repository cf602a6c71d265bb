declare module 'virtual:jiexu-files' {
  const files: Record<string, string>;
  export default files;
}
declare module 'virtual:jiexu-format-code' {
  /** The in-memory folders of the formats the bundle was built with (JIEXU_CONSOLE_FORMATS). */
  export const formatDirs: string[];
  /** Their code files (hooks, framing) by file URL, bundled. */
  export const formatCode: Map<string, unknown>;
}
declare module 'readable-stream' {
  export const promises: unknown;
}
declare module 'util/';
declare module 'browserify-zlib';
declare module 'exceljs/lib/stream/xlsx/workbook-reader.js';
declare module 'os-browserify/browser.js';
