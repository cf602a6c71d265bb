/**
 * `jiexu formats new NAME --like KIND|FORMAT`: a new format folder to start
 * from — mapping.json (from a framing's template or an existing format's
 * mapping, renamed), a sample written from generated records through the new
 * mapping, and a test that runs `jiexu conformance` on it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { AdapterError, formats, getAdapter, loadFormats, writeRecords } from '../adapter.ts';
import { recordsArbitrary } from './generate.ts';
import { formatEntries } from '../registry.ts';

const TEMPLATES = new URL('./templates/', import.meta.url);
/** The framings with a template of their own; other kinds start from the built-in format using them. */
export const TEMPLATE_KINDS = ['dbf', 'json'];
const BUILT_IN_BY_KIND: Record<string, string> = { fixed: 'jx-fixed', delimited: 'ln-jb', xml: 'gd-xml', spreadsheet: 'bj-xlsx' };

export interface Scaffold {
  dir: string;
  files: string[];
}

export async function scaffoldFormat(opts: { name: string; like: string; parent: string }): Promise<Scaffold> {
  const { name, like } = opts;
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(name)) throw new AdapterError(`format name "${name}" must be lower-case letters, digits and -, starting with a letter (e.g. ah-dbf)`);
  if (formats.some((f) => f.name === name)) throw new AdapterError(`a format ${name} already exists`);
  const dir = resolve(opts.parent, name);
  if (existsSync(dir)) throw new AdapterError(`${dir} already exists`);
  let mapping: Record<string, unknown>;
  let codeFrom: URL | undefined;
  if (TEMPLATE_KINDS.includes(like)) {
    mapping = JSON.parse(await readFile(new URL(`${like}.json`, TEMPLATES), 'utf8')) as Record<string, unknown>;
  } else {
    const from = BUILT_IN_BY_KIND[like] ?? like;
    if (!formats.some((f) => f.name === from)) throw new AdapterError(`--like ${like}: neither a framing (${[...TEMPLATE_KINDS, ...Object.keys(BUILT_IN_BY_KIND)].join(', ')}) nor a known format`);
    mapping = structuredClone(getAdapter(from).mapping) as unknown as Record<string, unknown>;
    codeFrom = formatEntries().get(from)?.dir;
  }
  mapping.name = name;
  delete mapping.issueCodes;
  mapping.description = { zh: `${name}：（请写明地区、系统和文件）`, en: `${name}: (say which region, system and file)` };
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const put = async (file: string, text: string) => {
    await writeFile(join(dir, file), text);
    files.push(file);
  };
  await put('mapping.json', `${JSON.stringify(mapping, null, 2)}\n`);
  // the hooks of the format it is like come along (a framing of its own too); a .ts one imports by relative path and must be adapted
  for (const f of codeFrom ? readdirSync(codeFrom).filter((x) => /^(hooks|framing)\.(mjs|js|ts)$/.test(x)) : []) {
    await copyFile(new URL(f, codeFrom), join(dir, f));
    files.push(f);
  }
  await loadFormats([dir]);
  const m = getAdapter(name).mapping;
  const [records] = fc.sample(recordsArbitrary(m), { numRuns: 1, seed: 1 });
  const region = m.regions[0];
  const sample = `${name}-${region}${m.framing.kind === 'json' && (m.framing as { layout?: string }).layout === 'pages' ? '' : m.extensions[0]}`;
  const written = await writeRecords(records.map((r) => ({ ...r, region, provenance: { ...r.provenance, region } })), name, join(dir, sample), { exportedAt: '2026-03-01T10:00:00+08:00' });
  if (!written.report.valid) throw new AdapterError(`the sample could not be written: ${written.report.issues.map((i) => i.message.en).join('; ')}`);
  files.push(sample);
  await put(
    'conformance.test.mjs',
    `// Runs the conformance kit on this format's sample: node --test ${name}/conformance.test.mjs
// (JIEXU_BIN names the jiexu command when it is not on PATH, e.g. "npx jiexu").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
test('${name} passes jiexu conformance', () => {
  const bin = process.env.JIEXU_BIN ?? 'jiexu';
  const out = execSync(\`\${bin} conformance --formats-dir "\${here}" --format ${name} "\${here}${sample}" --lang en\`, { encoding: 'utf8' });
  assert.match(out, /conforms/);
});
`,
  );
  return { dir, files };
}
