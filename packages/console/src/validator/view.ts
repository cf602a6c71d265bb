/**
 * The validator page: pick or drop a file, choose its format (or let it be recognised), read it in
 * the worker (./../worker/read.worker.ts) with a progress bar, then show the verdict, the issues
 * grouped by code (each linked to its line in the view of the file), the months and sums per
 * person and scheme, and the downloads. The file never leaves the page: no request carries it.
 */
import type { FileResult, Issue } from '@jiexu/standard';
import { clear, h } from '../app/dom.ts';
import { currentLang, formatCount, say, type Text } from '../app/i18n.ts';
import type { MountPage } from '../app/page.ts';
import { yuan, type SchemeFigures } from './figures.ts';
import { AUTO, CANONICAL_CHOICE, type ChosenFile, type Label, type ReadRequest, type WorkerMessage } from './protocol.ts';
import { T } from './texts.ts';
import { FileView, folderView, isBinary } from './file-view.ts';
import { chosenOfDrop, chosenOfInput, type Chosen } from './chosen.ts';

/** At most this many issue rows per code and figure rows are drawn (all are in the downloaded report). */
const MAX_ROWS = 500;

interface Ready {
  formats: { name: string; description: Text; extensions: string[] }[];
  schemes: Map<string, Label>;
  issueCodes: Map<string, Label>;
  severities: Map<string, Label>;
}

interface Outcome {
  name: string;
  format: string;
  result: FileResult;
  figures: SchemeFigures[];
  records: number;
  jsonl: Blob | null;
  millis: number;
  /** What the view of the file shows: a text file's bytes, a binary file's head, or a folder's parts. */
  view: { bytes: Uint8Array } | { parts: string[] };
}

/** The worker and what it said at start: kept across re-mounts (language switch) so a result stays. */
let worker: Worker | undefined;
let ready: Ready | undefined;
let last: Outcome | undefined;
let chosenFormat = AUTO;
/** What is being read (kept across re-mounts too). */
let pending: Chosen | undefined;

function template(text: Text, values: Record<string, string | number>): string {
  return say(text).replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}

function label(map: Map<string, Label> | undefined, code: string): string {
  const l = map?.get(code);
  return l ? l[currentLang()] : code;
}

export const mountValidator: MountPage = (root) => {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const bar = h('progress', { max: 1, value: 0, 'aria-label': say(T.progress), hidden: true });
  const results = h('div', { class: 'results' });
  const select = h('select', { id: 'format', name: 'format' });
  const input = h('input', { type: 'file', id: 'file', class: 'visually-hidden', multiple: true });
  const folderInput = h('input', { type: 'file', id: 'folder', class: 'visually-hidden', webkitdirectory: true });
  const drop = h(
    'div',
    { class: 'drop', 'data-testid': 'drop' },
    h('label', { for: 'file', class: 'button' }, say(T.pick)),
    input,
    ' ',
    h('label', { for: 'folder', class: 'button' }, say(T.pickFolder)),
    folderInput,
    h('span', {}, ` ${say(T.drop)}`),
  );
  root.append(
    h(
      'section',
      { class: 'page validator', 'aria-labelledby': 'validator-title' },
      h('h2', { id: 'validator-title' }, say(T.title)),
      h('p', {}, say(T.intro)),
      h('div', { class: 'controls' }, h('label', { for: 'format' }, say(T.format)), select, drop),
      bar,
      status,
      results,
    ),
  );

  const fillFormats = () => {
    clear(select);
    select.append(h('option', { value: AUTO }, say(T.auto)), h('option', { value: CANONICAL_CHOICE }, say(T.canonical)));
    for (const f of ready?.formats ?? []) select.append(h('option', { value: f.name }, `${f.name} · ${say(f.description)}`));
    select.value = chosenFormat;
  };
  select.addEventListener('change', () => (chosenFormat = select.value));
  fillFormats();

  let alive = true;
  const onMessage = (ev: MessageEvent<WorkerMessage>) => {
    if (!alive) return;
    const m = ev.data;
    if (m.type === 'ready') {
      ready = { formats: m.formats, schemes: new Map(m.schemes.map((l) => [l.code, l])), issueCodes: new Map(m.issueCodes.map((l) => [l.code, l])), severities: new Map(m.severities.map((l) => [l.code, l])) };
      fillFormats();
      status.textContent = '';
      root.querySelector('.validator')?.setAttribute('data-ready', 'true');
    } else if (m.type === 'progress') {
      bar.hidden = false;
      bar.max = Math.max(m.total, 1);
      bar.value = Math.min(m.bytes, m.total);
      status.textContent = `${say(T.reading)} ${pending?.name ?? ''}: ${formatCount(m.records)} ${say(T.recordsSoFar)}`;
    } else if (m.type === 'done') {
      bar.value = bar.max;
      bar.hidden = true;
      const chosen = pending!;
      pending = undefined;
      void viewOf(chosen).then((view) => {
        last = { name: chosen.name, view, format: m.format, result: m.result, figures: m.figures, records: m.records, jsonl: m.jsonl, millis: m.millis };
        status.textContent = '';
        if (alive) showOutcome(results, last);
      });
    } else if (m.type === 'failed') {
      bar.hidden = true;
      pending = undefined;
      status.textContent = '';
      clear(results);
      results.append(h('div', { class: 'verdict bad', role: 'alert', 'data-verdict': 'failed' }, h('strong', {}, say(T.failed)), ': ', say(m.message)));
    }
  };

  if (!worker) {
    worker = new Worker(new URL('../worker/read.worker.ts', import.meta.url), { type: 'module', name: 'jiexu-validator' });
    status.textContent = say(T.starting);
  }
  worker.addEventListener('message', onMessage);
  const onError = (ev: ErrorEvent) => {
    if (!alive) return;
    bar.hidden = true;
    status.textContent = '';
    clear(results);
    results.append(h('div', { class: 'verdict bad', role: 'alert', 'data-verdict': 'failed' }, h('strong', {}, say(T.failed)), ': ', ev.message || 'worker error'));
  };
  worker.addEventListener('error', onError);
  if (ready) root.querySelector('.validator')?.setAttribute('data-ready', 'true');

  const readChosen = (chosen: Chosen | undefined) => {
    if (!chosen) return;
    pending = chosen;
    clear(results);
    bar.hidden = false;
    bar.value = 0;
    status.textContent = `${say(T.reading)} ${chosen.name}`;
    // the Files themselves go to the worker (handles: no bytes are copied here); it streams them in
    const req: ReadRequest = { type: 'read', name: chosen.name, folder: chosen.folder, withoutFolder: chosen.withoutFolder, files: chosen.files, format: select.value };
    worker!.postMessage(req);
  };
  input.addEventListener('change', () => readChosen(chosenOfInput(input.files, false)));
  folderInput.addEventListener('change', () => readChosen(chosenOfInput(folderInput.files, true)));
  drop.addEventListener('dragover', (e: DragEvent) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e: DragEvent) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer) void chosenOfDrop(e.dataTransfer).then(readChosen);
  });

  if (last) showOutcome(results, last);
  return {
    unmount() {
      alive = false;
      worker?.removeEventListener('message', onMessage);
      worker?.removeEventListener('error', onError);
    },
  };
};

function counts(result: FileResult): { errors: number; warnings: number } {
  return { errors: result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length, warnings: result.issues.filter((i) => i.severity === 'warning').length };
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function stem(name: string): string {
  return name.replace(/\.[^.]+$/, '');
}

/**
 * What the view of the file needs, read once the worker is done (the page holds no copy while it
 * reads): a text file's bytes, only the head of a binary one, a folder's part names.
 */
async function viewOf(chosen: Chosen): Promise<Outcome['view']> {
  if (chosen.folder) return { parts: chosen.files.map((f: ChosenFile) => f.path) };
  const file = chosen.files[0]!.file;
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  return { bytes: isBinary(head) ? head : new Uint8Array(await file.arrayBuffer()) };
}

function showOutcome(results: HTMLElement, o: Outcome): void {
  clear(results);
  const { errors, warnings } = counts(o.result);
  const view = 'bytes' in o.view ? new FileView(o.name, o.view.bytes, o.result.issues) : folderView(o.name, o.view.parts);
  results.append(
    h(
      'div',
      { class: `verdict ${o.result.valid ? 'ok' : 'bad'}`, 'data-verdict': o.result.valid ? 'valid' : 'invalid' },
      h('strong', {}, say(o.result.valid ? T.valid : T.invalid)),
      h(
        'span',
        {},
        ` · ${o.name} · ${say(T.formatUsed)} ${o.format === CANONICAL_CHOICE ? say(T.canonical) : o.format} · ${formatCount(o.result.documents)} ${say(T.documents)} · ${formatCount(errors)} ${say(T.errors)} · ${formatCount(warnings)} ${say(T.warnings)} · ${say(T.readIn)} ${(o.millis / 1000).toFixed(2)} ${say(T.seconds)}`,
      ),
    ),
    h(
      'div',
      { class: 'downloads', role: 'group', 'aria-label': say(T.downloads) },
      o.jsonl ? h('button', { type: 'button', 'data-download': 'jsonl', onclick: () => download(`${stem(o.name)}.jsonl`, o.jsonl!) }, say(T.downloadJsonl)) : null,
      h('button', { type: 'button', 'data-download': 'report', onclick: () => download(`${stem(o.name)}.report.json`, new Blob([`${JSON.stringify(reportOf(o), null, 2)}\n`], { type: 'application/json' })) }, say(T.downloadReport)),
    ),
    issuesSection(o.result.issues, view, o.result.file),
    figuresSection(o.figures),
    view.element,
  );
}

/** The report as `jiexu validate --json` prints it (one file), with the figures per person and scheme beside it. */
function reportOf(o: Outcome) {
  return { valid: o.result.valid, strict: false, files: [o.result], unreadable: [], figures: o.figures };
}

/** Where an issue is: its part of a folder export (when not the whole of what was read), sheet, row, line, record, path. */
function where(i: Issue, read: string): string {
  const l = i.location ?? {};
  const parts: string[] = [];
  if (l.file !== undefined && l.file !== read) parts.push(l.file);
  if (l.sheet !== undefined) parts.push(`${say(T.sheet)} ${l.sheet}`);
  if (l.row !== undefined) parts.push(`${say(T.row)} ${l.row}`);
  if (l.line !== undefined) parts.push(`${say(T.line)} ${l.line}${l.column !== undefined ? `:${l.column}` : ''}`);
  if (l.record !== undefined) parts.push(`${say(T.record)} ${l.record}`);
  if (l.byteOffset !== undefined && l.line === undefined) parts.push(`${say(T.byte)} ${l.byteOffset}`);
  if (l.path !== undefined) parts.push(l.path);
  return parts.join(' · ');
}

function issuesSection(issues: Issue[], view: { hasLines: boolean; show(line: number): void }, read: string): HTMLElement {
  const section = h('section', { class: 'issues', 'aria-labelledby': 'issues-title' }, h('h3', { id: 'issues-title' }, say(T.issues)));
  if (!issues.length) {
    section.append(h('p', {}, say(T.noIssues)));
    return section;
  }
  const groups = new Map<string, Issue[]>();
  for (const i of issues) {
    const g = groups.get(i.code);
    if (g) g.push(i);
    else groups.set(i.code, [i]);
  }
  for (const [code, list] of groups) {
    const body = h('tbody');
    for (const i of list.slice(0, MAX_ROWS)) {
      const line = i.location?.line;
      body.append(
        h(
          'tr',
          { 'data-code': code, 'data-line': line, 'data-row': i.location?.row, 'data-record': i.location?.record, 'data-pointer': i.pointer, 'data-field': i.location?.field },
          h('td', { class: `sev ${i.severity}` }, label(ready?.severities, i.severity)),
          h('td', {}, line !== undefined && view.hasLines ? h('a', { href: `#L${line}`, onclick: (e: Event) => { e.preventDefault(); view.show(line); } }, where(i, read)) : where(i, read)),
          h('td', {}, i.location?.field ?? ''),
          h('td', {}, i.pointer !== undefined ? h('code', {}, i.pointer || '/') : ''),
          h('td', {}, i.message[currentLang()]),
        ),
      );
    }
    section.append(
      h(
        'details',
        { open: groups.size <= 6, 'data-group': code },
        h('summary', {}, h('code', {}, code), ` ${label(ready?.issueCodes, code)} (${formatCount(list.length)})`),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, say(T.severity)), h('th', { scope: 'col' }, say(T.where)), h('th', { scope: 'col' }, say(T.field)), h('th', { scope: 'col' }, say(T.pointer)), h('th', { scope: 'col' }, say(T.message)))), body),
        list.length > MAX_ROWS ? h('p', {}, template(T.moreRows, { n: formatCount(list.length - MAX_ROWS) })) : null,
      ),
    );
  }
  return section;
}

function figuresSection(figures: SchemeFigures[]): HTMLElement {
  const section = h('section', { class: 'figures', 'aria-labelledby': 'figures-title' }, h('h3', { id: 'figures-title' }, say(T.figures)));
  if (!figures.length) {
    section.append(h('p', {}, say(T.noFigures)));
    return section;
  }
  const body = h('tbody');
  for (const f of figures.slice(0, MAX_ROWS)) {
    body.append(
      h(
        'tr',
        { 'data-person': f.person, 'data-scheme': f.scheme, 'data-region': f.region },
        h('td', {}, f.person),
        h('td', {}, f.name ?? ''),
        h('td', {}, `${f.scheme} ${label(ready?.schemes, f.scheme)}`),
        h('td', {}, f.region),
        h('td', { class: 'num', 'data-months': f.months }, f.months),
        h('td', { class: 'num', 'data-paid': f.paidMonths }, f.paidMonths),
        h('td', {}, f.firstMonth ? `${f.firstMonth} – ${f.lastMonth}` : ''),
        h('td', { class: 'num', 'data-fen': f.baseFen }, yuan(f.baseFen)),
        h('td', { class: 'num', 'data-fen': f.employerFen }, yuan(f.employerFen)),
        h('td', { class: 'num', 'data-fen': f.individualFen }, yuan(f.individualFen)),
      ),
    );
  }
  const cols = [T.person, T.name, T.scheme, T.region, T.months, T.paidMonths, T.period, T.baseYuan, T.employerYuan, T.individualYuan];
  section.append(h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': say(T.figures) }, h('table', {}, h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, say(c))))), body)));
  if (figures.length > MAX_ROWS) section.append(h('p', {}, template(T.moreRows, { n: formatCount(figures.length - MAX_ROWS) })));
  return section;
}
