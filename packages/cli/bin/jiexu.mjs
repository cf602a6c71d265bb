#!/usr/bin/env node
// Entry point of the `jiexu` command: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

// A reader that stops early (`jiexu assess … | head`) closes the pipe: that is
// the reader's choice, not an error of ours, so end quietly as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
