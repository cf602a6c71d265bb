/**
 * The Chinese reference pages: the translations of the schemas' descriptions
 * (scripts/generators/docs-zh.json) are all still current, and every page of
 * the Chinese reference (catalogue, code lists, envelope, messages) is Chinese
 * throughout: no description left in English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { standardVersions } from './generated/schema-index.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ZH = JSON.parse(readFileSync(path.join(ROOT, 'packages/standard/scripts/generators/docs-zh.json'), 'utf8')) as Record<string, string>;
const latest = standardVersions.filter((v) => v.status === 'released').at(-1)!.version;

function descriptions(dir: string, out = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'examples') descriptions(full, out);
    } else if (entry.name.endsWith('.schema.json')) {
      const walk = (n: unknown): void => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object')
          for (const [k, v] of Object.entries(n)) {
            if (k === 'description' && typeof v === 'string') out.add(v.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|'));
            else walk(v);
          }
      };
      walk(JSON.parse(readFileSync(full, 'utf8')));
    }
  }
  return out;
}

describe('docs-zh.json, the Chinese of the schemas’ descriptions', () => {
  it('holds only descriptions the latest schemas (and a draft\'s, translated ahead of its release) still have (a changed description needs its translation updated)', () => {
    const current = new Set<string>();
    for (const version of [latest, ...standardVersions.filter((v) => v.status === 'draft').map((v) => v.version)]) collect(version, current);
    expect(Object.keys(ZH).filter((en) => !current.has(en))).toEqual([]);
  });
  function collect(latest: string, current: Set<string>): void {
    descriptions(path.join(ROOT, 'schemas', latest), current);
    const cat = JSON.parse(readFileSync(path.join(ROOT, 'schemas', latest, 'catalogue/case-types.json'), 'utf8')) as {
      description: string;
      caseTypes: Array<{ description: string; states: Array<{ en: string }> }>;
      administrative: Array<{ en: string }>;
      roles: Array<{ en: string }>;
      sources: Array<{ en: string }>;
    };
    const cell = (t: string) => t.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
    const listsDir = path.join(ROOT, 'schemas', latest, 'codelists');
    for (const f of readdirSync(listsDir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'))) {
      const list = JSON.parse(readFileSync(path.join(listsDir, f), 'utf8')) as { description?: string; codes: Array<{ description?: string }> };
      for (const d of [list.description, ...list.codes.map((c) => c.description)]) if (d) current.add(cell(d));
    }
    for (const t of [cat.description, ...cat.caseTypes.flatMap((c) => [c.description, ...c.states.map((s) => s.en)]), ...[...cat.administrative, ...cat.roles, ...cat.sources].map((x) => x.en)]) current.add(cell(t));
  }
  it('translates every description of the catalogue, the code lists, the envelope and every message page', () => {
    const dir = path.join(ROOT, 'docs/zh-CN/standard');
    const pages = ['catalogue.md', 'codelists.md', 'envelope.md', ...readdirSync(path.join(dir, 'messages')).map((m) => `messages/${m}`)];
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) expect(readFileSync(path.join(dir, page), 'utf8'), page).not.toContain('英文原文');
  });
});
