export * from './record.ts';
export * from './month.ts';
export * from './calendar.ts';
