import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANGELOG_HEADER, renderChangelog } from './changelog.ts';
import { SCHEMAS_DIR, supportedVersions } from './versions.ts';

describe('schemas/CHANGELOG.md', () => {
  it('is what the generator writes from the checker (run scripts/changelog.ts after changing a version)', () => {
    expect(readFileSync(join(SCHEMAS_DIR, 'CHANGELOG.md'), 'utf8')).toBe(renderChangelog());
  });

  it('is marked generated and has a section per version', () => {
    const text = renderChangelog();
    expect(text.startsWith(CHANGELOG_HEADER)).toBe(true);
    for (const v of supportedVersions()) expect(text).toContain(`\n## ${v}`);
  });
});
