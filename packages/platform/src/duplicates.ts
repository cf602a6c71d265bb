/**
 * Duplicate registration (人社部发〔2010〕70号; DOMAIN rule 12): the platform learns who is
 * enrolled where from enrollment.registered / changed / terminated notices. When one
 * person is actively enrolled in the same scheme in two pooling regions, both institutions
 * get a duplicate-registration.notice (a new case opened by the platform), once per pair
 * while the duplicate lasts; the later registration's region is proposed to be kept
 * (先转后清: the receiving place keeps it and cleans up).
 */
import { createHash } from 'node:crypto';
import { platformEnvelope, storePlatformMessage } from './platform-messages.ts';
import type { Queryable } from './db.ts';
import { messageName } from './catalogue.ts';
import { PLATFORM_ID, type Envelope, type PlatformContext } from './message-types.ts';
import { chinaDate } from './time.ts';

interface Person {
  id: string;
  name?: string;
  gender?: string;
}

/** Whether an envelope is an enrollment notice to the platform (which processEnrollment records, in the accepting transaction). */
export function isEnrollmentNotice(env: Envelope): boolean {
  return (messageName(env.type)?.startsWith('enrollment.') ?? false) && env.receivers.includes(PLATFORM_ID);
}

/**
 * The advisory lock processEnrollment needs, held by the caller (person-locks.ts): one person +
 * scheme at a time, so two regions registering the same person concurrently see each other
 * (READ COMMITTED would let both miss the other's new row).
 */
export function enrollmentLockKeys(env: Envelope): string[] {
  if (!isEnrollmentNotice(env)) return [];
  const data = env.data as { person: Person; scheme: string };
  return [`enrollment|${data.person.id}|${data.scheme}`];
}

/**
 * Records what an enrollment notice says and returns the ids of the duplicate notices it
 * caused. The caller holds the locks of enrollmentLockKeys(env). The upsert, the look for an
 * active enrollment elsewhere and the duplicate's record are one statement (the transaction
 * holds the audit chain head meanwhile: each round trip is time every other writer waits).
 */
export async function processEnrollment(q: Queryable, ctx: PlatformContext, env: Envelope, seq: string, at: Date): Promise<string[]> {
  if (!isEnrollmentNotice(env)) return [];
  const name = messageName(env.type);
  const data = env.data as { person: Person; scheme: string; region: string; status: string; effectiveMonth?: string };
  const status = name === 'enrollment.terminated' ? 'terminated' : data.status === 'active' ? 'active' : 'suspended';
  const person = { id: data.person.id, ...(data.person.name ? { name: data.person.name } : {}), ...(data.person.gender ? { gender: data.person.gender } : {}) };
  const upsert = `INSERT INTO enrollments (person_id, scheme, region, institution_id, status, message_seq, updated_at, person, since)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (person_id, scheme, region) DO UPDATE SET institution_id = $4, status = $5, message_seq = $6, updated_at = $7, person = $8,
       since = COALESCE(enrollments.since, $9)`;
  const values = [data.person.id, data.scheme, data.region, env.sender, status, seq, at, person, data.effectiveMonth ?? null];
  if (status !== 'active') {
    // the duplicate (if any) is over for this region: a later one is noticed again
    await q.query(`WITH up AS (${upsert} RETURNING 1) DELETE FROM duplicate_notices WHERE person_id = $1 AND scheme = $2 AND (region_a = $3 OR region_b = $3)`, values);
    return [];
  }
  // the other regions' active enrollments (read in the statement's snapshot: our own row is not among them),
  // each pair recorded once; only the pairs recorded now come back
  const others = await q.query(
    `WITH up AS (${upsert} RETURNING 1),
       others AS (SELECT region, institution_id, since, updated_at FROM enrollments
                   WHERE person_id = $1 AND scheme = $2 AND status = 'active' AND region <> $3),
       fresh AS (INSERT INTO duplicate_notices (person_id, scheme, region_a, region_b, message_seq, noticed_at)
                 SELECT $1, $2, least(region, $3), greatest(region, $3), $6, $7 FROM others
                 ON CONFLICT DO NOTHING RETURNING region_a, region_b)
     SELECT o.region, o.institution_id, o.since FROM others o JOIN fresh f ON f.region_a = least(o.region, $3) AND f.region_b = greatest(o.region, $3)
      ORDER BY o.updated_at, o.region`,
    values,
  );
  const notices: string[] = [];
  for (const other of others) {
    const [a, b] = [other.region as string, data.region].sort();
    const ref = createHash('sha256').update(`${data.person.id}|${data.scheme}|${a}|${b}|${at.toISOString()}`).digest('hex').slice(0, 20);
    const caseId = `${PLATFORM_ID}:DUP-${ref}`;
    const older = { region: other.region as string, institution: other.institution_id as string, since: other.since as string | null };
    const newer = { region: data.region, institution: env.sender, since: data.effectiveMonth ?? null };
    const registration = (r: typeof older) => ({ region: r.region, institution: r.institution, ...(r.since ? { since: r.since } : {}) });
    const detectedOn = chinaDate(at);
    const envelope = platformEnvelope('duplicate-registration.notice', caseId, 'duplicate-registration', env.caseversion, [older.institution, newer.institution], at, {
      data: {
        detectedOn,
        person,
        scheme: data.scheme,
        registrations: [registration(older), registration(newer)],
        ...overlapOf(older.since, newer.since, detectedOn),
        proposedKeptRegion: newer.region,
        note: `同一参保人在 ${older.region} 与 ${newer.region} 同时参加险种 ${data.scheme}：请按“先转后清”保留一处参保关系，清理另一处。`,
      },
    });
    await storePlatformMessage(q, ctx, envelope);
    notices.push(envelope.id);
  }
  return notices;
}

/**
 * The months the person has been enrolled in both places: from the later first month to the
 * month of detection, both included (nothing when a first month is unknown or still to come).
 * The platform knows registrations, not payments: this is the span in which both were active.
 */
export function overlapOf(sinceA: string | null, sinceB: string | null, detectedOn: string): { overlap: { firstMonth: string; lastMonth: string }; overlapMonths: number } | undefined {
  if (!sinceA || !sinceB) return undefined;
  const firstMonth = sinceA > sinceB ? sinceA : sinceB;
  const lastMonth = detectedOn.slice(0, 7);
  if (firstMonth > lastMonth) return undefined;
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return { overlap: { firstMonth, lastMonth }, overlapMonths: index(lastMonth) - index(firstMonth) + 1 };
}
