/**
 * One worker of `jiexu ledger --workers N`: receives batches of people (each a
 * list of canonical JSONL lines with their line numbers), parses and validates
 * them, folds them into its own Ledger, and at the end posts the ledger's state
 * for the main thread to merge. Problems come back as text with the line.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { formatIssue, validateRecord, type Issue } from '@jiexu/standard';
import { Ledger, type ContributionRecord, type LedgerInputs } from '@jiexu/rules';

const { inputs, lang } = workerData as { inputs: LedgerInputs; lang: 'zh' | 'en' };
const ledger = new Ledger(inputs);

parentPort!.on('message', (msg: { people: Array<Array<[number, string]>> } | { end: true }) => {
  if ('end' in msg) {
    parentPort!.postMessage({ state: ledger.state() });
    return;
  }
  const problems: string[] = [];
  let invalid = 0;
  for (const lines of msg.people) {
    const records: ContributionRecord[] = [];
    for (const [line, text] of lines) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        problems.push(`-: line ${line}: not JSON (${(e as Error).message})`);
        invalid += 1;
        continue;
      }
      const check = validateRecord(value);
      if (!check.valid) {
        invalid += 1;
        for (const i of check.issues) problems.push(`-: line ${line}: ${formatIssue(i as Issue, lang)}`);
        continue;
      }
      records.push(value as ContributionRecord);
    }
    if (records.length) ledger.addPerson(records);
  }
  parentPort!.postMessage({ done: msg.people.length, problems, invalid });
});
