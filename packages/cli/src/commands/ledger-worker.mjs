// Worker-thread entry of `jiexu ledger --workers N`: loads the TypeScript worker through tsx, as bin/jiexu.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./ledger-worker.ts');
