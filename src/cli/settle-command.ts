/**
 * `yibao settle`: the compound inpatient year of a region from the store — per-bed-day, single-disease and DIP or
 * DRG cases in one budget — with monthly and year-end statements (R-PAY-*, R-DIP-6). `dip settle` is the same
 * for DIP alone.
 */

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadQcSettings } from '../ingest/qc/settings.ts';
import { fenToYuan } from '../model/money.ts';
import { PolicyError } from '../policy/errors.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { defaultPolicyDir, loadPolicyDir, type PolicySet, policiesDir } from '../policy/registry.ts';
import { capitationSummaryText } from '../report/capitation-reports.ts';
import { membersInPool } from '../report/community-members.ts';
import { countOf, statusLabel } from '../report/labels.ts';
import { poolSummaryText } from '../report/summary.ts';
import { inputLabel } from '../run/command-label.ts';
import { communityMembersOfYear } from '../run/community-members.ts';
import { drgSchemeFor, openSchemeKernel } from '../run/drg-scheme.ts';
import { type CaseMethod, caseMethodFor } from '../run/inpatient-year.ts';
import { storedRunWarnings } from '../run/run-warnings.ts';
import { type ChangedInput, type RegionYearRun, settleRegionYear } from '../run/settle-region-year.ts';
import { writeRunStatementsFolder } from '../run/statements-folder.ts';
import { simulationOfStoredRun } from '../run/whatif-simulation.ts';
import {
  ingestYearEndDir,
  type UnappliedDecision,
  unappliedDecisions,
  type YearEndIngest,
} from '../run/year-end-inputs.ts';
import type { BudgetWarning } from '../settlement/budget-check.ts';
import { formatRatioShort } from '../settlement/point-value.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { openStore, type Store, storeMissing } from '../store/index.ts';
import { type CliContext, CliError, EXIT, errorText, inMemoryStoreError, noStoreError, t } from './context.ts';
import { writtenFilesText } from './files-summary.ts';
import { asCliError, summarise } from './ingest-commands.ts';
import type { GetContext } from './main.ts';
import { policyFolderNote, policyFolderText } from './policy-folder.ts';
import { regionFor } from './region.ts';
import { latestSettlementRun } from './settlement-run.ts';
import { checkStatementsOut, replacedText } from './statements-out.ts';

/** The region's qc policy file in force at the end of `year` (the latest one starting before it), if the folder has one. */
function qcFileOf(policies: PolicySet, region: string, year: number): string | undefined {
  const end = `${year}-12-31`;
  return policies.files
    .filter((p) => p.kind === 'qc' && p.region === region && p.effective.from <= end)
    .sort((a, b) => (a.effective.from < b.effective.from ? 1 : -1))[0]?.file;
}

/**
 * The inputs that differ from the previous issued run of the region-year, one line each: the previous run keeps
 * what it read (its stored hashes), this run names what changed since (e.g. a deduction corrected with --replace).
 */
export function changedInputsText(
  previous: RegionYearRun['previous'],
  ctx: Pick<CliContext, 'lang'>,
  whatIf = false,
): string {
  if (!previous || previous.changedInputs.length === 0) return '';
  const what = (c: ChangedInput) =>
    c.change === 'changed'
      ? t(ctx, '已变更', 'changed')
      : c.change === 'added'
        ? t(ctx, '新增', 'added')
        : t(ctx, '已移除', 'removed');
  const hash = (h?: { sha256: string }) => (h ? h.sha256.slice(0, 12) : '—');
  const changed = previous.changedInputs.filter((c) => c.change !== 'moved');
  const moved = previous.changedInputs.filter((c) => c.change === 'moved');
  const lines = changed.map((c) => {
    const label = inputLabel(c, ctx.lang);
    const hashes = `sha256 ${hash(c.before)} → ${hash(c.after)}`;
    const from = c.beforePath ? t(ctx, `；上次读自 ${c.beforePath}`, `; previously read from ${c.beforePath}`) : '';
    return t(ctx, `  ${label}：${what(c)}（${hashes}${from}）`, `  ${label}: ${what(c)} (${hashes}${from})`);
  });
  if (moved.length > 0) {
    // The files of a copied policy folder with the same content: one line, with the two folders when they are one each.
    const dirs = (ps: string[]) => [...new Set(ps.map((p) => dirname(p)))];
    const now = dirs(moved.map((c) => c.path));
    const was = dirs(moved.map((c) => c.beforePath ?? ''));
    const where =
      now.length === 1 && was.length === 1
        ? t(ctx, `（读自 ${now[0]}，上次读自 ${was[0]}）`, ` (read from ${now[0]}, previously from ${was[0]})`)
        : '';
    const n = moved.length;
    // Only the files this settlement applied are compared (its inputs), not every file of the folder: said so, and
    // named (a folder holds others — the QC policy, a payment mix — that a reader would count otherwise).
    const shown = moved.slice(0, 4).map((c) => basename(c.path));
    const named = (sep: string, more: string) => `${shown.join(sep)}${moved.length > shown.length ? more : ''}`;
    const files = (zh: string, en: string) =>
      t(
        ctx,
        `  ${zh}内容相同：${named('、', ' 等')}${where}`,
        `  ${en}${n === 1 ? ' has' : ' have'} the same content: ${named(', ', ' …')}${where}`,
      );
    lines.push(
      changed.length > 0
        ? files(
            `本次结算所用的其余 ${n} 个政策文件`,
            n === 1
              ? 'the other policy file this settlement applied'
              : `the other ${n} policy files this settlement applied`,
          )
        : files(
            `本次结算所用的 ${n} 个政策文件`,
            n === 1 ? 'the one policy file this settlement applied' : `the ${n} policy files this settlement applied`,
          ),
    );
  }
  if (changed.length === 0) {
    return `${t(ctx, `与上次结算（运行 ${previous.runId}）相比，输入没有变化：`, `the inputs are those of the previous settlement (run ${previous.runId}):`)}\n${lines.join('\n')}\n`;
  }
  const head = whatIf
    ? t(
        ctx,
        `与已发布的结算运行 ${previous.runId} 相比，以下输入有变：`,
        `inputs that differ from the issued run ${previous.runId}:`,
      )
    : t(
        ctx,
        `与上次结算（运行 ${previous.runId}，其结果保持不变）相比，以下输入有变：`,
        `inputs that differ from the previous settlement (run ${previous.runId}, whose results stay as issued):`,
      );
  return `${head}\n${lines.join('\n')}\n`;
}

const DEFAULT_OUT = 'out/settle';
const WHAT_IF_OUT = 'out/what-if';

/** The issued run a `--what-if` is compared with: the latest issued run of the region-year (the one in force). */
async function runInForce(store: Store, region: string, year: number, ctx: Pick<CliContext, 'lang'>) {
  const base = await latestSettlementRun(store, { region, year });
  if (!base)
    throw new CliError(
      t(
        ctx,
        `${region} ${year} 年还没有结算运行，--what-if 无可对比：先不加 --what-if 结算一次`,
        `no settlement run of ${region} ${year} to compare a --what-if with: settle once without --what-if first`,
      ),
      EXIT.usage,
    );
  return base;
}

/** Whether a policy file's content differs from the previous issued run's (not only its folder). */
function policyChanged(previous: RegionYearRun['previous']): boolean {
  return (previous?.changedInputs ?? []).some((c) => c.role.startsWith('policy ') && c.change !== 'moved');
}

/** An issued run with another policy replaces the run in force: said, with the way to only compare. */
function inForceText(runId: string, year: number, ctx: Pick<CliContext, 'lang'>): string {
  return t(
    ctx,
    `运行 ${runId} 现为 ${year} 年在用的结算运行（explain、reconcile 与接口默认读取它）；只想看政策改变的影响而不取代在用运行，请加 --what-if\n`,
    `run ${runId} is now the ${year} run in force (explain, reconcile and the API read it by default); to see a policy change's effect without replacing the run in force, add --what-if\n`,
  );
}

/**
 * A what-if run beside the run in force: its id, that the run in force stays, and the totals of both with the
 * difference (年度清算额, 清算支付额), read from the two stored runs; each institution in the API / workbench.
 */
async function whatIfText(
  store: Store,
  runId: string,
  baseId: string,
  ctx: Pick<CliContext, 'lang'>,
  files: readonly string[],
): Promise<string> {
  const sim = await simulationOfStoredRun(store, await store.runResults(runId).record());
  // The per-institution file of the statements set (statements.ts): issued beside simulated, with a 合计 row.
  const comparison = files.find((f) => /-comparison-simulation\.csv$/.test(f));
  const workbook = comparison?.replace(/-comparison-simulation\.csv$/, '.xlsx');
  const totals = async (id: string) => {
    const reader = store.runResults(id);
    let yearEnd = 0;
    let clearing = 0;
    for (const p of await reader.pools())
      for (const y of await reader.institutionYear(p.poolId)) {
        yearEnd += y.yearEndFen;
        clearing += y.clearingFen;
      }
    return { yearEnd, clearing };
  };
  const b = await totals(baseId);
  const w = await totals(runId);
  const signed = (fen: number) => (fen > 0 ? `+${fenToYuan(fen)}` : fenToYuan(fen));
  const line = (zh: string, en: string, x: number, y: number) =>
    t(
      ctx,
      `  ${zh}：已发布 ${fenToYuan(x)} 元，模拟 ${fenToYuan(y)} 元，差额 ${signed(y - x)} 元`,
      `  ${en}: issued ${fenToYuan(x)} yuan, what-if ${fenToYuan(y)} yuan, difference ${signed(y - x)} yuan`,
    );
  return [
    t(
      ctx,
      `政策模拟运行 ${runId}（对比已发布的结算运行 ${baseId}；后者仍在用，explain、reconcile 与接口默认读取它）`,
      `policy what-if run ${runId} (compared with the issued run ${baseId}, which stays in force: explain, reconcile and the API read it by default)`,
    ),
    ...(sim?.changes ?? []).map((c) => t(ctx, `  政策改动：${c.zh}`, `  policy change: ${c.en}`)),
    line('年度清算额合计', 'year-end amount, total', b.yearEnd, w.yearEnd),
    line('清算支付额合计', 'clearing payment, total', b.clearing, w.clearing),
    comparison
      ? t(
          ctx,
          `  各机构对比：${comparison}（工作簿 ${workbook} 的“各机构对比”表），或工作台“政策模拟”`,
          `  each institution: ${comparison} (the sheet "simulated vs issued" of ${workbook}), or the workbench's policy what-if`,
        )
      : t(
          ctx,
          `  各机构对比：工作台“政策模拟”，或 GET /api/what-if/${runId}`,
          `  each institution: the workbench's policy what-if, or GET /api/what-if/${runId}`,
        ),
    '',
  ].join('\n');
}

export function registerSettleCommand(program: Command, getContext: GetContext): void {
  program
    .command('settle')
    .description(
      '年度结算：住院（按床日 + 按病种 + DIP/DRG 同一预算）与门特人头付费 / settle a region-year: inpatient pool and capitation',
    )
    .requiredOption('--year <yyyy>', '结算年度 / settlement year')
    .option(
      '--inpatient <m>',
      '住院病例付费方式 dip|drg（默认按支付方式组合政策）/ inpatient case method (default: the payment-mix policy)',
    )
    .option(
      '--region <code>',
      '政策地区（默认：政策文件目录中唯一的地区，否则 demo）/ policy region (default: the only region of the policy folder, else demo)',
    )
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    )
    .option(
      '--pack <path>',
      'DRG 分组方案（默认按 DRG 政策文件的 scheme）/ CHS-DRG scheme (default: the scheme of the DRG policy file)',
    )
    .option('--out <dir>', '报表目录 / statements folder', DEFAULT_OUT)
    .option(
      '--no-per-institution',
      '不写每家机构的工作簿（默认写 institutions/机构编码.xlsx）/ no workbook per institution (default: institutions/CODE.xlsx)',
    )
    .option(
      '--year-end <dir>',
      '年度清算输入目录：deductions.csv（审核扣款）、assessments.csv（考核结果）、special-review.csv（特例单议结果），先按 yibao ingest 入库再结算 / year-end inputs folder, ingested first (as yibao ingest KIND FILE)',
    )
    .option(
      '--replace',
      '与 --year-end 同用：目录中更正的行替换已入库的行（同 yibao ingest --replace）/ with --year-end: corrected rows replace the stored ones (as ingest --replace)',
    )
    .option(
      '--force',
      '--out 目录中有另一次结算（其他付费方式、年度或地区）的报表时仍然替换 / replace a --out folder holding statements of another settlement (method, year or region)',
    )
    .option('--verbose', '逐个列出写出的报表文件 / list every statement file written')
    .option(
      '--what-if',
      '政策模拟：与在用的结算运行对比，记为模拟运行，不取代在用运行（explain、reconcile 与接口仍默认读取在用运行）；报表默认写入 out/what-if / policy what-if: recorded beside the run in force and compared with it, without replacing it (explain, reconcile and the API still read the run in force); statements go to out/what-if by default',
    )
    .action(
      async (f: {
        force?: boolean;
        verbose?: boolean;
        yearEnd?: string;
        replace?: boolean;
        year: string;
        inpatient?: string;
        region?: string;
        policies: string;
        pack?: string;
        out: string;
        perInstitution: boolean;
        whatIf?: boolean;
      }) => {
        const ctx = getContext();
        if (f.whatIf && f.yearEnd)
          throw new CliError(
            t(
              ctx,
              '--what-if 不与 --year-end 同用：年度清算输入入库后在用运行的数据也随之改变；先入库（yibao ingest），再模拟',
              '--what-if does not go with --year-end: ingesting year-end inputs changes the data of the run in force too; ingest them first (yibao ingest), then simulate',
            ),
            EXIT.usage,
          );
        // A store in memory starts empty: said in the one line `runs` and `monitor` give, not "no history years".
        const inMemory = inMemoryStoreError(ctx);
        if (inMemory) throw inMemory;
        // A what-if's statements do not replace the run in force's (the default folder of each is its own).
        if (f.whatIf && f.out === DEFAULT_OUT) f.out = WHAT_IF_OUT;
        // Which policy folder settles, said first; a folder `yibao init` wrote that is not used is named with the
        // command that uses it (a new user's settle fell back to the shipped demo policies and said nothing).
        const folder = (region: string) =>
          policyFolderNote({ used: policiesDir(f.policies), region, cwd: process.cwd(), db: ctx.db });
        let policies: PolicySet;
        let region: string;
        let method: CaseMethod;
        try {
          policies = loadPolicyDir(policiesDir(f.policies), POLICY_KINDS);
          region = regionFor(policies, f.region, ctx.lang);
          try {
            method = caseMethodFor(policies, region, Number(f.year), f.inpatient);
          } catch (e) {
            // A missing or invalid policy file is reported in the user's language by the CLI (exit 3).
            if (e instanceof PolicyError) throw e;
            throw new CliError(errorText(e, ctx.lang), EXIT.usage);
          }
        } catch (e) {
          const note = folder(f.region ?? '—');
          if (!ctx.json && note.unused.length > 0)
            process.stderr.write(policyFolderText(note, Number(f.year), ctx.lang));
          throw e;
        }
        const folderNote = folder(region);
        if (!ctx.json) process.stdout.write(policyFolderText(folderNote, Number(f.year), ctx.lang));
        // Statements of another settlement in --out are not deleted silently (statements-out.ts): checked before
        // anything is stored or written.
        const outCheck = checkStatementsOut(f.out, { region, method, year: Number(f.year) }, f.force === true, ctx);
        // No store at --db: settling would create an empty one and then report missing history years; a new user who
        // ran the demo (data/demo.duckdb) is told where its store is instead.
        if (storeMissing(ctx.db))
          throw noStoreError(ctx, {
            zh: '结算读取已入库的结算清单，请先用 yibao ingest 导入（或运行 yibao demo）',
            en: 'A settlement reads the ingested settlement lists: yibao ingest them (or run yibao demo) first',
          });
        const store = await openStore(ctx.db);
        try {
          let yearEnd: YearEndIngest[] = [];
          if (f.replace && !f.yearEnd)
            throw new CliError(
              t(
                ctx,
                '--replace 只与 --year-end 同用；单个文件请用 yibao ingest KIND FILE --replace',
                '--replace goes with --year-end; for one file use yibao ingest KIND FILE --replace',
              ),
              EXIT.usage,
            );
          if (f.yearEnd) {
            if (!existsSync(f.yearEnd) || !statSync(f.yearEnd).isDirectory())
              throw new CliError(
                t(ctx, `找不到年度清算输入目录 ${f.yearEnd}`, `no year-end inputs folder ${f.yearEnd}`),
                EXIT.badInput,
              );
            if (!(store instanceof DuckDbStore))
              throw new CliError(
                t(
                  ctx,
                  '--year-end 需要 DuckDB 存储：先导入 DuckDB 存储，再用 yibao store push 交给 ClickHouse',
                  '--year-end needs the DuckDB store: ingest into it, then hand it over with yibao store push',
                ),
                EXIT.usage,
              );
            const qcFile = qcFileOf(policies, region, Number(f.year));
            try {
              yearEnd = await ingestYearEndDir(store, f.yearEnd, Number(f.year), {
                rejectsDir: join('out', 'rejects'),
                ...(ctx.json ? {} : { lang: ctx.lang }),
                ...(f.replace ? { replace: true } : {}),
                // Checked by the region's own qc file of the policy folder (in force at the year's end), as ingest does.
                ...(qcFile ? { qc: loadQcSettings(qcFile) } : {}),
              });
            } catch (e) {
              throw asCliError(e, ctx);
            }
            if (!ctx.json) for (const y of yearEnd) process.stdout.write(summarise(y.report, ctx));
            const rejected = yearEnd.reduce((a, y) => a + y.report.rejected, 0);
            if (rejected > 0)
              throw new CliError(
                t(
                  ctx,
                  `年度清算输入有 ${rejected} 行被拒收（见上面的拒收明细），改正后再结算；已通过的行已入库`,
                  `${rejected} year-end input row(s) rejected (see the rejects files above); correct them and settle again; the accepted rows are stored`,
                ),
                EXIT.dataProblems,
              );
          }
          const scheme = method === 'drg' ? drgSchemeFor(policies, region, Number(f.year), f.pack).scheme : undefined;
          const base = f.whatIf ? await runInForce(store, region, Number(f.year), ctx) : undefined;
          const run = await settleRegionYear(store, {
            region,
            year: Number(f.year),
            policies,
            method,
            ...(base ? { whatIfOf: base.id, command: `what-if ${base.id} ${f.policies}` } : {}),
            ...(scheme ? { kernel: await openSchemeKernel(scheme), pack: scheme } : {}),
          });
          const { inpatient: y, capitation } = run;
          // Members of communities settled under a global budget (the registry and eligibility on 1 January, as
          // `community settle` reads them): their statements say their clearing is not paid separately (R-MC-3).
          const communityMembers = communityMembersOfYear(policies, region, Number(f.year));
          // The run's folder is replaced as a whole (report/atomic.ts): no statement of an earlier run survives.
          const { files, settlement, capBudgetPolicy } = await writeRunStatementsFolder(store, f.out, {
            runId: run.record.id,
            region,
            year: Number(f.year),
            method: y.method,
            ...(capitation ? { capitation } : {}),
            lang: ctx.lang,
            perInstitution: f.perInstitution,
            communityMembers,
          });
          const unapplied = await unappliedDecisions(store, run.record.id, Number(f.year));
          // A DIP history year without cases, the weights actually applied (DIP settles from the years it has).
          const historyWarnings = (y.dip?.catalog.warnings ?? []).filter((w) => w.code === 'HISTORY_YEAR_MISSING');
          const warnings = await storedRunWarnings(store.runResults(run.record.id));
          if (ctx.json) {
            const json = {
              run: run.record.id,
              ...(unapplied.length > 0 ? { unappliedSpecialReviewDecisions: unapplied } : {}),
              policies: y.policies,
              policyFolder: { dir: folderNote.used, bundled: folderNote.bundled },
              ...(folderNote.unused.length > 0 ? { unusedPolicyFolders: folderNote.unused } : {}),
              counts: y.counts,
              ...(y.budgetWarning ? { budgetWarning: budgetWarningJson(y.budgetWarning) } : {}),
              ...(historyWarnings.length > 0 ? { historyWarnings } : {}),
              ...(warnings.length > 0 ? { warnings } : {}),
              summary: settlement.summary,
              // The members' own advances and clearings in the summary that are not paid separately (R-MC-3).
              ...(communityMembers.size > 0 ? { communityMembers: membersInPool(settlement, communityMembers) } : {}),
              ...(run.previous ? { previous: run.previous } : {}),
              ...(yearEnd.length > 0
                ? {
                    yearEndIngest: yearEnd.map((y) => ({
                      kind: y.kind,
                      read: y.report.read,
                      accepted: y.report.accepted,
                      rejected: y.report.rejected,
                      alreadyPresent: y.report.alreadyPresent,
                    })),
                  }
                : {}),
              ...(capitation ? { capitation: { heads: capitation.heads, caps: capitation.caps } } : {}),
              files,
              ...(outCheck.previous.length > 0 ? { replaced: outCheck.previous } : {}),
            };
            process.stdout.write(`${JSON.stringify(json, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
            return;
          }
          const c = y.counts;
          process.stdout.write(
            `${t(ctx, `住院病例 ${c.current} = 按床日 ${c.perDiem} + 按病种 ${c.singleDisease} + ${y.method.toUpperCase()} ${c.caseMethod}`, `${countOf(c.current, 'case', 'cases')} = per-bed-day ${c.perDiem} + single-disease ${c.singleDisease} + ${y.method.toUpperCase()} ${c.caseMethod}`)}\n`,
          );
          process.stdout.write(`${poolSummaryText(settlement, ctx.lang, communityMembers)}\n`);
          // The run's warnings as it keeps them (an implausible budget, a DIP history year without cases): the same
          // words as `runs` and the statements' summary show.
          for (const w of warnings) process.stdout.write(`  ! ${t(ctx, w.zh, w.en)}\n`);
          for (const u of unapplied) process.stdout.write(`${unappliedText(u, ctx.lang)}\n`);
          if (base) {
            process.stdout.write(await whatIfText(store, run.record.id, base.id, ctx, files));
          } else {
            process.stdout.write(`${t(ctx, '结算运行', 'settlement run')} ${run.record.id}\n`);
          }
          process.stdout.write(changedInputsText(run.previous, ctx, base !== undefined));
          if (!base && policyChanged(run.previous))
            process.stdout.write(inForceText(run.record.id, Number(f.year), ctx));
          if (capitation) process.stdout.write(`${capitationSummaryText(capitation, ctx.lang, capBudgetPolicy)}\n`);
          process.stdout.write(writtenFilesText(f.out, files, ctx.lang, f.verbose === true));
          if (base)
            process.stdout.write(
              t(
                ctx,
                '  这些报表是模拟测算（未发布）：每个工作簿的第一张表、每张表的名称和每个 CSV 的文件名都这样标明\n',
                '  these statements are a simulation, not issued: each workbook opens on a sheet saying so, every sheet name begins with "simulated" and every CSV name ends in -simulation\n',
              ),
            );
          process.stdout.write(replacedText(f.out, outCheck, ctx.lang));
        } finally {
          await store.close();
        }
      },
    );
}

/** A special-review decision the run did not apply, as one warning line (R-DIP-3). */
export function unappliedText(u: UnappliedDecision, lang: 'zh' | 'en'): string {
  const decision = lang === 'zh' ? (u.approved ? '通过' : '不通过') : u.approved ? 'approved' : 'rejected';
  if (u.reason === 'missing')
    return lang === 'zh'
      ? `  ! 特例单议结果 ${u.setlId}（${decision}）未采用：本次结算中没有该病例`
      : `  ! special-review decision ${u.setlId} (${decision}) not applied: the run has no such case`;
  return lang === 'zh'
    ? `  ! 特例单议结果 ${u.setlId}（${decision}）未采用：该病例不是特例单议候选病例（本次结算为${statusLabel(u.status ?? '', 'zh')}；候选界值见 DIP 政策 specialReview）`
    : `  ! special-review decision ${u.setlId} (${decision}) not applied: the case was not queued for special review (it is a ${statusLabel(u.status ?? '', 'en')} in this run; the bound is the DIP policy's specialReview)`;
}

/** The budget warning in JSON: money in fen, the bound as a decimal string. */
function budgetWarningJson(w: BudgetWarning) {
  return { ...w, bound: formatRatioShort(w.bound) };
}
