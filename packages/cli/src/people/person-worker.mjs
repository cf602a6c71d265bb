// Worker-thread entry from the TypeScript sources (tests, development): loads person-worker.ts through tsx, as scripts/jiexu-from-source.mjs does. Installed, pool.ts starts the built person-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./person-worker.ts');
