/** node:readline's createInterface in the worker: the lines of a stream, as an async iterable (crlfDelay: Infinity). */
interface Input {
  [Symbol.asyncIterator](): AsyncIterator<string | Uint8Array>;
  destroy?(): void;
}

export function createInterface(opts: { input: Input; crlfDelay?: number }) {
  const input = opts.input;
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<string> {
      const decoder = new TextDecoder('utf-8');
      let rest = '';
      for await (const chunk of input) {
        rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, at);
          rest = rest.slice(at + 1);
          yield line.endsWith('\r') ? line.slice(0, -1) : line;
        }
      }
      rest += decoder.decode();
      if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    },
    close(): void {
      input.destroy?.();
    },
  };
}

export default { createInterface };
