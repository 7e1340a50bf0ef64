/**
 * The hospital's insurance office (医院医保办): `yibao estimate` — one case (or each case of a file) at discharge
 * under the region's published parameters — and `yibao hospital settle` — the hospital's own cases priced as the
 * agency would, its expected year and its profit and loss by group, department and doctor (CSV / XLSX / JSON).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DipError } from '../dip/errors.ts';
import { estimateCase } from '../hospital/estimate.ts';
import { caseFromRecord, readCaseRows } from '../hospital/io/case-rows.ts';
import { loadPublishedDir } from '../hospital/io/published-dir.ts';
import { mostLoss, type ProfitLine } from '../hospital/profit.ts';
import { estimateText } from '../hospital/render.ts';
import { HospitalError } from '../hospital/types.ts';
import { hospitalYear } from '../hospital/year.ts';
import type { InpatientCase } from '../model/case.ts';
import { fenToYuan } from '../model/money.ts';
import { writeCsv } from '../report/csv.ts';
import { hospitalTables } from '../report/hospital-rows.ts';
import { tableToJson, writeJson } from '../report/json.ts';
import { writeXlsx } from '../report/xlsx.ts';
import { CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

type Lang = 'zh' | 'en';

function asCli(e: unknown, lang: Lang): never {
  if (e instanceof HospitalError || e instanceof DipError) {
    throw new CliError(lang === 'zh' ? e.zh : e.en, EXIT.badInput);
  }
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
  for (const [flag, v] of [
    ['--inst', o.inst],
    ['--dx', o.dx],
    ['--dscg', o.dscg],
    ['--cost', o.cost],
  ] as const) {
    if (!v)
      throw new CliError(
        t({ lang }, `缺少 ${flag}（或用 --in 文件）`, `${flag} is required (or --in FILE)`),
        EXIT.usage,
      );
  }
  const procs = (o.proc ?? '').split(',').filter(Boolean);
  const los = o.los ?? '1';
  const adm = o.adm ?? o.dscg!;
  return caseFromRecord(
    {
      setl_id: o.id ?? 'estimate',
      fixmedins_code: o.inst!,
      insutype: o.insutype,
      gend: o.sex,
      age: o.age ?? '0',
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

function lossLines(lines: readonly ProfitLine[], n: number, lang: Lang): string[] {
  return mostLoss(lines, n).map(
    (l, i) =>
      `  ${i + 1}. ${l.institutionCode} ${l.code || (l.dimension === 'group' ? t({ lang }, '未入组', 'ungrouped') : t({ lang }, '（未填）', '(blank)'))}${l.name ? ` ${l.name}` : ''}: ${t({ lang }, '病例', 'cases')} ${l.cases}, ${t({ lang }, '预测盈亏', 'profit/loss')} ${fenToYuan(l.profit)}`,
  );
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
    .option('--age <years>', '年龄(岁) / age')
    .option('--age-days <days>', '新生儿年龄(天) / age in days')
    .option('--birth-weight <g>', '新生儿出生体重(克) / birth weight')
    .option('--adm <date>', '入院日期 / admission date')
    .option('--dscg <date>', '出院日期 / discharge date')
    .option('--los <days>', '实际住院天数 / length of stay')
    .option('--way <code>', '离院方式 / discharge way', '1')
    .option('--dept <code>', '出院科别 / department')
    .option('--doctor <code>', '主诊医师代码 / attending doctor code')
    .option('--doctor-name <name>', '主诊医师姓名 / attending doctor name')
    .option('--cost <yuan>', '医疗费用总额(元) / total medical cost')
    .option('--fund <yuan>', '统筹基金支付(元) / pooled-fund payment')
    .option('--insutype <310|390>', '险种类型 / insurance type', '310')
    .action(async (o: EstimateOptions) => {
      const ctx = getContext();
      try {
        let cases = o.in ? await readCaseRows(o.in) : [caseFromFlags(o, ctx.lang)];
        if (o.in && o.id) cases = cases.filter((c) => c.setlId === o.id);
        if (cases.length === 0) throw new CliError(t(ctx, '没有要预测的病例', 'no case to estimate'), EXIT.badInput);
        const date = o.date ?? cases[0]!.dischargeTime.slice(0, 10);
        const { params } = await loadPublishedDir(o.published, date);
        const estimates = cases.map((c) => estimateCase(c, params));
        if (ctx.json) {
          process.stdout.write(`${json(estimates.length === 1 ? estimates[0] : estimates)}\n`);
        } else {
          process.stdout.write(`${estimates.map((e) => estimateText(e, ctx.lang)).join('\n\n')}\n`);
        }
        if (estimates.some((e) => e.prompts.some((p) => p.level === 'reject'))) process.exitCode = EXIT.dataProblems;
      } catch (e) {
        asCli(e, ctx.lang);
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
        const cases = await readCaseRows(o.in);
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
            `${json({ policies, cases: cases.length, prompted: y.prompted, institutions: inst, lowRisk: y.book.lowRisk, files, ms })}\n`,
          );
          return;
        }
        const L = (zh: string, en: string) => t(ctx, zh, en);
        const out = [
          `${L('公布参数', 'published parameters')}: ${policies.join(', ')}  ${L('病例', 'cases')} ${cases.length}  (${Math.round(ms)} ms)`,
          `${L('医疗费用总额', 'total medical cost')} ${fenToYuan(total('cost'))}  ${L('预测支付', 'expected payment')} ${fenToYuan(total('payment'))}  ${L('统筹基金支付（预测）', 'pooled-fund payment (expected)')} ${fenToYuan(total('fund'))}  ${L('预测盈亏', 'expected profit/loss')} ${fenToYuan(total('profit'))}`,
          `${L('事前提示', 'before-care prompts')}: ${L('质控将拒收', 'QC would reject')} ${y.prompted.reject}, ${L('信息不完整', 'incomplete')} ${y.prompted.incomplete}`,
          `${L(`亏损最多的${y.book.method === 'dip' ? '病种' : '病组'}`, 'groups that lose most')}:`,
          ...lossLines(y.book.groups, top, ctx.lang),
          `${L('亏损最多的科室', 'departments that lose most')}:`,
          ...lossLines(y.book.departments, top, ctx.lang),
          `${L('低风险组', 'low-risk groups')}: ${y.book.lowRisk.groups.length} (${y.book.lowRisk.source === 'published' ? L('公布', 'published') : L('按本院病例计算', 'computed from these cases')})`,
          ...files.map((f) => `  → ${f}`),
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } catch (e) {
        asCli(e, ctx.lang);
      }
    });
}
