import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGLISH, runCli } from '../testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SAMPLES = `${ROOT}examples/samples`;
const expected = JSON.parse(readFileSync(`${SAMPLES}/expected.json`, 'utf8'));

const jiexu = (args: string[]) => runCli(args, ENGLISH);

// The 通河县 person of the samples: Liaoning 1998-07..2003-06, then Beijing.
const person = expected.people.find((p: { id: string }) => p.id === '230128196208035598');
const files = [`${SAMPLES}/ln-jb-210100.txt`, `${SAMPLES}/bj-xlsx-110000.xlsx`];

describe('jiexu transfer-plan', () => {
  it('lists the 66号 messages with latest dates and the Liaoning funds (move at 41: a transfer)', async () => {
    const r = await jiexu(['transfer-plan', '--person', person.id, '--from', '210100', '--to', '110000', '--date', '2004-02-02', '--json', ...files]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.path).toBe('transfer');
    expect(plan.steps.map((s: { message: string }) => s.message)).toEqual(['pension.transfer-application', 'pension.contact-letter', 'pension.funds-explanation', 'pension.transfer-info', 'pension.transfer-completed']);
    const liaoning = person.assess['110'].byProvince.find((p: { province: string }) => p.province === '21');
    expect(plan.amounts).toMatchObject({ pooledFund: liaoning.pooledFund, individualAccount: null, paidMonths: liaoning.paidMonths });
    // 66号 was not in force in 2004: said so
    expect(plan.issues.some((i: { code: string }) => i.code === 'rule-not-in-force')).toBe(true);
  });

  it('takes the temporary-account path at 50 and more, with the reason', async () => {
    const r = await jiexu(['transfer-plan', '--person', person.id, '--from', '210100', '--to', '110000', '--date', '2026-02-10', '--lang', 'en', ...files]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pension\.temporary-account-notice/);
    expect(r.stdout).toMatch(/no funds move: a man aged 63/);
  });

  it('exit 1 for a region without records, 2 for a bad date', async () => {
    expect((await jiexu(['transfer-plan', '--person', person.id, '--from', '330100', '--to', '110000', '--date', '2026-02-10', ...files])).code).toBe(1);
    expect((await jiexu(['transfer-plan', '--person', person.id, '--from', '210100', '--to', '110000', '--date', '2026-13-01', ...files])).code).toBe(2);
  });
});
