#!/usr/bin/env node
/** Entry point of the `jiexu` command (package.json "bin" → dist/bin.js). */
import { main } from './main.ts';
import { argvLang, localeLang, resolveLang, say } from './lang.ts';

/** The language of the messages below: the one rule of every command (a bad --lang is main's to report). */
const lang = (() => {
  try {
    return resolveLang(argvLang(process.argv));
  } catch {
    return localeLang();
  }
})();

let finished = false;

// A reader that stops early (`jiexu assess … | head`) closes the pipe: that is
// the reader's choice, not an error of ours, so end quietly as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      finished = true;
      process.exit(process.exitCode ?? 0);
    }
    throw err;
  });
}

// Only 0, 1 and 2 ever: an interrupt ends as a usage/I-O stop (2) after the
// temporary files are removed (the adapters remove theirs at exit); anything
// that escapes main is an internal error (2), never a stack trace.
// A command that handles a signal itself (`jiexu serve` shuts down cleanly on
// SIGTERM and SIGINT) registers its own listener after this one: then it decides.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    finished = true;
    process.stderr.write(`\njiexu: ${say({ zh: `已中断（${signal}），未写出`, en: `interrupted (${signal}); nothing written` }, lang)}\n`);
    process.exit(2);
  });
}
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    finished = true;
    process.stderr.write(`jiexu: ${say({ zh: '内部错误', en: 'internal error' }, lang)}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}

// A promise that never settles (a library's stream that neither ends nor
// fails) would end the process with Node's exit code 13 and no word: it ends
// with 2 and says so instead (Node has set exitCode 13 by the 'exit' event then;
// an explicit process.exit(n) of a command is left as it is).
process.on('exit', () => {
  if (finished || process.exitCode !== 13) return;
  process.stderr.write(`jiexu: ${say({ zh: '内部错误：运行未完成即停止', en: 'internal error: the run stopped before finishing' }, lang)}\n`);
  process.exitCode = 2;
});

process.exitCode = await main(process.argv);
finished = true;
