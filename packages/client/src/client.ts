/**
 * Typed client for the jiexu national transfer platform.
 *
 * Every request is signed (see signing.ts). Retries are safe: a message's
 * `source` + `id` is its idempotency key, so POST /v1/messages is re-sent with the
 * same bytes on network errors and 5xx answers; the platform answers a repeat
 * with the first outcome. 4xx answers (401/403/409/413/422) are never retried.
 */
import { Pool, errors as undiciErrors } from 'undici';
import type { KeyObject } from 'node:crypto';
import { newNonce, signRequest } from './signing.ts';
import { receiptFor, signReceipt, verifyReceipt, type SignedReceipt } from './receipts.ts';
import { HEADER_ENVELOPE_SIGNATURE, signEnvelope, verifyEnvelope, readSignatureHeader, type DirectoryKey } from './envelope-signature.ts';
import type {
  Envelope,
  Acceptance,
  SendResult,
  InboxPage,
  InboxMessage,
  AckResult,
  CaseView,
  CaseList,
  InstitutionList,
  StatisticsList,
  Problem,
  ProblemReport,
  VerifiedInboxPage,
  Verification,
  CaseReceipts,
  CaseBundle,
  AuditPage,
} from './types.ts';

/** The platform's own id: it generates reminders and notices, which carry no sender signature. */
const PLATFORM_ID = '100000-platform';

export interface ClientOptions {
  /** Platform base URL, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** This institution's id in the platform directory. */
  institutionId: string;
  /** Ed25519 private key: a node KeyObject or a PKCS#8 PEM string. */
  privateKey: KeyObject | string;
  /** Attempts after the first one for retryable failures (default 4). */
  retries?: number;
  /** First backoff delay in ms, doubled each attempt, with jitter (default 100). */
  backoffMs?: number;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Concurrent connections to the platform (default 8). */
  connections?: number;
  /** Clock for request timestamps (unix ms); default Date.now. */
  now?: () => number;
}

/** The platform answered with an error status: `code` is its stable error code (e.g. `invalid-message`), `report` its issues when it sent some. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly report: ProblemReport | undefined,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** The platform could not be reached (after every retry). */
export class PlatformUnreachableError extends Error {
  constructor(message: string, readonly cause: unknown) {
    super(message);
    this.name = 'PlatformUnreachableError';
  }
}

export interface InboxQuery {
  /** Cursor of the last message already seen; omitted = from the oldest unacknowledged. */
  after?: string | number;
  /** Page size. */
  limit?: number;
}

export interface PlatformClient {
  readonly baseUrl: string;
  readonly institutionId: string;
  /** Signs the envelope as this institution and posts it; resolves with the platform's acceptance (also for an idempotent repeat). */
  send(envelope: Envelope): Promise<SendResult>;
  /**
   * One page of this institution's inbox, each message's sender signature checked against the
   * directory (`verification`: verified, unsigned — only the platform's own messages — or refused with the reason).
   */
  inbox(query?: InboxQuery): Promise<VerifiedInboxPage>;
  /** Checks one delivered message's sender signature against the directory (as `inbox` does). */
  verifyMessage(message: InboxMessage): Promise<Verification>;
  /**
   * Acknowledges every inbox message up to and including cursor `upTo`, sending a receipt
   * signed with this institution's key for each message read with `inbox()` up to it whose
   * signature verified (`receipts: false`: none). The answer lists the receipts the platform kept.
   */
  ack(upTo: string | number, opts?: { receipts?: boolean }): Promise<AckResult>;
  /** The receipts of a case's messages, each checked against its receiver's directory keys. */
  receipts(caseId: string): Promise<CaseReceipts>;
  /** The case as evidence (messages, signatures, receipts, keys, audit entries): check it offline with verifyBundle. */
  caseBundle(caseId: string): Promise<CaseBundle>;
  /** Audit entries of this institution's cases (and about itself), with the chain's hashes. */
  audit(query?: { caseId?: string; after?: string; limit?: number }): Promise<AuditPage>;
  /** One case with its messages and step deadlines. */
  case(caseId: string): Promise<CaseView>;
  /** Cases with a step past its deadline that this institution takes part in. */
  overdueCases(): Promise<CaseList>;
  /** The institution directory. */
  institutions(): Promise<InstitutionList>;
  /** Pension transfers in and out of the caller's region per year, with the funds (GET /v1/statistics). */
  statistics(): Promise<StatisticsList>;
  /** GET /healthz (unsigned); resolves true when the platform answers 200. */
  health(): Promise<boolean>;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signed?: boolean;
  /** Whether a 5xx or network error may be retried (true for idempotent operations). */
  retry: boolean;
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function isRetryableNetworkError(err: unknown): boolean {
  if (err instanceof undiciErrors.UndiciError) return RETRYABLE_NETWORK_CODES.has((err as { code?: string }).code ?? '') || err instanceof undiciErrors.SocketError;
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createClient(options: ClientOptions): PlatformClient {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`platform URL must be http(s): ${options.baseUrl}`);
  const prefix = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, { connections: options.connections ?? 8, keepAliveTimeout: 10_000 });
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T>(c: Call): Promise<{ status: number; body: T }> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) search.set(k, String(v));
    const qs = search.toString();
    const pathWithQuery = `${prefix}${c.path}${qs ? `?${qs}` : ''}`;
    // serialise once: every retry sends the same bytes (same id → same idempotency key)
    const body = c.body === undefined ? undefined : JSON.stringify(c.body);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json', ...c.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (c.signed !== false) {
        Object.assign(
          headers,
          signRequest({ method: c.method, pathWithQuery, body: body ?? '', institutionId: options.institutionId, privateKey: options.privateKey, now: options.now, nonce: newNonce() }),
        );
      }
      let status: number;
      let text: string;
      try {
        const res = await pool.request({ method: c.method, path: pathWithQuery, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        status = res.statusCode;
        text = await res.body.text();
      } catch (err) {
        if (c.retry && attempt < retries && isRetryableNetworkError(err)) {
          await sleep(backoff(attempt));
          continue;
        }
        const code = (err as { code?: string }).code;
        throw new PlatformUnreachableError(`cannot reach the platform at ${base.origin}${prefix}: ${code ? `${code} ` : ''}${(err as Error).message}`, err);
      }
      const parsed = parseJson(text);
      if (status >= 200 && status < 300) return { status, body: parsed as T };
      if (status >= 500 && c.retry && attempt < retries) {
        await sleep(backoff(attempt));
        continue;
      }
      throw toPlatformError(c.method, pathWithQuery, status, parsed, text);
    }
  }

  /** The directory's keys by institution, read once and read again when a signature names a key not in it. */
  let directory: Map<string, DirectoryKey[]> | undefined;
  async function loadDirectory(): Promise<Map<string, DirectoryKey[]>> {
    const list = (await call<InstitutionList>({ method: 'GET', path: '/v1/institutions', retry: true })).body;
    const platform = (await call<{ keys: DirectoryKey[] }>({ method: 'GET', path: '/v1/platform/keys', retry: true })).body;
    directory = new Map([...list.institutions.map((i) => [i.id, i.keys as DirectoryKey[]] as const), [PLATFORM_ID, platform.keys] as const]);
    return directory;
  }
  async function keysOf(institutionId: string, kid: string | undefined): Promise<DirectoryKey[]> {
    let dir = directory ?? (await loadDirectory());
    if (kid !== undefined && !(dir.get(institutionId) ?? []).some((k) => k.kid === kid)) dir = await loadDirectory();
    return dir.get(institutionId) ?? [];
  }

  /** Messages read with inbox() whose signature verified, by cursor: ack() signs receipts for them. */
  const readMessages = new Map<string, Envelope>();

  async function verifyMessage(m: InboxMessage): Promise<Verification> {
    const signed = (m.signedEnvelope ?? m.envelope) as Envelope;
    const sender = signed.sender;
    if (m.signature === null || m.signature === undefined) {
      if (sender === PLATFORM_ID) return { status: 'unsigned', reason: 'generated by the platform before it signed its messages' };
      return { status: 'refused', code: 'envelope-signature-missing', reason: `message ${signed.id} from ${sender} carries no signature` };
    }
    const header = readSignatureHeader(m.signature);
    const check = await verifyEnvelope(signed, m.signature, await keysOf(sender, 'error' in header ? undefined : header.kid));
    if (check.valid) return { status: 'verified', kid: check.kid, signedAt: check.signedAt };
    return { status: 'refused', code: check.code, reason: `message ${signed.id} from ${sender}: ${check.reason}`, ...(check.kid ? { kid: check.kid } : {}) };
  }

  function backoff(attempt: number): number {
    const exp = backoffMs * 2 ** attempt;
    return exp / 2 + Math.random() * (exp / 2);
  }

  return {
    baseUrl: `${base.origin}${prefix}`,
    institutionId: options.institutionId,
    async send(envelope) {
      const signature = await signEnvelope(envelope, options.privateKey, { now: options.now });
      const res = await call<Acceptance>({ method: 'POST', path: '/v1/messages', body: envelope, headers: { [HEADER_ENVELOPE_SIGNATURE]: signature }, retry: true });
      return { ...res.body, replayed: res.status === 200 };
    },
    async inbox(q = {}) {
      const page = (await call<InboxPage>({ method: 'GET', path: '/v1/inbox', query: { after: q.after, limit: q.limit }, retry: true })).body;
      const messages = [];
      for (const m of page.messages) {
        const verification = await verifyMessage(m);
        if (verification.status === 'verified') readMessages.set(m.cursor, (m.signedEnvelope ?? m.envelope) as Envelope);
        messages.push({ ...m, verification });
      }
      return { ...page, messages };
    },
    verifyMessage,
    async ack(upTo, opts = {}) {
      const receipts: SignedReceipt[] = [];
      const upToCursor = BigInt(String(upTo));
      const covered = [...readMessages.keys()].filter((cursor) => BigInt(cursor) <= upToCursor);
      if (opts.receipts !== false) {
        const at = new Date(options.now ? options.now() : Date.now());
        for (const cursor of covered) receipts.push(await signReceipt(receiptFor(readMessages.get(cursor)!, options.institutionId, at), options.privateKey, options.now));
      }
      const body = receipts.length ? { upTo: String(upTo), receipts } : { upTo: String(upTo) };
      const result = (await call<AckResult>({ method: 'POST', path: '/v1/inbox/ack', body, retry: true })).body;
      for (const cursor of covered) readMessages.delete(cursor);
      return result;
    },
    caseBundle: async (caseId) => (await call<CaseBundle>({ method: 'GET', path: `/v1/cases/${encodeURIComponent(caseId)}/bundle`, retry: true })).body,
    audit: async (q = {}) => (await call<AuditPage>({ method: 'GET', path: '/v1/audit', query: q, retry: true })).body,
    async receipts(caseId) {
      const res = (await call<CaseReceipts>({ method: 'GET', path: `/v1/cases/${encodeURIComponent(caseId)}/receipts`, retry: true })).body;
      const receipts = [];
      for (const r of res.receipts) {
        const check = await verifyReceipt(r as SignedReceipt, await keysOf(r.receipt.receiver, undefined));
        receipts.push({ ...r, verification: check.valid ? { status: 'verified' as const, kid: check.kid, signedAt: check.signedAt } : { status: 'refused' as const, code: check.code, reason: check.reason } });
      }
      return { ...res, receipts };
    },
    case: async (caseId) => (await call<CaseView>({ method: 'GET', path: `/v1/cases/${encodeURIComponent(caseId)}`, retry: true })).body,
    overdueCases: async () => (await call<CaseList>({ method: 'GET', path: '/v1/cases', query: { overdue: 'true' }, retry: true })).body,
    institutions: async () => (await call<InstitutionList>({ method: 'GET', path: '/v1/institutions', retry: true })).body,
    statistics: async () => (await call<StatisticsList>({ method: 'GET', path: '/v1/statistics', retry: true })).body,
    async health() {
      try {
        const res = await pool.request({ method: 'GET', path: `${prefix}/healthz`, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        await res.body.dump();
        return res.statusCode === 200;
      } catch {
        return false;
      }
    },
    close: () => pool.close(),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toPlatformError(method: string, path: string, status: number, parsed: unknown, text: string): PlatformError {
  const problem = isProblem(parsed) ? parsed : undefined;
  const report = problem?.report;
  const first = report?.issues.find((i) => i.severity === 'error' || i.severity === 'fatal') ?? report?.issues[0];
  const detail = problem ? `${problem.error}: ${problem.message}${first ? ` (${describeIssue(first)})` : ''}` : text.slice(0, 200);
  return new PlatformError(`${method} ${path} → ${status}${detail ? ` ${detail}` : ''}`, status, problem?.error ?? `http-${status}`, report, parsed);
}

function isProblem(x: unknown): x is Problem {
  return !!x && typeof x === 'object' && typeof (x as { error?: unknown }).error === 'string';
}

function describeIssue(issue: ProblemReport['issues'][number]): string {
  return `${issue.code}${issue.pointer !== undefined ? ` at ${issue.pointer || '/'}` : ''}: ${issue.message.en}`;
}
