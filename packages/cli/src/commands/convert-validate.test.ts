/**
 * `jiexu convert` and `jiexu validate --format` make one decision: for each
 * case (a valid sample, and alterations the standard or the format forbids)
 * both exit with the same code, name the same problem at its position, and
 * whatever convert writes is valid for `jiexu validate`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const SAMPLES = fileURLToPath(new URL('../../../../examples/samples/', import.meta.url));
const sample = (f: string): Buffer => readFileSync(join(SAMPLES, f));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-gate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A jx-fixed sample with bytes of one record replaced (offsets 0-based within the record). */
function jxFixed(type: string, offset: number, bytes: string): Buffer {
  const b = Buffer.from(sample('jx-fixed-360100.txt'));
  for (let i = 0; i < b.length; i += 122) {
    if (String.fromCharCode(b[i]) === type) {
      b.write(bytes, i + offset, 'latin1');
      return b;
    }
  }
  throw new Error(`no ${type} record`);
}

const cases: { name: string; file: string; format: string; bytes: () => Buffer; code: number; issue?: string; line?: number }[] = [
  { name: 'a valid sample', file: 'ok.txt', format: 'jx-fixed', bytes: () => sample('jx-fixed-360100.txt'), code: 0 },
  { name: 'an account year before 1992 (gd-xml)', file: 'year.xml', format: 'gd-xml', bytes: () => Buffer.from(sample('gd-xml-440300.xml').toString('utf8').replace('<Account year="2015"', '<Account year="1899"')), code: 1, issue: 'record-refused' },
  { name: 'an account year 1899 (jx-fixed)', file: 'year.txt', format: 'jx-fixed', bytes: () => jxFixed('A', 19, '1899'), code: 1, issue: 'record-refused' },
  { name: 'a blank required employer code (jx-fixed)', file: 'blank.txt', format: 'jx-fixed', bytes: () => jxFixed('D', 85, ' '.repeat(18)), code: 1, issue: 'legacy-field-missing', line: 2 },
  { name: 'garbage in the unused tail of a record (jx-fixed)', file: 'tail.txt', format: 'jx-fixed', bytes: () => jxFixed('D', 110, 'X'), code: 1, issue: 'legacy-record-tail', line: 2 },
];

describe('convert and validate --format agree', () => {
  it.each(cases)('$name: same exit code and problem', async ({ file, format, bytes, code, issue, line }) => {
    const input = join(dir, file);
    await writeFile(input, bytes());
    const out = join(dir, `${file}.jsonl`);
    const converted = await runCli(['convert', input, '--from', format, '--to', 'canonical', '-o', out, '--json']);
    const validated = await runCli(['validate', '--format', format, input, '--json']);
    expect(converted.code).toBe(code);
    expect(validated.code).toBe(code);
    if (issue) {
      const report = JSON.parse(converted.stderr.trim().split('\n').at(-2)!) as { report: { issues: { code: string; location?: { line?: number } }[] } };
      const found = report.report.issues.find((i) => i.code === issue);
      expect(found, converted.stderr).toBeDefined();
      if (line !== undefined) expect(found!.location?.line).toBe(line);
      expect(validated.stdout).toContain(issue);
      expect((await readdir(dir)).filter((f) => f.startsWith(`${file}.jsonl`) || f.startsWith(`.${file}.jsonl`))).toEqual([]);
    } else {
      const again = await runCli(['validate', '--jsonl', out]);
      expect(again.code).toBe(0);
    }
  });
});
