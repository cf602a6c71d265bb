import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANGELOG_HEADER, renderChangelog } from './changelog.ts';
import { SCHEMAS_DIR, supportedVersions } from './versions.ts';

describe('schemas/CHANGELOG.md', () => {
  it('is what the generator writes from the checker (run scripts/changelog.ts after changing a version)', () => {
    expect(readFileSync(join(SCHEMAS_DIR, 'CHANGELOG.md'), 'utf8')).toBe(renderChangelog());
    expect(readFileSync(join(SCHEMAS_DIR, 'CHANGELOG.zh-CN.md'), 'utf8')).toBe(renderChangelog(SCHEMAS_DIR, 'zh'));
  });

  it('is written in Chinese too, the two linking to each other', () => {
    const zh = renderChangelog(SCHEMAS_DIR, 'zh');
    expect(zh).toContain('# 接续标准变更记录');
    expect(zh).toContain('[English](CHANGELOG.md)');
    expect(renderChangelog()).toContain('[中文](CHANGELOG.zh-CN.md)');
    for (const v of supportedVersions()) expect(zh).toContain(`\n## ${v}`);
  });

  it('is marked generated and has a section per version', () => {
    const text = renderChangelog();
    expect(text.startsWith(CHANGELOG_HEADER)).toBe(true);
    for (const v of supportedVersions()) expect(text).toContain(`\n## ${v}`);
  });
});
