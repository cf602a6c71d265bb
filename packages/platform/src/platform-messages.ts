/** Messages the platform itself sends (reminders, notices): built, validated, signed with its key, stored. */
import { makeEnvelope, signEnvelope } from '@jiexu/client';
import type { Queryable } from './db.ts';
import { PLATFORM_ID, type Envelope, type PlatformContext } from './message-types.ts';
import { storeMessage } from './store.ts';

/** An envelope the platform itself sends. */
export function platformEnvelope(
  message: string,
  caseId: string,
  caseTypeCode: string,
  caseVersion: string,
  receivers: string[],
  now: Date,
  extra: { inreplyto?: string; data: Record<string, unknown> },
): Envelope {
  return makeEnvelope({
    message,
    sender: PLATFORM_ID,
    receivers,
    caseId,
    caseType: caseTypeCode,
    version: caseVersion,
    time: now.toISOString(),
    inreplyto: extra.inreplyto,
    data: extra.data,
  }) as Envelope;
}

/** Stores a platform-generated message (validated like any other; a failure is a platform bug). */
export async function storePlatformMessage(q: Queryable, ctx: PlatformContext, envelope: Envelope): Promise<string> {
  const report = ctx.validate(envelope);
  if (!report.valid) throw new Error(`platform-generated ${envelope.type} does not validate: ${report.issues.map((i) => `${i.pointer} ${i.code}`).join(', ')}`);
  // signed like any institution's envelope (at the platform's clock), so receivers verify it the same way
  const signature = ctx.platformKey ? await signEnvelope(envelope, ctx.platformKey.privateKey, { now: () => ctx.now().getTime() }) : null;
  const stored = await storeMessage(
    q,
    ctx,
    envelope,
    undefined,
    { actor: PLATFORM_ID, action: 'message.generate', detail: { type: envelope.type, caseId: envelope.caseid, receivers: envelope.receivers } },
    signature,
  );
  if ('replay' in stored) throw new Error(`platform message id ${envelope.id} reused`);
  if (!('seq' in stored)) throw new Error(`platform message ${envelope.id} was stored with a pension guard`);
  return stored.seq;
}
