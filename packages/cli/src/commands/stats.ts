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
import { EXIT } from '../errors.ts';
import { foreign } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { yuan } from './assess.ts';
import { connect, platformFailure, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

interface StatsOptions extends ConnectionOptions {
  operator?: boolean;
  dataDir?: string;
  json?: boolean;
}

const HELP = {
  description: { zh: '按统筹地区和年度统计养老保险转入、转出人次及信息表所载资金（报告表 8）：本机构所在地区，或用 --operator 查看所有地区', en: "pension transfers in and out per region and year, with their funds (the report's table 8): your region, or every region with --operator" },
  operator: { zh: '所有地区，从平台数据库读取（DATABASE_URL，否则 --data-dir）', en: "every region, read from the platform's database (DATABASE_URL, else --data-dir)" },
  dataDir: { zh: `与 --operator 同用时的 PGlite 数据目录（默认 ${DEFAULT_DATA_DIR}）`, en: `PGlite data directory with --operator (default ${DEFAULT_DATA_DIR})` },
  json: { zh: '以 JSON 输出各行', en: 'print the rows as JSON' },
  statistics: { zh: '查询统计', en: 'statistics' },
} satisfies Record<string, Text>;

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

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withConnectionOptions(program.command('stats').description(h.description), lang)
    .option('--operator', h.operator)
    .option('--data-dir <dir>', h.dataDir)
    .option('--json', h.json)
    .action(async (opts: StatsOptions) => {
      let rows: TransferStatistics[];
      if (opts.operator) {
        let storage;
        try {
          storage = await openStorage({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: opts.dataDir });
        } catch (err) {
          if (err instanceof StorageError) throw foreign(err, EXIT.usage);
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
            throw platformFailure(err, HELP.statistics);
          })).statistics;
        } finally {
          await client.close();
        }
      }
      process.stdout.write(opts.json ? `${JSON.stringify({ statistics: rows }, null, 2)}\n` : `${statsTable(rows, lang)}\n`);
      process.exitCode = EXIT.ok;
    });
}
