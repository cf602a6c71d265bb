/** `jiexu inbox`: pulls your institution's inbox from the platform, optionally acknowledging what it printed. */
import type { Command } from 'commander';
import type { InboxMessage } from '@jiexu/client';
import { CliError, EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { chinaTime, connect, platformFailure, shortType, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

const HELP = {
  description: { zh: '列出本机构收件箱中的报文', en: "list the messages in your institution's inbox" },
  after: { zh: '从该游标之后开始（默认：最后一条已确认报文之后）', en: 'start after this cursor (default: after the last acknowledged message)' },
  limit: { zh: '最多列出多少条报文（1–500）', en: 'at most this many messages (1–500)' },
  ack: { zh: '确认列出的所有报文（直到显示的最后一个游标）', en: 'acknowledge every message listed (up to the last cursor shown)' },
  json: { zh: '以 JSON 输出本页（含完整信封）', en: 'print the page as JSON (the envelopes in full)' },
} satisfies Record<string, Text>;

const T = {
  from: { zh: '发送方', en: 'from' },
  case: { zh: '案件', en: 'case' },
  id: { zh: '报文', en: 'id' },
  answers: { zh: '答复', en: 'answers' },
} satisfies Record<string, Text>;

interface InboxOptions extends ConnectionOptions {
  after?: string;
  limit: string;
  ack?: boolean;
  json?: boolean;
}

export function describeMessage(m: InboxMessage, lang: Lang = 'en'): string {
  const e = m.envelope;
  const t = inLang(T, lang);
  return `#${m.cursor}  ${chinaTime(m.receivedAt)}  ${shortType(e.type)}  ${t.from} ${e.sender}  ${t.case} ${e.caseid}  ${t.id} ${e.id}${e.inreplyto ? `  ${t.answers} ${e.inreplyto}` : ''}`;
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withConnectionOptions(program.command('inbox').description(h.description), lang)
    .option('--after <cursor>', h.after)
    .option('--limit <n>', h.limit, '100')
    .option('--ack', h.ack)
    .option('--json', h.json)
    .action(async (opts: InboxOptions) => {
      if (opts.after !== undefined && !/^[0-9]+$/.test(opts.after)) throw new CliError({ zh: `--after 须为游标（数字）：${opts.after}`, en: `--after must be a cursor (digits): ${opts.after}` }, EXIT.usage);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError({ zh: `--limit 须为 1 到 500 的整数：${opts.limit}`, en: `--limit must be an integer from 1 to 500: ${opts.limit}` }, EXIT.usage);
      const client = connect(opts);
      try {
        const page = await client.inbox({ after: opts.after, limit }).catch((err: unknown) => {
          throw platformFailure(err, { zh: '收件箱', en: 'inbox' });
        });
        let acked: string | undefined;
        const last = page.messages.at(-1)?.cursor;
        if (opts.ack && last !== undefined) {
          acked = (await client.ack(last).catch((err: unknown) => {
            throw platformFailure(err, { zh: '确认', en: 'ack' });
          })).ackedUpTo;
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...page, ...(acked !== undefined ? { ackedUpTo: acked } : {}) }, null, 2)}\n`);
        } else {
          if (page.messages.length === 0) process.stdout.write(`${say({ zh: '收件箱为空', en: 'inbox empty' }, lang)}\n`);
          for (const m of page.messages) process.stdout.write(`${describeMessage(m, lang)}\n`);
          if (acked !== undefined) process.stdout.write(`${say({ zh: `已确认至 #${acked}`, en: `acknowledged up to #${acked}` }, lang)}\n`);
          else if (page.messages.length === limit && page.next) process.stdout.write(`${say({ zh: `可能还有更多：--after ${page.next}`, en: `more may follow: --after ${page.next}` }, lang)}\n`);
        }
      } finally {
        await client.close();
      }
    });
}
