/**
 * Usage errors (a required option or argument missing, an unknown option or command) in the user's language.
 * Commander writes them in English ("error: required option '--published <dir>' not specified") and then the whole
 * bilingual help; a zh user read English and lost the one line that mattered above a screen of options. Every
 * command is a `YibaoCommand`, whose `error()` (commander's public hook for all of these) says what is wrong in
 * zh or en (--lang), names the option with what it is, shows a complete example call (every required option and
 * argument of the command, with example values from USAGE_EXAMPLES) and where the full help is.
 */
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, type Option } from 'commander';

/** The examples folder shipped with yibao (published parameter folders, a scheme workbook). */
const SHIPPED_EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/**
 * A path below the shipped examples folder as a user can type it where they stand: relative when they run inside
 * yibao's own folder (`examples/hospital/dip`), else the full path — a user's own folder has no `examples/`.
 */
export function shippedExample(rel: string, cwd = process.cwd()): string {
  const full = join(SHIPPED_EXAMPLES, rel);
  const fromCwd = relative(cwd, full);
  const path = fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : full;
  return /\s/.test(path) ? `"${path}"` : path;
}

/**
 * Example values of required options and arguments, by `command path + flag` (e.g. `drg group --out`) where the
 * same flag means different things in different commands, else by flag or argument name. A name missing here is
 * shown by its placeholder (`<dir>`). A folder the user cannot be expected to have is one shipped with yibao,
 * by a path that works from any folder (a function: the path depends on where the user runs).
 */
export const USAGE_EXAMPLES: Readonly<Record<string, string | (() => string)>> = {
  '--year': '2025',
  '--region': 'city01',
  '--published': () => shippedExample('hospital/dip'),
  '--in': 'cases.csv',
  '--kind': 'icd10',
  '--pack': 'chs-drg-2.0',
  '--dx': 'K35.800',
  '--reason': '已核实',
  '--base-rate': '12000',
  'drg group --out': 'results.csv',
  'drg import --from': () => shippedExample('drg-scheme-workbook'),
  'drg import --out': 'pack.json',
  'drg export --out': 'scheme.xlsx',
  'drg compare --from': 'chs-drg-1.1',
  'drg compare --to': 'chs-drg-2.0',
  'drg compare --out': 'changes.csv',
  'drg weights import --out': 'policies',
  'hospital settle --out': 'out/hospital',
  'hospital reconcile --in': 'out/hospital/hospital-cases.csv',
  'monitor deductions --out': 'deductions.csv',
  'store push --to': 'chdb://data/chdb',
  'ingest file': 'cases.csv',
  'qc file': 'cases.csv',
  'codes import file': 'icd10.csv',
  region: 'city01',
  paths: 'policies',
  setl_id: 'S2025001',
  setlId: 'S2025001',
  institution: 'H1',
  flagId: 'F1',
  file: 'weights.csv',
};

/** The command's path below the program, e.g. `drg group`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/** The user's language, from the program's --lang (parsed before a subcommand's options are checked). */
function langOf(cmd: Command): 'zh' | 'en' {
  return rootOf(cmd).opts<{ lang?: string }>().lang === 'en' ? 'en' : 'zh';
}

/**
 * Where a help text `中文 / English` turns English: the last ` / `, or `）/ ` after a full-width bracket (a zh part
 * that ends in （…） is written without a space before the slash). A slash inside a word (CSV/XLSX) is not one.
 */
const LANG_SEPARATOR = /(?:\s|(?<=[）)]))\/\s/g;

/** A help text `中文 / English` in one language, up to its first parenthesis or colon. */
export function describeIn(description: string, lang: 'zh' | 'en'): string {
  const last = [...description.matchAll(LANG_SEPARATOR)].at(-1);
  if (last?.index === undefined) return /\p{Script=Han}/u.test(description) === (lang === 'zh') ? description : '';
  const cut = last.index;
  const part = lang === 'zh' ? description.slice(0, cut) : description.slice(cut + last[0].length);
  const short = part.split(lang === 'zh' ? /[（：(]/ : / \(|: /)[0]!.trim();
  return short || part.trim();
}

function exampleOf(path: string, name: string, placeholder: string): string {
  const example = USAGE_EXAMPLES[`${path} ${name}`] ?? USAGE_EXAMPLES[name] ?? placeholder;
  return typeof example === 'function' ? example() : example;
}

/** A complete call of `cmd`: its required arguments and required options, with example values. */
export function exampleCall(cmd: Command): string {
  const path = commandPath(cmd);
  const args = cmd.registeredArguments.filter((a) => a.required).map((a) => exampleOf(path, a.name(), `<${a.name()}>`));
  const options = cmd.options
    .filter((o) => o.mandatory && o.long)
    .map((o) => `${o.long} ${exampleOf(path, o.long!, o.flags.split(' ')[1] ?? '')}`.trim());
  return ['yibao', path, ...args, ...options].filter((s) => s !== '').join(' ');
}

function optionByFlags(cmd: Command, flags: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.options.find((x) => x.flags === flags || x.long === flags || x.short === flags);
    if (o) return o;
  }
  return undefined;
}

/** The first quoted token of commander's message (`'--published <dir>'`), and a "did you mean" candidate. */
function quoted(message: string): { first: string; suggestion?: string } {
  const first = /'([^']*)'/.exec(message)?.[1] ?? '';
  const suggestion = /Did you mean (?:one of )?([^?]+)\?/.exec(message)?.[1]?.trim();
  return suggestion ? { first, suggestion } : { first };
}

/**
 * The message of a commander usage error in `lang`, or undefined for one we do not know (its English text is
 * then kept). `code` is commander's error code.
 */
export function usageErrorText(cmd: Command, code: string, message: string, lang: 'zh' | 'en'): string | undefined {
  const zh = lang === 'zh';
  const path = commandPath(cmd);
  const { first, suggestion } = quoted(message);
  const what = (flags: string) => {
    const o = optionByFlags(cmd, flags);
    const d = o ? describeIn(o.description, lang) : '';
    const name = o?.long ?? flags.split(' ')[0]!;
    return d ? (zh ? `${name}（${d}）` : `${name} (${d})`) : name;
  };
  const example = () => (zh ? `例如：${exampleCall(cmd)}` : `for example: ${exampleCall(cmd)}`);
  const help = zh
    ? `全部选项：yibao ${path ? `${path} ` : ''}--help`
    : `all options: yibao ${path ? `${path} ` : ''}--help`;
  const didYouMean = suggestion ? (zh ? `（是否想用 ${suggestion}？）` : ` (did you mean ${suggestion}?)`) : '';
  let head: string;
  switch (code) {
    case 'commander.missingMandatoryOptionValue':
      head = zh ? `缺少必需的选项 ${what(first)}` : `missing required option ${what(first)}`;
      return [head, example(), help].join('\n');
    case 'commander.optionMissingArgument':
      head = zh ? `选项 ${what(first)} 缺少取值` : `option ${what(first)} needs a value`;
      return [head, example(), help].join('\n');
    case 'commander.missingArgument': {
      const arg = cmd.registeredArguments.find((a) => a.name() === first.replace(/\.\.\.$/, ''));
      const d = arg ? describeIn(arg.description, lang) : '';
      const name = `<${first}>`;
      head = zh ? `缺少参数 ${name}${d ? `（${d}）` : ''}` : `missing argument ${name}${d ? ` (${d})` : ''}`;
      return [head, example(), help].join('\n');
    }
    case 'commander.unknownOption':
      head = zh ? `未知选项 ${first}${didYouMean}` : `unknown option ${first}${didYouMean}`;
      return [head, help].join('\n');
    case 'commander.unknownCommand':
      head = zh
        ? `未知命令 ${path ? `${path} ` : ''}${first}${didYouMean}`
        : `unknown command ${path ? `${path} ` : ''}${first}${didYouMean}`;
      return [head, help].join('\n');
    case 'commander.excessArguments': {
      const n = cmd.registeredArguments.length;
      head = zh
        ? `yibao ${path} 多了参数：它接受 ${n} 个参数（${cmd.args.join(' ')}）；选项请以 -- 开头`
        : `too many arguments for yibao ${path}: it takes ${n} (got ${cmd.args.join(' ')}); options start with --`;
      return [head, example(), help].join('\n');
    }
    case 'commander.invalidArgument':
      head = zh ? `选项 ${what(first)} 的取值无效` : `invalid value for option ${what(first)}`;
      return [head, help].join('\n');
    case 'commander.conflictingOption': {
      const second = /'[^']*'[^']*'([^']*)'/.exec(message)?.[1] ?? '';
      head = zh ? `选项 ${first} 不能与 ${second} 同用` : `option ${first} cannot be used with ${second}`;
      return [head, help].join('\n');
    }
    default:
      return undefined;
  }
}

/**
 * A commander command whose usage errors are in the user's language (usageErrorText), instead of commander's
 * English line followed by the whole help. Subcommands made with `.command()` are YibaoCommands too.
 */
export class YibaoCommand extends Command {
  override createCommand(name?: string): Command {
    return new YibaoCommand(name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    const text = usageErrorText(this, errorOptions?.code ?? '', message, langOf(this));
    return super.error(text ?? message, errorOptions);
  }
}
