/** `jiexu serve`: runs the national transfer platform (HTTP) on PGlite or, with DATABASE_URL, PostgreSQL. */
import type { Command } from 'commander';
import { DEFAULT_BODY_LIMIT, DEFAULT_DATA_DIR, DEFAULT_PORT, startPlatform, StorageError } from '@jiexu/platform';
import { CliError, EXIT } from '../errors.ts';

interface ServeOptions {
  port: string;
  host: string;
  dataDir?: string;
  bodyLimit?: string;
  reminderInterval: string;
}

function integer(value: string, name: string, min: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < min) throw new CliError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`, EXIT.usage);
  return Number(value);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the national transfer platform; PostgreSQL when DATABASE_URL is set, else PGlite in --data-dir')
    .option('--port <n>', 'TCP port (0 = any free port)', String(DEFAULT_PORT))
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', `PGlite data directory (default ${DEFAULT_DATA_DIR}; ignored with DATABASE_URL)`)
    .option('--body-limit <bytes>', `largest accepted request body (default ${DEFAULT_BODY_LIMIT})`)
    .option('--reminder-interval <seconds>', 'how often overdue case steps are checked for reminders (0 = never)', '300')
    .action(async (opts: ServeOptions) => {
      const port = integer(opts.port, '--port', 0);
      const bodyLimit = opts.bodyLimit === undefined ? undefined : integer(opts.bodyLimit, '--body-limit', 1);
      const reminderIntervalMs = integer(opts.reminderInterval, '--reminder-interval', 0) * 1000;
      const databaseUrl = process.env.DATABASE_URL || undefined;
      let platform;
      try {
        platform = await startPlatform({ port, host: opts.host, dataDir: opts.dataDir, databaseUrl, bodyLimit, reminderIntervalMs });
      } catch (err) {
        if (err instanceof StorageError) throw new CliError(err.message, EXIT.usage);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES') throw new CliError(`cannot listen on ${opts.host}:${port}: ${code}`, EXIT.usage);
        throw err;
      }
      const storage = databaseUrl ? 'postgres (DATABASE_URL)' : `pglite ${opts.dataDir ?? DEFAULT_DATA_DIR}`;
      process.stderr.write(`jiexu platform listening on ${platform.url} (storage: ${storage})\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`jiexu platform: ${signal}, shutting down\n`);
          platform
            .close()
            .catch((err: Error) => process.stderr.write(`jiexu platform: unclean shutdown: ${err.message}\n`))
            .finally(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
