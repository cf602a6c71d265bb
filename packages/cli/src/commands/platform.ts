/**
 * `jiexu platform …`: operating the platform's institution directory on the same storage
 * as `jiexu serve` (DATABASE_URL, else the PGlite --data-dir, which must not be in use by a
 * running server), and generating institution key pairs.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  addInstitution,
  addPublicKey,
  removePublicKey,
  DEFAULT_DATA_DIR,
  DirectoryError,
  generateKeyPair,
  listInstitutions,
  openStorage,
  setInstitutionStatus,
  setStandardVersion,
  StorageError,
  type Institution,
  type Storage,
} from '@jiexu/platform';
import { CliError, EXIT } from '../errors.ts';
import { registerAudit } from './platform-audit.ts';

interface StorageFlags {
  dataDir?: string;
  json?: boolean;
}

async function withStorage<T>(flags: StorageFlags, fn: (s: Storage) => Promise<T>): Promise<T> {
  let storage: Storage;
  try {
    storage = await openStorage({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: flags.dataDir });
  } catch (err) {
    if (err instanceof StorageError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  try {
    return await fn(storage);
  } catch (err) {
    if (err instanceof DirectoryError) throw new CliError(err.message, EXIT.invalid);
    throw err;
  } finally {
    await storage.close();
  }
}

function describe(i: Institution): string {
  return `${i.id}\t${i.region}\t${i.schemes.join(',')}\t${i.standardVersion}\t${i.status}\t${i.publicKeys.length} key(s)${i.webhook ? `\twebhook ${i.webhook.url}` : ''}`;
}

const storageOption = (cmd: Command) => cmd.option('--data-dir <dir>', `PGlite data directory (default ${DEFAULT_DATA_DIR}; ignored with DATABASE_URL)`).option('--json', 'print JSON');

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.usage);
  }
}

/** Writes a file atomically (temp file, then rename), refusing to replace one unless force. */
async function writeNew(path: string, content: string, mode: number, force: boolean): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(content);
  } finally {
    await fh.close();
  }
  if (!force) {
    try {
      await open(path, 'r').then((h) => h.close());
      await rm(tmp, { force: true });
      throw new CliError(`${path} already exists (use --force to replace it)`, EXIT.usage);
    } catch (err) {
      if (err instanceof CliError) throw err;
    }
  }
  await rename(tmp, path);
}

export function register(program: Command): void {
  const platform = program.command('platform').description('operate the platform: institution directory and keys');
  registerAudit(platform, { storageOption, withStorage });

  storageOption(
    platform
      .command('add-institution')
      .description('register an institution (regional agency) in the directory')
      .requiredOption('--id <id>', 'institution id, <region>-<name>, e.g. 360100-si')
      .requiredOption('--region <code>', 'pooling region, 6-digit GB/T 2260 code')
      .requiredOption('--schemes <codes>', 'comma-separated 险种 codes, e.g. 110,210,310')
      .requiredOption('--public-key <file>', 'Ed25519 public key, PEM (from `jiexu platform keygen`)')
      .option('--name <name>', 'display name')
      .option('--standard-version <version>', 'version of the standard the institution reads (its inbox delivers in it)', '1.0'),
  ).action(async (opts: StorageFlags & { id: string; region: string; schemes: string; publicKey: string; name?: string; standardVersion: string }) => {
    const pem = await readKeyFile(opts.publicKey);
    const schemes = opts.schemes.split(',').map((s) => s.trim()).filter(Boolean);
    const inst = await withStorage(opts, (s) =>
      addInstitution(s.db, { id: opts.id, name: opts.name, region: opts.region, schemes, publicKeys: [pem], standardVersion: opts.standardVersion }),
    );
    process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `added ${describe(inst)}\n`);
  });

  storageOption(platform.command('list').description('list the institution directory')).action(async (opts: StorageFlags) => {
    const all = await withStorage(opts, (s) => listInstitutions(s.db));
    if (opts.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    else if (!all.length) process.stdout.write('no institutions registered\n');
    else process.stdout.write(`${['id\tregion\tschemes\tstandard\tstatus\tkeys', ...all.map(describe)].join('\n')}\n`);
  });

  storageOption(
    platform
      .command('set-standard-version')
      .description('change the version of the standard an institution reads (stored messages and case versions do not change)')
      .argument('<id>', 'institution id')
      .argument('<version>', 'a supported version of the standard, e.g. 1.1'),
  ).action(async (id: string, version: string, opts: StorageFlags) => {
    const inst = await withStorage(opts, (s) => setStandardVersion(s.db, id, version));
    process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${inst.id} now reads standard ${inst.standardVersion}\n`);
  });

  for (const [name, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    storageOption(platform.command(name).description(`${name} an institution (a disabled one cannot authenticate)`).argument('<id>', 'institution id')).action(
      async (id: string, opts: StorageFlags) => {
        const inst = await withStorage(opts, (s) => setInstitutionStatus(s.db, id, status));
        process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${inst.id} is now ${inst.status}\n`);
      },
    );
  }

  for (const [name, fn, what] of [
    ['add-key', addPublicKey, 'add a public key to an institution (key rotation: add, switch, then remove the old key)'],
    ['remove-key', removePublicKey, 'remove a public key from an institution (never its last)'],
  ] as const) {
    storageOption(platform.command(name).description(what).argument('<id>', 'institution id').requiredOption('--public-key <file>', 'Ed25519 public key, PEM')).action(
      async (id: string, opts: StorageFlags & { publicKey: string }) => {
        const pem = await readKeyFile(opts.publicKey);
        const inst = await withStorage(opts, (s) => fn(s.db, id, pem));
        process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${inst.id} now has ${inst.publicKeys.length} key(s)\n`);
      },
    );
  }

  platform
    .command('keygen')
    .description('write a new Ed25519 key pair: <name>.key (private, PKCS#8 PEM, mode 600) and <name>.pub (public, SPKI PEM)')
    .requiredOption('--out <dir>', 'directory to write the keys into')
    .option('--name <name>', 'file name stem', 'institution')
    .option('--force', 'replace existing files')
    .action(async (opts: { out: string; name: string; force?: boolean }) => {
      if (!/^[A-Za-z0-9._-]+$/.test(opts.name)) throw new CliError(`--name must be a plain file name, got ${JSON.stringify(opts.name)}`, EXIT.usage);
      const { privateKeyPem, publicKeyPem } = generateKeyPair();
      const keyPath = join(opts.out, `${opts.name}.key`);
      const pubPath = join(opts.out, `${opts.name}.pub`);
      try {
        await mkdir(opts.out, { recursive: true });
        await writeNew(keyPath, privateKeyPem, 0o600, !!opts.force);
        await writeNew(pubPath, publicKeyPem, 0o644, !!opts.force);
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(`cannot write keys to ${opts.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.usage);
      }
      process.stdout.write(`wrote ${keyPath} (private — keep it secret) and ${pubPath}\n`);
    });
}
