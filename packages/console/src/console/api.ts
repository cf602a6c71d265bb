/** The console API (/v1/console/, same origin, the session cookie): typed reads, a 401 as `SessionEnded`. */
import type { Text } from '../app/i18n.ts';

export type Label = Text;

export class SessionEnded extends Error {}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly text: Text,
  ) {
    super(text.en);
  }
}

export interface Person {
  id: string | null;
  name: string | null;
  masked: boolean;
}

export interface ConsoleCase {
  caseId: string;
  caseType: string;
  caseTypeLabel: Label;
  state: string;
  stateLabel: Label;
  closed: boolean;
  own: boolean;
  parties: Array<{ id: string; role: string; roleLabel: Label; region: string | null }>;
  person: Person | null;
  openedAt: string;
  updatedAt: string;
  step: null | {
    name: string;
    expects: Array<{ message: string; label: Label }>;
    awaiting: string[];
    startedAt: string;
    workingDays: number | null;
    deadline: string | null;
    deadlineEstimated: boolean;
    overdue: boolean;
  };
}

export interface CalendarSpan {
  calendarDays: number;
  nonWorkingDays: string[];
  workedWeekendDays: string[];
}

export interface Session {
  viewer: { kind: 'institution'; id: string; region: string; name: string } | { kind: 'operator'; id: string };
  kid: string;
  expiresAt: string;
}

export interface CasesPage {
  today: string;
  schemes: Array<{ code: string; label: Label }>;
  total: number;
  byStateAndStep: Array<{ caseType: string; state: string; stateLabel: Label; step: string | null; stepLabel: Label | null; cases: number; overdue: number }>;
  cases: ConsoleCase[];
}

export interface OverduePage {
  today: string;
  groups: Array<{
    region: string;
    regionLabel: Label;
    step: string;
    stepLabel: Label;
    steps: Array<{ caseId: string; caseTypeLabel: Label; stateLabel: Label; awaiting: string; person: Person | null; startedAt: string; workingDays: number | null; deadline: string; deadlineEstimated: boolean; overdueWorkingDays: number; calendar: CalendarSpan }>;
  }>;
}

export interface TimelinePage {
  today: string;
  case: ConsoleCase;
  calendar: CalendarSpan | null;
  timeline: Array<{ id: string; message: string; label: Label; sender: string; receivers: string[]; stateAfter: string; stateAfterLabel: Label; receivedAt: string; receivedOn: string; dueOn: string | null; late: boolean; workingDaysLate: number }>;
}

export interface AuditPage {
  caseId: string;
  masked: boolean;
  entries: Array<{ index: string; at: string; actor: string; action: string; object: string; detail: unknown; hash: string }>;
}

export interface DirectoryPage {
  provinces: Array<{
    province: string;
    provinceLabel: Label;
    connectedPrefectures: number;
    totalPrefectures: number;
    prefectures: Array<{ code: string; label: Label; connected: boolean; institutions: string[] }>;
    provincial: string[];
    institutions: Array<{ id: string; name: string; region: string; regionLabel: Label; status: 'active' | 'disabled'; connected: boolean; standardVersion: string; lastMessageAt: string | null; messagesSent: number; self: boolean }>;
  }>;
}

export interface StatisticsPage {
  scope: string;
  statistics: Array<{ region: string; regionLabel: Label; year: number; transfersIn: number; transfersOut: number; fundsInFen: number; fundsOutFen: number }>;
}

/** GET a console path; 401 → SessionEnded, other errors → ApiError with the platform's words. */
export async function read<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) throw new SessionEnded();
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, { zh: body.zh ?? body.message ?? String(res.status), en: body.message ?? String(res.status) });
  return body as T;
}

/** The current session, or undefined. */
export async function currentSession(): Promise<Session | undefined> {
  try {
    return await read<Session>('/v1/console/session');
  } catch (err) {
    if (err instanceof SessionEnded) return undefined;
    throw err;
  }
}

export async function signOut(): Promise<void> {
  await fetch('/v1/console/session', { method: 'DELETE', credentials: 'same-origin' });
}
