/**
 * Accepting a transfer message: authorisation, validation against the standard,
 * idempotency on source + id, the fit with its case (catalogue), and — in one
 * transaction — the message row, one inbox row per receiver, the webhook outbox rows,
 * the case's new state and the audit entry.
 */
import { addWorkingDays } from '@jiexu/rules';
import { envelopeDigest, type DirectoryKey } from '@jiexu/client';
import { makeReport, type Report } from '@jiexu/standard';
import { contentHash } from './canonical-json.ts';
import { awaitedSteps, caseType, isFinal, messageName, type Catalogue, type CaseType, type Role, type Step } from './catalogue.ts';
import type { Db, Queryable } from './db.ts';
import { chinaDate, dateOf } from './time.ts';
import type { Validator } from './validation.ts';
import { processEnrollment } from './duplicates.ts';
import { needsBenefitProcessing, processBenefitPeriods } from './benefit-periods.ts';
import type { PlatformIssue, PlatformIssueCode } from './issue-codes.ts';
import { deliverIn, type Delivered } from './delivery.ts';
import { checkEnvelopeSignature } from './envelope-signatures.ts';
import type { PlatformKey } from './platform-key.ts';

/** The platform's own id: sender of the messages it generates (reminders, duplicate notices), receiver of enrollment notices. */
export const PLATFORM_ID = '100000-platform';
export const PLATFORM_SOURCE = `urn:jiexu:institution:${PLATFORM_ID}`;

export interface Envelope {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  dataschema?: string;
  datacontenttype?: string;
  sender: string;
  receivers: string[];
  caseid: string;
  casetype: string;
  caseversion: string;
  inreplyto?: string;
  standardversion: string;
  data: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface Acceptance {
  id: string;
  source: string;
  caseId: string;
  status: 'accepted';
  receivedAt: string;
  /**
   * Receivers that read an older version of the standard and will not see everything this
   * message says: what the conversion to their version drops (first acceptance only).
   */
  losses?: ReceiverLoss[];
}

export interface ReceiverLoss {
  receiver: string;
  standardVersion: string;
  issues: NonNullable<Delivered['migration']>['issues'];
}

/** What each receiver on another version than `env` loses when the message is delivered to it. */
function lossesOf(env: Envelope, receiverVersions: Record<string, string>): ReceiverLoss[] {
  const losses: ReceiverLoss[] = [];
  for (const [receiver, version] of Object.entries(receiverVersions).sort(([a], [b]) => a.localeCompare(b))) {
    const { migration } = deliverIn(env, version);
    if (migration && !migration.lossless) losses.push({ receiver, standardVersion: version, issues: migration.issues });
  }
  return losses;
}

function withLosses(acceptance: Acceptance, env: Envelope, receiverVersions: Record<string, string>): Acceptance {
  const losses = lossesOf(env, receiverVersions);
  return losses.length ? { ...acceptance, losses } : acceptance;
}

export interface PlatformContext {
  db: Db;
  catalogue: Catalogue;
  validate: Validator;
  now: () => Date;
  /** Called after a transaction that stored messages commits (wakes the webhook worker). */
  onDelivered?: () => void;
  /** Whether accepted envelopes must carry a valid sender signature (default true; false only for the bench's baseline). */
  verifyEnvelopeSignatures?: boolean;
  /** The platform's signing key: the envelopes it generates are signed with it (none: they go unsigned). */
  platformKey?: PlatformKey;
}

/** What proves who sent an envelope: the detached JWS sent with it and the sender's directory keys. */
export interface SenderEvidence {
  signature: string | undefined;
  keys: readonly DirectoryKey[];
}

/** A message the platform refuses, with its HTTP status and Problem body. */
export class Rejection extends Error {
  constructor(
    readonly status: 403 | 409 | 422,
    readonly error: string,
    message: string,
    readonly report?: Report,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

function caseIssue(code: PlatformIssueCode, pointer: string, en: string, zh: string): PlatformIssue {
  return { severity: 'error', code, pointer, message: { en, zh } };
}

function mismatch(issues: PlatformIssue[]): Rejection {
  return new Rejection(422, 'case-mismatch', issues.map((i) => i.message.en).join('; '), makeReport(issues));
}

/** SQLSTATE raised by jiexu_store_message when the case changed after it was read: read again. */
const CASE_CHANGED = 'JX001';
const MAX_ATTEMPTS = 5;

/** Runs `attempt` again while the case it read changes under it (a concurrent message of the same case). */
async function whileCaseChanges<T>(caseId: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if ((err as { code?: unknown })?.code !== CASE_CHANGED) throw err;
      if (n >= MAX_ATTEMPTS) throw new Rejection(409, 'case-conflict', `case ${caseId} kept changing while this message was being accepted; send it again`);
    }
  }
}

/** Enrollment notices to the platform are processed in the accepting transaction (duplicate registration). */
function needsEnrollmentProcessing(env: Envelope): boolean {
  return (messageName(env.type)?.startsWith('enrollment.') ?? false) && env.receivers.includes(PLATFORM_ID);
}

/** Accepts one envelope from the authenticated institution; 202 the first time, 200 for an identical replay. */
export async function acceptMessage(
  ctx: PlatformContext,
  institutionId: string,
  body: unknown,
  evidence: SenderEvidence = { signature: undefined, keys: [] },
): Promise<{ status: 200 | 202; acceptance: Acceptance }> {
  const env = body as Partial<Envelope> | null;
  if (env && typeof env === 'object' && !Array.isArray(env)) {
    if (env.sender !== undefined && env.sender !== institutionId) {
      throw new Rejection(403, 'sender-mismatch', `sender ${JSON.stringify(env.sender)} is not the authenticated institution ${institutionId}`);
    }
    if (env.source !== undefined && env.source !== `urn:jiexu:institution:${institutionId}`) {
      throw new Rejection(403, 'sender-mismatch', `source ${JSON.stringify(env.source)} is not urn:jiexu:institution:${institutionId}`);
    }
  }
  const report = ctx.validate(body);
  if (!report.valid) throw new Rejection(422, 'invalid-message', `the message does not conform to the standard (${report.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length} error(s))`, report);
  const envelope = body as Envelope;
  if (envelope.sender !== institutionId) throw new Rejection(403, 'sender-mismatch', `sender must be ${institutionId}`);
  const checked = ctx.verifyEnvelopeSignatures === false ? { signature: evidence.signature ?? null } : await checkEnvelopeSignature(envelope, evidence.signature, evidence.keys, ctx.now());
  if ('issue' in checked) throw new Rejection(422, 'invalid-signature', checked.issue.message.en, makeReport([checked.issue]));
  const signature = checked.signature;
  const hash = contentHash(envelope);
  const proof = { signature, digest: envelopeDigest(envelope) };
  const audit: AuditEntry = {
    actor: institutionId,
    action: 'message.accept',
    detail: { type: envelope.type, caseId: envelope.caseid, receivers: envelope.receivers, seq: null },
  };
  const result = await whileCaseChanges(envelope.caseid, async () => {
    if (!needsEnrollmentProcessing(envelope) && !needsBenefitProcessing(envelope)) {
      // one statement stores everything (atomic by itself): no explicit transaction needed
      const stored = await storeMessage(ctx.db, ctx, envelope, hash, audit, proof);
      if ('replay' in stored) return { status: 200 as const, acceptance: stored.replay, webhooks: 0 };
      return { status: 202 as const, acceptance: withLosses(acceptanceOf(envelope, stored.receivedAt), envelope, stored.receiverVersions), webhooks: stored.webhooks };
    }
    return ctx.db.tx(async (q) => {
      const stored = await storeMessage(q, ctx, envelope, hash, audit, proof);
      if ('replay' in stored) return { status: 200 as const, acceptance: stored.replay, webhooks: 0 };
      const notices = await processEnrollment(q, ctx, envelope, stored.seq, stored.receivedAt);
      notices.push(...(await processBenefitPeriods(q, ctx, envelope, stored.seq, stored.receivedAt)));
      return {
        status: 202 as const,
        acceptance: withLosses(acceptanceOf(envelope, stored.receivedAt), envelope, stored.receiverVersions),
        webhooks: stored.webhooks + notices.length,
      };
    });
  });
  // wake the webhook worker only when there is something to push
  if (result.webhooks > 0) ctx.onDelivered?.();
  return { status: result.status, acceptance: result.acceptance };
}

function acceptanceOf(env: { id: string; source: string; caseid: string }, receivedAt: Date): Acceptance {
  return { id: env.id, source: env.source, caseId: env.caseid, status: 'accepted', receivedAt: receivedAt.toISOString() };
}

interface Prior {
  hash: string;
  caseId: string;
  receivedAt: Date;
}

/** The original acceptance of source + id with the same content; 409 when it was accepted with different content. */
function replayAcceptance(env: Envelope, prior: Prior, hash: string): Acceptance {
  if (prior.hash !== hash) {
    throw new Rejection(409, 'idempotency-conflict', `message ${env.id} from ${env.source} was already accepted with a different body; use a new id for a new message`);
  }
  return acceptanceOf({ id: env.id, source: env.source, caseid: prior.caseId }, prior.receivedAt);
}

async function replayOf(q: Queryable, env: Envelope, hash: string): Promise<Acceptance | undefined> {
  const rows = await q.query(`SELECT body_hash, case_id, received_at FROM messages WHERE source = $1 AND id = $2`, [env.source, env.id]);
  if (!rows.length) return undefined;
  return replayAcceptance(env, { hash: rows[0].body_hash, caseId: rows[0].case_id, receivedAt: rows[0].received_at }, hash);
}

interface CaseRow {
  case_id: string;
  case_type: string;
  standard_version: string;
  state: string;
  closed: boolean;
  roles: Record<string, Role>;
  step_expects: string[] | null;
  step_deadline: string | null;
  /** The row version (xmin) read: the write checks the case is still exactly this. */
  version: string;
}

/** A message of the case that may start a step's deadline (the latest of its type). */
interface StartMessage {
  seq: number;
  type: string;
  id: string;
  source: string;
  data: unknown;
  receivedAt: Date;
}

export interface AuditEntry {
  actor: string;
  action: string;
  /** A `seq` key (any value) is replaced by the stored message's seq. */
  detail: Record<string, unknown>;
}

/**
 * Everything the case fit needs, read in one statement (one snapshot): an earlier message
 * with this source + id, which receivers the directory knows, the case, the message
 * `inreplyto` names, and the latest message of each type that starts a deadline.
 */
const READ_FOR_STORE = `SELECT
  (SELECT json_build_object('hash', m.body_hash, 'caseId', m.case_id, 'receivedAt', m.received_at) FROM messages m WHERE m.source = $1 AND m.id = $2) AS prior,
  (SELECT json_object_agg(i.id, i.standard_version) FROM institutions i WHERE i.id = ANY($3::text[])) AS known,
  (SELECT json_build_object('case_id', c.case_id, 'case_type', c.case_type, 'standard_version', c.standard_version, 'state', c.state, 'closed', c.closed, 'roles', c.roles,
                            'step_expects', c.step_expects, 'step_deadline', c.step_deadline::text, 'version', c.xmin::text)
     FROM cases c WHERE c.case_id = $4) AS existing,
  (SELECT json_build_object('source', m.source, 'sender', m.sender, 'type', m.type, 'state_before', m.state_before)
     FROM messages m WHERE m.case_id = $4 AND m.id = $5 ORDER BY m.seq DESC LIMIT 1) AS replied,
  (SELECT json_agg(s) FROM (SELECT DISTINCT ON (m.type) m.seq, m.type, m.id, m.source, m.envelope->'data' AS data, m.received_at AS "receivedAt"
     FROM messages m WHERE m.case_id = $4 AND m.type LIKE ANY($6::text[]) ORDER BY m.type, m.seq DESC) s) AS starts`;

const STORE = `SELECT stored_seq, webhooks FROM jiexu_store_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`;

/**
 * Stores a message that passed validation (from an institution or generated by the
 * platform): case fit from one read, then one statement (jiexu_store_message) writes the
 * message row, the case's new state and step, inbox + outbox rows and the audit entry —
 * atomically, alone or inside the caller's transaction. Returns the replay when the same
 * source + id was stored first; throws an error with code JX001 when the case changed
 * between the read and the write (the caller reads again).
 */
export async function storeMessage(
  q: Queryable,
  ctx: Pick<PlatformContext, 'catalogue' | 'now'>,
  env: Envelope,
  hash: string = contentHash(env),
  audit?: AuditEntry,
  /** The sender's detached JWS (null: platform-generated, unsigned) and the envelope's digest. */
  proof: { signature: string | null; digest: string } = { signature: null, digest: envelopeDigest(env) },
): Promise<{ seq: string; receivedAt: Date; webhooks: number; receiverVersions: Record<string, string> } | { replay: Acceptance }> {
  const receivedAt = ctx.now();
  const name = messageName(env.type);
  const type = caseType(ctx.catalogue, env.casetype);
  if (!name) throw mismatch([caseIssue('case-unknown-message', '/type', `message type ${env.type} is not of the form cn.jiexu.<message>.v<major>`, `消息类型 ${env.type} 格式不正确`)]);
  if (!type) throw mismatch([caseIssue('case-unknown-type', '/casetype', `case type ${env.casetype} is not in the catalogue`, `业务类型 ${env.casetype} 不在目录中`)]);

  const wanted = env.receivers.filter((r) => r !== PLATFORM_ID);
  const [read] = await q.query(READ_FOR_STORE, [env.source, env.id, wanted, env.caseid, env.inreplyto ?? null, startPatterns(type)]);
  if (read.prior) return { replay: replayAcceptance(env, { ...read.prior, receivedAt: new Date(read.prior.receivedAt) }, hash) };
  // the version of the standard each known receiver reads
  const receiverVersions = (read.known ?? {}) as Record<string, string>;
  const unknown = wanted.filter((r) => !Object.hasOwn(receiverVersions, r));
  if (unknown.length) {
    throw mismatch(unknown.map((r) => caseIssue('unknown-receiver', `/receivers/${env.receivers.indexOf(r)}`, `receiver ${r} is not in the institution directory`, `接收机构 ${r} 不在机构目录中`)));
  }
  const existing = (read.existing ?? undefined) as CaseRow | undefined;
  const fit = existing ? fitExisting(ctx.catalogue, type, existing, env, name, read.replied ?? undefined) : fitOpening(type, env, name);
  const closed = fit.closed || isFinal(type, fit.stateAfter);
  const starts = ((read.starts ?? []) as Array<Omit<StartMessage, 'receivedAt'> & { receivedAt: string }>).map((m) => ({ ...m, receivedAt: new Date(m.receivedAt) }));
  const step = !existing || fit.stateAfter !== existing.state || fit.closed ? currentStep(type, fit.stateAfter, closed, fit.roles, env, receivedAt, starts) : {};
  // a message the current step expects answers it: on time up to its deadline (China date), late after
  const dueOn = existing?.step_deadline && existing.step_expects?.includes(name) ? existing.step_deadline : null;
  const late = dueOn !== null && chinaDate(receivedAt) > dueOn;

  const [row] = await q.query(STORE, [
    env.source, env.id, hash, env.type, env.sender, env.receivers, env.caseid, env.inreplyto ?? null, existing?.state ?? null, fit.stateAfter, env, receivedAt,
    type.code, env.caseversion, existing?.version ?? null, fit.roles, closed,
    step, audit?.actor ?? null, audit?.action ?? null, audit?.detail ?? null, dueOn, late, proof.signature, proof.digest,
  ]);
  if (row.stored_seq === null) {
    // a concurrent request with the same source + id committed first (we waited on its row)
    const replay = await replayOf(q, env, hash);
    if (replay) return { replay };
    throw new Error(`message ${env.source}#${env.id} vanished during insert`);
  }
  return { seq: row.stored_seq as string, receivedAt, webhooks: Number(row.webhooks), receiverVersions };
}

/** LIKE patterns of the message types whose arrival starts a deadline in this case type. */
const startPatternCache = new WeakMap<CaseType, string[]>();
function startPatterns(type: CaseType): string[] {
  let patterns = startPatternCache.get(type);
  if (!patterns) {
    patterns = [...new Set(type.steps.flatMap((s) => (s.deadline ? [`cn.jiexu.${s.deadline.startsAt.message}.v%`] : [])))];
    startPatternCache.set(type, patterns);
  }
  return patterns;
}

interface Fit {
  stateAfter: string;
  roles: Record<string, Role>;
  closed: boolean;
}

/** The role of an institution when it sends `step`: the platform is `platform`, others the first non-platform role allowed. */
function senderRoleFor(sender: string, from: Role[]): Role | undefined {
  if (sender === PLATFORM_ID) return from.includes('platform') ? 'platform' : undefined;
  return from.find((r) => r !== 'platform');
}

function fitOpening(type: CaseType, env: Envelope, name: string): Fit {
  const step = type.steps.find((s) => s.message === name && s.opens);
  if (!step) {
    throw mismatch([caseIssue('case-not-found', '/caseid', `case ${env.caseid} does not exist, and ${name} cannot open a ${type.code} case (opened by ${type.opens.join(', ')})`, `案件 ${env.caseid} 不存在，且 ${name} 不能开启 ${type.code} 类案件`)]);
  }
  const issues: PlatformIssue[] = [];
  const owner = env.caseid.split(':')[0];
  if (owner !== env.sender) issues.push(caseIssue('case-id-not-owned', '/caseid', `a case opened by ${env.sender} must have an id starting with "${env.sender}:"`, `由 ${env.sender} 开启的案件编号必须以 "${env.sender}:" 开头`));
  const senderRole = senderRoleFor(env.sender, step.from);
  if (!senderRole) issues.push(caseIssue('case-wrong-sender', '/sender', `${name} is sent by ${step.from.join(' or ')}, not by ${env.sender}`, `${name} 应由 ${step.from.join('或')} 发送`));
  const roles: Record<string, Role> = {};
  if (senderRole) roles[env.sender] = senderRole;
  const open = (step.to ?? []).filter((r) => r !== senderRole && r !== 'platform');
  let next = 0;
  env.receivers.forEach((receiver, i) => {
    if (receiver === env.sender) return;
    if (receiver === PLATFORM_ID) {
      if (!(step.to ?? []).includes('platform')) issues.push(caseIssue('case-wrong-receiver', `/receivers/${i}`, `${name} is not sent to the platform`, `${name} 不发送给平台`));
      roles[receiver] = 'platform';
      return;
    }
    const role = open[next++];
    if (!role) issues.push(caseIssue('case-wrong-receiver', `/receivers/${i}`, `${name} goes to ${(step.to ?? []).join(', ')}; receiver ${receiver} has no role left`, `${name} 的接收方角色为 ${(step.to ?? []).join('、')}，${receiver} 无对应角色`));
    else roles[receiver] = role;
  });
  if (issues.length) throw mismatch(issues);
  return { stateAfter: step.toState ?? type.states[0].code, roles, closed: false };
}

function fitExisting(cat: Catalogue, type: CaseType, c: CaseRow, env: Envelope, name: string, found: Record<string, any> | undefined): Fit {
  if (c.case_type !== env.casetype) {
    throw mismatch([caseIssue('case-type-mismatch', '/casetype', `case ${c.case_id} is a ${c.case_type} case, not ${env.casetype}`, `案件 ${c.case_id} 的业务类型是 ${c.case_type}`)]);
  }
  if (c.standard_version !== env.caseversion) {
    // a case keeps its version: every message carries the caseversion the case was opened with
    const en = `case ${c.case_id} started with standard ${c.standard_version}; caseversion must stay ${c.standard_version}, not ${env.caseversion}`;
    const issue = caseIssue('case-version-changed', '/caseversion', en, `案件 ${c.case_id} 按标准 ${c.standard_version} 版开始，caseversion 须保持为 ${c.standard_version}，不能为 ${env.caseversion}`);
    throw new Rejection(409, 'case-conflict', en, makeReport([issue]));
  }
  if (c.closed) throw new Rejection(409, 'case-conflict', `case ${c.case_id} is ${c.state} (final): it accepts no further message`);
  const roles = { ...c.roles };
  // the platform takes part in every case (reminders, notices, closing)
  const senderRole = roles[env.sender] ?? (env.sender === PLATFORM_ID ? 'platform' : undefined);
  if (!senderRole) throw mismatch([caseIssue('case-not-party', '/sender', `${env.sender} is not party to case ${c.case_id}`, `${env.sender} 不是案件 ${c.case_id} 的当事方`)]);
  const replied = env.inreplyto ? found : undefined;

  const reasons: PlatformIssue[] = [];
  const steps = type.steps.filter((s) => s.message === name && !(s.opens && !s.inStates));
  for (const step of steps) {
    const why = stepMisfit(step, c, senderRole, replied, env);
    if (!why) {
      const receiverIssues = bindReceivers(roles, env, step.to);
      if (receiverIssues.length) throw mismatch(receiverIssues);
      return { stateAfter: step.toState ?? c.state, roles, closed: false };
    }
    reasons.push(why);
  }
  const adminEntry = type.administrative?.find((a) => a.message === name);
  const admin = cat.administrative.find((a) => a.message === name);
  if (adminEntry && admin) {
    const issues: PlatformIssue[] = [];
    if (!adminEntry.from.includes(senderRole)) issues.push(caseIssue('case-wrong-sender', '/sender', `${name} in a ${type.code} case is sent by ${adminEntry.from.join(' or ')}, not by the ${senderRole} (${env.sender})`, `${name} 应由 ${adminEntry.from.join('或')} 发送`));
    if (admin.answers !== 'none') {
      if (!replied) issues.push(caseIssue('case-reply-missing', '/inreplyto', `${name} must name in inreplyto a message of case ${c.case_id}`, `${name} 必须在 inreplyto 中指明本案件的一条消息`));
      else if (admin.answers === 'own' && replied.sender !== env.sender) issues.push(caseIssue('case-reply-not-own', '/inreplyto', `${name} can only answer a message its sender sent`, `${name} 只能针对本机构发送的消息`));
    }
    issues.push(...bindReceivers(roles, env, undefined));
    if (issues.length) throw mismatch(issues);
    if (admin.effect === 'close') return { stateAfter: type.states.some((s) => s.code === 'closed') ? 'closed' : c.state, roles, closed: true };
    if (admin.effect === 'revert') return { stateAfter: (replied!.state_before as string | null) ?? c.state, roles, closed: false };
    return { stateAfter: c.state, roles, closed: false };
  }
  if (!steps.length) reasons.push(caseIssue('case-message-not-allowed', '/type', `${name} is not a message of a ${type.code} case`, `${name} 不属于 ${type.code} 类案件`));
  throw mismatch(reasons);
}

function stepMisfit(step: Step, c: CaseRow, senderRole: Role, replied: Record<string, any> | undefined, env: Envelope): PlatformIssue | undefined {
  if (!step.inStates?.includes(c.state)) {
    return caseIssue('case-wrong-state', '/type', `${step.message} is allowed when the case is ${step.inStates?.join(' or ')}; case ${c.case_id} is ${c.state}`, `${step.message} 仅在案件处于 ${step.inStates?.join('或')} 时允许；案件当前为 ${c.state}`);
  }
  if (!step.from.includes(senderRole)) {
    return caseIssue('case-wrong-sender', '/sender', `${step.message} is sent by ${step.from.join(' or ')}, not by the ${senderRole} (${env.sender})`, `${step.message} 应由 ${step.from.join('或')} 发送`);
  }
  if (step.answers?.length) {
    if (!replied) return caseIssue('case-reply-missing', '/inreplyto', `${step.message} answers ${step.answers.join(' or ')}: inreplyto must name that message of case ${c.case_id}`, `${step.message} 须在 inreplyto 中指明所答复的 ${step.answers.join('或')}`);
    if (!step.answers.includes(messageName(replied.type) ?? '')) {
      return caseIssue('case-reply-mismatch', '/inreplyto', `${step.message} answers ${step.answers.join(' or ')}, but ${env.inreplyto} is a ${messageName(replied.type)}`, `${step.message} 应答复 ${step.answers.join('或')}`);
    }
  }
  return undefined;
}

/** Every receiver must be party to the case, or take a role of `to` not yet held. Mutates roles. */
function bindReceivers(roles: Record<string, Role>, env: Envelope, to: Role[] | undefined): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const held = new Set(Object.values(roles));
  env.receivers.forEach((receiver, i) => {
    const role = roles[receiver] ?? (receiver === PLATFORM_ID ? 'platform' : undefined);
    if (role) {
      if (to && !to.includes(role)) issues.push(caseIssue('case-wrong-receiver', `/receivers/${i}`, `this message goes to ${to.join(', ')}; ${receiver} is the ${role}`, `该消息应发送给 ${to.join('、')}；${receiver} 是 ${role}`));
      return;
    }
    const free = (to ?? []).find((r) => !held.has(r) && r !== 'platform');
    if (!free) {
      issues.push(caseIssue('case-not-party', `/receivers/${i}`, `receiver ${receiver} is not party to case ${env.caseid}`, `接收机构 ${receiver} 不是案件 ${env.caseid} 的当事方`));
      return;
    }
    roles[receiver] = free;
    held.add(free);
  });
  return issues;
}

/** The current step as jiexu_store_message takes it (null: nothing awaited). */
interface StepRow {
  name: string;
  afterId: string | null;
  afterSource: string | null;
  awaiting: string[];
  expects: string[];
  startedAt: string;
  workingDays: number;
  deadline: string;
  estimated: boolean;
}

/**
 * The case's current step from the catalogue: what it waits for, from whom, by when. The
 * deadline starts at the latest message of the step's `startsAt` type — the one being
 * stored when it is of that type, else the latest stored one.
 */
function currentStep(type: CaseType, state: string, closed: boolean, roles: Record<string, Role>, env: Envelope, at: Date, starts: StartMessage[]): StepRow | null {
  const steps = closed ? [] : awaitedSteps(type, state);
  if (!steps.length) return null;
  const envName = messageName(env.type);
  let best: { deadline: string; estimated: boolean; step: Step; start: { id: string; source: string; data: unknown; receivedAt: Date } | undefined } | undefined;
  for (const step of steps) {
    const d = step.deadline!;
    const start =
      envName === d.startsAt.message
        ? { id: env.id, source: env.source, data: env.data, receivedAt: at }
        : starts.filter((m) => messageName(m.type) === d.startsAt.message).sort((x, y) => y.seq - x.seq)[0];
    const startDate = (d.startsAt.field && start ? dateOf(pointerGet(start.data, d.startsAt.field)) : undefined) ?? chinaDate(start?.receivedAt ?? at);
    const due = workingDaysAfter(startDate, d.workingDays);
    if (!best || due.date < best.deadline) best = { deadline: due.date, estimated: due.estimated, step, start };
  }
  const expects = steps.filter((s) => s.deadline!.workingDays === best!.step.deadline!.workingDays).map((s) => s.message);
  const awaitingRoles = new Set(steps.filter((s) => expects.includes(s.message)).flatMap((s) => s.from));
  const awaiting = Object.entries(roles).filter(([, role]) => awaitingRoles.has(role) && role !== 'platform').map(([id]) => id).sort();
  return {
    name: `${state}: ${expects.join(' | ')}`,
    afterId: best!.start?.id ?? null,
    afterSource: best!.start?.source ?? null,
    awaiting,
    expects,
    startedAt: (best!.start?.receivedAt ?? at).toISOString(),
    workingDays: best!.step.deadline!.workingDays,
    deadline: best!.deadline,
    estimated: best!.estimated,
  };
}

/** addWorkingDays of @jiexu/rules, remembered: the calendar does not change while the platform runs. */
const dueDates = new Map<string, { date: string; estimated: boolean }>();
function workingDaysAfter(start: string, days: number): { date: string; estimated: boolean } {
  const key = `${start}+${days}`;
  let due = dueDates.get(key);
  if (!due) {
    const { date, estimated } = addWorkingDays(start, days);
    due = { date, estimated };
    if (dueDates.size >= 10_000) dueDates.clear();
    dueDates.set(key, due);
  }
  return due;
}

function pointerGet(doc: unknown, pointer: string): unknown {
  let cur: any = doc;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}
