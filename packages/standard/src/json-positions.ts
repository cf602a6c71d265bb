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

/** V8's JSON.parse messages (Node 20) and their Chinese, without the position (the caller gives line and column). */
const JSON_ERRORS_ZH: Array<[RegExp, (...m: string[]) => string]> = [
  [/^Unexpected end of JSON input/, () => 'JSON 文本意外结束'],
  [/^Unexpected token '(.*?)', .* is not valid JSON/s, (_, t) => `意外的字符 '${t}'`],
  [/^Unexpected token (.*?) in JSON/, (_, t) => `意外的字符 ${t}`],
  [/^Expected property name or '}'/, () => "此处应为属性名或 '}'"],
  [/^Expected double-quoted property name/, () => '此处应为带双引号的属性名'],
  [/^Expected ':' after property name/, () => "属性名之后应为 ':'"],
  [/^Expected ',' or '}' after property value/, () => "属性值之后应为 ',' 或 '}'"],
  [/^Expected ',' or ']' after array element/, () => "数组元素之后应为 ',' 或 ']'"],
  [/^Unterminated string/, () => '字符串没有结束'],
  [/^Bad control character in string literal/, () => '字符串中有不允许的控制字符'],
  [/^Bad escaped character/, () => '字符串中有不允许的转义字符'],
  [/^Bad Unicode escape/, () => '字符串中有错误的 Unicode 转义'],
  [/^Unexpected non-whitespace character after JSON/, () => 'JSON 之后还有多余的字符'],
  [/^Exponent part is missing a number/, () => '指数部分缺少数字'],
  [/^No number after minus sign/, () => '负号之后缺少数字'],
  [/^Unterminated fractional number/, () => '小数部分没有数字'],
];

/** A JSON.parse error in both languages: V8's message without its position in English, its translation in Chinese. */
export function jsonParseMessage(err: unknown): { zh: string; en: string } {
  const raw = err instanceof Error ? err.message : String(err);
  const en = raw.replace(/ in JSON at position \d+.*$/s, '');
  for (const [re, zh] of JSON_ERRORS_ZH) {
    const m = re.exec(raw);
    if (m) return { zh: zh(...m), en };
  }
  return { zh: '无法解析', en };
}
