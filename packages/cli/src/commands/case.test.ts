import { describe, expect, it } from 'vitest';
import type { CaseView } from '@jiexu/client';
import { describeCase, describeTiming } from './case.ts';

const entry = (id: string, extra: Partial<CaseView['timeline'][number]>): CaseView['timeline'][number] => ({
  id,
  source: 'urn:jiexu:institution:360100-si',
  type: 'cn.jiexu.pension.contact-letter.v1',
  sender: '360100-si',
  receivers: ['110100-si'],
  inreplyto: null,
  stateAfter: 'contact-sent',
  receivedAt: '2026-10-26T02:00:00Z',
  ...extra,
});

describe('jiexu case: the timeline says whether an answer came after its deadline', () => {
  it('marks a late answer with its due date, an answer in time as on time, and nothing for a message that answered no step', () => {
    expect(describeTiming({ dueOn: '2026-10-23', late: true })).toBe('  LATE (due 2026-10-23)');
    expect(describeTiming({ dueOn: '2026-10-23', late: false })).toBe('  on time (due 2026-10-23)');
    expect(describeTiming({ dueOn: null, late: false })).toBe('');
    expect(describeTiming({})).toBe('');
  });

  it('puts the flag on each timeline line', () => {
    const view = {
      caseId: '360100-si:PT-1',
      caseType: 'pension-transfer',
      standardVersion: '1.0',
      state: 'contact-sent',
      closed: false,
      parties: ['110100-si', '360100-si'],
      roles: { '360100-si': 'new-place', '110100-si': 'old-place' },
      openedAt: '2026-09-28T02:00:00Z',
      updatedAt: '2026-10-26T02:00:00Z',
      currentStep: null,
      timeline: [entry('app', { type: 'cn.jiexu.pension.transfer-application.v1', stateAfter: 'applied', dueOn: null, late: false }), entry('letter', { inreplyto: 'app', dueOn: '2026-10-23', late: true })],
    } as unknown as CaseView;
    const lines = describeCase(view).split('\n');
    expect(lines.find((l) => l.includes('id app'))).not.toMatch(/LATE|on time/);
    expect(lines.find((l) => l.includes('id letter'))).toMatch(/answers app {2}LATE \(due 2026-10-23\)$/);
  });
});
