/**
 * `jiexu schema diff` and the policy check in Chinese: every change and reason
 * the checker writes has its Chinese twin, so a zh locale leaves no English
 * prose — only codes, identifiers, pointers, quoted values and `keywords`.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPolicy, CLASSES, cutVersion, MODES, readVersions, releaseVersion, SCHEMAS_DIR, supportedVersions } from '@jiexu/versioning';
import { englishWordsIn } from '../testing/english-words.ts';
import { CHINESE, ENGLISH, runCli } from '../testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PAIRS = `${ROOT}packages/versioning/src/__fixtures__/pairs`;
const pair = (name: string): [string, string] => [`${PAIRS}/${name}/old.json`, `${PAIRS}/${name}/new.json`];

/** Codes that may stay: the classes and modes the output names beside their Chinese. */
const NAMES = new Set<string>([...CLASSES, ...MODES]);
const englishWords = (text: string) => englishWordsIn(text, NAMES);

describe('jiexu schema diff in Chinese', () => {
  it('prints the changes between schemas/1.0 and schemas/1.1 without English prose', async () => {
    const zh = await runCli(['schema', 'diff', `${ROOT}schemas/1.0`, `${ROOT}schemas/1.1`], CHINESE);
    const en = await runCli(['schema', 'diff', `${ROOT}schemas/1.0`, `${ROOT}schemas/1.1`], ENGLISH);
    expect(zh.code).toBe(en.code);
    expect(zh.stdout.trim().split('\n').length).toBe(en.stdout.trim().split('\n').length);
    expect(zh.stdout).toMatch(/\p{Script=Han}/u);
    expect(englishWords(zh.stdout)).toEqual([]);
  });

  // every pair of the versioning corpus: each rule of the checker writes its Chinese twin
  const names = readdirSync(PAIRS).sort();
  it.each(names)('prints the %s pair without English prose', async (name) => {
    const zh = await runCli(['schema', 'diff', ...pair(name)], CHINESE);
    expect(zh.stdout).toMatch(/\p{Script=Han}/u);
    expect(englishWords(zh.stdout)).toEqual([]);
  });

  it('keeps the English lines as they were under an English locale', async () => {
    const en = await runCli(['schema', 'diff', ...pair('property-added-closed')], ENGLISH);
    expect(en.stdout).toMatch(/^backward\s+new\.json#\/properties\/b: property 'b' added — /);
    expect(englishWords(en.stdout).length).toBeGreaterThan(0);
  });
});

describe('the policy check in Chinese', () => {
  it('words a failure in Chinese beside the English one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-policy-zh-'));
    try {
      const schemas = join(dir, 'schemas');
      cpSync(SCHEMAS_DIR, schemas, { recursive: true });
      // a draft in the repository is released in the copy, so the next minor can be cut
      const latest = readVersions(schemas).versions.at(-1)!.version;
      if (!supportedVersions(schemas).includes(latest)) releaseVersion(latest, { schemasDir: schemas });
      const from = supportedVersions(schemas).at(-1) as string;
      const [major, minor] = from.split('.').map(Number) as [number, number];
      const to = `${major}.${minor + 1}`;
      cutVersion(to, { schemasDir: schemas });
      const file = join(schemas, to, 'contribution-record', 'contribution-record.schema.json');
      const schema = JSON.parse(readFileSync(file, 'utf8'));
      schema.properties.x = { type: 'string' };
      schema.required.push('x');
      writeFileSync(file, JSON.stringify(schema, null, 2));
      const failures = checkPolicy(schemas);
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) {
        expect(f.message).toContain("property 'x' added to required");
        expect(f.messageZh).toContain('`x`');
        expect(englishWords(f.messageZh)).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
