import { describe, expect, it } from 'vitest';
import { PlatformError, PROBLEM_CODES } from '@jiexu/client';
import { platformFailure } from './platform-connection.ts';

const what = { zh: '发送', en: 'send' };

describe('platformFailure', () => {
  it('glosses every problem code of the platform in Chinese, and keeps the platform’s own sentence', () => {
    for (const [code, p] of Object.entries(PROBLEM_CODES)) {
      const err = platformFailure(new PlatformError('x', p.status[0], code, undefined, { error: code, message: 'the platform says why' }), what);
      expect(err.say('zh').split('\n')[0]).toBe(`发送：平台答复 ${p.status[0]} ${code}（${p.zh}）；平台原文：the platform says why`);
      expect(err.say('en').split('\n')[0]).toBe(`send: the platform answered ${p.status[0]} ${code}: the platform says why`);
    }
  });

  it('shows a code it does not know (a newer platform’s) as it is', () => {
    const err = platformFailure(new PlatformError('x', 409, 'some-new-code', undefined, { error: 'some-new-code' }), what);
    expect(err.say('zh')).toBe('发送：平台答复 409 some-new-code');
    expect(err.exitCode).toBe(1);
  });

  it('is exit 1 for a verdict on the input and 2 for authentication or server trouble, with the clock hint on 401', () => {
    expect(platformFailure(new PlatformError('x', 422, 'invalid-message', undefined, {}), what).exitCode).toBe(1);
    const unauthorized = platformFailure(new PlatformError('x', 401, 'unauthorized', undefined, {}), what);
    expect(unauthorized.exitCode).toBe(2);
    expect(unauthorized.say('zh')).toContain('5 分钟以内');
    expect(unauthorized.say('en')).toContain('within 5 minutes');
    expect(platformFailure(new PlatformError('x', 503, 'unavailable', undefined, {}), what).exitCode).toBe(2);
  });
});
