/**
 * What the commands print, in both languages: validate, convert, assess and
 * transfer-plan on the sample exports (examples/samples) and the standard's
 * examples. In Chinese no English word is left but codes and identifiers (the
 * same checker as the help's); in English the lines read as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANONICAL, formats } from '@jiexu/adapters';
import { RULES } from '@jiexu/rules';
import { codeList } from '@jiexu/standard';
import { englishWordsIn } from './testing/english-words.ts';
import { CHINESE, ENGLISH, runCli } from './testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = join(ROOT, 'examples/samples');
const INVALID = join(ROOT, 'schemas/1.1/contribution-record/examples/invalid');

/** Identifiers an output may carry: issue codes, rule ids, message types, formats, roles' and states' codes. */
const NAMES = new Set<string>([
  ...codeList('issue-code').map((c) => c.code),
  ...codeList('message-type').map((c) => c.code),
  ...Object.keys(RULES),
  ...formats.map((f) => f.name),
  CANONICAL,
  'jiexu',
  'new',
  'old',
  'damagedName',
]);
const english = (text: string) => englishWordsIn(text, NAMES);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiexu-output-lang-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jiexu validate', () => {
  const bad = join(INVALID, 'citizen-id-check--wrong-check-character.json');
  it('reports in Chinese under a Chinese locale', async () => {
    const r = await runCli(['validate', bad], CHINESE);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/citizen-id-check--wrong-check-character\.json:\d+:\d+：错误 citizen-id-check \/person\/id：/);
    expect(r.stdout).toMatch(/：1 个文档，1 个错误，0 个警告，未通过\n$/);
    expect(english(r.stdout), r.stdout).toEqual([]);
  });
  it('reports in English under LANG=C', async () => {
    const r = await runCli(['validate', bad], ENGLISH);
    expect(r.stdout).toMatch(/:\d+:\d+: error citizen-id-check \/person\/id: citizen ID check character is wrong/);
    expect(r.stdout).toMatch(/: 1 document, 1 error, 0 warnings: invalid\n$/);
  });
  it('says why a file cannot be read, in either language (exit 2)', async () => {
    const zh = await runCli(['validate', join(dir, 'nope.json')], CHINESE);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe(`jiexu: ${join(dir, 'nope.json')}：文件不存在\n`);
    const en = await runCli(['validate', dir], ENGLISH);
    expect(en.stderr).toBe(`jiexu: ${dir}: is a directory\n`);
  });
});

describe('jiexu convert', () => {
  it('converts and reports in Chinese, the legacy warnings included', async () => {
    const out = join(dir, 'ln.jsonl');
    const r = await runCli(['convert', join(SAMPLES, 'ln-jb-210100.txt'), '--to', 'zj-csv', '-o', out, '--region', '210100'], CHINESE);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/：警告 legacy-name-damaged \/person\/damagedName \[AAC003\]：/);
    expect(r.stderr).toMatch(/第 \d+ 条记录：警告 legacy-name-damaged \/person\/damagedName \[name\]：第 \d+ 条记录（/);
    expect(r.stderr).toMatch(/已转换 \d+ 条记录（ln-jb → zj-csv）：/);
    expect(english(r.stderr), r.stderr).toEqual([]);
  });
  it('converts and reports in English', async () => {
    const r = await runCli(['convert', join(SAMPLES, 'ln-jb-210100.txt'), '--to', 'zj-csv', '-o', join(dir, 'ln.csv'), '--region', '210100'], ENGLISH);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/record \d+: warning legacy-name-damaged \/person\/damagedName \[name\]: record \d+ \(/);
    expect(r.stderr).toMatch(/converted \d+ records \(ln-jb → zj-csv\): /);
  });
  it('refuses an invalid input in Chinese and writes nothing (exit 1)', async () => {
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"kind":\n');
    const out = join(dir, 'never.csv');
    const r = await runCli(['convert', broken, '--from', 'canonical', '--to', 'zj-csv', '-o', out], CHINESE);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`jiexu: 输入有误，未写出 ${out}`);
    expect(english(r.stderr), r.stderr).toEqual([]);
  });
  it('names an unknown format in Chinese (exit 2)', async () => {
    const r = await runCli(['convert', join(SAMPLES, 'ln-jb-210100.txt'), '--to', 'xx', '-o', '-'], CHINESE);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^jiexu: --to：未知格式 "xx"；已知格式：/);
  });
});

describe('jiexu assess and transfer-plan', () => {
  const ln = join(SAMPLES, 'ln-jb-210100.txt');
  it('assess: the report in Chinese, scheme names from the code list, rules cited in Chinese', async () => {
    const r = await runCli(['assess', ln, '--as-of', '2026-11-29'], CHINESE);
    expect(r.stdout).toContain('企业职工基本养老保险 (110): 实缴月数');
    expect(r.stdout).toContain('失业保险 (210)');
    expect(r.stdout).toMatch(/国办发〔2009〕66号 第四条（自 2010-01-01 起）/);
    expect(english(r.stdout), r.stdout).toEqual([]);
    expect(english(r.stderr), r.stderr).toEqual([]);
  });
  it('assess: the report in English', async () => {
    const r = await runCli(['assess', ln, '--as-of', '2026-11-29'], ENGLISH);
    expect(r.stdout).toContain('Enterprise employee basic pension (110): paid months');
    expect(r.stdout).toMatch(/\(from 2010-01-01\)/);
  });
  it('transfer-plan: steps with the message names and roles of the standard, in Chinese', async () => {
    const args = ['transfer-plan', ln, '--person', '230128196208035598', '--from', '210100', '--to', '110000', '--date', '2011-03-01'];
    const zh = await runCli(args, CHINESE);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('pension.contact-letter（基本养老保险关系转移接续联系函）  发送方 转入地 / 待遇领取地 [new] 110000 → 210100');
    expect(english(zh.stdout), zh.stdout).toEqual([]);
    const en = await runCli(args, ENGLISH);
    expect(en.stdout).toContain('pension.contact-letter  sent by new 110000 → 210100');
  });
  it('refuses a bad option value in Chinese (exit 2)', async () => {
    const r = await runCli(['assess', ln, '--hukou', '12'], CHINESE);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('jiexu: --hukou 须为 6 位行政区划代码，而不是 "12"\n');
  });
});

describe("other packages' errors, in the user's language", () => {
  it('versioning: an unsupported target version', async () => {
    const record = join(ROOT, 'schemas/1.1/contribution-record/examples/valid/pension-liaoning.json');
    const zh = await runCli(['schema', 'migrate', record, '--to', '2.0'], CHINESE);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('jiexu: 版本 2.0 不是受支持的标准版本（1.0, 1.1）\n');
    const en = await runCli(['schema', 'migrate', record, '--to', '2.0'], ENGLISH);
    expect(en.stderr).toBe('jiexu: version 2.0 is not a supported version of the standard (1.0, 1.1)\n');
  });
  it('platform directory: a malformed institution id (exit 1)', async () => {
    const key = join(dir, 'k.pub');
    writeFileSync(key, '');
    const r = await runCli(['platform', 'add-institution', '--id', 'X', '--region', '110000', '--schemes', '110', '--public-key', key, '--data-dir', join(dir, 'pd')], CHINESE);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^jiexu: (经办机构标识 "X" 须为|不是公钥)/);
    expect(english(r.stderr), r.stderr).toEqual([]);
  });
});
