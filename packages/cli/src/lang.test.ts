import { describe, expect, it } from 'vitest';
import { argvLang, inLang, localeLang, resolveLang, say } from './lang.ts';

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
  it('reads --lang from the command line before the program is built', () => {
    expect(argvLang(['node', 'jiexu', 'validate', '--lang', 'zh', 'x.json'])).toBe('zh');
    expect(argvLang(['node', 'jiexu', '--lang=en', 'convert'])).toBe('en');
    expect(argvLang(['node', 'jiexu', 'validate', 'x.json'])).toBeUndefined();
    expect(argvLang(['node', 'jiexu', 'validate', '--', '--lang', 'zh'])).toBeUndefined();
  });
  it('turns a catalogue of Text pairs into one language', () => {
    const T = { a: { zh: '甲', en: 'A' }, nested: { b: { zh: '乙', en: 'B' } } };
    expect(inLang(T, 'zh')).toEqual({ a: '甲', nested: { b: '乙' } });
    expect(inLang(T, 'en')).toEqual({ a: 'A', nested: { b: 'B' } });
  });
});
