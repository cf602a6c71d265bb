import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffCatalogue } from './diff-catalogue.ts';
import type { JsonObject } from './load.ts';
import { SCHEMAS_DIR } from './versions.ts';

const base = JSON.parse(readFileSync(join(SCHEMAS_DIR, '1.1', 'catalogue', 'case-types.json'), 'utf8')) as JsonObject & { caseTypes: any[]; sources: any[] };
const changed = (edit: (c: typeof base) => void) => {
  const c = structuredClone(base);
  edit(c);
  return diffCatalogue(base, c, 'catalogue/case-types.json').map((x) => `${x.class} ${x.pointer} ${x.change}`);
};

describe('catalogue changes', () => {
  it('an identical copy has none', () => {
    expect(changed(() => {})).toEqual([]);
  });
  it('a case type added is backward, removed forward', () => {
    expect(changed((c) => c.caseTypes.push({ ...structuredClone(c.caseTypes[0]), code: 'x-new' }))).toEqual([`backward /caseTypes/${base.caseTypes.length} case type x-new added`]);
    expect(changed((c) => c.caseTypes.splice(0, 1))).toEqual([`forward /caseTypes/0 case type ${base.caseTypes[0].code} removed`]);
  });
  it('a deadline added to a step is none; a step added backward; a step changed unclassified', () => {
    const i = base.caseTypes.findIndex((t) => t.steps.some((s: any) => !s.deadline && s.inStates));
    const j = base.caseTypes[i].steps.findIndex((s: any) => !s.deadline && s.inStates);
    expect(changed((c) => (c.caseTypes[i].steps[j].deadline = { workingDays: 5, startsAt: { message: c.caseTypes[i].steps[j].message }, source: 'unconfirmed' }))).toEqual([
      `none /caseTypes/${i}/steps/${j}/deadline deadline added to step ${base.caseTypes[i].steps[j].message}`,
    ]);
    expect(changed((c) => c.caseTypes[i].steps.push({ ...structuredClone(c.caseTypes[i].steps[j]), message: 'admin.close' }))[0]).toMatch(/^backward .* step admin\.close added$/);
    expect(changed((c) => (c.caseTypes[i].steps[j].from = ['platform']))[0]).toMatch(/^unclassified /);
  });
  it('a source added is none, a source changed unclassified', () => {
    expect(changed((c) => c.sources.push({ id: 'x-law', zh: '某法', en: 'a law', confirmed: false }))).toEqual([`none /sources/${base.sources.length} legal source x-law added`]);
    expect(changed((c) => (c.sources[0].en = 'another law'))[0]).toMatch(/^unclassified \/sources\/0 /);
  });
});
