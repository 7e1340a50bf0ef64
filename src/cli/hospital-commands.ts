/**
 * The hospital's insurance office (医院医保办): `yibao estimate` — one case (or each case of a file) at discharge
 * under the region's published parameters — and `yibao hospital settle` — the hospital's own cases priced as the
 * agency would, its expected year and its profit and loss by group, department and doctor (CSV / XLSX / JSON).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { departmentName } from '../codes/departments.ts';
import { dipGroupCodesIn } from '../grouping/dip/treatment.ts';
import { estimateCase } from '../hospital/estimate.ts';
import { caseFromRecord, readCaseFile } from '../hospital/io/case-rows.ts';
import { loadPublishedDir } from '../hospital/io/published-dir.ts';
import { readHospitalView } from '../hospital/io/reconcile-rows.ts';
import { mostLoss, type ProfitLine } from '../hospital/profit.ts';
import { ingestRejects } from '../hospital/prompts.ts';
import {
  type AgencyAmounts,
  type AgencyCase,
  type AuditDeduction,
  type HospitalViewCase,
  isRealDifference,
  REASON_TEXT,
  type ReconcileLine,
  type ReconcileTotal,
  reconcile,
  viewInstitution,
} from '../hospital/reconcile.ts';
import type { CasePaths } from '../hospital/reconcile-paths.ts';
import { estimateText } from '../hospital/render.ts';
import { HospitalError } from '../hospital/types.ts';
import { hospitalYear } from '../hospital/year.ts';
import type { InpatientCase } from '../model/case.ts';
import { fenToYuan } from '../model/money.ts';
import { DipError } from '../payment/dip/errors.ts';
import { writeCsv } from '../report/csv.ts';
import { hospitalTables } from '../report/hospital-rows.ts';
import { tableToJson, writeJson } from '../report/json.ts';
import { groupLabel, methodLabel } from '../report/labels.ts';
import { reconcileTables } from '../report/reconcile-rows.ts';
import { writeXlsx } from '../report/xlsx.ts';
import { openSchemeKernel } from '../run/drg-scheme.ts';
import { runDrgScheme } from '../run/explain-run.ts';
import { agencySideOfRun, institutionsOfCases, reconcilePaths } from '../run/reconcile-run.ts';
import { StoreError } from '../store/errors.ts';
import { openStore, storeMissing } from '../store/index.ts';
import { CliError, EXIT, noStoreError, t } from './context.ts';
import { headerLines } from './ingest-commands.ts';
import type { GetContext } from './main.ts';
import { settlementRunFor } from './settlement-run.ts';
import { shippedExample } from './usage-errors.ts';

type Lang = 'zh' | 'en';

function asCli(e: unknown, lang: Lang, published?: string): never {
  if (e instanceof HospitalError || e instanceof DipError) {
    // A case of an institution the published folder does not list: say where the list is.
    const where =
      published && e.code === 'UNKNOWN_INSTITUTION'
        ? lang === 'zh'
          ? `；公布参数的机构名单在 ${join(published, 'published.yaml')} 的 institutions（编码、名称、级别），请把本院加入或核对结算清单中的医疗机构编码`
          : `; the published institution list is institutions in ${join(published, 'published.yaml')} (code, name, level): add your hospital there or check the institution code of the cases`
        : '';
    throw new CliError(`${lang === 'zh' ? e.zh : e.en}${where}`, EXIT.badInput);
  }
  if (e instanceof StoreError) throw new CliError(e.text(lang), EXIT.badInput);
  throw e;
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

interface EstimateOptions {
  published: string;
  in?: string;
  id?: string;
  date?: string;
  inst?: string;
  dx?: string;
  proc?: string;
  sex: string;
  age?: string;
  ageDays?: string;
  birthWeight?: string;
  adm?: string;
  dscg?: string;
  los?: string;
  way: string;
  dept?: string;
  doctor?: string;
  doctorName?: string;
  cost?: string;
  fund?: string;
  insutype: string;
}

/** A case from the command's flags, in the flat-file contract's words. */
function caseFromFlags(o: EstimateOptions, lang: Lang): InpatientCase {
  // Every flag a case needs is named at once, with a call a user can copy (a case of the shipped example: the
  // appendectomy C002 of examples/hospital/cases.csv) and the other way, a case file.
  const missing = (
    [
      ['--inst', o.inst],
      ['--age', o.age ?? o.ageDays],
      ['--dx', o.dx],
      ['--adm', o.adm],
      ['--dscg', o.dscg],
      ['--cost', o.cost],
    ] as const
  )
    .filter(([, v]) => !v)
    .map(([flag]) => flag);
  if (missing.length > 0 && (o.inst === undefined || missing.length > 1)) {
    const zh = lang === 'zh';
    const call = `yibao estimate --published ${o.published}`;
    throw new CliError(
      [
        zh
          ? `缺少 ${missing.join('、')}：用选项给出一个病例，或用 --in 给出病例文件`
          : `missing ${missing.join(', ')}: give one case by its options, or a case file with --in`,
        `${zh ? '例如' : 'for example'}: ${call} --inst H99010200001 --age 61 --dx K35.800 --proc 47.0901@2025-03-03 --adm 2025-03-02 --dscg 2025-03-14 --los 12 --cost 21000`,
        `${zh ? '或' : 'or'}: ${call} --in ${shippedExample('hospital/cases.csv')} --id C002`,
      ].join('\n'),
      EXIT.usage,
    );
  }
  for (const [flag, v] of [
    ['--inst', o.inst],
    ['--dx', o.dx],
    ['--adm', o.adm],
    ['--dscg', o.dscg],
    ['--cost', o.cost],
  ] as const) {
    if (!v)
      throw new CliError(
        t({ lang }, `缺少 ${flag}（或用 --in 文件）`, `${flag} is required (or --in FILE)`),
        EXIT.usage,
      );
  }
  // Without an age the case would be read as 0 years old, grouped as an infant and prompted "年龄为 0 岁，年龄(天)必填".
  if (o.age === undefined && o.ageDays === undefined)
    throw new CliError(
      t(
        { lang },
        '缺少 --age（年龄，岁；不足 1 周岁的新生儿给 --age 0 --age-days 天数）',
        '--age is required (years; a newborn under one year: --age 0 --age-days DAYS)',
      ),
      EXIT.usage,
    );
  const procs = (o.proc ?? '').split(',').filter(Boolean);
  // The stay is the dates' (as the settlement-list QC counts it: discharge − admission, at least 1 day) unless
  // --los says otherwise; it was 1 day at the discharge date whatever the dates, and QC then refused the case.
  const adm = o.adm!;
  const los = o.los ?? String(stayDays(adm, o.dscg!));
  return caseFromRecord(
    {
      setl_id: o.id ?? 'estimate',
      fixmedins_code: o.inst!,
      insutype: o.insutype,
      gend: o.sex,
      age: o.age ?? '0', // only a newborn's --age-days was given
      nwb_age: o.ageDays ?? '',
      nwb_bir_wt: o.birthWeight ?? '',
      adm_time: adm,
      dscg_time: o.dscg!,
      act_ipt_days: los,
      dscg_way: o.way,
      dscg_caty: o.dept ?? '',
      chfpdr_code: o.doctor ?? '',
      chfpdr_name: o.doctorName ?? '',
      diag_codes: o.dx!.split(',').join('|'),
      oprn_oprt_codes: procs.map((p) => p.split('@')[0]!).join('|'),
      oprn_oprt_dates: procs.map((p) => p.split('@')[1] ?? '').join('|'),
      medfee_sumamt: o.cost!,
      hifp_pay: o.fund ?? '0',
    },
    t({ lang }, '命令行参数', 'command-line flags'),
  );
}

/** Days between two dates (YYYY-MM-DD, a time after it ignored) as QC counts a stay: at least 1; 1 when unreadable. */
export function stayDays(admission: string, discharge: string): number {
  const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 86_400_000;
  const n = day(discharge) - day(admission);
  return Number.isFinite(n) ? Math.max(1, n) : 1;
}

/** `--id` names no case of the file: say so, with the file's first ids and the way to estimate them all. */
export function idNotInFile(id: string, file: string, cases: readonly InpatientCase[], lang: Lang): string {
  const first = cases.slice(0, 5).map((c) => c.setlId);
  const more = cases.length > first.length;
  return lang === 'zh'
    ? `结算ID ${id} 不在 ${file} 中（文件有 ${cases.length} 例：${first.join('、')}${more ? ' 等' : ''}）：请核对 --id，或去掉 --id 预测文件中的全部病例`
    : `settlement id ${id} is not in ${file} (it has ${cases.length} ${cases.length === 1 ? 'case' : 'cases'}: ${first.join(', ')}${more ? ', …' : ''}): check --id, or leave it out to estimate every case of the file`;
}

/** The lines that lose most, a comprehensive group in words (`C34 综合病种（相关手术）`); "none" when none loses. */
export function lossLines(lines: readonly ProfitLine[], n: number, lang: Lang): string[] {
  const loss = mostLoss(lines, n);
  if (loss.length === 0) return [`  ${t({ lang }, '（无亏损）', '(none loses)')}`];
  return loss.map((l, i) => {
    const code = l.dimension === 'group' && l.code ? groupLabel(l.code, lang) : l.code;
    // A department by its name in the asked language (en showed 03 内科).
    const name = l.dimension === 'department' ? departmentName(l.code, lang) || l.name : l.name;
    return `  ${i + 1}. ${l.institutionCode} ${code || (l.dimension === 'group' ? t({ lang }, '未入组', 'ungrouped') : t({ lang }, '（未填）', '(blank)'))}${name ? ` ${name}` : ''}${t({ lang }, '：', ': ')}${t({ lang }, '病例', 'cases')} ${l.cases}${t({ lang }, '，', ', ')}${t({ lang }, '预测盈亏', 'profit/loss')} ${fenToYuan(l.profit)}`;
  });
}

export function registerHospitalCommands(program: Command, getContext: GetContext): void {
  program
    .command('estimate')
    .description(
      '出院时预测一个病例：分组路径、支付标准、偏差界值、预测支付与盈亏、事前提示 / estimate a case at discharge',
    )
    .requiredOption('--published <dir>', '公布的付费参数目录 / folder of the published parameters')
    .option('--in <file>', '结算清单文件（CSV/XLSX）/ settlement lists (CSV/XLSX)')
    .option('--id <setl_id>', '只预测该结算ID / only this setl_id')
    .option('--date <yyyy-mm-dd>', '政策生效日期（默认出院日期）/ date the parameters are taken on')
    .option('--inst <code>', '定点医疗机构编号 / institution code')
    .option('--dx <codes>', '诊断编码，逗号分隔，首个为主要诊断 / diagnoses, principal first')
    .option('--proc <codes>', '手术操作编码[@日期]，逗号分隔 / procedures code[@date]')
    .option('--sex <1|2|9>', '性别 / sex', '9')
    .option('--age <years>', '年龄（岁）/ age')
    .option('--age-days <days>', '新生儿年龄（天）/ age in days')
    .option('--birth-weight <g>', '新生儿出生体重（克）/ birth weight')
    .option('--adm <date>', '入院日期 / admission date')
    .option('--dscg <date>', '出院日期 / discharge date')
    .option('--los <days>', '实际住院天数 / length of stay')
    .option('--way <code>', '离院方式 / discharge way', '1')
    .option('--dept <code>', '出院科别 / department')
    .option('--doctor <code>', '主诊医师代码 / attending doctor code')
    .option('--doctor-name <name>', '主诊医师姓名 / attending doctor name')
    .option('--cost <yuan>', '医疗费用总额（元）/ total medical cost')
    .option('--fund <yuan>', '统筹基金支付（元）/ pooled-fund payment')
    .option('--insutype <310|390>', '险种类型 / insurance type', '310')
    .action(async (o: EstimateOptions) => {
      const ctx = getContext();
      try {
        const file = o.in ? await readCaseFile(o.in) : undefined;
        let cases = file ? file.cases : [caseFromFlags(o, ctx.lang)];
        if (o.in && cases.length === 0)
          throw new CliError(t(ctx, `${o.in} 中没有病例`, `no case in ${o.in}`), EXIT.badInput);
        if (o.in && o.id) {
          const all = cases;
          cases = cases.filter((c) => c.setlId === o.id);
          if (cases.length === 0) throw new CliError(idNotInFile(o.id, o.in, all, ctx.lang), EXIT.badInput);
        }
        const date = o.date ?? cases[0]!.dischargeTime.slice(0, 10);
        const { params } = await loadPublishedDir(o.published, date);
        // A case typed with flags and no --fund: its fund payment is not known (hifp_pay 0 is a placeholder).
        const fundPayGiven = o.in !== undefined || o.fund !== undefined;
        const estimates = cases.map((c) => estimateCase(c, params, { fundPayGiven }));
        if (ctx.json) {
          process.stdout.write(`${json(estimates.length === 1 ? estimates[0] : estimates)}\n`);
        } else {
          // A case typed with flags and no --id carries the internal id 'estimate': the text says so in words.
          const typed = !o.in && !o.id ? t(ctx, '（未给出，按参数预测）', '(none given: typed as flags)') : undefined;
          const shown = typed ? estimates.map((e) => ({ ...e, setlId: typed })) : estimates;
          // A title row above the header was skipped: said as yibao qc says it.
          const skipped = file ? headerLines(file, ctx).map((l) => `${l.trim()}\n`) : [];
          process.stdout.write(`${skipped.join('')}${shown.map((e) => estimateText(e, ctx.lang)).join('\n\n')}\n`);
        }
        if (estimates.some((e) => e.prompts.some((p) => p.level === 'reject'))) process.exitCode = EXIT.dataProblems;
      } catch (e) {
        asCli(e, ctx.lang, o.published);
      }
    });

  const hospital = program.command('hospital').description('医院医保办：医院端测算与盈亏 / the hospital side');
  hospital
    .command('settle')
    .description(
      '以公布参数按经办规则结算本院病例，输出预测年度、病组/科室/医师盈亏 / settle the hospital’s cases with the published parameters',
    )
    .requiredOption('--published <dir>', '公布的付费参数目录 / folder of the published parameters')
    .requiredOption('--in <file>', '本院结算清单（CSV/XLSX）/ the hospital’s settlement lists')
    .option('--out <dir>', '输出目录 / output folder', 'out/hospital')
    .option('--date <yyyy-mm-dd>', '政策生效日期（默认最晚出院日期）/ date the parameters are taken on')
    .option('--format <list>', 'csv,json,xlsx', 'xlsx,csv')
    .option('--top <n>', '亏损排名条数 / lines in the loss rankings', '5')
    .action(async (o: { published: string; in: string; out: string; date?: string; format: string; top: string }) => {
      const ctx = getContext();
      const formats = o.format.split(',').map((f) => f.trim());
      for (const f of formats)
        if (!['csv', 'json', 'xlsx'].includes(f)) throw new CliError(`--format: ${f}?`, EXIT.usage);
      const top = Number(o.top);
      if (!Number.isInteger(top) || top < 1) throw new CliError('--top', EXIT.usage);
      try {
        const started = performance.now();
        const file = await readCaseFile(o.in);
        const cases = file.cases;
        if (cases.length === 0) throw new CliError(t(ctx, '文件中没有病例', 'no case in the file'), EXIT.badInput);
        const date = o.date ?? cases.reduce((m, c) => (c.dischargeTime > m ? c.dischargeTime : m), '').slice(0, 10);
        const { params, policies } = await loadPublishedDir(o.published, date);
        const y = hospitalYear(cases, params);
        const ms = performance.now() - started;
        mkdirSync(o.out, { recursive: true });
        const tables = hospitalTables(y, ctx.lang, Math.max(top, 10));
        const files: string[] = [];
        if (formats.includes('xlsx')) {
          const f = join(o.out, 'hospital.xlsx');
          await writeXlsx(f, tables, ctx.lang);
          files.push(f);
        }
        if (formats.includes('csv')) {
          for (const tb of tables) {
            const f = join(o.out, `${tb.name}.csv`);
            writeCsv(f, tb, ctx.lang);
            files.push(f);
          }
        }
        if (formats.includes('json')) {
          const f = join(o.out, 'hospital.json');
          writeJson(f, tables.map(tableToJson));
          files.push(f);
        }
        const inst = y.book.institutions;
        const total = (k: 'cost' | 'payment' | 'fund' | 'profit') => inst.reduce((s, l) => s + l[k], 0);
        if (ctx.json) {
          process.stdout.write(
            `${json({ policies, cases: cases.length, counted: y.estimates.length, rejected: y.rejected.map((e) => ({ setlId: e.setlId, prompts: ingestRejects(e.prompts) })), prompted: y.prompted, institutions: inst, lowRisk: y.book.lowRisk, files, ms })}\n`,
          );
          if (y.rejected.length > 0) process.exitCode = EXIT.dataProblems;
          return;
        }
        const L = (zh: string, en: string) => t(ctx, zh, en);
        const gw = y.book.method === 'dip' ? '病种' : '病组';
        const [gwEn, gwEn1] = y.book.method === 'dip' ? ['DIP groups', 'DIP group'] : ['DRGs', 'DRG'];
        // R-DATA-1: a case QC would reject is not paid as it is: apart from every total, listed with its reasons.
        const nRejected = y.rejected.length;
        // Prompted "QC would reject" by a rule the ingest does not check (the principal-diagnosis rule): counted.
        const counted = y.prompted.reject - nRejected;
        const rejectedFile = formats.includes('csv')
          ? join(o.out, 'hospital-rejected.csv')
          : formats.includes('xlsx')
            ? join(o.out, 'hospital.xlsx')
            : join(o.out, 'hospital.json');
        const rejectedNote =
          nRejected > 0
            ? L(
                `（计入预测 ${y.estimates.length}；结算清单质控将拒收 ${nRejected} 例，不计入）`,
                ` (${y.estimates.length} counted; ${nRejected} the settlement-list QC would reject, not counted)`,
              )
            : '';
        const rejectedLines =
          nRejected > 0
            ? [
                L(
                  `结算清单质控（yibao qc）将拒收的病例不计入以下任何合计：上传后被拒收，不会按现状支付；改正后重新运行。清单见 ${rejectedFile}：`,
                  `cases the settlement-list QC (yibao qc) would reject are in none of the totals below: rejected on upload, they are not paid as they are; correct them and run again. The list is in ${rejectedFile}:`,
                ),
                ...y.rejected.slice(0, 10).map(
                  (e) =>
                    `  ${e.setlId}${L('：', ': ')}${ingestRejects(e.prompts)
                      .map((p) => (ctx.lang === 'zh' ? p.zh : p.en))
                      .join(L('；', '; '))}`,
                ),
                ...(nRejected > 10
                  ? [L(`  ……另 ${nRejected - 10} 例见清单`, `  … ${nRejected - 10} more in the list`)]
                  : []),
              ]
            : [];
        const out = [
          `${L('公布参数：', 'published parameters: ')}${policies.join(', ')}  ${L('病例', 'cases')} ${cases.length}${rejectedNote}  (${Math.round(ms)} ms)`,
          ...headerLines(file, ctx),
          `${L('医疗费用总额', 'total medical cost')} ${fenToYuan(total('cost'))}  ${L('预测支付', 'expected payment')} ${fenToYuan(total('payment'))}  ${L('统筹基金支付（预测）', 'pooled-fund payment (expected)')} ${fenToYuan(total('fund'))}  ${L('预测盈亏', 'expected profit/loss')} ${fenToYuan(total('profit'))}`,
          `${L('事前提示：', 'before-care prompts: ')}${L('质控将拒收', 'QC would reject')} ${y.prompted.reject}${counted > 0 ? L(`（其中 ${counted} 例按编码规则提示，本统筹区入库质控不拒收，仍计入预测）`, ` (${counted} by a coding rule the region's ingest QC does not check: still counted)`) : ''}${L('，', ', ')}${L('信息不完整', 'incomplete')} ${y.prompted.incomplete}`,
          ...rejectedLines,
          `${L(`亏损最多的${y.book.method === 'dip' ? '病种：' : '病组：'}`, 'groups that lose most:')}`,
          ...lossLines(y.book.groups, top, ctx.lang),
          L('亏损最多的科室：', 'departments that lose most:'),
          ...lossLines(y.book.departments, top, ctx.lang),
          `${L('低风险组：', 'low-risk groups: ')}${y.book.lowRisk.groups.length}${y.book.lowRisk.source === 'published' ? L('（公布）', ' (published)') : L('（按本院病例计算）', ' (computed from these cases)')}`,
          // Which reference the consumption indices use (the README spoke of "the region's same groups").
          L(
            `消耗指数参照：费用消耗指数按公布的${gw}次均费用（${y.book.references.costPublished}/${y.book.references.groups} 个${gw}，其余按本文件病例）；时间消耗指数按本文件病例的同${gw}平均住院日（地区平均住院日未公布）；只与自身比较（恒为 1）的行留空`,
            `consumption indices against: cost — the published mean cost of the ${gwEn} (${y.book.references.costPublished} of ${y.book.references.groups}, the rest the mean of these cases); time — the mean stay of the same ${gwEn1} in these cases (no regional stay is published); lines compared only with themselves (always 1) are left blank`,
          ),
          ...files.map((f) => `  → ${f}`),
        ];
        process.stdout.write(`${out.join('\n')}\n`);
        // README "Exit codes": 1 when the data has problems (rows QC would reject).
        if (nRejected > 0) process.exitCode = EXIT.dataProblems;
      } catch (e) {
        asCli(e, ctx.lang, o.published);
      }
    });

  hospital
    .command('reconcile')
    .description(
      '对账：本院病例视图与经办结算运行逐例比对，给出差异原因与差额 / reconcile the hospital’s view with the agency’s stored run',
    )
    .option(
      '--run <id>',
      '结算运行ID（yibao runs --settlements 列出；默认或 latest：最近一次）/ settlement run id (yibao runs --settlements; default or latest: the most recent)',
    )
    .requiredOption(
      '--in <file>',
      '本院病例视图（CSV/XLSX：setl_id|结算ID, group|病种编码|病组编码, points|点数, amount|金额 元；可选 fixmedins_code, status|病例类型, diag_codes|诊断编码, oprn_oprt_codes|手术操作编码）/ the hospital’s view',
    )
    .option(
      '--inst <code>',
      '只比对该机构（默认：视图中的机构；视图无机构列时为其病例在该运行中所属的机构）/ only this institution (default: the view’s; without an institution column, the one its cases belong to in the run)',
    )
    .option('--out <dir>', '输出目录 / output folder', 'out/reconcile')
    .option('--pack <path>', 'DRG 分组方案数据包（默认该运行所用的）/ CHS-DRG pack (default: the run’s)')
    .action(async (o: { run?: string; in: string; inst?: string; out: string; pack?: string }) => {
      const ctx = getContext();
      const L = (zh: string, en: string) => t(ctx, zh, en);
      try {
        const view = await readHospitalView(o.in);
        if (view.length === 0) throw new CliError(L('文件中没有病例', 'no case in the file'), EXIT.badInput);
        const insts = new Set(view.map((v) => v.institution).filter((i): i is string => i !== null));
        let inst = o.inst ?? (insts.size === 1 ? [...insts][0] : undefined);
        let instNote = '';
        if (storeMissing(ctx.db))
          throw noStoreError(ctx, {
            zh: '对账要读取经办的结算运行，请先运行 yibao settle --year 年度（或 yibao demo）',
            en: "Reconciliation reads the agency's settlement run: run yibao settle --year YYYY (or yibao demo) first",
          });
        // the agency's store: a DuckDB file or ClickHouse (the run's results are read through the Store interface)
        const store = await openStore(ctx.db, { readOnly: true });
        let side: Awaited<ReturnType<typeof agencySideOfRun>>;
        let paths = new Map<string, CasePaths>();
        let pathNote = '';
        let runId: string | undefined;
        let viewed = view;
        try {
          // Without --run (or with --run latest, as the API's runs/latest), the most recent settlement run.
          const { record, reader } = await settlementRunFor(store, ctx, { run: o.run });
          runId = record.id;
          if (inst === undefined && insts.size === 0) {
            // No institution column: the run says whose cases they are (another institution's would all be missing).
            inst = institutionOfView(
              view,
              await institutionsOfCases(
                reader,
                view.map((v) => v.setlId),
              ),
              runId,
              ctx.lang,
            );
            instNote = L(
              `医院文件未给出机构编码：其病例在该结算运行中属于机构 ${inst}，只比对该机构（另一机构请用 --inst 机构编码）`,
              `the hospital’s file gives no institution code: its cases belong to institution ${inst} in this run, so only it is compared (another one: --inst CODE)`,
            );
          }
          // A view without institution codes is of the institution compared: its rows say so (a case missing at the
          // agency was listed with a blank 机构编码 under --inst H1).
          if (inst !== undefined) {
            const code = inst;
            viewed = view.map((v) => (v.institution === null ? { ...v, institution: code } : v));
          }
          side = await agencySideOfRun(reader, inst);
          // A view of several institutions is compared with those institutions, not every one of the run.
          if (inst === undefined) side = ofInstitutions(side, insts);
          const first = reconcile(viewed, side.cases, side.deductions);
          const differ = first.lines.filter((l) => l.reason === 'group').map((l) => l.setlId);
          try {
            paths = await reconcilePaths(store, reader, view, differ, () =>
              openSchemeKernel(o.pack ?? runDrgScheme(record)),
            );
          } catch (e) {
            // The path is an aid: a run whose snapshot or pack cannot be loaded still reconciles, without it.
            pathNote = `${L('分组路径未能重算：', 'grouping paths not recomputed: ')}${e instanceof Error ? e.message : String(e)}`;
          }
        } finally {
          await store.close();
        }
        const r = reconcile(viewed, side.cases, side.deductions, (id) => paths.get(id) ?? null);
        const splitAtStake = r.totals.find((x) => !isRealDifference(x.reason))?.atStake ?? 0;
        // README "Exit codes": 1 on mismatches — any real difference (a case on one side only, another group, type,
        // rule, coefficient, amount or an audit deduction); cases a fen off only by the agency's split are not one.
        const mismatches = r.totals.some((x) => isRealDifference(x.reason) && x.cases > 0);
        mkdirSync(o.out, { recursive: true });
        const tables = reconcileTables(r, ctx.lang, side.amounts);
        const xlsx = join(o.out, 'reconcile.xlsx');
        await writeXlsx(xlsx, tables, ctx.lang);
        const files = [xlsx];
        for (const tb of tables) {
          const f = join(o.out, `${tb.name}.csv`);
          writeCsv(f, tb, ctx.lang);
          files.push(f);
        }
        if (ctx.json) {
          process.stdout.write(
            `${json({ run: runId, institution: inst ?? null, institutionFrom: o.inst ? 'option' : instNote ? 'run' : insts.size > 0 ? 'view' : null, agencyAmounts: side.amounts, matched: r.matched, totals: r.totals, realAtStake: r.atStake - splitAtStake, atStake: r.atStake, files })}\n`,
          );
          if (mismatches) process.exitCode = EXIT.dataProblems;
          return;
        }
        const reasonLine = (x: ReconcileTotal) =>
          `  ${REASON_TEXT[x.reason][ctx.lang === 'zh' ? 0 : 1]}${L('：', ': ')}${x.cases}  ${L('差额', 'at stake')} ${fenToYuan(x.atStake)}${byMethod(r.lines, x.reason, ctx.lang)}`;
        const real = r.totals.filter((x) => isRealDifference(x.reason));
        const split = r.totals.find((x) => !isRealDifference(x.reason));
        const out = [
          `${L('结算运行', 'run')} ${runId}${inst ? `  ${L('机构', 'institution')} ${inst}` : `  ${L('机构', 'institutions')} ${[...insts].sort().join(L('、', ', '))}`}  ${L('医院病例', 'hospital cases')} ${view.length}  ${L('经办病例', 'agency cases')} ${side.cases.length}  ${L('一致', 'matching')} ${r.matched}`,
          ...(instNote ? [instNote] : []),
          ...agencyAmountsNote(side.amounts, ctx.lang),
          ...real.map(reasonLine),
          ...(split
            ? [
                ...(real.length > 0
                  ? [
                      `${L('实际差异合计（不含分配尾差）：', 'real differences (without the fen split): ')}${fenToYuan(r.atStake - split.atStake)}`,
                    ]
                  : [L('实际差异：无', 'real differences: none')]),
                L(
                  `${split.cases} 例仅差分配尾差（每例 1 分，合计 ${fenToYuan(split.atStake)}）：差额来自经办按最大余数法把本机构点数金额分到各病例（每例至多 1 分），不是实际差异`,
                  `${split.cases} ${split.cases === 1 ? 'case differs' : 'cases differ'} only by the fen split (1 fen each, ${fenToYuan(split.atStake)} in all): the difference comes from the agency’s largest-remainder split of the institution’s points value over its cases (at most 1 fen a case); not a real difference`,
                ),
              ]
            : []),
          `${L('合计差额（经办−医院）：', 'total at stake (agency − hospital): ')}${fenToYuan(r.atStake)}`,
          ...(pathNote ? [pathNote] : []),
          ...groupPathLines(r.lines, ctx.lang, 10),
          ...files.map((f) => `  → ${f}`),
        ];
        process.stdout.write(`${out.join('\n')}\n`);
        if (mismatches) process.exitCode = EXIT.dataProblems;
      } catch (e) {
        asCli(e, ctx.lang);
      }
    });
}

/**
 * The institution a view without an institution column is reconciled for: the one its cases belong to in the run;
 * when they belong to several or to none, the user must name it (--inst), told what was found.
 */
export function institutionOfView(
  view: readonly HospitalViewCase[],
  found: ReadonlyMap<string, string>,
  runId: string,
  lang: Lang,
): string {
  const of = viewInstitution(view, found);
  if (of.kind === 'one') return of.institution;
  const zh = lang === 'zh';
  if (of.kind === 'none')
    throw new CliError(
      zh
        ? `医院文件未给出机构编码，其 ${view.length} 例在结算运行 ${runId} 中一例也没有找到：请用 --inst 机构编码 指定要比对的机构，并核对结算ID与所选结算运行（yibao runs --settlements 列出）`
        : `the hospital’s file gives no institution code and none of its ${view.length} ${view.length === 1 ? 'case' : 'cases'} is in run ${runId}: give the institution to compare with --inst CODE, and check the settlement ids and the run (yibao runs --settlements lists them)`,
      EXIT.badInput,
    );
  const list = of.institutions.map(([i, n]) => (zh ? `${i} ${n} 例` : `${i} ${n}`)).join(zh ? '，' : ', ');
  throw new CliError(
    zh
      ? `医院文件未给出机构编码，其病例在结算运行 ${runId} 中分属 ${of.institutions.length} 家机构（${list}）：请用 --inst 机构编码 指定要比对的机构`
      : `the hospital’s file gives no institution code and its cases belong to ${of.institutions.length} institutions in run ${runId} (cases: ${list}): give the institution to compare with --inst CODE`,
    EXIT.badInput,
  );
}

/** The agency's side restricted to the institutions a view names (cases and audit deductions). */
function ofInstitutions<S extends { cases: AgencyCase[]; deductions: AuditDeduction[] }>(
  side: S,
  institutions: ReadonlySet<string>,
): S {
  return {
    ...side,
    cases: side.cases.filter((c) => institutions.has(c.institution)),
    deductions: side.deductions.filter((d) => institutions.has(d.institution)),
  };
}

/**
 * The cases of a reason by the agency's payment method, when they are of more than one (a hospital's view of its
 * DIP cases alone misses the per-bed-day and single-disease cases the pool also paid): "（按病种分值付费（DIP） 1，按床日付费 25）".
 */
export function byMethod(lines: readonly ReconcileLine[], reason: ReconcileLine['reason'], lang: Lang): string {
  const n = new Map<string, number>();
  for (const l of lines)
    if (l.reason === reason && l.agencyMethod) n.set(l.agencyMethod, (n.get(l.agencyMethod) ?? 0) + 1);
  if (n.size < 2) return '';
  const parts = [...n].map(([m, k]) => `${methodLabel(m, lang)} ${k}`);
  return lang === 'zh' ? `（${parts.join('，')}）` : ` (${parts.join(', ')})`;
}

/**
 * Said once when the run kept no 病例结算金额 (R-DIP-6): the agency's amounts are then computed here, case by case,
 * and their differences need not add up to the institution's.
 */
export function agencyAmountsNote(amounts: AgencyAmounts, lang: Lang): string[] {
  if (amounts === 'stored') return [];
  const zh = lang === 'zh';
  const why =
    amounts === 'not-stored'
      ? zh
        ? '该结算运行早于按病例存储结算金额，未存储病例结算金额'
        : 'this run was stored before settled amounts were kept per case'
      : zh
        ? '该结算运行的结算参数规定不把机构金额分到病例（未存储病例结算金额）'
        : 'this run’s settlement policy splits no institution amount over its cases (no settled amounts stored)';
  return [
    zh
      ? `注：${why}；经办金额按病例点数×点值逐例四舍五入计算，各病例差额之和可能与机构差额相差几分`
      : `note: ${why}; the agency’s amounts are points × point value rounded half-up case by case, so the cases’ differences may miss the institution’s by a few fen`,
  ];
}

/** Each case whose group differs, with both grouping paths (the first `limit`; all are in the workbook). */
export function groupPathLines(lines: readonly ReconcileLine[], lang: Lang, limit: number): string[] {
  const zh = lang === 'zh';
  const differ = lines.filter((l) => l.reason === 'group' && l.paths);
  if (differ.length === 0) return [];
  const out = [zh ? '分组不同的病例（双方分组路径）:' : 'cases in another group (both grouping paths):'];
  const path = (steps: readonly { zh: string; en: string }[]) => steps.map((s) => s[lang]).join(' → ');
  for (const l of differ.slice(0, limit)) {
    out.push(
      zh
        ? `  ${l.setlId}  经办 ${l.agencyGroup ?? '（未入组）'}  医院 ${l.hospitalGroup ?? '（未入组）'}  差额 ${fenToYuan(l.atStake)}`
        : `  ${l.setlId}  agency ${l.agencyGroup ?? '(ungrouped)'}  hospital ${l.hospitalGroup ?? '(ungrouped)'}  at stake ${fenToYuan(l.atStake)}`,
    );
    if (l.parting) out.push(`    ${zh ? '分歧' : 'paths part'}: ${l.parting[lang]}`);
    out.push(`    ${zh ? '经办路径' : 'agency path'}: ${path(l.paths!.agency)}`);
    out.push(
      `    ${zh ? '医院路径' : 'hospital path'}: ${
        l.paths!.hospital
          ? path(l.paths!.hospital)
          : zh
            ? '（视图未给出诊断编码、手术操作编码两列）'
            : '(the view has no diagnosis codes / procedure codes columns)'
      }`,
    );
  }
  if (differ.length > limit)
    out.push(zh ? `  ……另 ${differ.length - limit} 例见工作簿` : `  … ${differ.length - limit} more in the workbook`);
  // Group codes as the statements spell them: K35 综合病种（相关手术）, K35.8 + 47.0901, J18.9（无手术操作）.
  return out.map((line) => dipGroupCodesIn(line, lang));
}
