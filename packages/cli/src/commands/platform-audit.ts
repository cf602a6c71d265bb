/**
 * `jiexu platform audit`: the operator reads the whole audit trail on the platform's storage
 * and, with --check, recomputes its hash chain: exit 0 when every entry fits, 1 naming the
 * first entry that does not.
 */
import type { Command } from 'commander';
import { checkAuditChain, readAudit, type Storage } from '@jiexu/platform';
import { EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';

const HELP = {
  description: { zh: '列出审计记录（每条及其哈希），或用 --check 重新计算哈希链，指出第一条不符的记录', en: 'list the audit trail (every entry, with its hash) or, with --check, recompute the hash chain and name the first entry that does not fit' },
  check: { zh: '重新计算整条哈希链', en: 'recompute the whole chain' },
  case: { zh: '只列此案件的记录', en: 'only the entries of this case' },
  after: { zh: '从此链序号之后开始', en: 'entries after this chain index' },
  limit: { zh: '最多列出的条数', en: 'at most this many entries' },
} satisfies Record<string, Text>;

interface AuditFlags {
  dataDir?: string;
  json?: boolean;
  check?: boolean;
  case?: string;
  after?: string;
  limit: string;
}

/** How `jiexu platform` opens its storage (passed in by platform.ts, so the two modules do not import each other). */
export interface StorageHelpers {
  storageOption: (cmd: Command) => Command;
  withStorage: <T>(flags: { dataDir?: string }, fn: (s: Storage) => Promise<T>) => Promise<T>;
}

export function registerAudit(platform: Command, { storageOption, withStorage }: StorageHelpers, lang: Lang): void {
  const h = inLang(HELP, lang);
  storageOption(platform.command('audit').description(h.description))
    .option('--check', h.check)
    .option('--case <caseId>', h.case)
    .option('--after <index>', h.after, '0')
    .option('--limit <n>', h.limit, '100')
    .action(async (opts: AuditFlags) => {
      await withStorage(opts, async (s) => {
        if (opts.check) {
          const check = await checkAuditChain(s.db);
          if (opts.json) process.stdout.write(`${JSON.stringify(check)}\n`);
          else if (check.ok) process.stdout.write(`${say({ zh: `审计链完整：${check.entries} 条记录，链头 ${check.head ?? '（空）'}`, en: `audit chain intact: ${check.entries} entries, head ${check.head ?? '(empty)'}` }, lang)}\n`);
          else process.stdout.write(`${say({ zh: `审计链被改动：第 ${check.index} 条记录不符：${check.reason}`, en: `audit chain BROKEN at entry #${check.index}: ${check.reason}` }, lang)}\n`);
          if (!check.ok) process.exitCode = EXIT.invalid;
          return;
        }
        const page = await readAudit(s.db, { caseId: opts.case, after: opts.after, limit: Number(opts.limit) });
        if (opts.json) process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        else for (const e of page.entries) process.stdout.write(`#${e.index}  ${e.at}  ${e.actor}  ${e.action}  ${e.object}  ${e.hash.slice(0, 16)}…\n`);
      });
    });
}
