/**
 * Commander's own words in the user's language: the help's headings and usage
 * line, the help option and command, the version option, what an option's
 * default, choices and environment variable are called, and commander's error
 * messages (missing argument, unknown option, too many arguments, …). The
 * commands' own texts are in their modules; this is everything commander adds.
 */
import { Help, type Argument, type Command, type Option } from 'commander';
import { say, type Lang, type Text } from './lang.ts';

export const HELP_TEXT = {
  help: { zh: '显示命令帮助', en: 'display help for command' },
  helpCommand: { zh: '显示指定命令的帮助', en: 'display help for command' },
  version: { zh: '显示版本号', en: 'output the version number' },
  lang: { zh: '输出语言：zh（中文）或 en（英文）；不指定时按 LC_ALL、LC_MESSAGES、LANG 判断（zh_* 为中文）', en: 'language of the output: zh or en; without it, LC_ALL, LC_MESSAGES or LANG decides (zh_* gives Chinese)' },
  afterError: { zh: '（加 --help 查看用法）', en: '(run with --help for usage)' },
} satisfies Record<string, Text>;

/** The help headings commander passes to styleTitle, in Chinese. */
const TITLES_ZH: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Global Options:': '全局选项：',
};

/** Columns a string takes in a terminal: East Asian wide characters (汉字, full-width punctuation) take two. */
export function displayWidth(str: string): number {
  let width = 0;
  // eslint-disable-next-line no-control-regex
  for (const ch of str.replace(/\x1b\[[0-9;]*m/g, '')) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

/** What both languages change in commander's Help: the width of Chinese text, so columns line up. */
const anyHelp: Partial<Help> = { displayWidth };

const quoteAll = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join('、');

/** A Help that writes its headings, usage and the defaults of options in Chinese. */
const zhHelp: Partial<Help> = {
  ...anyHelp,
  styleTitle(title: string): string {
    return TITLES_ZH[title] ?? title;
  },
  commandUsage(this: Help, cmd: Command): string {
    return Help.prototype.commandUsage.call(this, cmd).replace('[options]', '[选项]').replace('[command]', '[命令]');
  },
  subcommandTerm(this: Help, cmd: Command): string {
    return Help.prototype.subcommandTerm.call(this, cmd).replace('[options]', '[选项]');
  },
  optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(`可选值：${quoteAll(option.argChoices)}`);
    const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
    if (option.defaultValue !== undefined && showDefault) extra.push(`默认值：${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`);
    if (option.presetArg !== undefined && option.optional) extra.push(`预设值：${JSON.stringify(option.presetArg)}`);
    if (option.envVar !== undefined) extra.push(`环境变量：${option.envVar}`);
    return extra.length ? `${option.description}${option.description ? ' ' : ''}（${extra.join('；')}）` : option.description;
  },
  argumentDescription(argument: Argument): string {
    const extra: string[] = [];
    if (argument.argChoices) extra.push(`可选值：${quoteAll(argument.argChoices)}`);
    if (argument.defaultValue !== undefined) extra.push(`默认值：${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`);
    return extra.length ? `${argument.description}${argument.description ? ' ' : ''}（${extra.join('；')}）` : argument.description;
  },
};

const optionName = (s: string) => s.replace(/^option '(.+)'$/, "选项 '$1'").replace(/^environment variable '(.+)'$/, "环境变量 '$1'");

/** Commander 14's error messages and their Chinese; each is tested (help.test.ts), so a commander upgrade that rewords one fails there. */
const ERRORS_ZH: Array<[RegExp, (...m: string[]) => string]> = [
  [/^error: missing required argument '(.+)'$/, (_, name) => `错误：缺少必需的参数 '${name}'`],
  [/^error: option '(.+)' argument missing$/, (_, flags) => `错误：选项 '${flags}' 缺少取值`],
  [/^error: required option '(.+)' not specified$/, (_, flags) => `错误：未给出必需的选项 '${flags}'`],
  [/^error: (.+) cannot be used with (.+)$/, (_, a, b) => `错误：${optionName(a)} 不能与 ${optionName(b)} 同时使用`],
  [/^error: unknown option '(.+)'$/, (_, flag) => `错误：未知选项 '${flag}'`],
  [/^error: unknown command '(.+)'$/, (_, name) => `错误：未知命令 '${name}'`],
  [/^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/, (_, cmd, expected, got) => `错误：${cmd ? `命令 '${cmd}' 的` : ''}参数过多：应为 ${expected} 个，实际为 ${got} 个。`],
  [/^error: option '(.+)' argument '(.*)' is invalid\.(?: (.*))?$/, (_, flags, value, why) => `错误：选项 '${flags}' 的取值 '${value}' 无效。${why ? reason(why) : ''}`],
  [/^error: command-argument value '(.*)' is invalid for argument '(.+)'\.(?: (.*))?$/, (_, value, name, why) => `错误：参数 '${name}' 的取值 '${value}' 无效。${why ? reason(why) : ''}`],
  [/^\(Did you mean one of (.+)\?\)$/, (_, names) => `（是否要用以下之一：${names}？）`],
  [/^\(Did you mean (.+)\?\)$/, (_, name) => `（是否要用 ${name}？）`],
];

function reason(why: string): string {
  const m = /^Allowed choices are (.+)\.$/.exec(why);
  return m ? `可选值：${m[1]}。` : why;
}

/** A commander error message in Chinese, line by line (a suggestion comes on its own line); unknown wording stays as it is. */
export function translateCommanderError(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [re, zh] of ERRORS_ZH) {
        const m = re.exec(line);
        if (m) return zh(...m);
      }
      return line;
    })
    .join('\n');
}

/**
 * Puts commander's own words in `lang` on the program; the subcommands created
 * after this inherit the help, the help option and command, the error output
 * and the hint after an error.
 */
export function localiseCommander(program: Command, lang: Lang): void {
  program.configureHelp(lang === 'zh' ? zhHelp : anyHelp);
  if (lang === 'zh') {
    program.configureOutput({ outputError: (str, write) => write(translateCommanderError(str)) });
  }
  program.helpOption('-h, --help', say(HELP_TEXT.help, lang));
  program.helpCommand(lang === 'zh' ? 'help [命令]' : 'help [command]', say(HELP_TEXT.helpCommand, lang));
  program.showHelpAfterError(say(HELP_TEXT.afterError, lang));
}

/** Every command of the tree, the program first. */
export function allCommands(program: Command): Command[] {
  return [program, ...program.commands.flatMap((c) => allCommands(c))];
}
