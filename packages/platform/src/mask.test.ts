import { describe, expect, it } from 'vitest';
import { maskIdentifiers } from './mask.ts';
import { canonicalJson, contentHash } from './canonical-json.ts';
import { splitSql } from './db.ts';

describe('maskIdentifiers', () => {
  it('masks every 公民身份号码 to its address code and last four characters', () => {
    expect(maskIdentifiers('/v1/cases/x?person=11010519491231002X&b=360124198503150014')).toBe('/v1/cases/x?person=110105********002X&b=360124********0014');
  });
  it('masks inside URL-encoded text', () => {
    expect(maskIdentifiers('/v1/cases/360100-si%3A11010519491231002X')).toBe('/v1/cases/360100-si%3A110105********002X');
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
