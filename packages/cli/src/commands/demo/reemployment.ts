/**
 * D. Re-employment in another region (the report's double-payment case; standard 1.2, a draft,
 * which the demo's platform runs on): 沈阳市 pays 段昇 unemployment benefit and tells the platform
 * (unemployment.benefit-started); a week later 北京市 enrolls her as an employee
 * (enrollment.registered); the platform sends 沈阳市 unemployment.benefit-stop-notice with the
 * evidence, in a case whose acknowledgement is due within 5 working days; 沈阳市 acknowledges
 * and ends the period (unemployment.benefit-ended). Checked against the official working-day
 * calendar of @jiexu/rules and the messages as they arrived.
 */
import { makeEnvelope, type Envelope, type InboxMessage } from '@jiexu/client';
import { addWorkingDays } from '@jiexu/rules';
import { PLATFORM_ID } from '@jiexu/platform';
import { codeLabel } from '@jiexu/standard';
import type { Expected } from './scenarios.ts';
import { same, type Story } from './story.ts';
import type { Office, World } from './world.ts';

/** The person of the scene: in the samples, last insured in 沈阳市 (210100) until 2020-12. */
const PERSON_ID = '411526199201254824';
const ACK_WORKING_DAYS = 5;
let seq = 0;

export async function reemployment(w: World, story: Story, expected: Expected, startDate: string): Promise<string> {
  const p = expected.people.find((x) => x.id === PERSON_ID);
  if (!p) throw new Error(`person ${PERSON_ID} is not in the samples' expected.json`);
  const paying = w.office('210100');
  const hiring = w.office('110000');
  const person = { id: p.id, name: p.name, gender: p.gender };
  story.heading({
    zh: `D. 异地再就业，停发失业保险金：${p.name} ${p.id}，${paying.name}发放失业保险金期间在${hiring.name}参保`,
    en: `D. re-employed elsewhere, unemployment benefit stopped: ${p.name} ${p.id} is insured in ${hiring.name} while ${paying.name} pays her benefit`,
  });
  story.say({ zh: '  （待遇期报文属标准 1.2 版（草案）：演示平台按草案运行）', en: '  (the benefit-period messages are standard 1.2, a draft: the demo platform runs on the draft)' });

  // 1. Shenyang starts paying and tells the platform
  w.clock.set(startDate, '09:00');
  const expectedEnd = lastDayAfterMonths(startDate, 12);
  const benefitCase = `${paying.id}:UB-${startDate.slice(0, 4)}-000001`;
  const started = envelope(w, paying, benefitCase, 'unemployment-benefit', 'unemployment.benefit-started', '1.2', {
    person,
    payingRegion: paying.region,
    payingInstitution: paying.id,
    startsOn: startDate,
    expectedEndOn: expectedEnd,
    months: 12,
    decisionNo: `沈失核〔${startDate.slice(0, 4)}〕0001号`,
  });
  await sendAndTell(w, story, paying, started);
  story.check({ zh: `平台记录了失业保险金领取期 ${startDate} 至 ${expectedEnd}`, en: `the platform records the benefit period ${startDate} to ${expectedEnd}` }, (await paying.client.case(benefitCase)).state === 'paying');

  // 2. a week later Beijing enrolls her as an employee
  const hiredOn = addWorkingDays(startDate, 5).date;
  w.clock.set(hiredOn, '10:30');
  const enrollCase = `${hiring.id}:EN-${hiredOn.slice(0, 4)}-000001`;
  const enrolled = envelope(w, hiring, enrollCase, 'enrollment', 'enrollment.registered', '1.0', {
    person,
    scheme: '110',
    region: hiring.region,
    registeredOn: hiredOn,
    effectiveMonth: hiredOn.slice(0, 7),
    category: 'employee',
    status: 'active',
  });
  await sendAndTell(w, story, hiring, enrolled);

  // 3. the stop notice reaches Shenyang
  const notice = await fromInbox(paying, 'cn.jiexu.unemployment.benefit-stop-notice.v1', p.id);
  story.check({ zh: `${paying.name}的收件箱中收到平台发出的 unemployment.benefit-stop-notice（${story.label('unemployment.benefit-stop-notice')}）`, en: `${paying.name}'s inbox holds the platform's unemployment.benefit-stop-notice (${story.label('unemployment.benefit-stop-notice')})` }, notice !== undefined && notice.envelope.sender === PLATFORM_ID);
  if (!notice) return benefitCase;
  const n = notice.envelope.data as Record<string, string>;
  story.say(same(`  ${w.clock.iso().slice(0, 16).replace('T', ' ')}  ${PLATFORM_ID} → ${paying.name} ${paying.id}`));
  story.say(same(`      unemployment.benefit-stop-notice  ${story.label('unemployment.benefit-stop-notice')}  ${n.noticeNo}`));
  story.say({
    zh: `      ${n.reemployedSince} 起在 ${n.reemployedRegion} 参保（依据 [${n.evidence}]）；自 ${n.stopFromMonth} 起停发`,
    en: `      insured in ${n.reemployedRegion} since ${n.reemployedSince} (evidence: [${n.evidence}]); stop from ${n.stopFromMonth}`,
  });
  story.say(same(`      ${n.note}`));
  story.check(
    { zh: `通知写明再就业地 ${hiring.region}、参保登记日 ${hiredOn} 和依据报文 ${enrolled.id}`, en: `the notice names the new region ${hiring.region}, the day registered ${hiredOn} and the evidence message ${enrolled.id}` },
    n.reemployedRegion === hiring.region && n.reemployedSince === hiredOn && String(n.note).includes(enrolled.id),
  );
  const stopCase = notice.envelope.caseid;
  const view = await paying.client.case(stopCase);
  story.say(same(`      ${story.caseLine(view)}`));
  const due = addWorkingDays(notice.envelope.time.slice(0, 10), ACK_WORKING_DAYS).date;
  story.check(
    { zh: `下一步：${paying.id} 回执（admin.acknowledge），期限 ${due}（${ACK_WORKING_DAYS} 个工作日，按官方日历）`, en: `next step: ${paying.id} acknowledges (admin.acknowledge) by ${due} (${ACK_WORKING_DAYS} working days, official calendar)` },
    view.currentStep?.deadline === due && view.currentStep?.awaiting.includes(paying.id) === true,
    { zh: `平台给出 ${view.currentStep?.deadline ?? '无期限'}`, en: `platform says ${view.currentStep?.deadline ?? 'no deadline'}` },
  );

  // 4. Shenyang stops paying: acknowledges the notice and ends the period
  w.clock.set(addWorkingDays(hiredOn, 1).date, '09:15');
  const ack = envelope(w, paying, stopCase, 'unemployment-transfer', 'admin.acknowledge', notice.envelope.caseversion ?? notice.envelope.standardversion, { receivedAt: w.clock.iso(), note: `已自 ${n.stopFromMonth} 起停发失业保险金。` }, notice.envelope.id, [PLATFORM_ID]);
  await sendAndTell(w, story, paying, ack);
  const stopped = await paying.client.case(stopCase);
  story.check({ zh: '停发案件状态为已停发', en: 'the stop case is stopped' }, stopped.state === 'stopped');
  const ended = envelope(w, paying, benefitCase, 'unemployment-benefit', 'unemployment.benefit-ended', '1.2', { person, payingRegion: paying.region, endedOn: lastDayBefore(n.stopFromMonth), reason: 'stop-notice' });
  await sendAndTell(w, story, paying, ended);
  story.check({ zh: '失业保险金领取期已结束', en: 'the benefit period has ended' }, (await paying.client.case(benefitCase)).state === 'ended');
  return benefitCase;
}

function envelope(w: World, from: Office, caseId: string, caseType: string, message: string, version: string, data: Record<string, unknown>, inreplyto?: string, to: string[] = [PLATFORM_ID]): Envelope {
  return makeEnvelope({ message, sender: from.id, receivers: to, caseId, caseType, data, version, id: `${from.id}.${w.clock.date().replaceAll('-', '')}.d${String(++seq).padStart(3, '0')}`, time: w.clock.iso(), inreplyto });
}

async function sendAndTell(w: World, story: Story, from: Office, env: Envelope): Promise<void> {
  const acceptance = await from.client.send(env);
  const message = env.type.replace(/^cn\.jiexu\.(.*)\.v\d+$/, '$1');
  story.say(same(`  ${w.clock.iso().slice(0, 16).replace('T', ' ')}  ${from.name} ${from.id} → ${env.receivers.join(', ')}`));
  story.say(same(`      ${message}  ${label(story, message)}  (${env.standardversion})`));
  story.check({ zh: `平台接收了 ${message}（202）`, en: `${message} accepted by the platform (202)` }, acceptance.status === 'accepted' && !acceptance.replayed);
  w.clock.tick();
}

/** A message's name in the code list of the version that has it (1.2 for the benefit-period messages). */
function label(story: Story, message: string): string {
  return codeLabel('message-type', message, story.lang, '1.2') ?? story.label(message);
}

async function fromInbox(o: Office, type: string, personId: string): Promise<InboxMessage | undefined> {
  const page = await o.client.inbox({ limit: 500 });
  const last = page.messages.at(-1);
  if (last) await o.client.ack(last.cursor);
  return page.messages.find((m) => m.envelope.type === type && (m.envelope.data as { person?: { id?: string } }).person?.id === personId);
}

/** The day before the same date `months` later: 2011-03-15 + 12 → 2012-03-14. */
function lastDayAfterMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The last day of the month before YYYY-MM. */
function lastDayBefore(month: string): string {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 0)).toISOString().slice(0, 10);
}
