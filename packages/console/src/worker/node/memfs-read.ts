/**
 * memfs's callback `fs.read` calls its callback inside a try block and, when the callback throws,
 * calls it again with the error. Node never calls back twice: an exception thrown by the callback
 * is uncaught. A dependency's bug then surfaced as yauzl's "callback called twice" (pend) and the
 * read never ended. Patched here so a callback's exception escapes as it would in Node (the
 * worker's uncaught-error handler then reports it) and the callback runs once.
 */
type Callback = (...args: unknown[]) => void;

export function readCallsBackOnce(fs: { read: (...args: unknown[]) => void }): void {
  const read = fs.read;
  if ((read as { once?: boolean }).once) return;
  const patched = function (this: unknown, ...args: unknown[]): void {
    const at = args.findIndex((a) => typeof a === 'function');
    if (at >= 0) {
      const callback = args[at] as Callback;
      args[at] = (...result: unknown[]) => {
        try {
          callback(...result);
        } catch (err) {
          setTimeout(() => {
            throw err;
          });
        }
      };
    }
    read.apply(this, args);
  };
  (patched as { once?: boolean }).once = true;
  fs.read = patched;
}
