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
  addOperatorKey,
  removeOperatorKey,
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
import { foreign, unreadable, unwritable } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';

const HELP = {
  platform: { zh: '运维平台：经办机构目录和密钥', en: 'operate the platform: institution directory and keys' },
  dataDir: { zh: `PGlite 数据目录（默认 ${DEFAULT_DATA_DIR}；设置 DATABASE_URL 时不用）`, en: `PGlite data directory (default ${DEFAULT_DATA_DIR}; ignored with DATABASE_URL)` },
  json: { zh: '输出 JSON', en: 'print JSON' },
  addInstitution: { zh: '在目录中登记一个经办机构（地方社保经办机构）', en: 'register an institution (regional agency) in the directory' },
  id: { zh: '经办机构标识，<地区>-<名称>，例如 360100-si', en: 'institution id, <region>-<name>, e.g. 360100-si' },
  region: { zh: '统筹地区，6 位 GB/T 2260 代码', en: 'pooling region, 6-digit GB/T 2260 code' },
  schemes: { zh: '逗号分隔的险种代码，例如 110,210,310', en: 'comma-separated 险种 (scheme) codes, e.g. 110,210,310' },
  publicKey: { zh: 'Ed25519 公钥，PEM 文件（由 `jiexu platform keygen` 生成）', en: 'Ed25519 public key, PEM (from `jiexu platform keygen`)' },
  name: { zh: '显示名称', en: 'display name' },
  standardVersion: { zh: '该机构读取的标准版本（其收件箱按此版本投递）', en: 'version of the standard the institution reads (its inbox delivers in it)' },
  list: { zh: '列出经办机构目录', en: 'list the institution directory' },
  setStandardVersion: { zh: '更改某经办机构读取的标准版本（已存的报文和案件版本不变）', en: 'change the version of the standard an institution reads (stored messages and case versions do not change)' },
  instId: { zh: '经办机构标识', en: 'institution id' },
  version: { zh: '受支持的标准版本，例如 1.1', en: 'a supported version of the standard, e.g. 1.1' },
  disable: { zh: '停用一个经办机构（停用后无法通过认证）', en: 'disable an institution (a disabled one cannot authenticate)' },
  enable: { zh: '启用一个经办机构', en: 'enable an institution (a disabled one cannot authenticate)' },
  addKey: { zh: '为经办机构添加公钥（轮换密钥：先添加，再切换，最后删除旧密钥）', en: 'add a public key to an institution (key rotation: add, switch, then remove the old key)' },
  removeKey: { zh: '删除经办机构的一把公钥（不能删除最后一把）', en: 'remove a public key from an institution (never its last)' },
  keyPem: { zh: 'Ed25519 公钥，PEM 文件', en: 'Ed25519 public key, PEM' },
  addOperatorKey: { zh: '添加平台运营方的控制台登录公钥（运营方可查看全部案件，个人身份信息已遮蔽）', en: "add a console sign-in key of the platform operator (the operator sees every case, personal identifiers masked)" },
  removeOperatorKey: { zh: '删除平台运营方的一把控制台登录公钥（用它登录的会话立即失效）', en: "remove a console sign-in key of the platform operator (its sessions end at once)" },
  keygen: { zh: '生成新的 Ed25519 密钥对：<name>.key（私钥，PKCS#8 PEM，权限 600）和 <name>.pub（公钥，SPKI PEM）', en: 'write a new Ed25519 key pair: <name>.key (private, PKCS#8 PEM, mode 600) and <name>.pub (public, SPKI PEM)' },
  out: { zh: '写入密钥的目录', en: 'directory to write the keys into' },
  stem: { zh: '文件名主干', en: 'file name stem' },
  force: { zh: '覆盖已有文件', en: 'replace existing files' },
} satisfies Record<string, Text>;

const STATUS: Record<string, Text> = { active: { zh: '启用', en: 'active' }, disabled: { zh: '停用', en: 'disabled' } };
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
    if (err instanceof StorageError) throw foreign(err, EXIT.usage);
    throw err;
  }
  try {
    return await fn(storage);
  } catch (err) {
    if (err instanceof DirectoryError) throw foreign(err, EXIT.invalid);
    throw err;
  } finally {
    await storage.close();
  }
}

function describe(i: Institution, lang: Lang): string {
  const keys = say({ zh: `${i.publicKeys.length} 把公钥`, en: `${i.publicKeys.length} key(s)` }, lang);
  return `${i.id}\t${i.region}\t${i.schemes.join(',')}\t${i.standardVersion}\t${STATUS[i.status] ? say(STATUS[i.status], lang) : i.status}\t${keys}${i.webhook ? `\twebhook ${i.webhook.url}` : ''}`;
}

const LIST_HEADER: Text = { zh: '标识\t地区\t险种\t标准版本\t状态\t公钥', en: 'id\tregion\tschemes\tstandard\tstatus\tkeys' };

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw unreadable(file, err);
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
      throw new CliError({ zh: `${path} 已存在（用 --force 覆盖）`, en: `${path} already exists (use --force to replace it)` }, EXIT.usage);
    } catch (err) {
      if (err instanceof CliError) throw err;
    }
  }
  await rename(tmp, path);
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  const zh = lang === 'zh';
  const storageOption = (cmd: Command) => cmd.option('--data-dir <dir>', h.dataDir).option('--json', h.json);
  const platform = program.command('platform').description(h.platform);
  registerAudit(platform, { storageOption, withStorage }, lang);

  storageOption(
    platform
      .command('add-institution')
      .description(h.addInstitution)
      .requiredOption('--id <id>', h.id)
      .requiredOption('--region <code>', h.region)
      .requiredOption('--schemes <codes>', h.schemes)
      .requiredOption('--public-key <file>', h.publicKey)
      .option('--name <name>', h.name)
      .option('--standard-version <version>', h.standardVersion, '1.0'),
  ).action(async (opts: StorageFlags & { id: string; region: string; schemes: string; publicKey: string; name?: string; standardVersion: string }) => {
    const pem = await readKeyFile(opts.publicKey);
    const schemes = opts.schemes.split(',').map((s) => s.trim()).filter(Boolean);
    const inst = await withStorage(opts, (s) =>
      addInstitution(s.db, { id: opts.id, name: opts.name, region: opts.region, schemes, publicKeys: [pem], standardVersion: opts.standardVersion }),
    );
    process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${zh ? '已登记' : 'added'} ${describe(inst, lang)}\n`);
  });

  storageOption(platform.command('list').description(h.list)).action(async (opts: StorageFlags) => {
    const all = await withStorage(opts, (s) => listInstitutions(s.db));
    if (opts.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    else if (!all.length) process.stdout.write(`${say({ zh: '尚未登记任何经办机构', en: 'no institutions registered' }, lang)}\n`);
    else process.stdout.write(`${[say(LIST_HEADER, lang), ...all.map((i) => describe(i, lang))].join('\n')}\n`);
  });

  storageOption(
    platform
      .command('set-standard-version')
      .description(h.setStandardVersion)
      .argument('<id>', h.instId)
      .argument('<version>', h.version),
  ).action(async (id: string, version: string, opts: StorageFlags) => {
    const inst = await withStorage(opts, (s) => setStandardVersion(s.db, id, version));
    process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${say({ zh: `${inst.id} 现在读取标准 ${inst.standardVersion}`, en: `${inst.id} now reads standard ${inst.standardVersion}` }, lang)}\n`);
  });

  for (const [name, status, what] of [['disable', 'disabled', h.disable], ['enable', 'active', h.enable]] as const) {
    storageOption(platform.command(name).description(what).argument('<id>', h.instId)).action(
      async (id: string, opts: StorageFlags) => {
        const inst = await withStorage(opts, (s) => setInstitutionStatus(s.db, id, status));
        process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${say({ zh: `${inst.id} 现已${say(STATUS[inst.status] ?? { zh: inst.status, en: inst.status }, 'zh')}`, en: `${inst.id} is now ${inst.status}` }, lang)}\n`);
      },
    );
  }

  for (const [name, fn, what] of [
    ['add-key', addPublicKey, h.addKey],
    ['remove-key', removePublicKey, h.removeKey],
  ] as const) {
    storageOption(platform.command(name).description(what).argument('<id>', h.instId).requiredOption('--public-key <file>', h.keyPem)).action(
      async (id: string, opts: StorageFlags & { publicKey: string }) => {
        const pem = await readKeyFile(opts.publicKey);
        const inst = await withStorage(opts, (s) => fn(s.db, id, pem));
        process.stdout.write(opts.json ? `${JSON.stringify(inst)}\n` : `${say({ zh: `${inst.id} 现有 ${inst.publicKeys.length} 把公钥`, en: `${inst.id} now has ${inst.publicKeys.length} key(s)` }, lang)}\n`);
      },
    );
  }

  for (const [name, fn, what, done] of [
    ['add-operator-key', addOperatorKey, h.addOperatorKey, { zh: '已添加运营方控制台密钥', en: 'added the operator console key' }],
    ['remove-operator-key', removeOperatorKey, h.removeOperatorKey, { zh: '已删除运营方控制台密钥', en: 'removed the operator console key' }],
  ] as const) {
    storageOption(platform.command(name).description(what).requiredOption('--public-key <file>', h.keyPem)).action(async (opts: StorageFlags & { publicKey: string }) => {
      const pem = await readKeyFile(opts.publicKey);
      const kid = await withStorage(opts, (s) => fn(s.db, pem));
      process.stdout.write(opts.json ? `${JSON.stringify({ kid })}\n` : `${say(done, lang)} ${kid}\n`);
    });
  }

  platform
    .command('keygen')
    .description(h.keygen)
    .requiredOption('--out <dir>', h.out)
    .option('--name <name>', h.stem, 'institution')
    .option('--force', h.force)
    .action(async (opts: { out: string; name: string; force?: boolean }) => {
      if (!/^[A-Za-z0-9._-]+$/.test(opts.name)) throw new CliError({ zh: `--name 须为普通文件名，而不是 ${JSON.stringify(opts.name)}`, en: `--name must be a plain file name, got ${JSON.stringify(opts.name)}` }, EXIT.usage);
      const { privateKeyPem, publicKeyPem } = generateKeyPair();
      const keyPath = join(opts.out, `${opts.name}.key`);
      const pubPath = join(opts.out, `${opts.name}.pub`);
      try {
        await mkdir(opts.out, { recursive: true });
        await writeNew(keyPath, privateKeyPem, 0o600, !!opts.force);
        await writeNew(pubPath, publicKeyPem, 0o644, !!opts.force);
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw unwritable(opts.out, err);
      }
      process.stdout.write(`${say({ zh: `已写出 ${keyPath}（私钥，务必保密）和 ${pubPath}`, en: `wrote ${keyPath} (private — keep it secret) and ${pubPath}` }, lang)}\n`);
    });
}
