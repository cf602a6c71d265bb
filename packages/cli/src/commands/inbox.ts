/** `jiexu inbox`: pulls your institution's inbox from the platform, optionally acknowledging what it printed. */
import type { Command } from 'commander';
import type { InboxMessage } from '@jiexu/client';
import { CliError, EXIT } from '../errors.ts';
import { chinaTime, connect, platformFailure, shortType, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

interface InboxOptions extends ConnectionOptions {
  after?: string;
  limit: string;
  ack?: boolean;
  json?: boolean;
}

export function describeMessage(m: InboxMessage): string {
  const e = m.envelope;
  return `#${m.cursor}  ${chinaTime(m.receivedAt)}  ${shortType(e.type)}  from ${e.sender}  case ${e.caseid}  id ${e.id}${e.inreplyto ? `  answers ${e.inreplyto}` : ''}`;
}

export function register(program: Command): void {
  withConnectionOptions(program.command('inbox').description("list the messages in your institution's inbox"))
    .option('--after <cursor>', 'start after this cursor (default: after the last acknowledged message)')
    .option('--limit <n>', 'at most this many messages (1–500)', '100')
    .option('--ack', 'acknowledge every message listed (up to the last cursor shown)')
    .option('--json', 'print the page as JSON (the envelopes in full)')
    .action(async (opts: InboxOptions) => {
      if (opts.after !== undefined && !/^[0-9]+$/.test(opts.after)) throw new CliError(`--after must be a cursor (digits): ${opts.after}`, EXIT.usage);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError(`--limit must be an integer from 1 to 500: ${opts.limit}`, EXIT.usage);
      const client = connect(opts);
      try {
        const page = await client.inbox({ after: opts.after, limit }).catch((err: unknown) => {
          throw platformFailure(err, 'inbox');
        });
        let acked: string | undefined;
        const last = page.messages.at(-1)?.cursor;
        if (opts.ack && last !== undefined) {
          acked = (await client.ack(last).catch((err: unknown) => {
            throw platformFailure(err, 'ack');
          })).ackedUpTo;
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...page, ...(acked !== undefined ? { ackedUpTo: acked } : {}) }, null, 2)}\n`);
        } else {
          if (page.messages.length === 0) process.stdout.write('inbox empty\n');
          for (const m of page.messages) process.stdout.write(`${describeMessage(m)}\n`);
          if (acked !== undefined) process.stdout.write(`acknowledged up to #${acked}\n`);
          else if (page.messages.length === limit && page.next) process.stdout.write(`more may follow: --after ${page.next}\n`);
        }
      } finally {
        await client.close();
      }
    });
}
