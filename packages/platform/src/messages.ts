/**
 * Accepting a transfer message: authorisation, validation against the standard, the
 * sender's envelope signature, idempotency on source + id, then storing it with its case
 * (store.ts: one jiexu_store_message call, usually one round trip) — and, for enrollment
 * notices to the platform, duplicate-registration processing in the same transaction.
 */
import { makeReport } from '@jiexu/standard';
import { canonicalForm } from './canonical-json.ts';
import { enrollmentLockKeys, isEnrollmentNotice, processEnrollment } from './duplicates.ts';
import { benefitLockKeys, needsBenefitProcessing, pensionGuard, processBenefitPeriods } from './benefit-periods.ts';
import { lockPeople } from './person-locks.ts';
import { deliverIn } from './delivery.ts';
import { checkEnvelopeSignature } from './envelope-signatures.ts';
import { Rejection, type Acceptance, type AuditEntry, type Envelope, type PlatformContext, type ReceiverLoss, type SenderEvidence } from './message-types.ts';
import { acceptanceOf, storeMessage } from './store.ts';

export { PLATFORM_ID, PLATFORM_SOURCE, Rejection, type Acceptance, type AuditEntry, type Envelope, type PlatformContext, type ReceiverLoss, type SenderEvidence } from './message-types.ts';
export { storeMessage } from './store.ts';

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

/**
 * SQLSTATEs after which nothing was stored and the same attempt can simply run again:
 * JX001, raised by jiexu_store_message when the case changed after it was read; and the two
 * PostgreSQL asks clients to retry (serialization_failure, deadlock_detected). Every writer
 * takes the audit chain head first (lockAuditChainHead), so a deadlock means a bug in that
 * order (lock-order.test.ts) — but it is still not the institution's error: retry, not 500.
 */
const TRY_AGAIN = new Set(['JX001', '40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** Runs `attempt` again while the case it read changes under it (a concurrent message of the same case). */
async function whileCaseChanges<T>(caseId: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!TRY_AGAIN.has((err as { code?: unknown })?.code as string)) throw err;
      if (n >= MAX_ATTEMPTS) throw new Rejection(409, 'case-conflict', `case ${caseId} kept changing while this message was being accepted; send it again`);
    }
  }
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
  // the canonical form once: the bytes the sender's signature covers, and the message's digest
  const canonical = canonicalForm(envelope);
  const checked = ctx.verifyEnvelopeSignatures === false ? { signature: evidence.signature ?? null } : await checkEnvelopeSignature(canonical.bytes, evidence.signature, evidence.keys, ctx.now());
  if ('issue' in checked) throw new Rejection(422, 'invalid-signature', checked.issue.message.en, makeReport([checked.issue]));
  const signature = checked.signature;
  const digest = canonical.hash;
  const audit: AuditEntry = {
    actor: institutionId,
    action: 'message.accept',
    detail: { type: envelope.type, caseId: envelope.caseid, receivers: envelope.receivers, seq: null },
  };
  const enrollment = isEnrollmentNotice(envelope);
  const benefit = needsBenefitProcessing(envelope);
  // a transfer application's pension check is done by the store itself (benefit-periods.ts pensionGuard)
  const guard = !enrollment && benefit ? pensionGuard(envelope) : undefined;
  const result = await whileCaseChanges(envelope.caseid, async () => {
    if (!enrollment && (!benefit || guard)) {
      // one statement stores everything (atomic by itself): no explicit transaction needed
      const stored = await storeMessage(ctx.db, ctx, envelope, digest, audit, signature, guard ?? null);
      if ('replay' in stored) return { status: 200 as const, acceptance: stored.replay, webhooks: 0 };
      if ('seq' in stored) return { status: 202 as const, acceptance: withLosses(acceptanceOf(envelope, stored.receivedAt), envelope, stored.receiverVersions), webhooks: stored.webhooks };
      // the person draws a pension elsewhere: stored with the notices, in a transaction
    }
    return ctx.db.tx(async (q) => {
      const stored = await storeMessage(q, ctx, envelope, digest, audit, signature);
      if ('replay' in stored) return { status: 200 as const, acceptance: stored.replay, webhooks: 0 };
      if (!('seq' in stored)) throw new Error('the store asked for the transactional path inside it');
      // after the store took the audit chain head: the per-person locks, all in one round trip
      await lockPeople(q, [...enrollmentLockKeys(envelope), ...benefitLockKeys(envelope)]);
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
