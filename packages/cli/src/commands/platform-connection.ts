/**
 * How the platform commands (send, inbox, case) find the platform and sign:
 * --platform/--institution/--key, else JIEXU_PLATFORM/JIEXU_INSTITUTION/JIEXU_KEY.
 * JIEXU_KEY (like --key) is a path to a PKCS#8 PEM file, or the PEM itself.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import { createClient, PlatformError, PlatformUnreachableError, type PlatformClient } from '@jiexu/client';
import { formatIssue, type Issue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';

export interface ConnectionOptions {
  platform?: string;
  institution?: string;
  key?: string;
}

/** Adds --platform, --institution and --key to a command. */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--platform <url>', 'platform base URL (env JIEXU_PLATFORM)')
    .option('--institution <id>', 'your institution id, e.g. 210100-si (env JIEXU_INSTITUTION)')
    .option('--key <file>', 'your Ed25519 private key, PKCS#8 PEM file (env JIEXU_KEY)');
}

function loadKey(value: string, from: string): KeyObject {
  let pem = value;
  if (!value.includes('-----BEGIN')) {
    try {
      pem = readFileSync(value, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read the key file ${value} (${from}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.usage);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new CliError(`${from} does not hold a private key in PEM form: ${(err as Error).message}`, EXIT.usage);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CliError(`${from} holds a ${key.asymmetricKeyType} key; the platform needs Ed25519`, EXIT.usage);
  return key;
}

/** A client for the platform named by the options or the environment; a CliError (exit 2) when something is missing. */
export function connect(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): PlatformClient {
  const baseUrl = opts.platform ?? env.JIEXU_PLATFORM;
  const institutionId = opts.institution ?? env.JIEXU_INSTITUTION;
  const keyValue = opts.key ?? env.JIEXU_KEY;
  const missing = [
    !baseUrl && '--platform (or JIEXU_PLATFORM)',
    !institutionId && '--institution (or JIEXU_INSTITUTION)',
    !keyValue && '--key (or JIEXU_KEY)',
  ].filter(Boolean);
  if (missing.length) throw new CliError(`missing ${missing.join(', ')}`, EXIT.usage);
  let url: URL;
  try {
    url = new URL(baseUrl!);
  } catch {
    throw new CliError(`--platform is not a URL: ${baseUrl}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--platform must be an http(s) URL: ${baseUrl}`, EXIT.usage);
  const privateKey = loadKey(keyValue!, opts.key ? '--key' : 'JIEXU_KEY');
  return createClient({ baseUrl: url.toString(), institutionId: institutionId!, privateKey });
}

/**
 * Turns a client failure into a CliError: the platform's verdict on the input
 * (403/409/413/422, 404) is exit 1; authentication, reachability and server
 * trouble are exit 2. Issues of a report are listed one per line.
 */
export function platformFailure(err: unknown, what: string): CliError {
  if (err instanceof PlatformUnreachableError) return new CliError(`${what}: ${err.message}`, EXIT.usage);
  if (err instanceof PlatformError) {
    const body = err.body as { message?: string } | undefined;
    const lines = [`${what}: the platform answered ${err.status} ${err.code}${body?.message ? `: ${body.message}` : ''}`];
    for (const issue of (err.report?.issues ?? []) as Issue[]) lines.push(`  ${formatIssue(issue)}`);
    if (err.status === 401) lines.push('  (check --institution, --key and that the clock is within 5 minutes of the platform)');
    const invalid = [403, 404, 409, 413, 415, 422].includes(err.status);
    return new CliError(lines.join('\n'), invalid ? EXIT.invalid : EXIT.usage);
  }
  if (err instanceof CliError) return err;
  return new CliError(`${what}: ${(err as Error).message}`, EXIT.usage);
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
