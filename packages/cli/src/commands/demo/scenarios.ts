/**
 * The three cases the demo plays over HTTP, each office acting only on its own
 * export and on what arrives in its inbox:
 *
 *  A. a complete pension transfer, 沈阳市 → 北京市 (application, contact letter,
 *     information form with the funds the rules compute, the written explanation of
 *     what cannot move, completion; Beijing loads the records into its own format);
 *  B. a refused application (the applicant is not insured at the new place);
 *  C. an overdue transfer (the old place misses the information form's deadline;
 *     the platform reminds it).
 *
 * Every expectation is checked against figures computed independently: the
 * samples' expected.json, the official working-day calendar of @jiexu/rules, and the
 * file Beijing wrote, read back.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readRecords, writeRecords, type ContributionRecord } from '@jiexu/adapters';
import type { CaseView, Envelope, InboxMessage } from '@jiexu/client';
import { addWorkingDays, PENSION_TRANSFER_STEPS, transferPlan } from '@jiexu/rules';
import { codeLabel } from '@jiexu/standard';
import * as body from './bodies.ts';
import { same, type Story } from './story.ts';
import type { Office, World } from './world.ts';

/** The samples' manifest (examples/samples/expected.json), the parts the demo reads. */
export interface Expected {
  people: Array<{
    id: string;
    name: string;
    gender: 'M' | 'F';
    birth: string;
    hukou: string;
    spells: Array<{ region: string; from: string; to: string }>;
    perScheme: Record<string, Record<string, { paidMonths: number; arrearsMonths: number; months: number; monthsList: string[] }>>;
    assess?: { '110'?: { byProvince: Array<{ province: string; paidMonths: number; pooledFund: number; individualAccount: number | null }> } };
  }>;
}

interface Exchanged {
  env: Envelope;
  view: CaseView;
  /** What each receiver found in its inbox. */
  delivered: Map<string, InboxMessage | undefined>;
}

const LIMIT = 500;

/** Pulls an office's inbox, acknowledges it and returns the message with this id (if it arrived). */
async function receive(o: Office, id: string): Promise<InboxMessage | undefined> {
  const page = await o.client.inbox({ limit: LIMIT });
  const last = page.messages.at(-1);
  if (last) await o.client.ack(last.cursor);
  return page.messages.find((m) => m.envelope.id === id);
}

function who(o: Office): string {
  return `${o.name} ${o.id}`;
}

/** One message over HTTP: sent by `from`, pulled by every receiver, then the case as the sender sees it. */
async function exchange(w: World, story: Story, from: Office, to: Office[], caseId: string, message: string, data: body.Body, inreplyto?: string): Promise<Exchanged> {
  const env = w.envelope(from, to, caseId, message, data, inreplyto);
  const acceptance = await from.client.send(env);
  const delivered = new Map<string, InboxMessage | undefined>();
  for (const o of to) delivered.set(o.id, await receive(o, env.id));
  const view = await from.client.case(caseId);
  const receivers = to.map((o) => o.id).join(', ');
  story.say(same(`  ${w.clock.iso().slice(0, 16).replace('T', ' ')}  ${who(from)} → ${to.map(who).join(', ')}`));
  story.say(same(`      ${message}  ${story.label(message)}`));
  story.say(same(`      ${story.caseLine(view)}`));
  story.check({ zh: `平台接收了 ${message}（202）`, en: `${message} accepted by the platform (202)` }, acceptance.status === 'accepted' && !acceptance.replayed);
  story.check(
    { zh: `${message} 已投递给 ${receivers}`, en: `${message} delivered to ${receivers}` },
    [...delivered.values()].every((m) => m !== undefined && isDeepStrictEqual(m.envelope.data, data)),
  );
  return { env, view, delivered };
}

/** The transfer plan's paths in Chinese. */
const PATH_ZH: Record<string, string> = { transfer: '正常转移', 'temporary-account': '临时缴费账户', undecided: '待定' };

/** The deadline a step must show: the statutory working days (from @jiexu/rules) after its start date. */
function checkDeadline(story: Story, view: CaseView, next: string, startDate: string): void {
  const step = PENSION_TRANSFER_STEPS.find((s) => s.message === next);
  // the platform names messages (pension.transfer-info); accept full types (cn.jiexu.….v1) too
  const expects = (view.currentStep?.expects ?? []).map((t) => t.replace(/^cn\.jiexu\.(.*)\.v\d+$/, '$1'));
  const wanted = step?.workingDays != null ? addWorkingDays(startDate, step.workingDays).date : null;
  const said = view.currentStep?.deadline;
  story.check(
    { zh: `下一步为 ${next}，期限 ${wanted}（自 ${startDate} 起 ${step?.workingDays} 个工作日，按官方日历）`, en: `next step is ${next}, due ${wanted} (${step?.workingDays} working days from ${startDate}, official calendar)` },
    expects.includes(next) && view.currentStep?.deadline === wanted,
    { zh: `平台给出 ${said ?? '无期限'}`, en: `platform says ${said ?? 'no deadline'}` },
  );
}

function person(expected: Expected, id: string): Expected['people'][number] {
  const p = expected.people.find((x) => x.id === id);
  if (!p) throw new Error(`person ${id} is not in the samples' expected.json`);
  return p;
}

/** The identity the applicant shows at the counter (their ID card: the samples' manifest). */
function applicant(p: Expected['people'][number]): body.PersonRef {
  return { id: p.id, name: p.name, gender: p.gender, birthDate: p.birth, hukouRegion: p.hukou };
}

/** The office's pension (110) records of a person, in its own region. */
async function pensionRecords(o: Office, personId: string): Promise<ContributionRecord[]> {
  return (await o.records()).filter((r) => r.person.id === personId && r.scheme === '110' && r.region === o.region);
}

function firstPaidMonth(records: ContributionRecord[], before: string): string | undefined {
  return records
    .flatMap((r) => r.contributions)
    .filter((c) => (c.status === 'paid' || c.status === 'backpaid') && c.month <= before)
    .map((c) => c.month)
    .sort()[0];
}

/** n working days after the clock's date, at a given time. */
function later(w: World, n: number, time: string): string {
  const d = addWorkingDays(w.clock.date(), n).date;
  w.clock.set(d, time);
  return d;
}

export interface CompleteResult {
  caseId: string;
  writtenFile: string;
  transferred: ContributionRecord[];
}

/** A. 高强兰 moves his pension from 沈阳市 (ln-jb) to 北京市 (bj-xlsx). */
export async function completeTransfer(w: World, story: Story, expected: Expected, outDir: string, startDate: string): Promise<CompleteResult> {
  const p = person(expected, '230128196208035598');
  const oldPlace = w.office('210100');
  const newPlace = w.office('110000');
  const caseId = `${newPlace.id}:PT-${startDate.slice(0, 4)}-000001`;
  const route = `${p.name} ${p.id}, ${oldPlace.name} ${oldPlace.region} → ${newPlace.name} ${newPlace.region}`;
  story.heading({ zh: `A. 办结的转移：${route}`, en: `A. complete transfer: ${route}` });
  w.clock.set(startDate, '09:30');

  // 1. the person applies at the Beijing counter; Beijing checks its own records
  const own = await pensionRecords(newPlace, p.id);
  const since = firstPaidMonth(own, startDate.slice(0, 7));
  story.check(
    { zh: `${newPlace.name}在本地导出文件（${newPlace.format}）中查到${p.name}正在参保缴费`, en: `${newPlace.name} finds ${p.name} insured and paying in its own export (${newPlace.format})` },
    since !== undefined,
    { zh: `自 ${since ?? '—'} 起在当地缴纳基本养老保险`, en: `pension paid there since ${since ?? '—'}` },
  );
  const app = body.application({ no: `BJ-ZY-${startDate.slice(0, 4)}-000001`, date: startDate, person: applicant(p), from: oldPlace, to: newPlace, insuredSince: since ?? startDate.slice(0, 7) });
  const a1 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-application', app);
  checkDeadline(story, a1.view, 'pension.contact-letter', startDate);

  // the same message again (a retry after a lost answer) is a replay, not a second message
  const replay = await newPlace.client.send(a1.env);
  story.check({ zh: '再次发送同一申请，平台答复为重放（幂等）', en: 'sending the application again is answered as a replay (idempotent)' }, replay.replayed && replay.receivedAt === a1.view.openedAt);

  // 2. Beijing sends the contact letter with its receiving account
  const letterDate = later(w, 2, '10:00');
  const letter = body.contactLetter(app, { no: `京社保转联〔${letterDate.slice(0, 4)}〕0001号`, date: letterDate, to: newPlace });
  const a2 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.contact-letter', letter, a1.env.id);
  checkDeadline(story, a2.view, 'pension.transfer-info', letterDate);

  // 3. Shenyang answers from its own export: the rules compute what moves
  const received = a2.delivered.get(oldPlace.id)!.envelope.data as body.Body;
  const records = await pensionRecords(oldPlace, p.id);
  const plan = transferPlan({ records, person: p.id, from: oldPlace.region, to: newPlace.region, date: String(received.applicationDate) });
  const province = p.assess?.['110']?.byProvince.find((x) => x.province === oldPlace.region.slice(0, 2));
  const ref = p.perScheme['110']?.[oldPlace.region];
  const months = plan.amounts?.paidMonths ?? 0;
  const pooled = yuan(plan.amounts?.pooledFund);
  const noAccount = plan.amounts?.individualAccount === null;
  const account = yuan(plan.amounts?.individualAccount);
  story.say({
    zh: `      ${oldPlace.name}在本地 ${oldPlace.format} 导出文件上运行规则：路径 ${PATH_ZH[plan.path] ?? ''} [${plan.path}]，实缴 ${months} 个月，统筹基金 ${pooled}，个人账户 ${noAccount ? '本导出文件中没有' : account}`,
    en: `      ${oldPlace.name} runs the rules on its ${oldPlace.format} export: path ${plan.path}, ${months} paid months, pooled fund ${pooled}, individual account ${noAccount ? 'not in this export' : account}`,
  });
  story.check({ zh: '规则允许转移（申请之日不需建立临时缴费账户）', en: 'the rules allow a transfer (no temporary account at the application date)' }, plan.path === 'transfer', plan.temporaryAccount?.reason);
  story.check({ zh: '实缴月数与样例的 expected.json 一致', en: 'paid months match the samples’ expected.json' }, plan.amounts?.paidMonths === ref?.paidMonths, { zh: `规则 ${plan.amounts?.paidMonths}，expected.json ${ref?.paidMonths}`, en: `${plan.amounts?.paidMonths} vs ${ref?.paidMonths}` });
  story.check(
    { zh: '统筹基金（1998 年起缴费基数之和的 12%）与 expected.json 一致', en: 'pooled fund (12% of the bases from 1998) matches expected.json' },
    plan.amounts?.pooledFund === province?.pooledFund,
    { zh: `规则 ${plan.amounts?.pooledFund} 分，expected.json ${province?.pooledFund} 分`, en: `${plan.amounts?.pooledFund} vs ${province?.pooledFund} fen` },
  );
  const years = body.yearLines(records);
  const baseSum = years.reduce((s, y) => s + y.baseSumFen, 0);
  story.check(
    { zh: '信息表中缴费基数之和的 12%（四舍五入）等于规则算出的统筹基金', en: '12% of the form’s base sum, half-up, is the rules’ pooled fund' },
    body.twelvePercent(baseSum) === plan.amounts?.pooledFund,
    { zh: `${baseSum} 分 × 12%`, en: `${baseSum} fen × 12%` },
  );
  const items = body.cannotMove(records, plan);
  const infoDate = later(w, 5, '14:00');
  const info = body.transferInfo(received, {
    no: `沈社保转信〔${infoDate.slice(0, 4)}〕0001号`,
    date: infoDate,
    remittanceNo: `ICBC-SY-${infoDate.replaceAll('-', '')}-0001`,
    from: oldPlace,
    records,
    plan,
    explanationFollows: items.length > 0,
  });
  const a3 = await exchange(w, story, oldPlace, [newPlace], caseId, 'pension.transfer-info', info, a2.env.id);
  checkDeadline(story, a3.view, 'pension.transfer-completed', infoDate);
  if (items.length) {
    w.clock.tick(30);
    const explanation = body.fundsExplanation(received, { no: `沈社保转说〔${infoDate.slice(0, 4)}〕0001号`, date: infoDate, items });
    await exchange(w, story, oldPlace, [newPlace], caseId, 'pension.funds-explanation', explanation, a2.env.id);
    for (const i of items) story.say({ zh: `        不能转移（${i.category}）：${i.explanation}`, en: `        cannot move (${i.category}): ${i.explanation}` });
  }

  // 4. Beijing checks the form, loads the records into its own format, completes
  const form = a3.delivered.get(newPlace.id)!.envelope.data as body.Body;
  const transferred = form.records as ContributionRecord[];
  const recheck = transferPlan({ records: transferred, person: p.id, from: oldPlace.region, to: newPlace.region, date: String(form.issuedOn) });
  story.check({ zh: '北京用收到的记录重算统筹基金：金额相同', en: 'Beijing recomputes the pooled fund from the records it received: same amount' }, recheck.amounts?.pooledFund === form.pooledFundFen);
  const writtenFile = join(outDir, `${newPlace.format}-${newPlace.region}-transfer-in-${p.id}.xlsx`);
  const written = await writeRecords(transferred, newPlace.format, writtenFile, { exportedAt: w.clock.iso() });
  story.check({ zh: `北京把转入的记录写成本地格式（${newPlace.format}）`, en: `Beijing writes the transferred records in its own format (${newPlace.format})` }, written.report.valid, same(writtenFile));
  const back = await readRecords(writtenFile, { format: newPlace.format });
  const monthsBack = back.records.reduce((s, r) => s + r.contributions.length, 0);
  story.check(
    { zh: '写出的文件读回后与转入的记录完全一致', en: 'the written file reads back to exactly the transferred records' },
    sameRecords(back.records, transferred),
    { zh: `${back.records.length} 条记录，${monthsBack} 个月`, en: `${back.records.length} record(s), ${monthsBack} months` },
  );
  const doneDate = later(w, 3, '11:00');
  const a4 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-completed', body.transferCompleted(form, { date: doneDate }), a3.env.id);
  story.check({ zh: '案件已办结并结案', en: 'the case is completed and closed' }, a4.view.state === 'completed' && a4.view.closed);
  return { caseId, writtenFile, transferred };
}

/** B. 丁子 applies at Beijing without being insured there: Beijing refuses in writing. */
export async function refusedTransfer(w: World, story: Story, expected: Expected, startDate: string): Promise<string> {
  const p = person(expected, '360734198905049491');
  const oldPlace = w.office('210100');
  const newPlace = w.office('110000');
  const caseId = `${newPlace.id}:PT-${startDate.slice(0, 4)}-000002`;
  const route = `${p.name} ${p.id}, ${oldPlace.name} ${oldPlace.region} → ${newPlace.name} ${newPlace.region}`;
  story.heading({ zh: `B. 不予受理的转移：${route}`, en: `B. refused transfer: ${route}` });
  w.clock.set(startDate, '09:30');
  const app = body.application({ no: `BJ-ZY-${startDate.slice(0, 4)}-000002`, date: startDate, person: applicant(p), from: oldPlace, to: newPlace, insuredSince: startDate.slice(0, 7) });
  const b1 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-application', app);
  checkDeadline(story, b1.view, 'pension.contact-letter', startDate);

  const own = await pensionRecords(newPlace, p.id);
  const insured = firstPaidMonth(own, startDate.slice(0, 7)) !== undefined;
  const everInBeijing = p.spells.some((s) => s.region === newPlace.region);
  story.check(
    { zh: `${newPlace.name}本地导出文件中没有${p.name}的基本养老保险缴费（与 expected.json 一致：在 ${newPlace.region} 无参保经历）`, en: `${newPlace.name}'s own export has no pension contributions of ${p.name} (as expected.json says: no spell in ${newPlace.region})` },
    !insured && !everInBeijing,
  );
  const refusedOn = later(w, 3, '15:00');
  const refusal = body.refusal(app, {
    no: `京社保不受〔${refusedOn.slice(0, 4)}〕0001号`,
    date: refusedOn,
    reasons: [{ code: 'not-insured-at-new-place', explanation: `${newPlace.name}缴费明细中无申请人的基本养老保险缴费记录，请在本市参保缴费后再申请（国办发〔2009〕66号第八条）。` }],
  });
  const b2 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-refusal', refusal, b1.env.id);
  const why = String((refusal.reasons as Array<{ explanation: string }>)[0].explanation);
  story.say({ zh: `      理由：not-insured-at-new-place（${codeLabel('refusal-reason', 'not-insured-at-new-place', 'zh') ?? ''}）  ${why}`, en: `      reason: not-insured-at-new-place  ${why}` });
  story.check({ zh: '案件不予受理并结案', en: 'the case is refused and closed' }, b2.view.state === 'refused' && b2.view.closed);
  return caseId;
}

/** C. 黄然英 moves from 沈阳市 to 杭州市; Shenyang misses the information form's deadline. */
export async function overdueTransfer(w: World, story: Story, expected: Expected, startDate: string, otherCases: string[]): Promise<string> {
  const p = person(expected, '36073019771111032X');
  const oldPlace = w.office('210100');
  const newPlace = w.office('330100');
  const caseId = `${newPlace.id}:PT-${startDate.slice(0, 4)}-000001`;
  const route = `${p.name} ${p.id}, ${oldPlace.name} ${oldPlace.region} → ${newPlace.name} ${newPlace.region}`;
  story.heading({ zh: `C. 超期的转移：${route}`, en: `C. overdue transfer: ${route}` });
  w.clock.set(startDate, '09:30');
  const own = await pensionRecords(newPlace, p.id);
  const since = firstPaidMonth(own, startDate.slice(0, 7));
  story.check(
    { zh: `${newPlace.name}在本地导出文件（${newPlace.format}）中查到${p.name}已参保`, en: `${newPlace.name} finds ${p.name} insured in its own export (${newPlace.format})` },
    since !== undefined,
    { zh: `自 ${since ?? '—'} 起`, en: `since ${since ?? '—'}` },
  );
  const app = body.application({ no: `HZ-ZY-${startDate.slice(0, 4)}-000001`, date: startDate, person: applicant(p), from: oldPlace, to: newPlace, insuredSince: since ?? startDate.slice(0, 7) });
  const c1 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-application', app);
  const letterDate = later(w, 1, '10:00');
  const letter = body.contactLetter(app, { no: `杭社保转联〔${letterDate.slice(0, 4)}〕0001号`, date: letterDate, to: newPlace });
  const c2 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.contact-letter', letter, c1.env.id);
  checkDeadline(story, c2.view, 'pension.transfer-info', letterDate);
  const due = c2.view.currentStep?.deadline ?? letterDate;

  // time passes: Shenyang sends nothing; the day after the deadline the platform reminds it
  const overdueDay = addWorkingDays(due, 1).date;
  w.clock.set(overdueDay, '08:00');
  const now = w.clock.iso().slice(0, 16).replace('T', ' ');
  story.say({ zh: `  ${now}  （平台时钟前移：自联系函之后 ${oldPlace.id} 没有发送任何报文）`, en: `  ${now}  (the platform's clock moves on: ${oldPlace.id} has sent nothing since the contact letter)` });
  const reminders = await w.platform.remindOverdue();
  const inbox = await oldPlace.client.inbox({ limit: LIMIT });
  const reminder = inbox.messages.find((m) => reminders.includes(m.envelope.id));
  if (inbox.messages.length) await oldPlace.client.ack(inbox.messages.at(-1)!.cursor);
  const data = (reminder?.envelope.data ?? {}) as Record<string, unknown>;
  const reminderDue = data.dueOn;
  if (reminder) {
    const receivers = reminder.envelope.receivers.join(', ');
    story.say({ zh: `  ${now}  ${reminder.envelope.sender}（平台）→ ${receivers}`, en: `  ${now}  ${reminder.envelope.sender} (platform) → ${receivers}` });
    const note = String(data.note ?? '');
    story.say({
      zh: `      admin.remind  ${story.label('admin.remind')}：${note}（等待 ${String(data.awaited)}，已超期 ${String(data.overdueWorkingDays)} 个工作日）`,
      en: `      admin.remind  ${story.label('admin.remind')}: ${note} (awaited ${String(data.awaited)}, ${String(data.overdueWorkingDays)} working day(s) late)`,
    });
  }
  story.check(
    { zh: `平台催办 ${oldPlace.id} 超期未发的信息表`, en: `the platform reminds ${oldPlace.id} of the overdue information form` },
    reminder !== undefined && reminder.envelope.caseid === caseId && reminder.envelope.inreplyto === c2.env.id,
    { zh: `已发出 ${reminders.length} 份催办`, en: `${reminders.length} reminder(s) sent` },
  );
  story.check({ zh: `催办写明期限 ${due}`, en: `the reminder names the deadline ${due}` }, reminderDue === due, { zh: `催办中为 ${String(reminderDue)}`, en: `reminder says ${String(reminderDue)}` });
  const { cases } = await newPlace.client.overdueCases();
  const view = await newPlace.client.case(caseId);
  story.say(same(`      ${story.caseLine(view)}`));
  story.check({ zh: `${newPlace.id} 在其超期案件列表中看到此案件`, en: `${newPlace.id} sees the case in its overdue list` }, cases.some((c) => c.caseId === caseId) && view.currentStep?.overdue === true);
  const oldOverdue = (await oldPlace.client.overdueCases()).cases.map((c) => c.caseId);
  story.check(
    { zh: '已办结和不予受理的案件不算超期', en: 'the completed and the refused cases are not overdue' },
    otherCases.every((id) => !oldOverdue.includes(id)),
    { zh: `${oldPlace.id} 的超期案件：${oldOverdue.join(', ') || '无'}`, en: `overdue for ${oldPlace.id}: ${oldOverdue.join(', ') || 'none'}` },
  );
  return caseId;
}

function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const s = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}¥${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** Same people, regions, schemes and months with the same amounts, status and employer. */
export function sameRecords(a: readonly ContributionRecord[], b: readonly ContributionRecord[]): boolean {
  const key = (rs: readonly ContributionRecord[]) =>
    rs
      .map((r) => ({
        person: r.person.id,
        region: r.region,
        scheme: r.scheme,
        months: r.contributions.map((c) => [c.month, c.baseFen, c.employerFen, c.individualFen, c.status, c.employerId ?? null]).sort(),
        account: (r.account ?? []).map((y) => [y.year, y.creditedFen, y.interestFen, y.balanceFen]).sort(),
      }))
      .sort((x, y) => `${x.person}${x.region}${x.scheme}`.localeCompare(`${y.person}${y.region}${y.scheme}`));
  return JSON.stringify(key(a)) === JSON.stringify(key(b));
}
