/**
 * Signed receipts (docs/platform.md, "Receipts"): the receiver of a message signs that it
 * received exactly the message with this digest, at this time. The sender fetches the
 * receipt from the platform and can show it to anyone: proof of receipt, verifiable with
 * the receiver's directory keys and nothing else.
 *
 *   receipt   = {"type":"jiexu.receipt","receiver":…,"caseId":…,
 *                "message":{"source":…,"id":…,"digest":<SHA-256 hex of the envelope's RFC 8785 form>},
 *                "acknowledgedAt":<RFC 3339>}
 *   signature = detached JWS over the receipt's RFC 8785 form, typ jiexu-receipt+jws,
 *               kid = a key of the receiver
 */
import type { KeyObject } from 'node:crypto';
import { envelopeDigest, signDetached, verifyDetached, type DirectoryKey, type SignatureCheck } from './envelope-signature.ts';

export const RECEIPT_SIGNATURE_TYPE = 'jiexu-receipt+jws';

export interface Receipt {
  type: 'jiexu.receipt';
  receiver: string;
  caseId: string;
  message: { source: string; id: string; digest: string };
  acknowledgedAt: string;
}

export interface SignedReceipt {
  receipt: Receipt;
  signature: string;
}

/** The receipt a receiver signs for one envelope it received (as sent: the signed envelope). */
export function receiptFor(envelope: { source: string; id: string; caseid: string }, receiver: string, acknowledgedAt: Date): Receipt {
  return {
    type: 'jiexu.receipt',
    receiver,
    caseId: envelope.caseid,
    message: { source: envelope.source, id: envelope.id, digest: envelopeDigest(envelope) },
    acknowledgedAt: acknowledgedAt.toISOString(),
  };
}

export async function signReceipt(receipt: Receipt, privateKey: KeyObject | string, now?: () => number): Promise<SignedReceipt> {
  return { receipt, signature: await signDetached(receipt, privateKey, { typ: RECEIPT_SIGNATURE_TYPE, now }) };
}

/** Checks a receipt's signature against the receiver's directory keys (validity at the signing time included). */
export function verifyReceipt(signed: SignedReceipt, receiverKeys: readonly DirectoryKey[]): Promise<SignatureCheck> {
  return verifyDetached(signed.receipt, signed.signature, receiverKeys, RECEIPT_SIGNATURE_TYPE);
}
