import { randomUUID } from 'node:crypto';
import type { Envelope } from './types.ts';

/** What a sender decides about a transfer message; everything else in the envelope follows from it. */
export interface EnvelopeInput {
  /** The message name, e.g. `pension.contact-letter`. */
  message: string;
  /** The sending institution's id, e.g. `110000-si`. */
  sender: string;
  receivers: string[];
  caseId: string;
  caseType: string;
  data: Record<string, unknown>;
  /** The standard version the message is written in (default 1.0). */
  version?: string;
  /** The version the case started with (default: `version`). */
  caseVersion?: string;
  /** Unique per sender: with the source, the idempotency key (default: a random UUID). */
  id?: string;
  /** RFC 3339 with an offset (default: now). */
  time?: string;
  /** The id of the message this one answers. */
  inreplyto?: string;
}

/**
 * A transfer-message envelope as the standard derives it: CloudEvents names,
 * `source` from the sender, the major version in `type`, the exact body schema
 * in `dataschema`, and the case id as `subject`.
 */
export function makeEnvelope(input: EnvelopeInput): Envelope {
  const version = input.version ?? '1.0';
  const major = version.split('.')[0];
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: `urn:jiexu:institution:${input.sender}`,
    type: `cn.jiexu.${input.message}.v${major}`,
    time: input.time ?? new Date().toISOString(),
    subject: input.caseId,
    dataschema: `https://jiexu.org/standard/${version}/messages/${input.message}.schema.json`,
    datacontenttype: 'application/json',
    sender: input.sender,
    receivers: input.receivers,
    caseid: input.caseId,
    casetype: input.caseType,
    caseversion: input.caseVersion ?? version,
    standardversion: version,
    ...(input.inreplyto ? { inreplyto: input.inreplyto } : {}),
    data: input.data,
  };
}
