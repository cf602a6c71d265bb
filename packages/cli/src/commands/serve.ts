/** `jiexu serve`: runs the national transfer platform (HTTP) on PGlite or, with DATABASE_URL, PostgreSQL. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BODY_LIMIT, DEFAULT_DATA_DIR, DEFAULT_PORT, standardChoices, standardOptions, startPlatform, StorageError } from '@jiexu/platform';
import { CONSOLE_BASE, consoleAppBuilt, consoleAppDir } from '@jiexu/console';
import { CliError, EXIT } from '../errors.ts';
import { foreign } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';

const HELP = {
  description: { zh: '运行全国转移接续平台；设置了 DATABASE_URL 时使用 PostgreSQL，否则使用 --data-dir 中的 PGlite', en: 'run the national transfer platform; PostgreSQL when DATABASE_URL is set, else PGlite in --data-dir' },
  port: { zh: 'TCP 端口（0 表示任一空闲端口）', en: 'TCP port (0 = any free port)' },
  host: { zh: '监听地址', en: 'address to listen on' },
  dataDir: { zh: `PGlite 数据目录（默认 ${DEFAULT_DATA_DIR}；设置 DATABASE_URL 时不用）`, en: `PGlite data directory (default ${DEFAULT_DATA_DIR}; ignored with DATABASE_URL)` },
  bodyLimit: { zh: `接受的请求体最大字节数（默认 ${DEFAULT_BODY_LIMIT}）`, en: `largest accepted request body (default ${DEFAULT_BODY_LIMIT})` },
  consoleDir: { zh: '在 /console/ 下提供此文件夹中构建好的控制台（例如带本地区格式构建的版本），而不是随附的控制台', en: 'serve this built console bundle under /console/ (e.g. one built with your region\'s formats) instead of the shipped one' },
  shutdownTimeout: { zh: '收到 SIGTERM 或 SIGINT 后，最多等待多少秒让进行中的请求结束；到时关闭仍未完成的连接，再关闭存储', en: 'seconds a shutdown (SIGTERM, SIGINT) waits for requests in progress; then the connections still open are closed, and the storage' },
  reminderInterval: { zh: '每隔多少秒检查一次超期的案件步骤并发送催办（0 表示从不）', en: 'how often overdue case steps are checked for reminders (0 = never)' },
  standard: {
    zh: `平台所依据的标准版本：最新发布版（默认 ${released()}，接受每个已发布版本），或以 <版本>-draft 开启草案（${drafts()}），例如接受 1.2 的待遇期消息`,
    en: `the standard the platform runs on: the latest released version (default ${released()}, which accepts every released version), or a draft as <version>-draft (${drafts()}), e.g. for 1.2's benefit-period messages`,
  },
} satisfies Record<string, Text>;

function released(): string {
  return standardChoices().find((c) => !c.draft)?.name ?? '-';
}
function drafts(): string {
  return standardChoices().filter((c) => c.draft).map((c) => c.name).join(', ') || '-';
}

interface ServeOptions {
  port: string;
  host: string;
  dataDir?: string;
  bodyLimit?: string;
  reminderInterval: string;
  shutdownTimeout: string;
  consoleDir?: string;
  standard?: string;
}

function integer(value: string, name: string, min: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < min) throw new CliError({ zh: `${name} 须为 ≥ ${min} 的整数，而不是 ${JSON.stringify(value)}`, en: `${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}` }, EXIT.usage);
  return Number(value);
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  program
    .command('serve')
    .description(h.description)
    .option('--port <n>', h.port, String(DEFAULT_PORT))
    .option('--host <addr>', h.host, '127.0.0.1')
    .option('--data-dir <dir>', h.dataDir)
    .option('--body-limit <bytes>', h.bodyLimit)
    .option('--reminder-interval <seconds>', h.reminderInterval, '300')
    .option('--shutdown-timeout <seconds>', h.shutdownTimeout, '10')
    .option('--console-dir <dir>', h.consoleDir)
    .option('--standard <version>', h.standard)
    .action(async (opts: ServeOptions) => {
      const port = integer(opts.port, '--port', 0);
      const bodyLimit = opts.bodyLimit === undefined ? undefined : integer(opts.bodyLimit, '--body-limit', 1);
      const reminderIntervalMs = integer(opts.reminderInterval, '--reminder-interval', 0) * 1000;
      const shutdownTimeoutMs = integer(opts.shutdownTimeout, '--shutdown-timeout', 1) * 1000;
      const standard = opts.standard === undefined ? {} : standardOptions(opts.standard);
      if (!standard) {
        const known = standardChoices().map((c) => c.name).join(', ');
        throw new CliError({ zh: `--standard：未知的标准版本 ${JSON.stringify(opts.standard)}；可选：${known}`, en: `--standard: unknown standard version ${JSON.stringify(opts.standard)}; one of: ${known}` }, EXIT.usage);
      }
      const databaseUrl = process.env.DATABASE_URL || undefined;
      // the console's static bundle (validator and console pages) under /console/, when it is built
      const consoleDir = opts.consoleDir ? resolve(opts.consoleDir) : consoleAppBuilt() ? consoleAppDir() : undefined;
      if (consoleDir && !existsSync(join(consoleDir, 'index.html'))) throw new CliError({ zh: `--console-dir：${consoleDir} 中没有 index.html（先构建控制台）`, en: `--console-dir: ${consoleDir} has no index.html (build the console first)` }, EXIT.usage);
      const staticFiles = consoleDir ? { dir: consoleDir, prefix: CONSOLE_BASE } : undefined;
      let platform;
      try {
        platform = await startPlatform({ port, host: opts.host, dataDir: opts.dataDir, databaseUrl, bodyLimit, reminderIntervalMs, staticFiles, ...standard });
      } catch (err) {
        if (err instanceof StorageError) throw foreign(err, EXIT.usage);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES') throw new CliError({ zh: `无法在 ${opts.host}:${port} 上监听：${code}`, en: `cannot listen on ${opts.host}:${port}: ${code}` }, EXIT.usage);
        throw err;
      }
      const storage = databaseUrl ? 'postgres (DATABASE_URL)' : `pglite ${opts.dataDir ?? DEFAULT_DATA_DIR}`;
      const on = opts.standard ?? released();
      process.stderr.write(`${say({ zh: `jiexu 平台正在 ${platform.url} 上监听（存储：${storage}；标准：${on}）`, en: `jiexu platform listening on ${platform.url} (storage: ${storage}; standard: ${on})` }, lang)}\n`);
      if (consoleDir) process.stderr.write(`${say({ zh: `控制台与文件验证器：${platform.url}${CONSOLE_BASE}`, en: `console and file validator: ${platform.url}${CONSOLE_BASE}` }, lang)}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`${say({ zh: `jiexu 平台：收到 ${signal}，正在停止`, en: `jiexu platform: ${signal}, shutting down` }, lang)}\n`);
          platform
            .close(shutdownTimeoutMs)
            .then(({ forcedConnections }) => {
              if (forcedConnections > 0) process.stderr.write(`${say({ zh: `jiexu 平台：${shutdownTimeoutMs / 1000} 秒后仍有 ${forcedConnections} 个连接未完成请求，已关闭`, en: `jiexu platform: ${forcedConnections} connection(s) still in a request after ${shutdownTimeoutMs / 1000} s, closed` }, lang)}\n`);
            })
            .catch((err: Error) => {
              process.stderr.write(`${say({ zh: `jiexu 平台：未能正常停止：${err.message}`, en: `jiexu platform: unclean shutdown: ${err.message}` }, lang)}\n`);
              process.exitCode = EXIT.usage;
            })
            .finally(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
