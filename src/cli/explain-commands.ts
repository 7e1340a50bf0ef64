/**
 * `yibao explain case ID` and `yibao explain settlement INSTITUTION --period YYYY|YYYY-MM`: every step behind a
 * case's group, points and payment, or an institution's settlement lines, with inputs, parameter values and clause
 * IDs — read from a stored settlement run (`--run ID`, default the latest run of the region-year). An
 * institution's lines are the issued ones; a case's trace is recomputed for that case only from the run's own
 * policy snapshot and checked against its stored result. When today's policy files differ from the run's, the
 * explanation says which file changed. `yibao runs` lists the settlement runs.
 */
import type { Command } from 'commander';
import { columnLabel, KINDS } from '../ingest/kinds/index.ts';
import { rowPlaceEn, rowPlaceZh } from '../ingest/row-place.ts';
import { readableExplanationText } from '../report/readable-explanation.ts';
import { SIMULATION, type SimulationOf } from '../report/simulation.ts';
import { openSchemeKernel } from '../run/drg-scheme.ts';
import { explainInstitutionYear } from '../run/explain-institution-year.ts';
import { explainRunCase, type RunExplanation } from '../run/explain-run.ts';
import { simulationOfStoredRun } from '../run/whatif-simulation.ts';
import { SettlementError } from '../settlement/errors.ts';
import { openStore, storeMissing } from '../store/index.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { type CliContext, CliError, EXIT, noStoreError, t } from './context.ts';
import type { GetContext } from './main.ts';
import { settlementRunFor } from './settlement-run.ts';

interface Flags {
  run?: string;
  year?: string;
  region?: string;
  pack?: string;
}

function run(store: Store, ctx: Pick<CliContext, 'lang' | 'db'>, f: Flags, period?: string) {
  const year = period ? Number(period.slice(0, 4)) : f.year ? Number(f.year) : undefined;
  return settlementRunFor(store, ctx, { run: f.run, region: f.region, year });
}

/**
 * Why a case is not in the run: rejected at ingest (`rejectedAtIngestError`), else not in this run (a typo, another
 * year or region).
 */
async function notInRunError(
  store: Store,
  ctx: Pick<CliContext, 'lang'>,
  run: SettlementRunRecord,
  id: string,
): Promise<CliError> {
  const rejected = await rejectedAtIngestError(store, ctx, id, run);
  if (rejected) return rejected;
  // A stored case of another year (a history year of the catalog) or stored after the run: say which, and what to do.
  const [stored] = await store.readCases([id]);
  if (stored) {
    const discharged = stored.dischargeTime.slice(0, 10);
    const year = Number(discharged.slice(0, 4));
    if (year !== run.year)
      return new CliError(
        t(
          ctx,
          `病例 ${id} 已入库，${discharged} 出院，属于 ${year} 年；结算运行 ${run.id} 结算的是 ${run.region} ${run.year} 年${year < run.year ? `（往年病例只用于测算病种目录或权重，不在 ${run.year} 年结算）` : ''}。解释它在 ${year} 年的结算：先 yibao settle --year ${year}，再 yibao explain case ${id} --year ${year}`,
          `case ${id} is stored, discharged ${discharged}, so it belongs to ${year}; settlement run ${run.id} settles ${run.region} ${run.year}${year < run.year ? ` (cases of earlier years calibrate the catalog or weights; they are not settled in ${run.year})` : ''}. To explain its ${year} settlement: yibao settle --year ${year}, then yibao explain case ${id} --year ${year}`,
        ),
        EXIT.badInput,
      );
    return new CliError(
      t(
        ctx,
        `病例 ${id} 已入库（${run.year} 年），但结算运行 ${run.id} 中没有它：多半是在该运行之后导入的。重新结算（yibao settle --year ${run.year}）后再解释`,
        `case ${id} is stored (${run.year}) but settlement run ${run.id} does not hold it: most likely it was ingested after that run. Settle again (yibao settle --year ${run.year}), then explain it`,
      ),
      EXIT.badInput,
    );
  }
  return new CliError(
    t(
      ctx,
      `结算运行 ${run.id}（${run.region} ${run.year} 年）中没有结算ID为 ${id} 的病例：检查结算ID和年度（--year、--run）；导入时被拒收的病例不参加结算，拒收原因见导入报告的拒收明细文件（默认 out/rejects/）`,
      `no case ${id} in settlement run ${run.id} (${run.region} ${run.year}): check the settlement id and the year (--year, --run); a case rejected at ingest is not settled, the ingest report's rejects file (out/rejects/ by default) gives the reason`,
    ),
    EXIT.badInput,
  );
}

/**
 * A case rejected at ingest and never stored since: the store keeps the rejected rows (file, row, field and reason,
 * R-DATA-1 — a rejected list is never settled), so the case is explained with or without a settlement run.
 */
async function rejectedAtIngestError(
  store: Store,
  ctx: Pick<CliContext, 'lang'>,
  id: string,
  run?: SettlementRunRecord,
): Promise<CliError | undefined> {
  const rejects = await store.readRejects('cases', id);
  // A list rejected once and accepted after its correction is in the store: it is not "rejected" any more.
  const stored = rejects.length > 0 ? (await store.readCases([id])).length : 0;
  if (rejects.length > 0 && stored === 0) {
    // The field by its Chinese label in zh (出院时间, not dscg_time); the rejects file keeps the column's name.
    const fieldZh = (f: string) => f.replace(/[a-z][a-z0-9_]*/g, (c) => columnLabel(KINDS.cases, c, 'zh'));
    // A message that names the field already — by its label (出院时间 2025-05-01 早于…) or by its standard name
    // (必填项 主要诊断（diag_codes） 为空: the user's header with the field in brackets, or diag_codes（诊断编码）) — names
    // it once, not "出院时间：出院时间 …" or "诊断编码：必填项 主要诊断（diag_codes）…".
    const namesField = (x: (typeof rejects)[number], text: string, label: string) =>
      !!x.field &&
      (new RegExp(`(^|[^A-Za-z0-9_])${x.field}([^A-Za-z0-9_]|$)`).test(text) || (label !== '' && text.includes(label)));
    const placeZh = (x: (typeof rejects)[number]) => {
      const label = x.field ? fieldZh(x.field) : '';
      if (!label) return '：';
      return namesField(x, x.zh, label) ? '，' : `，${label}：`;
    };
    const placeEn = (x: (typeof rejects)[number]) => (x.field && !namesField(x, x.en, '') ? `, ${x.field}: ` : ': ');
    const lines = rejects.map((x) =>
      t(
        ctx,
        `  ${x.source} ${rowPlaceZh(x.unit, x.row)}${placeZh(x)}${x.zh}（导入运行 ${x.runId}）`,
        `  ${x.source} ${rowPlaceEn(x.unit, x.row)}${placeEn(x)}${x.en} (ingest run ${x.runId})`,
      ),
    );
    const head = run
      ? t(
          ctx,
          `病例 ${id} 在导入时被拒收，不参加结算（结算运行 ${run.id} 中没有它）：`,
          `case ${id} was rejected at ingest and is not settled (settlement run ${run.id} does not hold it):`,
        )
      : t(ctx, `病例 ${id} 在导入时被拒收，不参加结算：`, `case ${id} was rejected at ingest and is not settled:`);
    const next = t(
      ctx,
      '改正后重新导入（yibao ingest cases 文件；改正后的拒收明细文件可直接导入），再结算',
      'correct it and ingest it again (yibao ingest cases FILE; a corrected rejects file ingests as it is), then settle',
    );
    return new CliError([head, ...lines, next].join('\n'), EXIT.badInput);
  }
  return undefined;
}

function print(e: RunExplanation, json: boolean, lang: 'zh' | 'en', sim?: SimulationOf): void {
  if (json) {
    process.stdout.write(
      `${JSON.stringify(sim ? { ...e, simulation: { ...sim, zh: SIMULATION[0], en: SIMULATION[1] } } : e, null, 2)}\n`,
    );
    return;
  }
  if (sim) process.stdout.write(simulationHeadText(sim, lang));
  process.stdout.write(`${readableExplanationText(e, lang)}\n`);
  process.stdout.write(policyChangesText(e, lang));
}

/**
 * The first lines of an explanation of a what-if run: the same mark its statements carry (模拟测算（未发布）), the
 * issued run it is compared with, and each change — the clauses quoted in the steps give the values in force
 * (walk7 #1: `增长率 = 0.1` beside `(1 + 5%)` read like an issued statement).
 */
export function simulationHeadText(sim: SimulationOf, lang: 'zh' | 'en'): string {
  const changes = sim.changes ?? [];
  if (lang === 'zh')
    return [
      `${SIMULATION[0]}：政策模拟运行 ${sim.runId}，对比已发布的结算运行 ${sim.baseRunId}（仍在用）；不是经办机构发出的结算单，不作为结算、拨付依据`,
      ...changes.map((c) => `  政策改动：${c.zh}`),
      ...(changes.length > 0 ? ['  以下条款原文中的数值是现行政策的值，计算用的是改动后的值'] : []),
      '',
    ].join('\n');
  return [
    `${SIMULATION[1]}: policy what-if run ${sim.runId}, compared with the issued run ${sim.baseRunId} (still in force); not a statement the agency issued, and no basis for any payment`,
    ...changes.map((c) => `  policy change: ${c.en}`),
    ...(changes.length > 0
      ? ['  the clauses quoted below give the values in force; the figures use the changed values']
      : []),
    '',
  ].join('\n');
}

/**
 * The note under an explanation when today's policy files differ from the run's snapshot; nothing when they do not.
 * en read "…/dip-2025.yaml（changed）、…/ffs-2025.yaml（changed）": the zh brackets and list mark in English text.
 */
export function policyChangesText(e: Pick<RunExplanation, 'run' | 'policyChanges'>, lang: 'zh' | 'en'): string {
  if (e.policyChanges.length === 0) return '';
  if (lang === 'zh') {
    const files = e.policyChanges.map((c) => `${c.file}（${c.change === 'changed' ? '已修改' : '已删除'}）`).join('、');
    return `注意：今天的政策文件与结算运行 ${e.run} 所用的不同：${files}。以上数字按该运行的政策快照重现，即当时发布的数字。\n`;
  }
  const files = e.policyChanges.map((c) => `${c.file} (${c.change})`).join(', ');
  return `Note: today's policy files differ from those of settlement run ${e.run}: ${files}. The figures above are reproduced from the run's policy snapshot, as issued.\n`;
}

function common(cmd: Command): Command {
  return cmd
    .option('--run <id>', '结算运行ID（默认该年度最新一次）/ settlement run (default: the latest of the year)')
    .option('--year <yyyy>', '结算年度（默认最新运行的年度）/ settlement year (default: the latest run)')
    .option('--region <code>', '政策地区 / policy region')
    .option(
      '--pack <path>',
      "DRG 分组方案（默认按该运行的政策快照）/ CHS-DRG scheme (default: the one in the run's policy snapshot)",
    );
}

/**
 * The store an explanation reads, read-only. None at --db: said as `runs` says it, with what makes one and where the
 * demo's store is (a new user who ran `yibao demo` and then `yibao explain case …` without --db read only
 * "data/yibao.duckdb: 存储文件不存在").
 */
async function openExisting(ctx: Pick<CliContext, 'db' | 'lang'>): Promise<Store> {
  if (storeMissing(ctx.db))
    throw noStoreError(ctx, {
      zh: '解释读取已存储的结算运行，请先运行 yibao settle（或 yibao demo）',
      en: 'An explanation reads a stored settlement run: run yibao settle (or yibao demo) first',
    });
  return openStore(ctx.db, { readOnly: true });
}

/**
 * What `explain case` explains, named: a capitation or family-doctor head is a 人头 (head), not a 病例 (case) — the
 * head P001/M03900/2024-01-01 was printed as 病例 P001/M03900/2024-01-01（按人头付费，…）.
 */
export function unitSubject(subject: string, ctx: Pick<CliContext, 'lang'>): string {
  const head = /\((capitation|family-doctor), [^()]+\)$/.test(subject);
  return `${head ? t(ctx, '人头', 'head') : t(ctx, '病例', 'case')} ${subject}`;
}

export function registerExplainCommands(program: Command, getContext: GetContext): void {
  const explain = program.command('explain').description('逐步解释病例或结算 / explain a case or a settlement');
  common(explain.command('case').argument('<setl_id>', '结算ID / settlement id'))
    .description('病例的分组、点数与支付 / a case: group, points, payment')
    .action(async (id: string, f: Flags) => {
      const ctx = getContext();
      const store = await openExisting(ctx);
      try {
        let r: Awaited<ReturnType<typeof run>>;
        try {
          r = await run(store, ctx, f);
        } catch (err) {
          // No settlement run yet: a case rejected at ingest still says why (the user asks right after ingest).
          if (err instanceof CliError) throw (await rejectedAtIngestError(store, ctx, id)) ?? err;
          throw err;
        }
        const e = await explainRunCase(store, r.reader, r.record, id, (scheme) => openSchemeKernel(f.pack ?? scheme));
        if (!e) throw await notInRunError(store, ctx, r.record, id);
        const sim = await simulationOfStoredRun(store, r.record);
        print({ ...e, subject: unitSubject(e.subject, ctx) }, ctx.json, ctx.lang, sim);
      } finally {
        await store.close();
      }
    });
  common(explain.command('settlement').argument('<institution>', '机构编码 / institution code'))
    .description(
      '机构全年结算：各支付方式的月度预结算、预付与年度清算及合计 / an institution: every payment method’s monthly and year-end settlement, and the total',
    )
    .option('--period <p>', '期间 YYYY 或 YYYY-MM / period')
    .action(async (code: string, f: Flags & { period?: string }) => {
      const ctx = getContext();
      const store = await openExisting(ctx);
      try {
        const r = await run(store, ctx, f, f.period);
        try {
          print(
            await explainInstitutionYear(r.reader, r.record, code, f.period),
            ctx.json,
            ctx.lang,
            await simulationOfStoredRun(store, r.record),
          );
        } catch (e) {
          if (e instanceof SettlementError) throw new CliError(ctx.lang === 'zh' ? e.zh : e.en, EXIT.badInput);
          throw e;
        }
      } finally {
        await store.close();
      }
    });
}
