/**
 * The `yibao` command line. Each feature module exports `registerXCommands(program, getContext)`; this file only
 * wires them together, parses global options and maps errors to exit codes (see EXIT).
 */
import { Command, CommanderError } from 'commander';
import { DrgPackError } from '../grouping/drg/pack-error.ts';
import { IngestFileError } from '../ingest/errors.ts';
import { DipError } from '../payment/dip/errors.ts';
import { PolicyError } from '../policy/errors.ts';
import { SettlementError } from '../settlement/errors.ts';
import { StoreError } from '../store/errors.ts';
import { registerCodesCommands } from './codes-commands.ts';
import { registerCommunityCommands } from './community-commands.ts';
import { type CliContext, CliError, EXIT, fileSystemErrorText } from './context.ts';
import { registerDemoCommand } from './demo-command.ts';
import { registerDipCommands } from './dip-commands.ts';
import { registerDrgCommands } from './drg-commands.ts';
import { registerDrgWeightsCommands } from './drg-weights-command.ts';
import { registerExplainCommands } from './explain-commands.ts';
import { registerHospitalCommands } from './hospital-commands.ts';
import { registerIngestCommands } from './ingest-commands.ts';
import { registerInitCommand } from './init-command.ts';
import { registerMonitorCommands } from './monitor-commands.ts';
import { registerPolicyCommands } from './policy-commands.ts';
import { registerRunsCommands } from './runs-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerSettleCommand } from './settle-command.ts';
import { registerSynthCommands } from './synth-commands.ts';

export type GetContext = () => CliContext;

export function buildProgram(): Command {
  const program = new Command('yibao')
    .description('yibao 医保: 多元复合式医保支付引擎 / multi-method compound medical-insurance payment engine')
    .option('--db <path>', '嵌入式存储 DuckDB 文件 / embedded DuckDB store file', 'data/yibao.duckdb')
    .option('--json', '输出 JSON / print JSON', false)
    .option('--lang <lang>', '界面语言 zh|en / language of messages', process.env.YIBAO_LANG ?? 'zh')
    .option(
      '--share-mode <mode>',
      '新建文件的权限（默认 0600 仅本人可读写；如 0640 同组可读）/ mode of files created (default 0600; e.g. 0640 to share with the group)',
      process.env.YIBAO_SHARE_MODE ?? '0600',
    )
    .exitOverride()
    .showHelpAfterError();
  const getContext: GetContext = () => {
    const o = program.opts<{ db: string; json: boolean; lang: string }>();
    return { db: o.db, json: o.json, lang: o.lang === 'en' ? 'en' : 'zh' };
  };
  // Feature modules register their commands here (one line each).
  // <register-commands>
  registerPolicyCommands(program, getContext);
  registerInitCommand(program, getContext);
  registerIngestCommands(program, getContext);
  registerCodesCommands(program, getContext);
  registerRunsCommands(program, getContext);
  registerSynthCommands(program, getContext);
  registerDipCommands(program, getContext);
  registerDrgCommands(program, getContext);
  registerDrgWeightsCommands(program, getContext);
  registerSettleCommand(program, getContext);
  registerDemoCommand(program, getContext);
  registerExplainCommands(program, getContext);
  registerHospitalCommands(program, getContext);
  registerCommunityCommands(program, getContext);
  registerMonitorCommands(program, getContext);
  registerServeCommand(program, getContext);
  // </register-commands>
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
  const program = buildProgram();
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
  const text = lang === 'en' ? e.en : e.zh;
  if (e instanceof PolicyError) {
    const example = e.example
      ? `\n  ${lang === 'en' ? 'valid example' : '正确示例'}:\n${e.example
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}`
      : '';
    return `${e.file}: ${e.field ? `${e.field}: ` : ''}${text}${example}`;
  }
  if (e instanceof DrgPackError) return `${e.file}${e.where ? `: ${e.where}` : ''}: ${text}`;
  return `${e.subject ? `${e.subject}: ` : ''}${text}`;
}
