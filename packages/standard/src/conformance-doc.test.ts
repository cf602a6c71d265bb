/**
 * docs/standard/conformance.md (and its zh twin) is the specification other implementations are
 * written from: every issue code the validator reports is specified there, and the test vectors
 * its tables print are what the identifier checks say.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkCitizenId, checkUscc, isPoolingRegionInForce } from './identifiers.ts';
import { ISSUE_CODES } from './issue-codes.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = {
  en: readFileSync(`${root}docs/standard/conformance.md`, 'utf8'),
  zh: readFileSync(`${root}docs/zh-CN/standard/conformance.md`, 'utf8'),
};

/** The table rows `| \`value\` | result |` of section `### <number>`: the value and the codes the result names. */
function vectors(text: string, section: string): Array<{ value: string; codes: string[] }> {
  const start = text.indexOf(`\n### ${section} `);
  const end = text.indexOf('\n##', start + 1);
  return text
    .slice(start, end)
    .split('\n')
    .map((line) => /^\| `([^`]+)` \| (.+) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ value: m[1], codes: [...m[2].matchAll(/`([a-z-]+)`/g)].map((c) => c[1]) }));
}

/** What a check finds, as the doc names it: a shape problem is the schema pattern's issue. */
const found = (problems: Array<{ code: string }>) => [...new Set(problems.map((p) => (p.code === 'format' ? 'pattern' : p.code)))].sort();

for (const [lang, text] of Object.entries(docs)) {
  describe(`conformance.md (${lang})`, () => {
    it('specifies every issue code the validator reports', () => {
      expect(ISSUE_CODES.filter((code) => !text.includes(`\`${code}\``))).toEqual([]);
    });

    it('prints GB 11643 test vectors that checkCitizenId agrees with', () => {
      const rows = vectors(text, '5.2');
      expect(rows.length).toBeGreaterThanOrEqual(8);
      for (const { value, codes } of rows) expect(found(checkCitizenId(value).problems), value).toEqual([...new Set(codes)].sort());
    });

    it('prints GB 32100 / GB 11714 test vectors that checkUscc agrees with', () => {
      const rows = vectors(text, '5.3');
      expect(rows.length).toBeGreaterThanOrEqual(5);
      for (const { value, codes } of rows) expect(found(checkUscc(value).problems), value).toEqual([...new Set(codes)].sort());
    });

    it('prints pooling-region test vectors that the region list agrees with', () => {
      const rows = vectors(text, '5.4');
      expect(rows.length).toBeGreaterThanOrEqual(5);
      for (const { value, codes } of rows) {
        const got = [...(/^[1-9][0-9]{5}$/.test(value) ? [] : ['pattern']), ...(isPoolingRegionInForce(value) ? [] : ['region-unknown'])];
        expect(got, value).toEqual(codes);
      }
    });
  });
}
