/**
 * The `yibao` command line. Each feature module exports `registerXCommands(program, getContext)`; this file only
 * wires them together, parses global options and maps errors to exit codes (see EXIT).
 */
import { Command, CommanderError } from 'commander';
import { DipError } from '../dip/errors.ts';
import { DrgPackError } from '../grouping/drg/pack-error.ts';
import { PolicyError } from '../policy/errors.ts';
import { SettlementError } from '../settlement/errors.ts';
import { registerCodesCommands } from './codes-commands.ts';
import { registerCommunityCommands } from './community-commands.ts';
import { type CliContext, CliError, EXIT } from './context.ts';
import { registerDemoCommand } from './demo-command.ts';
import { registerDipCommands } from './dip-commands.ts';
import { registerDrgCommands } from './drg-commands.ts';
import { registerDrgWeightsCommands } from './drg-weights-command.ts';
import { registerExplainCommands } from './explain-commands.ts';
import { registerHospitalCommands } from './hospital-commands.ts';
import { registerIngestCommands } from './ingest-commands.ts';
import { registerInitCommand } from './init-command.ts';
import { registerPolicyCommands } from './policy-commands.ts';
import { registerRunsCommands } from './runs-command.ts';
import { registerSettleCommand } from './settle-command.ts';
import { registerSynthCommands } from './synth-commands.ts';

export type GetContext = () => CliContext;

export function buildProgram(): Command {
  const program = new Command('yibao')
    .description('yibao 医保: 多元复合式医保支付引擎 / multi-method compound medical-insurance payment engine')
    .option('--db <path>', '嵌入式存储 DuckDB 文件 / embedded DuckDB store file', 'data/yibao.duckdb')
    .option('--json', '输出 JSON / print JSON', false)
    .option('--lang <lang>', '界面语言 zh|en / language of messages', process.env.YIBAO_LANG ?? 'zh')
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
  // </register-commands>
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
    if (e instanceof PolicyError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.badInput;
    }
    // Engine errors about the user's data or request (an unknown case, an institution not in the pool, a catalog
    // that cannot be calibrated) are reported in the user's words, not as internal errors.
    if (e instanceof DipError || e instanceof SettlementError || e instanceof DrgPackError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}
