/**
 * `jiexu stats`: pension transfers in and out per pooling region and year, with
 * the funds named in the messages (the report's table 8). As an institution
 * (the platform connection options) it shows the institution's own region, from
 * GET /v1/statistics; as the operator (`--operator`, the platform's database:
 * DATABASE_URL or --data-dir) every region.
 */
import type { Command } from 'commander';
import { openStorage, StorageError, transferStatistics, DEFAULT_DATA_DIR, type TransferStatistics } from '@jiexu/platform';
import { regionName } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { resolveLang, say, type Lang } from '../lang.ts';
import { yuan } from './assess.ts';
import { connect, platformFailure, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

interface StatsOptions extends ConnectionOptions {
  operator?: boolean;
  dataDir?: string;
  json?: boolean;
  lang?: string;
}

export function statsTable(rows: TransferStatistics[], lang: Lang): string {
  const head = say({ zh: '地区    年份  转入人次  转出人次        转入金额（元）        转出金额（元）', en: 'region  year  transfers in  transfers out       funds in (yuan)      funds out (yuan)' }, lang);
  const lines = [head];
  for (const r of rows) {
    const name = lang === 'zh' ? ` ${regionName(r.region) ?? ''}` : '';
    lines.push(`${r.region}  ${r.year}  ${String(r.transfersIn).padStart(12)}  ${String(r.transfersOut).padStart(13)}  ${yuan(r.fundsInFen).padStart(20)}  ${yuan(r.fundsOutFen).padStart(20)}${name}`);
  }
  if (rows.length === 0) lines.push(say({ zh: '（没有已受理的养老保险信息表）', en: '(no pension information forms accepted)' }, lang));
  return lines.join('\n');
}

export function register(program: Command): void {
  withConnectionOptions(program.command('stats').description("pension transfers in and out per region and year, with their funds (the report's table 8): your region, or every region with --operator"))
    .option('--operator', "every region, read from the platform's database (DATABASE_URL, else --data-dir)")
    .option('--data-dir <dir>', `PGlite data directory with --operator (default ${DEFAULT_DATA_DIR})`)
    .option('--json', 'print the rows as JSON')
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .action(async (opts: StatsOptions) => {
      const lang = resolveLang(opts.lang);
      let rows: TransferStatistics[];
      if (opts.operator) {
        let storage;
        try {
          storage = await openStorage({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: opts.dataDir });
        } catch (err) {
          if (err instanceof StorageError) throw new CliError(err.message, EXIT.usage);
          throw err;
        }
        try {
          rows = await transferStatistics(storage.db);
        } finally {
          await storage.close();
        }
      } else {
        const client = connect(opts);
        try {
          rows = (await client.statistics().catch((err: unknown) => {
            throw platformFailure(err, 'statistics');
          })).statistics;
        } finally {
          await client.close();
        }
      }
      process.stdout.write(opts.json ? `${JSON.stringify({ statistics: rows }, null, 2)}\n` : `${statsTable(rows, lang)}\n`);
      process.exitCode = EXIT.ok;
    });
}
