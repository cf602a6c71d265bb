/**
 * What accepting and storing messages share: the platform's own id, the envelope, the
 * acceptance, the context every step runs in, and the refusal with its HTTP status.
 */
import type { DirectoryKey, ProblemCode } from '@jiexu/client';
import type { Report } from '@jiexu/standard';
import type { Catalogue } from './catalogue.ts';
import type { Db } from './db.ts';
import type { Delivered } from './delivery.ts';
import type { DirectoryCache } from './directory-cache.ts';
import type { PlatformKey } from './platform-key.ts';
import type { Validator } from './validation.ts';

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
  /** The directory as cached for authentication; lets an opening message be stored in one round trip (none: read every time). */
  directory?: DirectoryCache;
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
    readonly error: ProblemCode,
    message: string,
    readonly report?: Report,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export interface AuditEntry {
  actor: string;
  action: string;
  /** A `seq` key (any value) is replaced by the stored message's seq. */
  detail: Record<string, unknown>;
}
