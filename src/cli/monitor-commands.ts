/**
 * `yibao monitor …` (智能监控, R-MON-1…4): the whole-year run and its flag queue (XLSX with numbers as numbers, and
 * JSON), one case at discharge (事中监督), review (confirm / dismiss with a reason), the confirmed flags as audit
 * deductions and the assessment coefficients for the next settlement run; and `yibao explain flag ID`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { fenToYuan, formatRatio, yuanToFen } from '../model/money.ts';
import { type MonitorBackend, monitorBackend } from '../monitor/adapters/backend.ts';
import { loadRuleBase } from '../monitor/adapters/knowledge-files.ts';
import { type MonitorRunResult, runMonitoring } from '../monitor/adapters/monitor-store.ts';
import { auditDeductions, deductionRefusal, type Review, scoreText } from '../monitor/assessment.ts';
import { checkCase, itemsBySetl, type Stage } from '../monitor/check-case.ts';
import { explainFlag } from '../monitor/explain.ts';
import { INDICATORS, indicatorShown, levelMean } from '../monitor/indicators.ts';
import { DECISION_LABEL, evidenceText, RESULT_LABEL, SEVERITY_LABEL } from '../monitor/labels.ts';
import type { RuleBase } from '../monitor/rule-base.ts';
import { type Flag, SEVERITY_ORDER } from '../monitor/types.ts';
import { PolicyError } from '../policy/errors.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { defaultPolicyDir, loadPolicyDir } from '../policy/registry.ts';
import { writeJson } from '../report/json.ts';
import { countOf } from '../report/labels.ts';
import { readableExplanationText } from '../report/readable-explanation.ts';
import { col, type Table } from '../report/table.ts';
import { writeXlsx } from '../report/xlsx.ts';
import { ClickHouseStore } from '../store/clickhouse/clickhouse-store.ts';
import { isClickHouseLocation } from '../store/clickhouse/client.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { storeMissing } from '../store/location.ts';
import { type CliContext, CliError, EXIT, errorText, inMemoryStoreError, noStoreError, t } from './context.ts';
import type { GetContext } from './main.ts';
import { deductionsFormat, writeDeductionFiles } from './monitor-deductions-file.ts';
import { regionFor } from './region.ts';
import { latestSettlementRun } from './settlement-run.ts';

interface BaseFlags {
  region?: string;
  policies: string;
}

/** The region of `--region`, else the only region of the policy folder, else demo (cli/region.ts). */
function regionOfFlags(f: BaseFlags, lang: 'zh' | 'en'): string {
  return regionFor(loadPolicyDir(f.policies, POLICY_KINDS), f.region, lang);
}

function ruleBase(f: BaseFlags, year: number, lang: 'zh' | 'en'): RuleBase {
  const policies = loadPolicyDir(f.policies, POLICY_KINDS);
  const region = regionFor(policies, f.region, lang);
  try {
    return loadRuleBase(policies, region, `${year}-12-31`);
  } catch (e) {
    // A missing or invalid policy file is reported in the user's language by the CLI (exit 3).
    if (e instanceof PolicyError) throw e;
    throw new CliError(errorText(e, lang), EXIT.badInput);
  }
}

function withBase(cmd: Command): Command {
  return cmd
    .option(
      '--region <code>',
      '统筹区（默认：政策文件目录中唯一的地区，否则 demo）/ pooling region (default: the only region of the policy folder, else demo)',
    )
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    );
}

const L = (ctx: CliContext, p: readonly [string, string]) => (ctx.lang === 'en' ? p[1] : p[0]);

/** The flag queue: most severe and largest first. */
function queueOrder(a: Flag, b: Flag): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    b.amount - a.amount ||
    (a.flagId < b.flagId ? -1 : a.flagId > b.flagId ? 1 : 0)
  );
}

function flagTable(
  ctx: CliContext,
  base: RuleBase,
  flags: readonly Flag[],
  reviews: ReadonlyMap<string, Review>,
): Table {
  const names = new Map(base.rules.map((r) => [r.id, ctx.lang === 'en' ? r.nameEn : r.name]));
  return {
    name: 'monitor-flags',
    zh: '疑点清单',
    en: 'Flags',
    columns: [
      col('flag_id', 'text', '疑点编号', 'flag id'),
      col('rule_id', 'text', '规则编号', 'rule'),
      col('rule_name', 'text', '规则名称', 'rule name'),
      col('result', 'text', '结果类型', 'result'),
      col('severity', 'text', '严重程度', 'severity'),
      col('institution', 'text', '机构', 'institution'),
      col('setl_id', 'text', '结算ID', 'settlement id'),
      col('period', 'text', '期间', 'period'),
      col('amount', 'money', '涉及金额（元）', 'amount at issue (yuan)'),
      col('evidence', 'text', '证据', 'evidence'),
      col('review', 'text', '复核结论', 'review'),
      col('reason', 'text', '复核理由', 'reason'),
    ],
    rows: [...flags].sort(queueOrder).map((f) => {
      const r = reviews.get(f.flagId);
      return {
        flag_id: f.flagId,
        rule_id: f.ruleId,
        rule_name: names.get(f.ruleId) ?? f.ruleId,
        result: L(ctx, RESULT_LABEL[f.result]),
        severity: L(ctx, SEVERITY_LABEL[f.severity]),
        institution: f.institutionCode,
        setl_id: f.setlId,
        period: f.period,
        amount: f.amount,
        evidence: evidenceText(f, ctx.lang),
        review: L(ctx, DECISION_LABEL[r?.decision ?? 'open']),
        reason: r?.reason ?? '',
      };
    }),
  };
}

function indicatorTable(ctx: CliContext, run: MonitorRunResult): Table {
  const num = (x: number | undefined) => (x === undefined ? null : Number(x.toFixed(6)));
  return {
    name: 'monitor-indicators',
    zh: '机构指标',
    en: 'Institution indicators',
    columns: [
      col('institution', 'text', '机构', 'institution'),
      col('indicator', 'text', '指标', 'indicator'),
      col('value', 'decimal', '本机构值', 'value'),
      col('level_mean', 'decimal', '同级平均水平（含本机构）', 'same-level average (institution included)'),
      col('peer_mean', 'decimal', '同级均值（不含本机构）', 'peer mean (other institutions)'),
      col('peer_sd', 'decimal', '同级标准差（不含本机构）', 'peer standard deviation (other institutions)'),
      col('peers', 'int', '同级其他机构数', 'other same-level institutions'),
      col('z', 'decimal', '偏离（标准差倍数）', 'deviation (z)'),
    ],
    rows: run.indicators.map((r) => ({
      institution: r.institutionCode,
      indicator: L(ctx, [INDICATORS[r.indicator].zh, INDICATORS[r.indicator].en]),
      value: num(indicatorShown(r.indicator, r.value)),
      level_mean: num(indicatorShown(r.indicator, levelMean(r))),
      peer_mean: num(indicatorShown(r.indicator, r.peerMean)),
      peer_sd: num(indicatorShown(r.indicator, r.peerSd)),
      peers: r.peers,
      z: num(r.z),
    })),
  };
}

function scoreTable(ctx: CliContext, run: MonitorRunResult): Table {
  return {
    name: 'monitor-scores',
    zh: '机构考核',
    en: 'Institution assessment',
    columns: [
      col('institution', 'text', '机构', 'institution'),
      col('cases', 'int', '病例数', 'cases'),
      col('violations', 'int', '违规疑点数', 'violation flags'),
      col('suspicious', 'int', '可疑疑点数', 'suspicious flags'),
      col('deviating', 'text', '偏离指标', 'deviating indicators'),
      col('score', 'decimal', '考核得分', 'score'),
      col('coefficient', 'decimal', '考核系数', 'assessment coefficient'),
    ],
    rows: run.scores.map((s) => ({
      institution: s.institutionCode,
      cases: s.cases,
      violations: s.violations,
      suspicious: s.suspicious,
      deviating: s.deviatingIndicators
        .map((d) => L(ctx, [INDICATORS[d as keyof typeof INDICATORS].zh, INDICATORS[d as keyof typeof INDICATORS].en]))
        .join(ctx.lang === 'en' ? ', ' : '、'),
      score: Number(scoreText(s.score)),
      coefficient: Number(formatRatio(s.coefficient, 4)),
    })),
  };
}

/** The store at --db / --store (DuckDB file or ClickHouse) and its monitoring back-end. */
async function openDb(ctx: CliContext): Promise<{ store: DuckDbStore | ClickHouseStore; m: MonitorBackend }> {
  // No store at --db: opening would create an empty one (a DuckDB file, a chDB folder) and find nothing to monitor.
  if (storeMissing(ctx.db))
    throw noStoreError(ctx, {
      zh: '智能监控读取已入库的结算清单，请先用 yibao ingest 导入（或运行 yibao demo）',
      en: 'Smart monitoring reads the ingested settlement lists: yibao ingest them (or run yibao demo) first',
    });
  // A store in memory starts empty: it monitored 0 cases and wrote an empty flag queue (exit 0).
  const inMemory = inMemoryStoreError(ctx);
  if (inMemory) throw inMemory;
  try {
    const store = isClickHouseLocation(ctx.db) ? await ClickHouseStore.open(ctx.db) : await DuckDbStore.open(ctx.db);
    return { store, m: monitorBackend(store) };
  } catch (e) {
    throw new CliError(errorText(e, ctx.lang), EXIT.badInput);
  }
}

function yearOf(text: string | undefined): number {
  const y = Number(text);
  if (!Number.isInteger(y) || y < 1900 || y > 2999) throw new CliError(`--year: ${text}`, EXIT.usage);
  return y;
}

/**
 * R-MON-1: 高权重病组病例占比 reads the case units of a settlement run (duckdb-indicators.ts); a year without one has the
 * indicator left out of 机构指标 and of the assessment, said rather than silent.
 */
export function noSettlementRunText(year: number, lang: 'zh' | 'en'): string {
  return lang === 'zh'
    ? `  ! ${year} 年度没有结算运行：机构指标不含高权重病组病例占比（它按结算运行的病例结果计算；先 yibao settle --year ${year}，或用 --settlement-run 指定）`
    : `  ! no settlement run for ${year}: the institution indicators leave out the high-weight group share (it is computed from a settlement run's case results; run yibao settle --year ${year} first, or name one with --settlement-run)`;
}

export function registerMonitorCommands(program: Command, getContext: GetContext): void {
  const monitor = program.command('monitor').description('智能监控：规则库、疑点、复核与考核 / smart monitoring');

  withBase(monitor.command('run'))
    .description(
      '全年全量审核，输出疑点清单（XLSX/JSON）、机构指标与考核系数 / whole-year monitoring run and flag queue',
    )
    .requiredOption('--year <yyyy>', '出院年度 / discharge year')
    .option('--out <dir>', '输出目录 / output folder', 'out/monitor')
    .option(
      '--settlement-run <id>',
      '所属结算运行（默认该年度最近一次）/ the settlement run these results belong to (default: the latest of the year)',
    )
    .action(async (f: BaseFlags & { year: string; out: string; settlementRun?: string }) => {
      const ctx = getContext();
      const year = yearOf(f.year);
      const base = ruleBase(f, year, ctx.lang);
      const region = regionOfFlags(f, ctx.lang);
      const { store, m } = await openDb(ctx);
      try {
        // tie the flags to the settlement run of the year: the one named, else the latest stored one (issue 9)
        const settlementRunId = f.settlementRun ?? (await latestSettlementRun(store, { region, year }))?.id;
        const run = await runMonitoring(store, base, {
          region,
          year,
          ...(settlementRunId ? { settlementRunId } : {}),
        });
        const reviews = await m.reviews();
        mkdirSync(f.out, { recursive: true });
        const tables = [flagTable(ctx, base, run.flags, reviews), indicatorTable(ctx, run), scoreTable(ctx, run)];
        const xlsx = join(f.out, `monitor-${year}.xlsx`);
        const json = join(f.out, `monitor-${year}.json`);
        await writeXlsx(xlsx, tables, ctx.lang);
        writeJson(json, {
          monitorRunId: run.monitorRunId,
          settlementRunId: run.settlementRunId,
          year,
          policy: { id: base.policyId, version: base.policyVersion },
          flags: [...run.flags].sort(queueOrder).map((x) => ({ ...x, review: reviews.get(x.flagId) ?? null })),
          // The same-level average with the institution in it beside the peers' mean (R-MON-1, 002 四(五)).
          indicators: run.indicators.map((r) => {
            const level = levelMean(r);
            return level === undefined ? r : { ...r, levelMean: level };
          }),
          scores: run.scores.map((s) => ({
            institutionCode: s.institutionCode,
            cases: s.cases,
            violations: s.violations,
            suspicious: s.suspicious,
            deviatingIndicators: s.deviatingIndicators,
            score: scoreText(s.score),
            coefficient: formatRatio(s.coefficient, 4),
          })),
        });
        if (ctx.json) {
          process.stdout.write(
            `${JSON.stringify({ monitorRunId: run.monitorRunId, cases: run.cases, flags: run.flags.length, files: [xlsx, json] })}\n`,
          );
          return;
        }
        const byRule = new Map<string, number>();
        for (const x of run.flags) byRule.set(x.ruleId, (byRule.get(x.ruleId) ?? 0) + 1);
        const lines = [
          t(
            ctx,
            `智能监控 ${year}：病例 ${run.cases}，疑点 ${run.flags.length}（运行 ${run.monitorRunId}）`,
            `smart monitoring ${year}: ${countOf(run.cases, 'case', 'cases')}, ${countOf(run.flags.length, 'flag', 'flags')} (run ${run.monitorRunId})`,
          ),
          ...base.rules
            .filter((r) => byRule.has(r.id))
            .map((r) => `  ${r.id} ${ctx.lang === 'en' ? r.nameEn : r.name}${t(ctx, '：', ': ')}${byRule.get(r.id)}`),
          ...(run.settlementRunId ? [] : [noSettlementRunText(year, ctx.lang)]),
          t(ctx, `疑点清单 ${xlsx}、${json}`, `flag queue ${xlsx}, ${json}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });

  withBase(monitor.command('check <setlId>'))
    .description('单病例出院时审核（事中监督提示）/ check one case at discharge')
    .option('--stage <stage>', '环节 before|during|after（默认全部）/ only rules of this stage')
    .action(async (setlId: string, f: BaseFlags & { stage?: string }) => {
      const ctx = getContext();
      if (f.stage && !['before', 'during', 'after'].includes(f.stage))
        throw new CliError(`--stage ${f.stage}`, EXIT.usage);
      const { store, m } = await openDb(ctx);
      try {
        const day = await m.caseDay(setlId);
        if (!day)
          throw new CliError(
            t(ctx, `没有结算ID为 ${setlId} 的病例`, `no case with settlement id ${setlId}`),
            EXIT.badInput,
          );
        const year = day.year;
        const base = ruleBase(f, year, ctx.lang);
        const found = [];
        for await (const batch of store.iterateCases({ from: day.day, to: day.day })) {
          found.push(...batch.filter((c) => c.setlId === setlId));
        }
        const c = found[0]!;
        const baselines = await m.baselines(base, year);
        const contexts = await m.caseContexts([c], baselines, await m.institutionFacts());
        const items = itemsBySetl(await store.readFeeItems([setlId])).get(setlId) ?? [];
        const t0 = performance.now();
        const flags = checkCase(
          base.rules,
          base.knowledge,
          { case: c, items, context: contexts.get(setlId)! },
          f.stage ? { stage: f.stage as Stage } : {},
        );
        const ms = performance.now() - t0;
        if (ctx.json) {
          process.stdout.write(`${JSON.stringify({ setlId, ms, flags }, null, 2)}\n`);
          return;
        }
        const names = new Map(base.rules.map((x) => [x.id, ctx.lang === 'en' ? x.nameEn : x.name]));
        const lines = [
          t(
            ctx,
            `病例 ${setlId}：${flags.length} 条提示（审核用时 ${ms.toFixed(2)} 毫秒）`,
            `case ${setlId}: ${countOf(flags.length, 'prompt', 'prompts')} (checked in ${ms.toFixed(2)} ms)`,
          ),
          ...flags.map(
            (x) =>
              `  [${L(ctx, RESULT_LABEL[x.result])}·${L(ctx, SEVERITY_LABEL[x.severity])}] ${x.ruleId} ${names.get(x.ruleId)} ${fenToYuan(x.amount)} — ${evidenceText(x, ctx.lang)}`,
          ),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });

  monitor
    .command('review <flagId>')
    .description('复核疑点：确认或排除，须填写理由 / confirm or dismiss a flag with a reason')
    .option('--confirm', '确认 / confirm', false)
    .option('--dismiss', '排除 / dismiss', false)
    .requiredOption('--reason <text>', '理由 / reason')
    .option('--reviewer <name>', '复核人 / reviewer', process.env.USER ?? 'reviewer')
    .option('--amount <yuan>', '扣款金额（元），默认为涉及金额 / amount to deduct (default: the amount at issue)')
    .action(
      async (
        flagId: string,
        f: { confirm: boolean; dismiss: boolean; reason: string; reviewer: string; amount?: string },
      ) => {
        const ctx = getContext();
        if (f.confirm === f.dismiss) {
          throw new CliError(
            t(ctx, '请选择 --confirm 或 --dismiss 之一', 'give exactly one of --confirm or --dismiss'),
            EXIT.usage,
          );
        }
        // The API's rule (at least 2 characters): "x" read "理由不能为空" though a reason was given (walk4 #19).
        if (f.reason.trim().length < 2)
          throw new CliError(
            t(
              ctx,
              `理由至少 2 个字符（--reason "${f.reason}"）：请写明确认或排除的依据`,
              `the reason needs at least 2 characters (--reason "${f.reason}"): say why the flag is confirmed or dismissed`,
            ),
            EXIT.usage,
          );
        if (f.dismiss && f.amount !== undefined)
          throw new CliError(
            t(
              ctx,
              '只有确认的疑点才有扣款金额：--amount 只与 --confirm 一起用',
              'only a confirmed flag has an amount to deduct: use --amount with --confirm',
            ),
            EXIT.usage,
          );
        const { store, m } = await openDb(ctx);
        try {
          const runId = await m.latestRun();
          const flag = runId ? (await m.flags(runId, flagId))[0] : undefined;
          if (!flag)
            throw new CliError(
              t(ctx, `最近的监控运行中没有疑点 ${flagId}`, `no flag ${flagId} in the latest monitoring run`),
              EXIT.badInput,
            );
          let amount: number | undefined;
          if (f.amount !== undefined) {
            amount = /^\d+(\.\d{1,2})?$/.test(f.amount.trim()) ? yuanToFen(f.amount.trim()) : undefined;
            if (amount === undefined)
              throw new CliError(
                t(
                  ctx,
                  `--amount ${f.amount}：应为以元计的金额，最多两位小数，如 100 或 100.00`,
                  `--amount ${f.amount}: give an amount in yuan with at most two decimals, such as 100 or 100.00`,
                ),
                EXIT.usage,
              );
            // R-MON-4: no more than the flag's amount at issue (walk4 #7: 50,000.00 was confirmed on a 20.00 flag).
            const fund = flag.scope === 'case' ? (await store.readCases([flag.setlId]))[0]?.fundPay : undefined;
            const refused = deductionRefusal(flag, amount, fund);
            if (refused) throw new CliError(t(ctx, refused.zh, refused.en), EXIT.badInput);
          }
          const review: Review = {
            flagId,
            decision: f.confirm ? 'confirmed' : 'dismissed',
            reason: f.reason.trim(),
            reviewer: f.reviewer,
            at: new Date().toISOString().slice(0, 19),
            ...(amount === undefined ? {} : { amount }),
          };
          await m.saveReview(review);
          process.stdout.write(
            ctx.json
              ? `${JSON.stringify(review)}\n`
              : `${t(ctx, `疑点 ${flagId} ${DECISION_LABEL[review.decision][0]}`, `flag ${flagId} ${review.decision}`)}\n`,
          );
        } finally {
          await store.close();
        }
      },
    );

  withBase(monitor.command('deductions'))
    .description(
      '已确认疑点转为审核扣款，连同考核系数供下次结算 / confirmed flags as audit deductions, with assessment coefficients',
    )
    .option('--year <yyyy>', '监控年度（默认最近一次运行）/ year of the monitoring run (default: latest)')
    .requiredOption(
      '--out <file>',
      '输出文件：.csv 或 .xlsx 为 yibao ingest deductions 可直接读入的审核扣款（考核系数另写 -assessments 文件），.json 为两者合一 / output file: .csv or .xlsx are audit deductions as yibao ingest deductions reads them (assessment coefficients in a -assessments file beside), .json holds both',
    )
    .action(async (f: BaseFlags & { year?: string; out: string }) => {
      const ctx = getContext();
      const format = deductionsFormat(f.out);
      if (!format)
        throw new CliError(
          t(
            ctx,
            `--out ${f.out}：文件名应以 .csv、.xlsx 或 .json 结尾（.csv、.xlsx 可直接用 yibao ingest deductions 读入）`,
            `--out ${f.out}: the file name must end in .csv, .xlsx or .json (.csv and .xlsx read back with yibao ingest deductions)`,
          ),
          EXIT.usage,
        );
      const { store, m } = await openDb(ctx);
      try {
        const year = f.year ? yearOf(f.year) : undefined;
        const runId = await m.latestRun(year);
        if (!runId)
          throw new CliError(
            t(ctx, '尚无监控运行，请先执行 yibao monitor run', 'no monitoring run yet: run yibao monitor run first'),
            EXIT.badInput,
          );
        const runYear = (await m.runYear(runId))!;
        const base = ruleBase(f, runYear, ctx.lang);
        const flags = await m.flags(runId);
        const reviews = await m.reviews();
        const deductions = auditDeductions(base, flags, reviews);
        const source = base.values.assessment.source;
        const assessments = (await m.coefficients(runId)).map(([institutionCode, coefficient]) => {
          const [num, den] = coefficient.split('/');
          return {
            institutionCode,
            coefficient: formatRatio({ num: BigInt(num!), den: BigInt(den!) }, 6),
            source,
          };
        });
        mkdirSync(dirname(f.out), { recursive: true });
        const files = await writeDeductionFiles(
          f.out,
          format,
          { monitorRunId: runId, year: runYear, deductions, assessments },
          ctx.lang,
        );
        const total = deductions.reduce((s, d) => s + d.amount, 0);
        if (ctx.json) {
          process.stdout.write(`${JSON.stringify({ file: f.out, files, deductions: deductions.length, total })}\n`);
          return;
        }
        const lines = [
          t(
            ctx,
            `审核扣款 ${deductions.length} 笔，合计 ${fenToYuan(total)} 元；考核系数 ${assessments.length} 家 → ${files.join('、')}`,
            `${countOf(deductions.length, 'audit deduction', 'audit deductions')}, total ${fenToYuan(total)} yuan; ${countOf(assessments.length, 'assessment coefficient', 'assessment coefficients')} → ${files.join(', ')}`,
          ),
        ];
        if (format !== 'json')
          lines.push(
            t(
              ctx,
              `供下次结算读入：yibao ingest deductions ${files[0]}；yibao ingest assessments ${files[1]}`,
              `for the next settlement: yibao ingest deductions ${files[0]}; yibao ingest assessments ${files[1]}`,
            ),
          );
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });

  const explain = program.commands.find((c) => c.name() === 'explain') ?? program.command('explain');
  withBase(explain.command('flag <flagId>'))
    .description('疑点的规则、逻辑、证据与复核 / a flag: rule, logic, evidence and review')
    .option('--run <id>', '监控运行（默认最近一次）/ monitoring run (default: latest)')
    .action(async (flagId: string, f: BaseFlags & { run?: string }) => {
      const ctx = getContext();
      const { store, m } = await openDb(ctx);
      try {
        const runId = f.run ?? (await m.latestRun());
        const flag = runId ? (await m.flags(runId, flagId))[0] : undefined;
        if (!flag) throw new CliError(t(ctx, `没有疑点 ${flagId}`, `no flag ${flagId}`), EXIT.badInput);
        const base = ruleBase(f, (await m.runYear(runId!))!, ctx.lang);
        const e = explainFlag(
          flag,
          base.rules.find((r) => r.id === flag.ruleId),
          (await m.reviews()).get(flagId),
          ctx.lang,
        );
        process.stdout.write(
          ctx.json ? `${JSON.stringify(e, null, 2)}\n` : `${readableExplanationText(e, ctx.lang)}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
