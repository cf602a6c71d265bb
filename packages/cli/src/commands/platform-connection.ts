/**
 * How the platform commands (send, inbox, case) find the platform and sign:
 * --platform/--institution/--key, else JIEXU_PLATFORM/JIEXU_INSTITUTION/JIEXU_KEY.
 * JIEXU_KEY (like --key) is a path to a PKCS#8 PEM file, or the PEM itself.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import { createClient, PlatformError, PlatformUnreachableError, problemLabel, type PlatformClient } from '@jiexu/client';
import { formatIssue, type Issue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';

const HELP = {
  platform: { zh: '平台地址（环境变量 JIEXU_PLATFORM）', en: 'platform base URL (env JIEXU_PLATFORM)' },
  institution: { zh: '本机构的标识，例如 210100-si（环境变量 JIEXU_INSTITUTION）', en: 'your institution id, e.g. 210100-si (env JIEXU_INSTITUTION)' },
  key: { zh: '本机构的 Ed25519 私钥，PKCS#8 PEM 文件（环境变量 JIEXU_KEY）', en: 'your Ed25519 private key, PKCS#8 PEM file (env JIEXU_KEY)' },
} satisfies Record<string, Text>;

export interface ConnectionOptions {
  platform?: string;
  institution?: string;
  key?: string;
}

/** Adds --platform, --institution and --key to a command. */
export function withConnectionOptions(cmd: Command, lang: Lang): Command {
  const h = inLang(HELP, lang);
  return cmd.option('--platform <url>', h.platform).option('--institution <id>', h.institution).option('--key <file>', h.key);
}

function loadKey(value: string, from: string): KeyObject {
  let pem = value;
  if (!value.includes('-----BEGIN')) {
    try {
      pem = readFileSync(value, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new CliError({ zh: `无法读取密钥文件 ${value}（${from}）：${why}`, en: `cannot read the key file ${value} (${from}): ${why}` }, EXIT.usage);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new CliError({ zh: `${from} 中不是 PEM 格式的私钥：${(err as Error).message}`, en: `${from} does not hold a private key in PEM form: ${(err as Error).message}` }, EXIT.usage);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CliError({ zh: `${from} 中是 ${key.asymmetricKeyType} 密钥；平台要求 Ed25519`, en: `${from} holds a ${key.asymmetricKeyType} key; the platform needs Ed25519` }, EXIT.usage);
  return key;
}

/** A client for the platform named by the options or the environment; a CliError (exit 2) when something is missing. */
export function connect(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): PlatformClient {
  const baseUrl = opts.platform ?? env.JIEXU_PLATFORM;
  const institutionId = opts.institution ?? env.JIEXU_INSTITUTION;
  const keyValue = opts.key ?? env.JIEXU_KEY;
  const missing = [!baseUrl && ['--platform', 'JIEXU_PLATFORM'], !institutionId && ['--institution', 'JIEXU_INSTITUTION'], !keyValue && ['--key', 'JIEXU_KEY']].filter((m): m is string[] => Boolean(m));
  if (missing.length) {
    throw new CliError({ zh: `缺少 ${missing.map(([o, e]) => `${o}（或 ${e}）`).join('、')}`, en: `missing ${missing.map(([o, e]) => `${o} (or ${e})`).join(', ')}` }, EXIT.usage);
  }
  let url: URL;
  try {
    url = new URL(baseUrl!);
  } catch {
    throw new CliError({ zh: `--platform 不是 URL：${baseUrl}`, en: `--platform is not a URL: ${baseUrl}` }, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError({ zh: `--platform 须为 http(s) URL：${baseUrl}`, en: `--platform must be an http(s) URL: ${baseUrl}` }, EXIT.usage);
  const privateKey = loadKey(keyValue!, opts.key ? '--key' : 'JIEXU_KEY');
  return createClient({ baseUrl: url.toString(), institutionId: institutionId!, privateKey });
}

/**
 * Turns a client failure into a CliError: the platform's verdict on the input
 * (403/409/413/422, 404) is exit 1; authentication, reachability and server
 * trouble are exit 2. Issues of a report are listed one per line.
 */
export function platformFailure(err: unknown, what: Text): CliError {
  if (err instanceof PlatformUnreachableError) return new CliError({ zh: `${what.zh}：无法连接平台：${err.message}`, en: `${what.en}: ${err.message}` }, EXIT.usage);
  if (err instanceof PlatformError) {
    const body = err.body as { message?: string } | undefined;
    const issues = (err.report?.issues ?? []) as Issue[];
    const label = problemLabel(err.code);
    const text = (lang: Lang) => {
      const lines = [
        say(
          {
            zh: `${what.zh}：平台答复 ${err.status} ${err.code}${label ? `（${label.zh}）` : ''}${body?.message ? `；平台原文：${body.message}` : ''}`,
            en: `${what.en}: the platform answered ${err.status} ${err.code}${body?.message ? `: ${body.message}` : ''}`,
          },
          lang,
        ),
      ];
      for (const issue of issues) lines.push(`  ${formatIssue(issue, lang)}`);
      if (err.status === 401) lines.push(`  ${say({ zh: '（请检查 --institution、--key，以及本机时钟与平台相差是否在 5 分钟以内）', en: '(check --institution, --key and that the clock is within 5 minutes of the platform)' }, lang)}`);
      return lines.join('\n');
    };
    const invalid = [403, 404, 409, 413, 415, 422].includes(err.status);
    return new CliError({ zh: text('zh'), en: text('en') }, invalid ? EXIT.invalid : EXIT.usage);
  }
  if (err instanceof CliError) return err;
  return new CliError({ zh: `${what.zh}：${(err as Error).message}`, en: `${what.en}: ${(err as Error).message}` }, EXIT.usage);
}

/** The same word in both languages: a file name or an identifier. */
export function same(s: string): Text {
  return { zh: s, en: s };
}

/** `cn.jiexu.pension.contact-letter.v1` → `pension.contact-letter`. */
export function shortType(type: string): string {
  return type.replace(/^cn\.jiexu\.(.*)\.v\d+$/, '$1');
}

/** An instant as China time, `2026-03-02 09:30 +08:00` (the platform answers in UTC). */
export function chinaTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} +08:00`;
}
