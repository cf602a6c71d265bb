/**
 * The least work bench/hostile.bench.ts compares the CLI with, as a process of
 * its own in plain JavaScript (no TypeScript loader: the built CLI it is
 * compared with has none either). Prints nothing; exits 0.
 *
 *   zip-directory <file>   open the zip, list its directory, sum the declared sizes (what any reader must do before it can refuse; nothing inflated)
 *   saxes <file>           decode UTF-8, saxes over every byte, no check
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';

const [mode, file] = process.argv.slice(2);

if (mode === 'zip-directory') {
  const { default: yauzl } = await import('yauzl');
  await new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err) return reject(err);
      let declared = 0;
      zip.on('entry', (e) => {
        declared += e.uncompressedSize;
        zip.readEntry();
      });
      zip.on('end', () => resolve(declared));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
} else if (mode === 'saxes') {
  const { SaxesParser } = await import('saxes');
  const dec = new TextDecoder('utf-8');
  const parser = new SaxesParser();
  let elements = 0;
  parser.on('opentag', () => elements++);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.write(dec.decode(chunk, { stream: true }));
  parser.close();
} else throw new Error(`unknown mode ${mode}`);
