import { describe, expect, it } from 'vitest';
import { maskIdentifiers, unmaskedIdentifiers } from './mask.ts';
import { canonicalJson, contentHash } from './canonical-json.ts';
import { splitSql } from './db.ts';

describe('maskIdentifiers', () => {
  it('masks every 公民身份号码 to its address code and last four characters', () => {
    expect(maskIdentifiers('/v1/cases/x?person=11010519491231002X&b=360124198503150014')).toBe('/v1/cases/x?person=110105********002X&b=360124********0014');
  });
  it('masks inside URL-encoded text', () => {
    expect(maskIdentifiers('/v1/cases/360100-si%3A11010519491231002X')).toBe('/v1/cases/360100-si%3A110105********002X');
  });
  it('masks an identifier percent-encoded in a URL, once or twice over, whole or in part', () => {
    const encoded = [...'11010519491231002X'].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    expect(maskIdentifiers(`/v1/cases/360100-si%3A${encoded}`)).toBe(`/v1/cases/360100-si%3A%31%31%30%31%30%35********%30%30%32%58`);
    expect(maskIdentifiers('/v1/x?p=11010%3519491231%30%30%32X&q=1')).toBe('/v1/x?p=11010%35********%30%30%32X&q=1');
    expect(maskIdentifiers('p=%2531%2531%2530%2531%2530%2535%2531%2539%2534%2539%2531%2532%2533%2531%2530%2530%2532%2558')).toBe(
      'p=%2531%2531%2530%2531%2530%2535********%2530%2530%2532%2558',
    );
  });
  it('masks identifiers in JSON escapes, HTML character references and full-width digits', () => {
    expect(maskIdentifiers('{"url":"\\u0031\\u00310105194912310020"}')).toBe('{"url":"\\u0031\\u00310105********0020"}');
    expect(maskIdentifiers('id &#49;&#x31;0105194912310020 end')).toBe('id &#49;&#x31;0105********0020 end');
    expect(maskIdentifiers('身份证号１１０１０５１９４９１２３１００２Ｘ。')).toBe('身份证号１１０１０５********００２Ｘ。');
  });
  it('leaves a string of encoded characters that is no identifier as it was', () => {
    for (const text of ['%31%32%33 and %E4%B8%AD%E6%96%87', '%zz%3', 'cursor %31234567890123456789012', '&#99999999; \\u00zz', '%F0%9F%98%80 %C3']) expect(maskIdentifiers(text)).toBe(text);
  });
  it('leaves no identifier readable in any mix of encodings (generated)', () => {
    let seed = 20260224;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const encodings: Array<(c: string) => string> = [
      (c) => c,
      (c) => `%${c.charCodeAt(0).toString(16)}`,
      (c) => `%25${c.charCodeAt(0).toString(16).toUpperCase()}`,
      (c) => `\\u00${c.charCodeAt(0).toString(16)}`,
      (c) => `&#${c.charCodeAt(0)};`,
      (c) => String.fromCharCode(c.charCodeAt(0) - 0x30 + 0xff10).replace('\uff28', '\uff38'),
      (c) => encodeURIComponent(String.fromCharCode(c.charCodeAt(0) - 0x30 + 0xff10).replace('\uff28', '\uff38')),
    ];
    for (let round = 0; round < 500; round++) {
      const digits = Array.from({ length: 17 }, (_, k) => String(k === 0 ? 1 + random(9) : random(10))).join('') + (random(11) === 10 ? 'X' : String(random(10)));
      const written = [...digits].map((c) => encodings[random(encodings.length)](c)).join('');
      const line = `{"url":"/v1/cases/360100-si%3A${written}?after=${random(1000)}","note":"${written}"}`;
      expect(unmaskedIdentifiers(line)).toContain(digits);
      const masked = maskIdentifiers(line);
      expect(unmaskedIdentifiers(masked), masked).toEqual([]);
      expect(masked.split('********').length).toBe(3);
    }
  });
  it('leaves other numbers alone', () => {
    expect(maskIdentifiers('cursor 1234567890123456789012 and 360100-si')).toBe('cursor 1234567890123456789012 and 360100-si');
  });
});

describe('canonicalJson', () => {
  it('gives equal text for equal values in any key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: '中' }] })).toBe('{"a":[{"c":"中","d":2}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: '1' }));
  });
});

describe('splitSql', () => {
  it('splits on semicolons outside comments, strings and $$ bodies', () => {
    expect(splitSql(`-- a; comment\nSELECT ';' ;\nCREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;`)).toEqual([
      "SELECT ';'",
      'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql',
    ]);
  });
});
