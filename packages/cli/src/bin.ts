#!/usr/bin/env node
/** Entry point of the `jiexu` command (package.json "bin" → dist/bin.js). */
import { main } from './main.ts';

// A reader that stops early (`jiexu assess … | head`) closes the pipe: that is
// the reader's choice, not an error of ours, so end quietly as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv);
