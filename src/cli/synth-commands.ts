/** `yibao synth`: generate a synthetic pooling region (合成统筹区数据). */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DEFAULT_YEARS, type GenerateProgress, generateRegion, MAX_CASES } from '../synth/generate.ts';
import { CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

interface SynthFlags {
  out: string;
  cases: string;
  seed: string;
  years: string;
  format: string;
  encoding: string;
  feeItems: boolean;
  badRows: string;
  misbehaviour: boolean;
  workers?: string;
}

/** "2022-2025", "2024" or "2021,2023,2025" → ascending years. */
export function parseYears(text: string): number[] {
  const range = /^(\d{4})\s*-\s*(\d{4})$/.exec(text.trim());
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) throw new RangeError(`years: ${text}: the end is before the start`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const list = text.split(',').map((s) => s.trim());
  if (list.every((s) => /^\d{4}$/.test(s))) return list.map(Number);
  throw new RangeError(`years: "${text}" is not a range like 2022-2025 or a list like 2023,2025`);
}

function parseCount(text: string): number {
  const clean = text.replaceAll('_', '').trim();
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(clean);
  if (!m) throw new RangeError(`cases: "${text}" is not a number (e.g. 100000, 100k, 1m)`);
  const scale = m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(m[1]) * scale);
}

const PHASES: Record<GenerateProgress['phase'], [string, string]> = {
  cases: ['生成病例', 'cases'],
  persons: ['参保人', 'persons'],
  enrolments: ['门特登记', 'enrolments'],
  parquet: ['写 Parquet', 'writing Parquet'],
  hash: ['校验和', 'hashing'],
};

export function registerSynthCommands(program: Command, getContext: GetContext): void {
  program
    .command('synth')
    .description(
      '生成合成统筹区（机构、参保人、历年住院病例、门特登记、注入问题与真值）/ generate a synthetic pooling region',
    )
    .option('--out <dir>', '输出目录 / output folder', 'data/synth')
    .option('--cases <n>', `病例总数（各年合计，≤ ${MAX_CASES}）/ cases over all years (100k, 1m …)`, '100000')
    .option('--seed <seed>', '随机种子：同一种子生成逐字节相同的数据 / seed: same seed, same bytes', '2025')
    .option(
      '--years <years>',
      '年度，末年为当前清算年 / years, the last is the current year',
      `${DEFAULT_YEARS[0]}-${DEFAULT_YEARS[DEFAULT_YEARS.length - 1]}`,
    )
    .option('--format <format>', '病例文件格式 parquet|csv / case file format', 'parquet')
    .option('--encoding <encoding>', 'CSV 编码 utf-8|gbk / encoding of CSV files', 'utf-8')
    .option('--fee-items', '生成费用明细 / write fee line items', false)
    .option('--bad-rows <rate>', '注入问题行比例，如 0.01 / share of injected bad rows', '0')
    .option('--misbehaviour', '注入违规行为（高套、分解住院、低标入院、转嫁费用）/ inject misbehaviour', false)
    .option('--workers <n>', '生成线程数（默认为 CPU 核数；不影响数据）/ worker threads (default: cores; same data)')
    .action(async (flags: SynthFlags) => {
      const ctx = getContext();
      let years: number[];
      let cases: number;
      const format = flags.format.toLowerCase();
      const encoding = flags.encoding.toLowerCase().replace('utf8', 'utf-8');
      const badRowRate = Number(flags.badRows);
      const workers = flags.workers === undefined ? undefined : Number(flags.workers);
      try {
        if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64))
          throw new RangeError(`workers: an integer from 1 to 64, got "${flags.workers}"`);
        years = parseYears(flags.years);
        cases = parseCount(flags.cases);
        if (format !== 'parquet' && format !== 'csv')
          throw new RangeError(`format: parquet or csv, got "${flags.format}"`);
        if (encoding !== 'utf-8' && encoding !== 'gbk')
          throw new RangeError(`encoding: utf-8 or gbk, got "${flags.encoding}"`);
        if (!Number.isFinite(badRowRate)) throw new RangeError(`bad-rows: "${flags.badRows}" is not a number`);
      } catch (e) {
        throw new CliError(`${t(ctx, '参数错误：', 'invalid option: ')}${(e as Error).message}`, EXIT.usage);
      }

      const showBar = !ctx.json && process.stderr.isTTY === true;
      const bar = showBar
        ? new cliProgress.SingleBar(
            { format: ' {phase} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}', hideCursor: true },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(cases, 0, { phase: t(ctx, PHASES.cases[0], PHASES.cases[1]) });
      const started = Date.now();
      let manifest: Awaited<ReturnType<typeof generateRegion>>;
      try {
        manifest = await generateRegion({
          out: flags.out,
          cases,
          seed: flags.seed,
          years,
          format,
          encoding,
          feeItems: flags.feeItems,
          badRowRate,
          misbehaviour: flags.misbehaviour,
          ...(workers === undefined ? {} : { workers }),
          onProgress: (p) => bar?.update(p.done, { phase: t(ctx, PHASES[p.phase][0], PHASES[p.phase][1]) }),
        });
      } catch (e) {
        bar?.stop();
        if (e instanceof RangeError)
          throw new CliError(`${t(ctx, '参数错误：', 'invalid option: ')}${e.message}`, EXIT.usage);
        if (e instanceof Error && /not empty|not a folder/.test(e.message)) {
          throw new CliError(`${t(ctx, '输出目录不可用：', 'output folder unusable: ')}${e.message}`, EXIT.badInput);
        }
        throw e;
      }
      bar?.stop();
      const seconds = (Date.now() - started) / 1000;
      if (ctx.json) {
        process.stdout.write(`${JSON.stringify({ ok: true, out: flags.out, seconds, manifest }, null, 2)}\n`);
        return;
      }
      const c = manifest.counts;
      const lines = [
        t(
          ctx,
          `✓ 已生成合成统筹区 ${manifest.region.name}（种子 ${manifest.seed}）→ ${flags.out}，用时 ${seconds.toFixed(1)} 秒`,
          `✓ Synthetic region ${manifest.region.name} (seed ${manifest.seed}) → ${flags.out} in ${seconds.toFixed(1)} s`,
        ),
        t(
          ctx,
          `  住院病例 ${c.cases}（${Object.entries(c.casesByYear)
            .map(([y, n]) => `${y}: ${n}`)
            .join('，')}），当前年度 ${manifest.currentYear}`,
          `  cases ${c.cases} (${Object.entries(c.casesByYear)
            .map(([y, n]) => `${y}: ${n}`)
            .join(', ')}), current year ${manifest.currentYear}`,
        ),
        t(
          ctx,
          `  机构 ${c.institutions}，医共体 ${manifest.region.communities.length}，参保人 ${c.persons}，门特登记 ${c.enrolments}，死亡 ${c.deaths}`,
          `  institutions ${c.institutions}, communities ${manifest.region.communities.length}, persons ${c.persons}, enrolments ${c.enrolments}, deaths ${c.deaths}`,
        ),
      ];
      if (manifest.feeItems) lines.push(t(ctx, `  费用明细 ${c.feeItems} 行`, `  fee items ${c.feeItems}`));
      if (c.badRows > 0 || manifest.misbehaviour) {
        lines.push(
          t(
            ctx,
            `  注入问题行 ${c.badRows}，违规病例 ${c.misbehaviourCases}（真值见 truth.csv）`,
            `  bad rows ${c.badRows}, misbehaviour cases ${c.misbehaviourCases} (ground truth in truth.csv)`,
          ),
        );
      }
      lines.push(t(ctx, `  文件清单与校验和：manifest.json`, `  files and checksums: manifest.json`));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
