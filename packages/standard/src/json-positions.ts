/**
 * Where each value of a JSON text sits, by JSON Pointer: so an issue found in
 * a parsed document can name the line and column of the source text.
 */

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/**
 * Maps every JSON Pointer of a (valid) JSON text to the offset where it
 * starts: a member's key for object members, the value itself otherwise.
 */
export function jsonPointerOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t' || text[i] === '\ufeff')) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string, at: number): void => {
    if (!out.has(pointer)) out.set(pointer, at);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const keyAt = i;
        const key = string();
        ws();
        i++; // colon
        ws();
        value(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, keyAt);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        ws();
        value(`${pointer}/${n}`, i);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  ws();
  value('', i);
  return out;
}

/** Line and column of an offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A locator for one JSON text: the position of a pointer, or of its nearest
 * existing ancestor (a missing property is reported where its object starts).
 */
export function pointerLocator(text: string): (pointer: string) => TextPosition | undefined {
  let offsets: Map<string, number> | undefined;
  return (pointer) => {
    try {
      offsets ??= jsonPointerOffsets(text);
    } catch {
      return undefined;
    }
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const at = offsets.get(p);
      if (at !== undefined) return positionAt(text, at);
      if (p === '') return undefined;
    }
  };
}
