/**
 * The `yibao` command line. Each feature module exports `registerXCommands(program, getContext)`; this file only
 * wires them together, parses global options and maps errors to exit codes (see EXIT).
 */
import { existsSync } from 'node:fs';
import { type Command, CommanderError } from 'commander';
import { DrgPackError } from '../grouping/drg/pack-error.ts';
import { IngestFileError } from '../ingest/errors.ts';
import { DipError } from '../payment/dip/errors.ts';
import { PolicyError } from '../policy/errors.ts';
import { SettlementError } from '../settlement/errors.ts';
import { StoreError } from '../store/errors.ts';
import { checkStoreLocation } from '../store/location.ts';
import { type CliContext, CliError, EXIT, fileSystemErrorText } from './context.ts';
import GLOBAL_OPTIONS_FILE from './global-options.json' with { type: 'json' };
import { YibaoCommand } from './usage-errors.ts';

export type GetContext = () => CliContext;

type Register = (program: Command, getContext: GetContext) => void;

/**
 * The feature modules, in the order their commands are listed, each with the top-level commands it registers.
 * A module is loaded only when its command is run (or for the full help): loading all of them (DuckDB, exceljs,
 * Hono, every engine) costs about a second of CPU, which a command such as `drg group` should not pay.
 * `main.test.ts` checks that every registered command is listed here.
 */
export const COMMAND_MODULES: readonly { commands: readonly string[]; load: () => Promise<Register> }[] = [
  { commands: ['policy'], load: async () => (await import('./policy-commands.ts')).registerPolicyCommands },
  { commands: ['init'], load: async () => (await import('./init-command.ts')).registerInitCommand },
  { commands: ['ingest', 'qc'], load: async () => (await import('./ingest-commands.ts')).registerIngestCommands },
  { commands: ['codes'], load: async () => (await import('./codes-commands.ts')).registerCodesCommands },
  { commands: ['runs'], load: async () => (await import('./runs-command.ts')).registerRunsCommands },
  { commands: ['synth'], load: async () => (await import('./synth-commands.ts')).registerSynthCommands },
  { commands: ['dip'], load: async () => (await import('./dip-commands.ts')).registerDipCommands },
  { commands: ['drg'], load: async () => (await import('./drg-commands.ts')).registerDrgCommands },
  // `drg weights …` under the drg command.
  { commands: ['drg'], load: async () => (await import('./drg-weights-command.ts')).registerDrgWeightsCommands },
  { commands: ['settle'], load: async () => (await import('./settle-command.ts')).registerSettleCommand },
  { commands: ['demo'], load: async () => (await import('./demo-command.ts')).registerDemoCommand },
  { commands: ['explain'], load: async () => (await import('./explain-commands.ts')).registerExplainCommands },
  {
    commands: ['estimate', 'hospital'],
    load: async () => (await import('./hospital-commands.ts')).registerHospitalCommands,
  },
  { commands: ['community'], load: async () => (await import('./community-commands.ts')).registerCommunityCommands },
  // `monitor` also adds `explain flag` to the explain command.
  {
    commands: ['monitor', 'explain'],
    load: async () => (await import('./monitor-commands.ts')).registerMonitorCommands,
  },
  { commands: ['serve'], load: async () => (await import('./serve-command.ts')).registerServeCommand },
  { commands: ['store'], load: async () => (await import('./store-commands.ts')).registerStoreCommands },
];

/** A global option of every command (global-options.json, which bin/yibao.js reads too). */
interface GlobalOption {
  flags: string;
  description: string;
  /** Environment variable giving the default. */
  env?: string;
  default?: string | boolean;
}

export const GLOBAL_OPTIONS: readonly GlobalOption[] = GLOBAL_OPTIONS_FILE.options;

/** The global options that take a value (`--db <path>`): the command word is the first argument that is neither. */
export const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(
  GLOBAL_OPTIONS.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ')[0]!),
);

/** The command word of `argv` (node, script, …), or undefined (help, a bare option). */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) return a;
    if (GLOBAL_VALUE_OPTIONS.has(a)) i++;
  }
  return undefined;
}

/** The program with the modules `argv`'s command needs (all of them for help, an unknown or no command). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new YibaoCommand('yibao').description(
    'yibao 医保：多元复合式医保支付引擎 / multi-method compound medical-insurance payment engine',
  );
  for (const o of GLOBAL_OPTIONS) program.option(o.flags, o.description, (o.env && process.env[o.env]) || o.default);
  // Usage errors are one sentence in the user's language with an example and where the help is (usage-errors.ts).
  program.exitOverride();
  const getContext: GetContext = () => {
    const o = program.opts<{ db: string; store?: string; json: boolean; lang: string }>();
    // A misspelt scheme (clickhous://x, mysql://h/db) is said so, not looked for as a DuckDB file.
    checkStoreLocation(o.store ?? o.db);
    return { db: o.store ?? o.db, json: o.json, lang: o.lang === 'en' ? 'en' : 'zh' };
  };
  // Feature modules register their commands (COMMAND_MODULES: one line each).
  const word = commandWord(argv);
  const needed = COMMAND_MODULES.filter((m) => word !== undefined && m.commands.includes(word));
  for (const m of needed.length > 0 ? needed : COMMAND_MODULES) (await m.load())(program, getContext);
  return program;
}

/**
 * The process umask for a `--share-mode`: files holding personal data (the store, statements, rejects) are
 * created with at most `mode`; folders get the search bit where `mode` grants reading.
 */
export function umaskFor(mode: string): number {
  if (!/^0?[0-7]{3}$/.test(mode)) {
    throw new CliError(
      `--share-mode 应为八进制权限如 0600 或 0640，而不是 "${mode}" / --share-mode must be an octal mode such as 0600 or 0640, not "${mode}"`,
      EXIT.usage,
    );
  }
  const m = Number.parseInt(mode, 8);
  return ~(m | ((m & 0o444) >> 2)) & 0o777;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  let previousUmask: number | undefined;
  program.hook('preAction', () => {
    const mode = program.opts<{ shareMode: string }>().shareMode;
    const mask = umaskFor(mode);
    try {
      previousUmask = process.umask(mask);
    } catch {
      // worker threads cannot set the umask; the files keep the process default there
    }
  });
  const lang = () => (program.opts<{ lang?: string }>().lang === 'en' ? 'en' : 'zh');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    // Every failure the user caused (a path, a permission, a lock, a file that is not what it should be) is one
    // sentence and exit 3; only what is left is an internal error (exit 70, a bug).
    if (e instanceof StoreError || e instanceof IngestFileError) {
      process.stderr.write(`${e.text(lang())}\n`);
      return EXIT.badInput;
    }
    const fsText = fileSystemErrorText(e, lang());
    if (fsText) {
      process.stderr.write(`${fsText}\n`);
      return EXIT.badInput;
    }
    if (e instanceof PolicyError) {
      process.stderr.write(`${localMessage(e, lang())}\n`);
      return EXIT.badInput;
    }
    // Engine errors about the user's data or request (an unknown case, an institution not in the pool, a catalog
    // that cannot be calibrated) are reported in the user's words, not as internal errors.
    if (e instanceof DipError || e instanceof SettlementError || e instanceof DrgPackError) {
      process.stderr.write(`${localMessage(e, lang())}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  } finally {
    if (previousUmask !== undefined) process.umask(previousUmask);
  }
}

/** An error that carries its text in both languages, in the language asked for (--lang), with its place. */
export function localMessage(e: PolicyError | DipError | SettlementError | DrgPackError, lang: 'zh' | 'en'): string {
  if (e instanceof PolicyError) return policyMessage(e, lang);
  const text = lang === 'en' ? e.en : e.zh;
  if (e instanceof DrgPackError) return `${e.file}${e.where ? `: ${e.where}` : ''}: ${text}`;
  return `${e.subject ? `${e.subject}: ` : ''}${text}`;
}

/**
 * A policy file's errors as `policy check` lists them: every error of the file (a command that loads the policy
 * stopped on the first and hid the rest — walk2 #7), each with its valid example or the file's own lines, then how
 * to check the file again.
 */
function policyMessage(e: PolicyError, lang: 'zh' | 'en'): string {
  const indent = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
  const one = (x: PolicyError): string => {
    const text = lang === 'en' ? x.en : x.zh;
    // A syntax error: the file's own lines show it (the line is in the text), not a generic example.
    if (x.context) return `${x.file}: ${text}\n${x.context.replace(/^/gm, '  ')}`;
    const example = x.example ? `\n  ${lang === 'en' ? 'valid example:' : '正确示例：'}\n${indent(x.example)}` : '';
    // A policy that is missing has no file: its placeholder "(kind @ region)" would only repeat the sentence.
    const where = x.code === 'POLICY_NOT_FOUND' ? '' : `${x.file}: `;
    return `${where}${x.field ? `${x.field}: ` : ''}${text}${example}`;
  };
  const all = e.all;
  const lines = all.map(one);
  if (existsSync(e.file)) {
    const n = all.length;
    lines.push(
      lang === 'en'
        ? `${n === 1 ? '1 error' : `${n} errors`} in this file; after correcting it, check it with: yibao policy check ${e.file}`
        : `此文件共 ${n} 处错误；改正后可先检查：yibao policy check ${e.file}`,
    );
  }
  return lines.join('\n');
}
