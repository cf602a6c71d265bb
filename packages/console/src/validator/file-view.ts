/**
 * The view of the dropped file beside the issues: its text (UTF-8, else GB18030 as the regional
 * exports are) a window of lines at a time, the lines that have issues marked; an issue's link
 * opens the window at its line. A binary file (workbook, database table) is not shown as text.
 */
import type { Issue } from '@jiexu/standard';
import { append, clear, h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import { T } from './texts.ts';

const WINDOW = 200;

/** A zip (xlsx) or a file with NUL bytes in its first 4 KiB. */
export function isBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head[0] === 0x50 && head[1] === 0x4b) return true; // a zip: xlsx
  return head.includes(0);
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export class FileView {
  readonly element: HTMLElement;
  readonly hasLines: boolean;
  private lines: string[] = [];
  private marked = new Map<number, string[]>();
  private body: HTMLElement;
  private caption: HTMLElement;

  constructor(
    readonly name: string,
    bytes: Uint8Array,
    issues: Issue[],
  ) {
    this.hasLines = !isBinary(bytes);
    this.caption = h('p', { class: 'caption' });
    this.body = h('ol', { class: 'lines', tabindex: 0, 'aria-label': `${say(T.fileView)}: ${name}` });
    this.element = h('section', { class: 'file-view', 'aria-labelledby': 'file-view-title' }, h('h3', { id: 'file-view-title' }, `${say(T.fileView)}: ${name}`));
    if (!this.hasLines) {
      this.element.append(h('p', {}, say(T.binaryFile)));
      return;
    }
    this.lines = decodeText(bytes).replace(/^\uFEFF/, '').split('\n');
    if (this.lines.length > 1 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    for (const i of issues) {
      const line = i.location?.line;
      if (line === undefined) continue;
      const list = this.marked.get(line) ?? [];
      list.push(i.code);
      this.marked.set(line, list);
    }
    this.element.append(this.caption, this.body);
    const first = [...this.marked.keys()].sort((a, b) => a - b)[0] ?? 1;
    this.render(first, false);
  }

  /** Opens the window at `line` and scrolls to it. */
  show(line: number): void {
    this.render(line, true);
  }

  private render(line: number, focus: boolean): void {
    const total = this.lines.length;
    const from = Math.max(1, Math.min(line - Math.floor(WINDOW / 4), total - WINDOW + 1));
    const to = Math.min(total, from + WINDOW - 1);
    clear(this.body);
    this.body.setAttribute('start', String(from));
    const nav = (text: typeof T.earlier, target: number) => h('button', { type: 'button', onclick: () => this.render(target, false) }, say(text));
    clear(this.caption);
    append(this.caption, [
      say(T.linesShown).replace('{from}', String(from)).replace('{to}', String(to)).replace('{total}', String(total)),
      ' ',
      from > 1 ? nav(T.earlier, Math.max(1, from - WINDOW + Math.floor(WINDOW / 4))) : null,
      ' ',
      to < total ? nav(T.later, to + 1 + Math.floor(WINDOW / 4)) : null,
    ]);
    for (let n = from; n <= to; n++) {
      const codes = this.marked.get(n);
      const text = (this.lines[n - 1] ?? '').replace(/\r$/, '');
      this.body.append(h('li', { id: `L${n}`, class: codes ? 'marked' : undefined, title: codes?.join(', '), 'data-line': n }, h('code', {}, text || ' ')));
    }
    if (focus) {
      const target = this.body.querySelector<HTMLElement>(`#L${line}`);
      if (target) {
        target.classList.add('target');
        target.setAttribute('tabindex', '-1');
        target.scrollIntoView({ block: 'center' });
        target.focus({ preventScroll: true });
      }
    }
  }
}

/** The view of a folder export: its parts, in the order they are read (issues name the folder, as the CLI's report does). */
export function folderView(name: string, parts: string[]): { element: HTMLElement; hasLines: false; show(line: number): void } {
  const sorted = [...parts].sort();
  const element = h(
    'section',
    { class: 'file-view', 'aria-labelledby': 'file-view-title' },
    h('h3', { id: 'file-view-title' }, `${say(T.fileView)}: ${name}`),
    h('p', {}, say(T.folderParts).replace('{n}', String(sorted.length))),
    h('ol', { class: 'parts' }, ...sorted.map((p) => h('li', { 'data-part': p }, h('code', {}, p)))),
  );
  return { element, hasLines: false, show: () => undefined };
}
