export * from './report.ts';
export * from './identifiers.ts';
