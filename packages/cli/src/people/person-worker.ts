/**
 * One worker of the person pool (pool.ts): receives batches of people (their
 * items), parses and validates them (records.ts) and either folds them into
 * its own Ledger (posting the ledger's state at the end, for the main thread
 * to merge) or assesses them (posting the text of each batch back).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Ledger, type LedgerInputs } from '@jiexu/rules';
import { assessOne, type AssessRun } from '../commands/assess.ts';
import type { Lang } from '../lang.ts';
import type { BatchReply, WorkPerson } from './pool.ts';
import { parsePerson } from './records.ts';

type Task = { kind: 'ledger'; inputs: LedgerInputs; files: string[]; lang: Lang } | { kind: 'assess'; run: AssessRun; files: string[]; lang: Lang };

const task = workerData as Task;
const ledger = task.kind === 'ledger' ? new Ledger(task.inputs) : null;

parentPort!.on('message', (msg: { batch: number; people: WorkPerson[] } | { end: true }) => {
  if ('end' in msg) {
    parentPort!.postMessage({ final: ledger ? ledger.state() : null });
    return;
  }
  const reply: BatchReply = { batch: msg.batch, problems: [], invalid: 0 };
  let out = '';
  let unassessed = 0;
  for (const p of msg.people) {
    const parsed = parsePerson(p.items, task.files, task.lang);
    reply.problems.push(...parsed.problems);
    reply.invalid += parsed.invalid;
    if (ledger) {
      if (parsed.records.length) ledger.addPerson(parsed.records);
    } else if (task.kind === 'assess') {
      const a = assessOne(parsed.records, p.items[0].id, p.bad, task.run);
      if (!a.assessed) unassessed += 1;
      out += a.text;
    }
  }
  if (task.kind === 'assess') Object.assign(reply, { out, unassessed });
  parentPort!.postMessage(reply);
});
