import { describe, expect, it } from 'vitest';
import { localeLang, resolveLang, say } from './lang.ts';

describe('the language rule', () => {
  it('takes --lang first', () => {
    expect(resolveLang('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(resolveLang('zh', { LANG: 'C' })).toBe('zh');
  });
  it('else the locale: LC_ALL, then LC_MESSAGES, then LANG; zh_* gives zh', () => {
    expect(localeLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(localeLang({ LANG: 'zh_TW' })).toBe('zh');
    expect(localeLang({ LANG: 'zh' })).toBe('zh');
    expect(localeLang({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(localeLang({ LC_ALL: '', LC_MESSAGES: 'zh_CN', LANG: 'C' })).toBe('zh');
    expect(localeLang({ LANG: 'C.UTF-8' })).toBe('en');
    expect(localeLang({ LANG: 'zu_ZA' })).toBe('en');
    expect(localeLang({})).toBe('en');
  });
  it('refuses any other --lang as a usage error', () => {
    expect(() => resolveLang('fr', {})).toThrow(/zh or en/);
  });
  it('says a text in the chosen language', () => {
    expect(say({ zh: '已转换', en: 'converted' }, 'zh')).toBe('已转换');
    expect(say({ zh: '已转换', en: 'converted' }, 'en')).toBe('converted');
  });
});
