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
import * as body from './bodies.ts';
import type { Story } from './story.ts';
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
  story.say(`  ${w.clock.iso().slice(0, 16).replace('T', ' ')}  ${who(from)} → ${to.map(who).join(', ')}`);
  story.say(`      ${message}  ${story.label(message)}`);
  story.say(`      ${story.caseLine(view)}`);
  story.check(`${message} accepted by the platform (202)`, acceptance.status === 'accepted' && !acceptance.replayed);
  story.check(
    `${message} delivered to ${to.map((o) => o.id).join(', ')}`,
    [...delivered.values()].every((m) => m !== undefined && isDeepStrictEqual(m.envelope.data, data)),
  );
  return { env, view, delivered };
}

/** The deadline a step must show: the statutory working days (from @jiexu/rules) after its start date. */
function checkDeadline(story: Story, view: CaseView, next: string, startDate: string): void {
  const step = PENSION_TRANSFER_STEPS.find((s) => s.message === next);
  // the platform names messages (pension.transfer-info); accept full types (cn.jiexu.….v1) too
  const expects = (view.currentStep?.expects ?? []).map((t) => t.replace(/^cn\.jiexu\.(.*)\.v\d+$/, '$1'));
  const wanted = step?.workingDays != null ? addWorkingDays(startDate, step.workingDays).date : null;
  story.check(
    `next step is ${next}, due ${wanted} (${step?.workingDays} working days from ${startDate}, official calendar)`,
    expects.includes(next) && view.currentStep?.deadline === wanted,
    `platform says ${view.currentStep?.deadline ?? 'no deadline'}`,
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
  story.heading(`A. complete transfer: ${p.name} ${p.id}, ${oldPlace.name} ${oldPlace.region} → ${newPlace.name} ${newPlace.region}`);
  w.clock.set(startDate, '09:30');

  // 1. the person applies at the Beijing counter; Beijing checks its own records
  const own = await pensionRecords(newPlace, p.id);
  const since = firstPaidMonth(own, startDate.slice(0, 7));
  story.check(`${newPlace.name} finds ${p.name} insured and paying in its own export (${newPlace.format})`, since !== undefined, `pension paid there since ${since ?? '—'}`);
  const app = body.application({ no: `BJ-ZY-${startDate.slice(0, 4)}-000001`, date: startDate, person: applicant(p), from: oldPlace, to: newPlace, insuredSince: since ?? startDate.slice(0, 7) });
  const a1 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-application', app);
  checkDeadline(story, a1.view, 'pension.contact-letter', startDate);

  // the same message again (a retry after a lost answer) is a replay, not a second message
  const replay = await newPlace.client.send(a1.env);
  story.check('sending the application again is answered as a replay (idempotent)', replay.replayed && replay.receivedAt === a1.view.openedAt);

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
  story.say(`      ${oldPlace.name} runs the rules on its ${oldPlace.format} export: path ${plan.path}, ${plan.amounts?.paidMonths ?? 0} paid months, pooled fund ${yuan(plan.amounts?.pooledFund)}, individual account ${plan.amounts?.individualAccount === null ? 'not in this export' : yuan(plan.amounts?.individualAccount)}`);
  story.check('the rules allow a transfer (no temporary account at the application date)', plan.path === 'transfer', plan.temporaryAccount?.reason?.en);
  story.check('paid months match the samples’ expected.json', plan.amounts?.paidMonths === ref?.paidMonths, `${plan.amounts?.paidMonths} vs ${ref?.paidMonths}`);
  story.check('pooled fund (12% of the bases from 1998) matches expected.json', plan.amounts?.pooledFund === province?.pooledFund, `${plan.amounts?.pooledFund} vs ${province?.pooledFund} fen`);
  const years = body.yearLines(records);
  const baseSum = years.reduce((s, y) => s + y.baseSumFen, 0);
  story.check('12% of the form’s base sum, half-up, is the rules’ pooled fund', body.twelvePercent(baseSum) === plan.amounts?.pooledFund, `${baseSum} fen × 12%`);
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
    for (const i of items) story.say(`        cannot move (${i.category}): ${i.explanation}`);
  }

  // 4. Beijing checks the form, loads the records into its own format, completes
  const form = a3.delivered.get(newPlace.id)!.envelope.data as body.Body;
  const transferred = form.records as ContributionRecord[];
  const recheck = transferPlan({ records: transferred, person: p.id, from: oldPlace.region, to: newPlace.region, date: String(form.issuedOn) });
  story.check('Beijing recomputes the pooled fund from the records it received: same amount', recheck.amounts?.pooledFund === form.pooledFundFen);
  const writtenFile = join(outDir, `${newPlace.format}-${newPlace.region}-transfer-in-${p.id}.xlsx`);
  const written = await writeRecords(transferred, newPlace.format, writtenFile, { exportedAt: w.clock.iso() });
  story.check(`Beijing writes the transferred records in its own format (${newPlace.format})`, written.report.valid, writtenFile);
  const back = await readRecords(writtenFile, { format: newPlace.format });
  story.check('the written file reads back to exactly the transferred records', sameRecords(back.records, transferred), `${back.records.length} record(s), ${back.records.reduce((s, r) => s + r.contributions.length, 0)} months`);
  const doneDate = later(w, 3, '11:00');
  const a4 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-completed', body.transferCompleted(form, { date: doneDate }), a3.env.id);
  story.check('the case is completed and closed', a4.view.state === 'completed' && a4.view.closed);
  return { caseId, writtenFile, transferred };
}

/** B. 丁子 applies at Beijing without being insured there: Beijing refuses in writing. */
export async function refusedTransfer(w: World, story: Story, expected: Expected, startDate: string): Promise<string> {
  const p = person(expected, '360734198905049491');
  const oldPlace = w.office('210100');
  const newPlace = w.office('110000');
  const caseId = `${newPlace.id}:PT-${startDate.slice(0, 4)}-000002`;
  story.heading(`B. refused transfer: ${p.name} ${p.id}, ${oldPlace.name} ${oldPlace.region} → ${newPlace.name} ${newPlace.region}`);
  w.clock.set(startDate, '09:30');
  const app = body.application({ no: `BJ-ZY-${startDate.slice(0, 4)}-000002`, date: startDate, person: applicant(p), from: oldPlace, to: newPlace, insuredSince: startDate.slice(0, 7) });
  const b1 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-application', app);
  checkDeadline(story, b1.view, 'pension.contact-letter', startDate);

  const own = await pensionRecords(newPlace, p.id);
  const insured = firstPaidMonth(own, startDate.slice(0, 7)) !== undefined;
  const everInBeijing = p.spells.some((s) => s.region === newPlace.region);
  story.check(`${newPlace.name}'s own export has no pension contributions of ${p.name} (as expected.json says: no spell in ${newPlace.region})`, !insured && !everInBeijing);
  const refusedOn = later(w, 3, '15:00');
  const refusal = body.refusal(app, {
    no: `京社保不受〔${refusedOn.slice(0, 4)}〕0001号`,
    date: refusedOn,
    reasons: [{ code: 'not-insured-at-new-place', explanation: `${newPlace.name}缴费明细中无申请人的基本养老保险缴费记录，请在本市参保缴费后再申请（国办发〔2009〕66号第八条）。` }],
  });
  const b2 = await exchange(w, story, newPlace, [oldPlace], caseId, 'pension.transfer-refusal', refusal, b1.env.id);
  story.say(`      reason: not-insured-at-new-place  ${String((refusal.reasons as Array<{ explanation: string }>)[0].explanation)}`);
  story.check('the case is refused and closed', b2.view.state === 'refused' && b2.view.closed);
  return caseId;
}

/** C. 黄然英 moves from 沈阳市 to 杭州市; Shenyang misses the information form's deadline. */
export async function overdueTransfer(w: World, story: Story, expected: Expected, startDate: string, otherCases: string[]): Promise<string> {
  const p = person(expected, '36073019771111032X');
  const oldPlace = w.office('210100');
  const newPlace = w.office('330100');
  const caseId = `${newPlace.id}:PT-${startDate.slice(0, 4)}-000001`;
  story.heading(`C. overdue transfer: ${p.name} ${p.id}, ${oldPlace.name} ${oldPlace.region} → ${newPlace.name} ${newPlace.region}`);
  w.clock.set(startDate, '09:30');
  const own = await pensionRecords(newPlace, p.id);
  const since = firstPaidMonth(own, startDate.slice(0, 7));
  story.check(`${newPlace.name} finds ${p.name} insured in its own export (${newPlace.format})`, since !== undefined, `since ${since ?? '—'}`);
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
  story.say(`  ${w.clock.iso().slice(0, 16).replace('T', ' ')}  (the platform's clock moves on: ${oldPlace.id} has sent nothing since the contact letter)`);
  const reminders = await w.platform.remindOverdue();
  const inbox = await oldPlace.client.inbox({ limit: LIMIT });
  const reminder = inbox.messages.find((m) => reminders.includes(m.envelope.id));
  if (inbox.messages.length) await oldPlace.client.ack(inbox.messages.at(-1)!.cursor);
  const data = (reminder?.envelope.data ?? {}) as Record<string, unknown>;
  const reminderDue = data.dueOn;
  if (reminder) {
    story.say(`  ${w.clock.iso().slice(0, 16).replace('T', ' ')}  ${reminder.envelope.sender} (platform) → ${reminder.envelope.receivers.join(', ')}`);
    story.say(`      admin.remind  ${story.label('admin.remind')}: ${String(data.note ?? '')} (awaited ${String(data.awaited)}, ${String(data.overdueWorkingDays)} working day(s) late)`);
  }
  story.check(`the platform reminds ${oldPlace.id} of the overdue information form`, reminder !== undefined && reminder.envelope.caseid === caseId && reminder.envelope.inreplyto === c2.env.id, `${reminders.length} reminder(s) sent`);
  story.check(`the reminder names the deadline ${due}`, reminderDue === due, `reminder says ${String(reminderDue)}`);
  const { cases } = await newPlace.client.overdueCases();
  const view = await newPlace.client.case(caseId);
  story.say(`      ${story.caseLine(view)}`);
  story.check(`${newPlace.id} sees the case in its overdue list`, cases.some((c) => c.caseId === caseId) && view.currentStep?.overdue === true);
  const oldOverdue = (await oldPlace.client.overdueCases()).cases.map((c) => c.caseId);
  story.check('the completed and the refused cases are not overdue', otherCases.every((id) => !oldOverdue.includes(id)), `overdue for ${oldPlace.id}: ${oldOverdue.join(', ') || 'none'}`);
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
