import { describe, expect, it } from 'vitest';
import { jsonPointerOffsets, pointerLocator, positionAt } from './json-positions.ts';

describe('JSON pointer positions', () => {
  const text = '{\n  "a": [1, {"b~/c": "x\\"y"}],\n  "d": {}\n}';

  it('finds keys of members and values of items', () => {
    const offsets = jsonPointerOffsets(text);
    expect([...offsets.keys()]).toEqual(['', '/a', '/a/0', '/a/1', '/a/1/b~0~1c', '/d']);
    expect(text.slice(offsets.get('/a')!, offsets.get('/a')! + 3)).toBe('"a"');
    expect(text.slice(offsets.get('/a/1/b~0~1c')!).startsWith('"b~/c"')).toBe(true);
  });

  it('gives line and column, falling back to the nearest ancestor', () => {
    const locate = pointerLocator(text);
    expect(locate('/d')).toEqual({ line: 3, column: 3 });
    expect(locate('/d/missing')).toEqual({ line: 3, column: 3 });
    expect(locate('/a/0')).toEqual({ line: 2, column: 9 });
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('agrees with JSON.parse about what is where', () => {
    const doc = { kind: 'x', list: [{ m: '2024-01' }, { m: '2024-02', n: [true, null, -1.5e3] }], 'we/ird~': { '': 0 } };
    const pretty = JSON.stringify(doc, null, 2);
    const offsets = jsonPointerOffsets(pretty);
    const valueAt = (p: string) => p.split('/').slice(1).reduce<any>((n, k) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    for (const [pointer, offset] of offsets) {
      if (pointer === '') continue;
      const rest = pretty.slice(offset);
      const last = pointer.split('/').pop()!;
      const inArray = Array.isArray(valueAt(pointer.slice(0, pointer.lastIndexOf('/')) || ''));
      if (inArray) expect(rest.startsWith(JSON.stringify(valueAt(pointer)).slice(0, 1))).toBe(true);
      else expect(rest.startsWith(JSON.stringify(last.replace(/~1/g, '/').replace(/~0/g, '~')))).toBe(true);
    }
  });
});
