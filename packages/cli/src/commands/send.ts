/** `jiexu send <envelope.json>...`: posts transfer messages to the platform, signed as your institution. */
import type { Command } from 'commander';
import type { Envelope, SendResult } from '@jiexu/client';
import { CliError, EXIT } from '../errors.ts';
import { readJsonFile } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { connect, platformFailure, same, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

const HELP = {
  description: { zh: '向平台发送转移接续报文（信封 JSON 文件）；平台拒收任何一份时退出码为 1', en: 'send transfer messages (envelope JSON files) to the platform; exit 1 when the platform refuses one' },
  envelopes: { zh: '信封 JSON 文件', en: 'envelope JSON files' },
  json: { zh: '以 JSON 输出各文件的结果', en: 'print the outcomes as JSON' },
} satisfies Record<string, Text>;

interface SendOptions extends ConnectionOptions {
  json?: boolean;
}

type Outcome = { file: string; ok: true; result: SendResult } | { file: string; ok: false; exitCode: 1 | 2; error: string };

/** Reads one envelope file; a CliError naming the file (and line:column for bad JSON) otherwise. */
export async function readEnvelope(file: string): Promise<Envelope> {
  const value = await readJsonFile(file);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliError({ zh: `${file}：信封须为 JSON 对象`, en: `${file}: an envelope must be a JSON object` }, EXIT.invalid);
  return value as Envelope;
}


export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withConnectionOptions(program.command('send').description(h.description).argument('<envelope...>', h.envelopes), lang)
    .option('--json', h.json)
    .action(async (files: string[], opts: SendOptions) => {
      const client = connect(opts);
      const outcomes: Outcome[] = [];
      try {
        for (const file of files) {
          try {
            const envelope = await readEnvelope(file);
            const result = await client.send(envelope);
            outcomes.push({ file, ok: true, result });
            if (!opts.json) {
              const line = result.replayed
                ? { zh: `${file}：此前已接收（重放）${result.id}，案件 ${result.caseId}，接收时间 ${result.receivedAt}`, en: `${file}: already accepted (replay) ${result.id} in case ${result.caseId} at ${result.receivedAt}` }
                : { zh: `${file}：已接收 ${result.id}，案件 ${result.caseId}，接收时间 ${result.receivedAt}`, en: `${file}: accepted ${result.id} in case ${result.caseId} at ${result.receivedAt}` };
              process.stdout.write(`${say(line, lang)}\n`);
            }
          } catch (err) {
            const failure = err instanceof CliError ? err : platformFailure(err, same(file));
            outcomes.push({ file, ok: false, exitCode: failure.exitCode, error: failure.say(lang) });
            if (!opts.json) process.stderr.write(`jiexu: ${failure.say(lang)}\n`);
          }
        }
      } finally {
        await client.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
      const failures = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
      process.exitCode = failures.length === 0 ? EXIT.ok : Math.max(...failures.map((f) => f.exitCode));
    });
}
