/**
 * The xml framing's saxes parser stays a fast V8 object with every handler
 * set (see fastParser in xml.ts: a dictionary-mode parser made the whole
 * gd-xml read 3× slower). Asked of V8 itself, in a child process allowed its
 * natives syntax; the same question of a plain saxes parser must say "slow",
 * or the check would prove nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../index.ts';

const XML = fileURLToPath(new URL('./xml.ts', import.meta.url));
const ATTRIBUTES = fileURLToPath(new URL('./xml-attributes.ts', import.meta.url));

/** Whether the parser (fastParser's, or a plain saxes one) has fast properties once a handler is set for every saxes event. */
function fastWithEveryHandler(plain: boolean): boolean {
  const script = `
    import { SaxesParser } from 'saxes';
    import { fastParser, SAXES_EVENTS } from ${JSON.stringify(XML)};
    import { collectPlainAttributes } from ${JSON.stringify(ATTRIBUTES)};
    const parser = ${plain ? 'new SaxesParser({ xmlns: true, position: true })' : 'fastParser()'};
    ${plain ? '' : 'collectPlainAttributes(parser); // as the reader does: its two methods replaced too'}
    for (const event of SAXES_EVENTS) parser.on(event, () => {});
    parser.write('<r xmlns="urn:x"><a b="1"/><x:a xmlns:x="urn:x" x:b="1"/></r>').close();
    console.log(%HasFastProperties(parser));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--conditions=@jiexu/source', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  return out.trim() === 'true';
}

describe('xml framing parser', () => {
  it('keeps fast properties with a handler for every saxes event', () => {
    expect(fastWithEveryHandler(false)).toBe(true);
  });
  it('(a plain saxes parser does not: the check above can fail)', () => {
    expect(fastWithEveryHandler(true)).toBe(false);
  });
});

describe('gd-xml namespaces', () => {
  const NS = 'urn:gd:si:export:2.1';
  const root = (attrs: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<InsuranceExport ${attrs} region="440300" generated="2026-03-01T10:00:00+08:00">\n`;
  const person = '<Person idNo="41152519680302863X" name="郝萍" gender="M" birthDate="1968-03-02">';
  const period = '<Period from="2015-08" to="2015-10" base="6123.45" employer="857.28" individual="489.88" status="normal" employerId="914403003MMPU13U61"/>';
  const doc = (rows: string, head = root(`xmlns="${NS}"`), personTag = person) => `${head}${personTag}<Scheme code="110">\n${rows}\n</Scheme></Person>\n</InsuranceExport>\n`;
  /** Every element of `doc` written with the prefix `g` instead of under the default namespace. */
  const prefixed = (d: string) => d.replace(/<(\/?)(InsuranceExport|Person|Scheme|Period)\b/g, '<$1g:$2').replace(`xmlns="${NS}"`, `xmlns:g="${NS}"`);

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jiexu-xml-ns-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function read(name: string, text: string) {
    const path = join(dir, name);
    await writeFile(path, text);
    const d = decode('gd-xml', path);
    const records: unknown[] = [];
    for await (const r of d) records.push(r);
    return { records, report: d.report };
  }
  const issue = (r: Awaited<ReturnType<typeof read>>, code: string) => {
    const i = r.report.issues.find((x) => x.code === code);
    if (!i) throw new Error(`no ${code} among ${r.report.issues.map((x) => x.code).join(', ')}`);
    return i;
  };

  it('elements under a prefix bound to the format namespace read as under the default one', async () => {
    const plain = await read('plain.xml', doc(period));
    const withPrefix = await read('prefixed.xml', prefixed(doc(period)));
    expect(plain.report.valid).toBe(true);
    expect(plain.records).toHaveLength(1);
    // the same records but for where they were read (file, column)
    const content = (rs: unknown[]) => JSON.parse(JSON.stringify(rs, (k, v: unknown) => (k === 'column' || k === 'file' ? undefined : v))) as unknown;
    expect(content(withPrefix.records)).toEqual(content(plain.records));
    expect(withPrefix.report.issues.map((i) => i.code)).toEqual(plain.report.issues.map((i) => i.code));
  });

  it('a root in another namespace is refused', async () => {
    const r = await read('root-ns.xml', doc(period, root('xmlns="urn:gd:si:export:2.0"')));
    expect(issue(r, 'legacy-xml-namespace')).toMatchObject({ severity: 'fatal', location: { line: 2, path: '/InsuranceExport' } });
    expect(r.records).toHaveLength(0);
  });

  it('a root in no namespace is refused', async () => {
    const r = await read('root-none.xml', doc(period, root('')));
    expect(issue(r, 'legacy-xml-namespace')).toMatchObject({ severity: 'fatal', location: { line: 2 } });
  });

  it('a default namespace redeclared to another URI below the root: that element is reported and not read', async () => {
    const r = await read('person-ns.xml', doc(period, undefined, person.replace('<Person', '<Person xmlns="urn:other"')));
    expect(issue(r, 'legacy-xml-namespace')).toMatchObject({ severity: 'error', location: { line: 3, path: '/InsuranceExport/Person[1]' } });
    expect(r.records).toHaveLength(0);
    expect(r.report.valid).toBe(false);
  });

  it('a prefix redeclared to another URI on a row: that row is reported', async () => {
    const text = prefixed(doc(period)).replace('<g:Period ', '<g:Period xmlns:g="urn:other" ');
    const r = await read('period-ns.xml', text);
    expect(issue(r, 'legacy-xml-namespace')).toMatchObject({ severity: 'error', location: { line: 4, path: '/InsuranceExport/Person[1]/Scheme[1]/Period[1]' } });
    expect(r.report.valid).toBe(false);
  });

  it('an unbound prefix is not well-formed', async () => {
    const r = await read('unbound.xml', doc(period.replace('<Period', '<x:Period')));
    expect(issue(r, 'legacy-xml-syntax')).toMatchObject({ severity: 'fatal', location: { line: 4 } });
    expect(issue(r, 'legacy-xml-syntax').message.en).toContain('unbound namespace prefix: "x"');
  });

  it('an attribute in a namespace is not one of the format: reported and ignored', async () => {
    const r = await read('attr-ns.xml', doc(period.replace('<Period', '<Period xmlns:x="urn:x" x:base="1.00"')));
    expect(issue(r, 'legacy-field-unknown')).toMatchObject({ severity: 'warning', location: { line: 4, field: 'x:base' } });
    expect(r.records).toHaveLength(1);
  });

  it('an element inside a row is reported at its own path in every row and every read (counts are not carried over)', async () => {
    const inside = period.replace('/>', '><Note/></Period>');
    const paths = async (name: string) =>
      (await read(name, doc(`${inside}\n${inside}`))).report.issues.filter((i) => i.code === 'legacy-xml-unexpected').map((i) => i.location?.path);
    const expected = ['/InsuranceExport/Person[1]/Scheme[1]/Period[1]/Note[1]', '/InsuranceExport/Person[1]/Scheme[1]/Period[2]/Note[1]'];
    expect(await paths('inside-1.xml')).toEqual(expected);
    expect(await paths('inside-2.xml')).toEqual(expected);
  });

  describe('U+FFFD in a value is reported wherever it comes from (values are searched for it once any text could hold one)', () => {
    const replaced = (r: Awaited<ReturnType<typeof read>>) => r.report.issues.filter((i) => i.code === 'legacy-encoding').map((i) => i.location?.field);
    it('written as it is', async () => {
      expect(replaced(await read('fffd.xml', doc(period.replace('employerId="', 'employerId="\uFFFD'))))).toEqual(['employerId']);
    });
    it('written as a character reference', async () => {
      expect(replaced(await read('fffd-ref.xml', doc(period.replace('employerId="', 'employerId="&#xFFFD;'))))).toEqual(['employerId']);
    });
    it('a character reference cut between two chunks read (1 MiB): "&" the last byte of one, "#xFFFD;" the start of the next', async () => {
      // rows of distinct months, whitespace between them (each run under the limit of characters without a tag)
      const month = (m: number) => `${2016 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      const rows = Array.from({ length: 18 }, (_, m) => period.replace('from="2015-08" to="2015-10"', `from="${month(m)}" to="${month(m)}"`));
      const last = period.replace('employerId="', 'employerId="&#xFFFD;');
      const pad = ' '.repeat(60_000);
      const before = doc(`${rows.join(`\n${pad}`)}\n`).split('\n</Scheme>')[0];
      const cut = last.indexOf('&');
      const fill = (1 << 20) - 1 - Buffer.byteLength(before) - Buffer.byteLength(last.slice(0, cut));
      expect(fill).toBeGreaterThan(0);
      expect(fill).toBeLessThan(60_000);
      const text = `${before}${' '.repeat(fill)}${last}\n</Scheme></Person>\n</InsuranceExport>\n`;
      expect(Buffer.from(text).subarray((1 << 20) - 1, (1 << 20) + 1).toString()).toBe('&#');
      const r = await read('fffd-cut.xml', text);
      expect(replaced(r)).toEqual(['employerId']);
      // and the reference itself is reported where it is, as when it is not cut
      const line = text.slice(0, text.indexOf('&#')).split('\n').length;
      expect(r.report.issues.filter((i) => i.code === 'legacy-xml-unexpected').map((i) => i.location?.line)).toEqual([line]);
      // the same file with the reference written as ASCII: nothing to report
      expect(replaced(await read('fffd-cut-none.xml', text.replace('&#xFFFD;', 'X'.repeat(8))))).toEqual([]);
    });
  });

  it("a scheme's rows out of month order: its contributions in month order", async () => {
    const later = period.replace('from="2015-08" to="2015-10"', 'from="2015-11" to="2015-12"');
    const early = period.replace('from="2015-08" to="2015-10"', 'from="2014-01" to="2014-01"');
    const r = await read('months.xml', doc([later, period, early].join('\n')));
    expect(r.report.valid).toBe(true);
    const months = (r.records[0] as { contributions: { month: string }[] }).contributions.map((c) => c.month);
    expect(months).toEqual(['2014-01', '2015-08', '2015-09', '2015-10', '2015-11', '2015-12']);
  });

  it('a repeated attribute is not well-formed', async () => {
    const r = await read('repeated.xml', doc(period.replace('/>', ' base="1.00"/>')));
    expect(issue(r, 'legacy-xml-syntax').message.en).toContain('duplicate attribute: base.');
  });
});
