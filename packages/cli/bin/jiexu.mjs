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

// Only 0, 1 and 2 ever: an interrupt ends as a usage/I-O stop (2) after the
// temporary files are removed (the adapters remove theirs at exit); anything
// that escapes main is an internal error (2), never a stack trace.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\njiexu: interrupted (${signal}); nothing written\n`);
    process.exit(2);
  });
}
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (err) => {
    process.stderr.write(`jiexu: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
