/**
 * Checking a case bundle (`jiexu case export` → `jiexu verify`) with nothing but the
 * bundle: each message's sender signature against the sender's keys in the bundle (valid at
 * the signing time, signed within 300 s of its arrival), its digest against the one the
 * platform recorded at acceptance and chained into the audit trail, each receipt's receiver
 * signature and digest, and every audit entry's hash and links. Each problem names what
 * does not verify.
 */
import { checkChain, type AuditEntry } from './audit-chain.ts';
import { envelopeDigest, verifyEnvelope, type DirectoryKey } from './envelope-signature.ts';
import type { EvidenceIssueCode } from './issue-codes.ts';
import { verifyReceipt, type SignedReceipt } from './receipts.ts';

export interface BundleMessage {
  envelope: Record<string, unknown>;
  signature: string | null;
  digest: string | null;
  receivedAt: string;
}

export interface CaseBundleFile {
  format: 'jiexu-case-bundle/1';
  caseId: string;
  exportedAt: string;
  messages: BundleMessage[];
  receipts: Array<SignedReceipt & { storedAt?: string }>;
  keys: Record<string, DirectoryKey[]>;
  audit: AuditEntry[];
  head: { index: string; hash: string };
}

export type BundleProblemCode = EvidenceIssueCode;

export interface BundleProblem {
  /** What does not verify: `message <source>#<id>`, `receipt …`, `audit entry #n`. */
  subject: string;
  code: BundleProblemCode;
  message: { zh: string; en: string };
}

export interface BundleCheck {
  ok: boolean;
  caseId: string;
  checked: { messages: number; receipts: number; audit: number };
  /** Messages the platform generated before it signed its own (migration 010): unsigned, vouched for by the audit chain only. */
  unsigned: string[];
  problems: BundleProblem[];
}

const PLATFORM_ID = '100000-platform';
const SKEW_MS = 301_000;

function isBundle(x: unknown): x is CaseBundleFile {
  const b = x as CaseBundleFile | null;
  return !!b && b.format === 'jiexu-case-bundle/1' && typeof b.caseId === 'string' && Array.isArray(b.messages) && Array.isArray(b.receipts) && Array.isArray(b.audit) && !!b.keys && typeof b.keys === 'object';
}

export async function verifyBundle(bundle: unknown): Promise<BundleCheck> {
  if (!isBundle(bundle)) {
    return {
      ok: false,
      caseId: '',
      checked: { messages: 0, receipts: 0, audit: 0 },
      unsigned: [],
      problems: [{ subject: 'bundle', code: 'bundle-malformed', message: { zh: '不是案件证据包（format 应为 jiexu-case-bundle/1）', en: 'not a case bundle (format must be jiexu-case-bundle/1 with messages, receipts, keys, audit)' } }],
    };
  }
  const problems: BundleProblem[] = [];
  const unsigned: string[] = [];
  const add = (subject: string, code: BundleProblemCode, zh: string, en: string) => problems.push({ subject, code, message: { zh: `${subject}：${zh}`, en: `${subject}: ${en}` } });
  const audited = new Map<string, AuditEntry>();
  for (const e of bundle.audit) if (e.action === 'message.accept' || e.action === 'message.generate' || e.action === 'receipt.accept') audited.set(`${e.action === 'receipt.accept' ? 'receipt' : 'message'} ${e.object}`, e);
  const digests = new Map<string, string>();

  for (const m of bundle.messages) {
    const env = m.envelope as { source?: string; id?: string; sender?: string };
    const key = `${env.source}#${env.id}`;
    const subject = `message ${key}`;
    const digest = envelopeDigest(m.envelope);
    digests.set(key, digest);
    if (m.signature === null) {
      if (env.sender === PLATFORM_ID) unsigned.push(key);
      else add(subject, 'bundle-message-signature', '没有发送机构的签名', 'carries no signature of its sender');
    } else {
      const check = await verifyEnvelope(m.envelope, m.signature, bundle.keys[env.sender ?? ''] ?? []);
      if (!check.valid) add(subject, 'bundle-message-signature', `发送机构签名不通过（${check.code}）：${check.reason}`, `the sender's signature does not verify (${check.code}): ${check.reason}`);
      else if (Math.abs(Date.parse(check.signedAt) - Date.parse(m.receivedAt)) > SKEW_MS) add(subject, 'bundle-message-signature', `签名时间 ${check.signedAt} 与到达时间 ${m.receivedAt} 相差超过 300 秒`, `signed at ${check.signedAt}, more than 300 s from its arrival ${m.receivedAt}`);
    }
    if (m.digest !== null && m.digest !== digest) add(subject, 'bundle-message-digest', `内容摘要 ${digest.slice(0, 16)}… 与平台受理时记录的 ${m.digest.slice(0, 16)}… 不同：内容已被改动`, `its digest ${digest.slice(0, 16)}… is not the one recorded at acceptance (${m.digest.slice(0, 16)}…): the content was changed`);
    const entry = audited.get(subject);
    if (!entry) add(subject, 'bundle-message-not-audited', '审计链中没有它的受理记录', 'has no acceptance entry in the audit chain');
    else if (entry.detail.digest !== undefined && entry.detail.digest !== digest) add(subject, 'bundle-message-digest', `内容摘要与审计链第 ${entry.index} 条记录的不同：内容已被改动`, `its digest is not the one in audit entry #${entry.index}: the content was changed`);
  }

  for (const r of bundle.receipts) {
    const key = `${r.receipt?.message?.source}#${r.receipt?.message?.id}`;
    const subject = `receipt of ${r.receipt?.receiver} for message ${key}`;
    const check = await verifyReceipt(r, bundle.keys[r.receipt?.receiver] ?? []);
    if (!check.valid) add(subject, 'bundle-receipt-signature', `接收方签名不通过（${check.code}）：${check.reason}`, `the receiver's signature does not verify (${check.code}): ${check.reason}`);
    const digest = digests.get(key);
    if (digest === undefined) add(subject, 'bundle-receipt-digest', '证据包中没有该消息', 'names a message the bundle does not hold');
    else if (digest !== r.receipt.message.digest) add(subject, 'bundle-receipt-digest', '回执中的摘要与消息内容不符', "the digest it acknowledges is not the message's");
  }

  const chain = checkChain(bundle.audit);
  if (!chain.ok) add(`audit entry #${chain.index}`, 'bundle-audit-chain', `哈希链不符：${chain.reason}`, `the hash chain does not fit: ${chain.reason}`);
  const last = bundle.audit.at(-1);
  if (last && bundle.head && last.index === bundle.head.index && last.hash !== bundle.head.hash) {
    add(`audit entry #${last.index}`, 'bundle-audit-chain', '与导出时的链头哈希不符', 'is not the chain head recorded at export');
  }

  return {
    ok: problems.length === 0,
    caseId: bundle.caseId,
    checked: { messages: bundle.messages.length, receipts: bundle.receipts.length, audit: bundle.audit.length },
    unsigned,
    problems,
  };
}
