/**
 * The dbf framing on the ah-dbf reference table (docs/adapters/ah-dbf): the
 * header's counts checked against the file, the end marker, the code page
 * byte, the deletion flag, blank numerics, the private-character table, and
 * I/Y columns written and read back.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFormat, readRecords, writeRecords } from '../index.ts';
import { parseHeader } from './dbf.ts';

const DIR = new URL('../../../../docs/adapters/ah-dbf/', import.meta.url);
const SAMPLE = readFileSync(new URL('ah-dbf-340100.dbf', DIR));
const header = parseHeader(SAMPLE);
if (typeof header === 'string') throw new Error(header);
const recAt = (n: number) => header.headerLength + (n - 1) * header.recordLength;
const fieldAt = (name: string) => header.descriptors.find((d) => d.name === name)!;

let dir: string;
beforeAll(async () => {
  addFormat(DIR);
  dir = await mkdtemp(join(tmpdir(), 'jiexu-dbf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(bytes: Buffer) {
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.dbf`);
  await writeFile(file, bytes);
  return readRecords(file, { format: 'ah-dbf' });
}
const codes = (r: Awaited<ReturnType<typeof read>>) => r.report.issues.map((i) => `${i.severity} ${i.code}`);

describe('dbf framing', () => {
  it('reads the sample: deleted records skipped and counted, the private character applied', async () => {
    const r = await read(SAMPLE);
    expect(r.report.issues.map((i) => [i.code, i.location?.record])).toEqual([['legacy-record-deleted', 6]]);
    expect(r.report.issues[0].value).toBe(1);
    expect(r.records.reduce((s, x) => s + x.contributions.length, 0)).toBe(header.count - 1);
    expect(r.records[0].person).toMatchObject({ name: '刘䶮', gender: 'M', birthDate: '1978-05-12' });
    expect(r.records[0].contributions[0]).toMatchObject({ baseFen: 480000, employerFen: 76800, individualFen: 38400, at: { record: 1, byteOffset: recAt(1) } });
  });

  it('a file cut short of the header count is an error naming the count, and the whole records are read', async () => {
    const r = await read(SAMPLE.subarray(0, recAt(header.count) + 10));
    expect(r.report.issues.find((i) => i.code === 'legacy-header-mismatch')).toMatchObject({ severity: 'error', location: { byteOffset: 4 }, value: header.count });
  });

  it('records beyond the header count, and a missing end marker', async () => {
    const extra = Buffer.concat([SAMPLE.subarray(0, SAMPLE.length - 1), SAMPLE.subarray(recAt(1), recAt(2)), Buffer.from([0x1a])]);
    expect((await read(extra)).report.issues.find((i) => i.code === 'legacy-header-mismatch')).toMatchObject({ severity: 'error', location: { record: header.count + 1 } });
    expect(codes(await read(SAMPLE.subarray(0, SAMPLE.length - 1)))).toContain('warning legacy-trailer-missing');
  });

  it('a code page byte other than the format\'s is a warning', async () => {
    const b = Buffer.from(SAMPLE);
    b[29] = 0x00;
    expect((await read(b)).report.issues.find((i) => i.code === 'legacy-header-mismatch')).toMatchObject({ severity: 'warning', location: { byteOffset: 29 } });
  });

  it('a deletion flag that is neither space nor * is an error at its record', async () => {
    const b = Buffer.from(SAMPLE);
    b[recAt(3)] = 0x58;
    expect((await read(b)).report.issues.find((i) => i.code === 'legacy-record-type')).toMatchObject({ severity: 'error', location: { record: 3 } });
  });

  it('a blank numeric is a missing amount at its record and field, not zero', async () => {
    const b = Buffer.from(SAMPLE);
    const f = fieldAt('DWJF');
    b.fill(0x20, recAt(2) + f.offset, recAt(2) + f.offset + f.length);
    expect((await read(b)).report.issues.find((i) => i.code === 'legacy-field-missing')).toMatchObject({ severity: 'error', location: { record: 2, field: 'DWJF' } });
  });

  it('a user-defined character the table does not hold is a damaged name at its position', async () => {
    const b = Buffer.from(SAMPLE);
    const f = fieldAt('AAC003');
    for (let n = 1; n <= header.count; n++) if (b.subarray(recAt(n) + f.offset, recAt(n) + f.offset + 4).equals(Buffer.from('C1F5AAA1', 'hex'))) b[recAt(n) + f.offset + 3] = 0xa9;
    const r = await read(b);
    expect(r.records[0].person).toMatchObject({ damagedName: '刘?' });
    expect(r.report.issues.find((i) => i.code === 'legacy-name-damaged')).toMatchObject({ severity: 'warning', location: { record: 1, field: 'AAC003' } });
  });

  it('a header whose fields are not the mapping\'s is refused', async () => {
    const b = Buffer.from(SAMPLE);
    b.write('XXC002', 32, 'latin1');
    expect(codes(await read(b))).toEqual(['fatal legacy-header-mismatch']);
  });

  it('writes the private character back as its bytes, and a character in neither the encoding nor the table as ? with a warning', async () => {
    const { records } = await read(SAMPLE);
    const out = join(dir, 'w.dbf');
    const changed = records.map((r) => (r.person.name === '钱晓梅' ? { ...r, person: { ...r.person, name: '钱𠀀梅' } } : r));
    const w = await writeRecords(changed, 'ah-dbf', out, { exportedAt: '2026-03-01T10:00:00+08:00' });
    expect(w.report.issues.map((i) => i.code)).toEqual(['legacy-name-damaged', 'legacy-name-damaged']);
    const bytes = readFileSync(out);
    expect(bytes.includes(Buffer.from('C1F5AAA1', 'hex'))).toBe(true);
    const back = await readRecords(out, { format: 'ah-dbf' });
    expect(back.records.find((r) => r.person.damagedName !== undefined)?.person.damagedName).toBe('钱?梅');
    expect(back.records[0].person.name).toBe('刘䶮');
  });

  it('I and Y columns: a JSON-typed integer and a currency amount round-trip exactly', async () => {
    const m = JSON.parse(readFileSync(new URL('mapping.json', DIR), 'utf8'));
    m.name = 'xt-dbf-iy';
    m.framing.version = 'dbase3';
    for (const f of m.framing.fields) {
      if (f.name === 'AAE180') Object.assign(f, { column: 'I', type: 'integer' }), delete f.length, delete f.decimals;
      if (f.name === 'DWJF') Object.assign(f, { column: 'Y' }), delete f.length, delete f.decimals;
    }
    const fdir = join(dir, 'xt-dbf-iy');
    await mkdir(fdir);
    await writeFile(join(fdir, 'mapping.json'), JSON.stringify(m));
    addFormat(fdir);
    const { records } = await read(SAMPLE);
    const out = join(dir, 'iy.dbf');
    expect((await writeRecords(records, 'xt-dbf-iy', out, { exportedAt: '2026-03-01T10:00:00+08:00' })).report.issues).toEqual([]);
    const h = parseHeader(readFileSync(out));
    expect(typeof h !== 'string' && [h.version, h.descriptors.find((d) => d.name === 'AAE180')?.type, h.descriptors.find((d) => d.name === 'DWJF')?.length]).toEqual([0x03, 'I', 8]);
    const back = await readRecords(out, { format: 'xt-dbf-iy' });
    expect(back.report.issues).toEqual([]);
    const figures = (rs: typeof records) => rs.map((r) => r.contributions.map((c) => [c.month, c.baseFen, c.employerFen, c.individualFen]));
    expect(figures(back.records)).toEqual(figures(records));
  });
});
