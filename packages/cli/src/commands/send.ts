/** `jiexu send <envelope.json>...`: posts transfer messages to the platform, signed as your institution. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Envelope, SendResult } from '@jiexu/client';
import { CliError, EXIT } from '../errors.ts';
import { connect, platformFailure, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

interface SendOptions extends ConnectionOptions {
  json?: boolean;
}

type Outcome = { file: string; ok: true; result: SendResult } | { file: string; ok: false; exitCode: 1 | 2; error: string };

/** Reads one envelope file; a CliError naming the file (and line:column for bad JSON) otherwise. */
export async function readEnvelope(file: string): Promise<Envelope> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.usage);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: ${jsonErrorPosition(text, err as Error)}`, EXIT.invalid);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${file}: an envelope must be a JSON object`, EXIT.invalid);
  return value as Envelope;
}

/** "line L:C: message" for a JSON.parse error (V8 reports a character position). */
function jsonErrorPosition(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return `not JSON: ${err.message}`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}: not JSON: ${err.message.replace(/ in JSON at position \d+.*$/, '')}`;
}

export function register(program: Command): void {
  withConnectionOptions(
    program
      .command('send')
      .description('send transfer messages (envelope JSON files) to the platform; exit 1 when the platform refuses one')
      .argument('<envelope...>', 'envelope JSON files'),
  )
    .option('--json', 'print the outcomes as JSON')
    .action(async (files: string[], opts: SendOptions) => {
      const client = connect(opts);
      const outcomes: Outcome[] = [];
      try {
        for (const file of files) {
          try {
            const envelope = await readEnvelope(file);
            const result = await client.send(envelope);
            outcomes.push({ file, ok: true, result });
            if (!opts.json) {
              process.stdout.write(
                `${file}: ${result.replayed ? 'already accepted (replay)' : 'accepted'} ${result.id} in case ${result.caseId} at ${result.receivedAt}\n`,
              );
            }
          } catch (err) {
            const failure = err instanceof CliError ? err : platformFailure(err, file);
            outcomes.push({ file, ok: false, exitCode: failure.exitCode, error: failure.message });
            if (!opts.json) process.stderr.write(`jiexu: ${failure.message}\n`);
          }
        }
      } finally {
        await client.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
      const failures = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
      process.exitCode = failures.length === 0 ? EXIT.ok : Math.max(...failures.map((f) => f.exitCode));
    });
}
