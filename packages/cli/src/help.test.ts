/**
 * Every command and subcommand speaks the user's language in its help: under
 * a Chinese locale no English word is left but codes, identifiers, option flags,
 * file-format names and placeholders; under LANG=C the help is English. Commander's
 * own words (headings, help option, errors) are translated too.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { CANONICAL, formats } from '@jiexu/adapters';
import { MODES } from '@jiexu/versioning';
import { commandModules } from './commands/index.ts';
import { buildProgram } from './main.ts';
import { allCommands, displayWidth, translateCommanderError } from './help.ts';
import { englishWordsIn } from './testing/english-words.ts';
import { CHINESE, ENGLISH, runCli } from './testing/run-cli.ts';

const modules = await Promise.all(Object.values(commandModules).map((load) => load()));

/** Every command path of the tree (`[]` is the program itself), without commander's `help` pseudo-command. */
function paths(program: Command): string[][] {
  const out: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    out.push(path);
    for (const sub of cmd.commands) if (sub.name() !== 'help') walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return out;
}

const program = buildProgram(modules, 'zh');
const commandPaths = paths(program);

/** Words that are names, not prose: command names, argument and option placeholders, format names, modes, tools. */
const NAMES = new Set<string>([
  'jiexu',
  'help',
  ...allCommands(program).flatMap((c) => [c.name(), ...c.registeredArguments.map((a) => a.name())]),
  ...formats.map((f) => f.name),
  CANONICAL,
  ...MODES,
  'zh',
  'en',
  'kind',
  'PGlite',
  'PostgreSQL',
  'Ed25519',
  'xlsx',
]);

const englishWords = (text: string) => englishWordsIn(text, NAMES);

/** Chinese glosses the English help keeps beside the English words (names of documents and legal terms). */
const GLOSSES = ['接续', '公民身份号码', '户籍', '视同缴费年限', '国发〔2005〕38号', '险种'];

function hanLeft(text: string): string[] {
  let rest = text;
  for (const g of GLOSSES) rest = rest.replaceAll(g, '');
  return rest.match(/\p{Script=Han}+/gu) ?? [];
}

describe('the checker itself', () => {
  it('finds English prose and lets codes, identifiers, flags, formats and placeholders through', () => {
    expect(englishWords('用法： jiexu convert [选项] <input>')).toEqual([]);
    expect(englishWords('输出格式 (bj-xlsx, canonical)；--to <format>、-o、DATABASE_URL、schemas/1.0、`jiexu formats`、110000-si、YYYY-MM-DD、zh_*')).toEqual([]);
    expect(englishWords('显示 help for command')).toEqual(['for', 'command']);
    expect(englishWords('Usage: jiexu')).toEqual(['Usage']);
    expect(englishWords('（默认值："institution"）')).toEqual([]);
    expect(englishWords('the record, .jsonl')).toEqual(['the', 'record']);
  });
  it('measures Chinese as two columns', () => {
    expect(displayWidth('用法')).toBe(4);
    expect(displayWidth('ab')).toBe(2);
  });
});

describe('--help of every command', () => {
  it('covers every command and subcommand', () => {
    const names = commandPaths.map((p) => p.join(' '));
    for (const name of ['', 'validate', 'formats', 'convert', 'assess', 'transfer-plan', 'schema', 'schema diff', 'schema policy', 'schema cut', 'schema release', 'schema migrate', 'serve', 'platform', 'platform add-institution', 'platform list', 'platform keygen', 'send', 'inbox', 'case', 'demo']) {
      expect(names).toContain(name);
    }
  });

  for (const path of commandPaths) {
    const name = ['jiexu', ...path].join(' ');
    it(`${name} --help is Chinese under LANG=zh_CN.UTF-8`, async () => {
      const r = await runCli([...path, '--help'], CHINESE);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^用法： /);
      expect(r.stdout).toContain('选项：');
      expect(r.stdout).toContain('显示命令帮助');
      expect(englishWords(r.stdout), r.stdout).toEqual([]);
    });
    it(`${name} --help is English under LANG=C`, async () => {
      const r = await runCli([...path, '--help'], ENGLISH);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: /);
      expect(r.stdout).toContain('Options:');
      expect(r.stdout).toContain('display help for command');
      expect(hanLeft(r.stdout), r.stdout).toEqual([]);
    });
  }

  it('--lang wins over the locale, in both directions', async () => {
    expect((await runCli(['validate', '--help', '--lang', 'en'], CHINESE)).stdout).toMatch(/^Usage: jiexu validate \[options\]/);
    expect((await runCli(['--lang=zh', 'convert', '--help'], ENGLISH)).stdout).toMatch(/^用法： jiexu convert \[选项\] <input>/);
    expect((await runCli(['help', 'assess'], CHINESE)).stdout).toMatch(/^用法： jiexu assess/);
  });

  it('refuses --lang other than zh or en with exit 2, in the locale language', async () => {
    const zh = await runCli(['validate', '--lang', 'fr', 'x.json'], CHINESE);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('jiexu: --lang 只能是 zh 或 en，而不是 "fr"\n');
    const en = await runCli(['--lang', 'fr'], ENGLISH);
    expect(en.stderr).toBe('jiexu: --lang must be zh or en, got "fr"\n');
  });
});

describe("commander's errors", () => {
  const cases: Array<[string[], string, string]> = [
    [['convert', 'x.jsonl', '-o', 'y'], "错误：未给出必需的选项 '--to <format>'", "error: required option '--to <format>' not specified"],
    [['validate', '--bogus', 'x'], "错误：未知选项 '--bogus'", "error: unknown option '--bogus'"],
    [['validate'], "错误：缺少必需的参数 'files'", "error: missing required argument 'files'"],
    [['formats', 'extra'], "错误：命令 'formats' 的参数过多：应为 0 个，实际为 1 个。", "error: too many arguments for 'formats'. Expected 0 arguments but got 1."],
    [['convert', 'x', '--to'], "错误：选项 '--to <format>' 缺少取值", "error: option '--to <format>' argument missing"],
    [['nonsense'], "错误：未知命令 'nonsense'", "error: unknown command 'nonsense'"],
  ];
  for (const [args, zh, en] of cases) {
    it(`jiexu ${args.join(' ')}: exit 2, "${en}" in Chinese`, async () => {
      const z = await runCli(args, CHINESE);
      expect(z.code).toBe(2);
      expect(z.stderr).toBe(`${zh}\n（加 --help 查看用法）\n`);
      const e = await runCli(args, ENGLISH);
      expect(e.code).toBe(2);
      expect(e.stderr).toBe(`${en}\n(run with --help for usage)\n`);
    });
  }
  it('translates the suggestions, conflicts and invalid values commander may add', () => {
    expect(translateCommanderError("error: unknown option '--jsn'\n(Did you mean --json?)\n")).toBe("错误：未知选项 '--jsn'\n（是否要用 --json？）\n");
    expect(translateCommanderError("error: option '--a' cannot be used with environment variable 'B'")).toBe("错误：选项 '--a' 不能与 环境变量 'B' 同时使用");
    expect(translateCommanderError("error: option '--m <m>' argument 'x' is invalid. Allowed choices are a, b.")).toBe("错误：选项 '--m <m>' 的取值 'x' 无效。可选值：a, b。");
  });
});
