/**
 * Delivering a stored message in the version of the standard its receiver declared:
 * `migrate()` of @jiexu/versioning on a copy (the stored message is never altered;
 * caseversion is never rewritten). What a down-conversion drops is said on the
 * delivered item, so the receiver knows it sees less than was sent.
 */
import { migrate, MigrationError, type MigrationReport } from '@jiexu/versioning';

/** How a delivered envelope was converted from the version it was sent in. */
export interface DeliveryMigration {
  from: string;
  to: string;
  /** False when the receiver's version cannot say something the message said (each loss is an issue). */
  lossless: boolean;
  issues: MigrationReport['issues'];
  /** Set when no migration exists (e.g. another major): the envelope is delivered as sent. */
  error?: string;
}

export interface Delivered {
  envelope: Record<string, unknown>;
  /** Present only when the envelope was sent in another version than the receiver reads. */
  migration?: DeliveryMigration;
}

/** A delivered item with the sender's signature: over `envelope`, or over `signedEnvelope` (as sent) when it was migrated. */
export interface SignedDelivery extends Delivered {
  signature: string | null;
  signedEnvelope?: Record<string, unknown>;
}

/** The stored `envelope` as the receiver reading `version` gets it. */
export function deliverIn(envelope: Record<string, unknown>, version: string): Delivered {
  const from = envelope.standardversion;
  if (typeof from !== 'string' || from === version) return { envelope };
  try {
    const { doc, report } = migrate(envelope, version);
    return { envelope: doc, migration: { from: report.from, to: report.to, lossless: report.lossless, issues: report.issues } };
  } catch (err) {
    if (!(err instanceof MigrationError)) throw err;
    return { envelope, migration: { from, to: version, lossless: false, issues: [], error: err.message } };
  }
}

/**
 * deliverIn with the sender's signature. The signature covers the envelope as sent: a
 * converted copy comes with the original as `signedEnvelope`, so the receiver can still
 * check who sent what (and see what the conversion changed).
 */
export function deliverSigned(envelope: Record<string, unknown>, signature: string | null, version: string): SignedDelivery {
  const delivered = deliverIn(envelope, version);
  return delivered.migration && delivered.envelope !== envelope ? { ...delivered, signature, signedEnvelope: envelope } : { ...delivered, signature };
}
