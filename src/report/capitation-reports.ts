/**
 * Statements of a capitation year (按病种结合人头付费 + 家庭医生签约服务费, seed 004): per-disease standards, the
 * plan with its 12 monthly prepayments, the year end with the sharing bands and the clearing, the family-doctor fee,
 * every head and the visits that fit no head — as CSV, JSON and XLSX with Chinese headers, and a short text summary.
 */
import { join } from 'node:path';
import type { InsuranceType } from '../model/case.ts';
import { insuranceTypeShortWord } from '../model/code-words.ts';
import { type Fen, fenToYuan, formatRatio, type Ratio, ratio } from '../model/money.ts';
import type { CapitationYearResult, CapitationYearSummary } from '../payment/capitation/year-result.ts';
import { writeDirAtomic } from './atomic.ts';
import { writeCsv, writeCsvStream } from './csv.ts';
import type { ReportFormat } from './dip-reports.ts';
import { tableToJson, writeJson } from './json.ts';
import { headLabel, statusLabel } from './labels.ts';
import { type Pseudonymiser, pseudonymiser } from './pseudonym.ts';
import { SIMULATION, type SimulationOf, simulationNoticeTable, simulationTable } from './simulation.ts';
import { type AnyTable, col, type Row, type StreamTable, type Table } from './table.ts';
import { type UnitRowView, unitRowsStream, unitViews } from './unit-rows.ts';
import { writeXlsx } from './xlsx.ts';

/**
 * What the capitation policy the run applied says of the cap (四(三)1), read from the run's policy snapshot: the share
 * of each fund's spending budget set aside (null: the cap is an amount) and the clauses of the share and of the
 * amount. With the year's `budget` (which basis, which spending) it names where the cap — and so the year's total —
 * comes from, without computing anything again.
 */
export interface CapBudgetPolicy {
  share: Record<InsuranceType, Ratio | null> | null;
  shareSource: string;
  amountSource: string;
}

/** A share as a percentage, as the policy would say it (0.036 → 3.6%). */
function percentText(r: Ratio): string {
  return `${formatRatio(ratio(r.num * 100n, r.den), 4).replace(/\.?0+$/, '')}%`;
}

/** The share of each fund: one figure when both are the same (`3.6%`), else each (`职工 3.6%、居民 3.0%`). */
function sharesText(p: CapBudgetPolicy, lang: 'zh' | 'en'): string | null {
  if (!p.share) return null;
  const e = p.share.employee;
  const res = p.share.resident;
  if (e && res && e.num * res.den === res.num * e.den) return percentText(e);
  const parts = (['employee', 'resident'] as const).flatMap((f) =>
    p.share?.[f] ? [`${insuranceTypeShortWord(f, lang)} ${percentText(p.share[f]!)}`] : [],
  );
  return parts.join(lang === 'zh' ? '、' : ', ');
}

/**
 * One line naming the cap's budget basis (总控额度依据): which fund and which year's spending it is drawn from, the
 * share, that no growth rate is added, and the clause — from the run's summary and the policy it applied.
 */
export function capitationBudgetBasisText(
  r: Pick<CapitationYearSummary, 'year' | 'budget'>,
  p: CapBudgetPolicy,
  lang: 'zh' | 'en' = 'zh',
): string {
  const zh = lang === 'zh';
  const y = (f: Fen) => `${fenToYuan(f)} ${zh ? '元' : 'yuan'}`;
  const b = r.budget;
  const funds = b.fundBudgets
    ? zh
      ? `职工 ${y(b.fundBudgets.employee)}、居民 ${y(b.fundBudgets.resident)}`
      : `employee ${y(b.fundBudgets.employee)}, resident ${y(b.fundBudgets.resident)}`
    : '';
  const share = sharesText(p, lang) ?? '—';
  switch (b.basis) {
    case 'caps':
      return zh
        ? '  总控额度依据：结算时随年度预算给出的总控额度（未按比例提取）'
        : '  cap basis: the caps given with the annual budget at settlement (no share drawn)';
    case 'policy':
      return zh
        ? `  总控额度依据：按人头付费政策写定的数额（依据：${p.amountSource}）`
        : `  cap basis: the amounts the capitation policy states (source: ${p.amountSource})`;
    case 'fund-budgets':
      return zh
        ? `  总控额度依据：${r.year} 年基本医保统筹基金支出总预算（${funds}）× 提取比例 ${share}，不另加增长率（依据：${p.shareSource}）`
        : `  cap basis: the ${r.year} pooled-fund spending budget (${funds}) × the share ${share}, no growth rate added (source: ${p.shareSource})`;
    case 'previous-year-spending':
      return zh
        ? `  总控额度依据：未给出 ${r.year} 年基金支出总预算，以 ${r.year - 1} 年实际统筹基金支出（住院 + 门特；${funds}）代替，× 提取比例 ${share}，不另加增长率（依据：${p.shareSource}）`
        : `  cap basis: no ${r.year} fund spending budget given, so the ${r.year - 1} pooled-fund spending (inpatient + special-disease outpatient; ${funds}) stands in, × the share ${share}, no growth rate added (source: ${p.shareSource})`;
  }
}

/** The cap of each fund with its basis (总控额度), one row per fund: the spending it is drawn from, the share, the cap. */
export function capitationCapsTable(r: CapitationYearSummary, p: CapBudgetPolicy, lang: 'zh' | 'en' = 'zh'): Table {
  const zh = lang === 'zh';
  const b = r.budget;
  const basis: Record<CapitationYearSummary['budget']['basis'], [string, string]> = {
    caps: ['结算时给出的总控额度', 'caps given at settlement'],
    policy: ['政策写定的数额', 'amounts the policy states'],
    'fund-budgets': [`${r.year} 年基金支出总预算`, `${r.year} fund spending budget`],
    'previous-year-spending': [
      `${r.year - 1} 年实际统筹基金支出（未给出 ${r.year} 年预算）`,
      `${r.year - 1} pooled-fund spending (no ${r.year} budget given)`,
    ],
  };
  const drawn = b.basis === 'fund-budgets' || b.basis === 'previous-year-spending';
  return {
    name: 'capitation-caps',
    zh: '总控额度',
    en: 'caps',
    columns: [
      col('fund', 'text', '险种', 'fund'),
      col('basis', 'text', '预算依据', 'budget basis'),
      col('spending', 'money', '基金支出（元）', 'fund spending (yuan)'),
      col('share', 'decimal', '提取比例', 'share', { digits: 6 }),
      col('cap', 'money', '总控额度（元）', 'cap (yuan)'),
      col('source', 'text', '依据', 'source'),
    ],
    rows: (['employee', 'resident'] as const).map((f) => {
      const s = p.share?.[f] ?? null;
      return {
        fund: insuranceTypeShortWord(f, lang),
        basis: basis[b.basis][zh ? 0 : 1],
        spending: drawn && b.fundBudgets ? b.fundBudgets[f] : null,
        share: drawn && s ? formatRatio(s, 6) : null,
        cap: r.caps[f],
        source: drawn ? p.shareSource : b.basis === 'policy' ? p.amountSource : '',
      };
    }),
  };
}

const nameOf = (r: CapitationYearSummary) => {
  const names = new Map(r.institutions.map((i) => [i.code, i.name]));
  return (code: string) => names.get(code) ?? '';
};

export function capitationStandardsTable(r: CapitationYearSummary, lang: 'zh' | 'en' = 'zh'): Table {
  return {
    name: 'capitation-standards',
    zh: '病种人头标准',
    en: 'standards per head',
    columns: [
      col('fund', 'text', '险种', 'fund'),
      col('disease', 'text', '门特病种', 'disease'),
      col('heads', 'int', '基期结算人数', 'base-period heads'),
      col('fundPay', 'money', '基期统筹支付', 'base-period fund payment'),
      col('adjustment', 'money', '基期门诊调增费用', 'base-period outpatient adjustment'),
      col('perHead', 'decimal', '历史人头标准（元）', 'history standard per head (yuan)'),
      col('rate', 'money', '校正的基准病种人头费率', 'corrected base rate'),
    ],
    rows: [...r.standards.history.entries()].map(([key, s]) => ({
      fund: insuranceTypeShortWord(s.insuranceType, lang),
      disease: s.diseaseCode,
      heads: s.heads,
      fundPay: s.fundPay,
      adjustment: s.outpatientAdjustment,
      perHead: formatRatio(ratio(s.perHead.num, s.perHead.den * 100n), 2),
      rate: r.standards.rates.get(key) ?? null,
    })),
  };
}

export function capitationPlanTable(r: CapitationYearSummary): Table {
  const name = nameOf(r);
  return {
    name: 'capitation-plan',
    zh: '年度总额与月度预付',
    en: 'annual totals and prepayment',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution'),
      col('name', 'text', '医疗机构', 'name'),
      col('heads', 'int', '计划人头', 'planned heads'),
      col('annualTotal', 'money', '年度病种人头付费总额', 'annual total'),
      col('monthlyTotal', 'money', '月度总额（1月）', 'monthly total (January)'),
      col('prepaidTotal', 'money', '全年预付（95%）', 'prepaid over the year (95 %)'),
      col('monthlyPrepay', 'money', '月预付额（1月）', 'monthly prepayment (January)'),
    ],
    rows: r.prepayments.map((p) => ({
      institution: p.institutionCode,
      name: name(p.institutionCode),
      heads: p.heads,
      annualTotal: p.annualTotal,
      monthlyTotal: p.months[0]?.monthlyTotal ?? null,
      prepaidTotal: p.prepaidTotal,
      monthlyPrepay: p.months[0]?.prepay ?? null,
    })),
  };
}

export function capitationMonthlyTable(r: CapitationYearSummary): Table {
  return {
    name: 'capitation-monthly',
    zh: '月度预付明细',
    en: 'monthly prepayments',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution'),
      col('month', 'text', '月份', 'month'),
      col('monthlyTotal', 'money', '月度总额', 'monthly total'),
      col('prepay', 'money', '预付额', 'prepayment'),
    ],
    rows: r.prepayments.flatMap((p) =>
      p.months.map((m) => ({
        institution: p.institutionCode,
        month: m.month,
        monthlyTotal: m.monthlyTotal,
        prepay: m.prepay,
      })),
    ),
  };
}

export function capitationYearEndTable(r: CapitationYearSummary): Table {
  const name = nameOf(r);
  const t = r.yearEnd.totals;
  const rows: Row[] = r.yearEnd.lines.map((l) => ({
    institution: l.institutionCode,
    name: name(l.institutionCode),
    heads: l.heads,
    notCounted: l.notCounted,
    unresolved: l.unresolved,
    total: l.total,
    referral: l.referral,
    fundSpending: l.fundSpending,
    surplus: l.sharing.surplus,
    overspend: l.sharing.overspend,
    shared: l.sharing.lines.reduce((s, b) => s + b.shared, 0),
    fundRetains: l.sharing.fundRetains,
    institutionBears: l.sharing.institutionBears,
    fundPays: l.fundPays,
    prepaid: l.prepaid,
    clearing: l.clearing,
  }));
  rows.push({
    institution: '合计',
    name: '',
    heads: r.heads.counted,
    notCounted: r.heads.notCounted,
    unresolved: r.heads.unresolved,
    total: t.total,
    referral: t.referral,
    fundSpending: t.fundSpending,
    surplus: sum(r, (l) => l.sharing.surplus),
    overspend: sum(r, (l) => l.sharing.overspend),
    shared: sum(r, (l) => l.sharing.lines.reduce((s, b) => s + b.shared, 0)),
    fundRetains: sum(r, (l) => l.sharing.fundRetains),
    institutionBears: sum(r, (l) => l.sharing.institutionBears),
    fundPays: t.fundPays,
    prepaid: t.prepaid,
    clearing: t.clearing,
  });
  return {
    name: 'capitation-year-end',
    zh: '年终清算表',
    en: 'year-end clearing',
    columns: [
      // the total row's word is written in zh; en statements said 合计 there
      col('institution', 'text', '医疗机构编码', 'institution', {
        label: (v, lang) => (v === '合计' && lang === 'en' ? 'Total' : v),
      }),
      col('name', 'text', '医疗机构', 'name'),
      col('heads', 'int', '实际就诊人头', 'actual heads'),
      col('notCounted', 'int', '未就诊人头', 'enrolled, no visit'),
      col('unresolved', 'int', '待更正人头', 'heads to resolve'),
      col('total', 'money', '年度总额', 'total by actual heads'),
      // Only when a referral fee was charged (`referralFee`): without one the table is as it was.
      ...(t.referral !== 0
        ? [
            col(
              'referral',
              'money',
              '转诊费用（人头在其他机构就诊的统筹支付）',
              'referral fees (fund-payable at other institutions)',
            ),
          ]
        : []),
      col(
        'fundSpending',
        'money',
        t.referral !== 0 ? '符合统筹基金支付范围的费用（含转诊费用）' : '符合统筹基金支付范围的费用',
        t.referral !== 0 ? 'audited fund spending (with referral fees)' : 'audited fund spending',
      ),
      col('surplus', 'money', '结余', 'surplus'),
      col('overspend', 'money', '超支', 'overspend'),
      col(
        'shared',
        'money',
        '机构留用（结余）/基金分担（超支）',
        'kept by institution (surplus) / borne by fund (overspend)',
      ),
      col('fundRetains', 'money', '基金留存结余', 'surplus kept by the fund'),
      col('institutionBears', 'money', '机构承担超支', 'overspend borne by the institution'),
      col('fundPays', 'money', '基金应付', 'fund pays'),
      col('prepaid', 'money', '已预付', 'prepaid'),
      col('clearing', 'money', '清算额（负数为退回）', 'clearing (negative: pay back)'),
    ],
    rows,
  };
}

function sum(r: CapitationYearSummary, f: (l: CapitationYearSummary['yearEnd']['lines'][number]) => Fen): Fen {
  return r.yearEnd.lines.reduce((s, l) => s + f(l), 0);
}

export function familyDoctorTable(r: CapitationYearSummary): Table {
  const name = nameOf(r);
  const mid = new Map(r.familyDoctor.midYear.map((m) => [m.institutionCode, m]));
  return {
    name: 'family-doctor',
    zh: '家庭医生签约服务费',
    en: 'family-doctor fee',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution'),
      col('name', 'text', '医疗机构', 'name'),
      col('midYearHeads', 'int', '年中在约人数', 'contracts at mid-year'),
      col('midYearPrepay', 'money', '年中预付（50%）', 'mid-year prepayment (50 %)'),
      col('servedHeads', 'int', '签约并提供服务人数', 'contracts served'),
      col('entitlement', 'money', '结合考核应付', 'amount after assessment'),
      col('balance', 'money', '年终拨付（负数为退回）', 'year-end payment (negative: pay back)'),
    ],
    rows: r.familyDoctor.yearEnd.map((l) => ({
      institution: l.institutionCode,
      name: name(l.institutionCode),
      midYearHeads: mid.get(l.institutionCode)?.heads ?? 0,
      midYearPrepay: l.prepaid,
      servedHeads: l.servedHeads,
      entitlement: l.entitlement,
      balance: l.balance,
    })),
  };
}

export function unattributedVisitsTable(
  r: CapitationYearSummary,
  mask: Pseudonymiser = pseudonymiser(),
  lang: 'zh' | 'en' = 'zh',
): Table {
  return {
    name: 'capitation-unattributed',
    zh: '未归属人头的门特结算',
    en: 'visits fitting no head',
    columns: [
      col('setlId', 'text', '结算ID', 'settlement id'),
      col('psnNo', 'text', '人员（已脱敏）', 'person (pseudonymised)'),
      col('institution', 'text', '就诊机构', 'institution'),
      col('date', 'text', '结算日期', 'date'),
      col('disease', 'text', '门特病种', 'disease'),
      col('fundPayable', 'money', '统筹支付（含调增）', 'fund payable'),
      col('reason', 'text', '原因', 'reason'),
    ],
    rows: r.yearEnd.unattributed.map((u) => ({
      setlId: u.visit.setlId,
      psnNo: mask(u.visit.psnNo),
      institution: u.visit.institutionCode,
      date: u.visit.date,
      disease: u.visit.diseaseCode,
      fundPayable: u.visit.fundPayable,
      reason: lang === 'zh' ? u.zh : u.en,
    })),
  };
}

export interface CapitationReportOptions {
  formats?: readonly ReportFormat[];
  lang?: 'zh' | 'en';
  /** Replaces every 人员编号 in the statements (default: keyed hash with YIBAO_PSEUDONYM_KEY, else masked). */
  pseudonymise?: Pseudonymiser;
  /** The cap's policy as the run applied it: a 总控额度 sheet first, naming the budget basis (absent: no such sheet). */
  budgetPolicy?: CapBudgetPolicy;
  /** A policy what-if's statements: every sheet and CSV marked as a simulation, a first sheet saying so (simulation.ts). */
  simulation?: SimulationOf;
}

/**
 * The heads of a year as unit rows in batches: the capitation heads (by unit id), then the family-doctor contracts
 * (by unit id). From a stored run (`run_units`, src/run/capitation-heads.ts `storedCapitationHeads`) or from a year
 * in memory (`headsOfYear`); read once per writer.
 */
export type CapitationHeadRows = () => AsyncIterable<readonly UnitRowView[]>;

/** The heads of a year evaluated in memory (tests, small years), in the order a stored run gives them. */
export function headsOfYear(r: CapitationYearResult): CapitationHeadRows {
  return async function* () {
    for (const b of r.yearEndHeads.batches(50_000)) yield unitViews(b);
    for (const b of r.familyDoctor.heads.batches(50_000)) yield unitViews(b);
  };
}

/**
 * A head's row with the person's number replaced: unit ids are `psn_no/disease/from` (and
 * `psn_no/family-doctor/from`), and the basis text may name the person.
 */
function maskRow(u: UnitRowView, mask: Pseudonymiser): UnitRowView {
  const slash = u.unitId.indexOf('/');
  const psnNo = slash < 0 ? u.unitId : u.unitId.slice(0, slash);
  const p = mask(psnNo);
  let basis = u.basis;
  if (basis?.startsWith('{')) {
    const b = JSON.parse(basis) as { zh: string; en: string; clause?: string };
    // The same encoding as `basisOf`: zh, en, then the clause when there is one.
    basis = JSON.stringify({
      zh: b.zh.replaceAll(psnNo, p),
      en: b.en.replaceAll(psnNo, p),
      ...(b.clause ? { clause: b.clause } : {}),
    });
  }
  return { ...u, unitId: `${p}${slash < 0 ? '' : u.unitId.slice(slash)}`, basis };
}

/**
 * A head's status in words (a head is no case: 正常病例 / 除外 read wrong on the heads sheet): counted in its
 * institution's total, not counted (its basis says why: another class, outside the year, no visit), or not paid
 * until its enrolment or standard is corrected (R-CAP-3, R-CAP-5).
 */
const HEAD_STATUS: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  paid: ['计入人头', 'counted'],
  excluded: ['不计人头', 'not counted'],
  ungrouped: ['待更正，暂不支付', 'not paid until corrected'],
};

export function headStatusLabel(status: string, lang: 'zh' | 'en'): string {
  const w = HEAD_STATUS[status];
  return w ? w[lang === 'zh' ? 0 : 1] : statusLabel(status, lang);
}

/** The heads of the year (capitation and family doctor), pseudonymised, under a label that says what they are. */
export function capitationHeadsTable(
  r: Pick<CapitationYearSummary, 'institutions'>,
  heads: CapitationHeadRows,
  mask: Pseudonymiser = pseudonymiser(),
): StreamTable {
  const names = new Map(r.institutions.map((i) => [i.code, i.name] as const));
  const masked = async function* () {
    for await (const b of heads()) yield b.map((u) => maskRow(u, mask));
  };
  // Heads are amounts of their own (定额), not a split of points: no 病例结算金额 column.
  const t = unitRowsStream('capitation-heads', masked(), names, { settled: false });
  return {
    ...t,
    zh: '人头结算明细',
    en: 'heads',
    columns: t.columns.map((c) =>
      c.key === 'unitId'
        ? col('unitId', 'text', '人头（人员已脱敏/病种/起始日）', 'head (person pseudonymised/disease/from)', {
            label: headLabel,
          })
        : c.key === 'status'
          ? col('status', 'text', '人头状态', 'head status', { label: headStatusLabel })
          : c,
    ),
  };
}

/**
 * Write the capitation year to `outDir`: one CSV per table, `capitation-<year>.json` (tables, heads, caps,
 * assumptions and the calibration steps) and `capitation-<year>.xlsx` (one sheet per table). Returns the files.
 */
export async function writeCapitationReports(
  r: CapitationYearSummary,
  heads: CapitationHeadRows,
  outDir: string,
  o: CapitationReportOptions = {},
): Promise<string[]> {
  const formats = o.formats ?? ['csv', 'json', 'xlsx'];
  const lang = o.lang ?? 'zh';
  const mask = o.pseudonymise ?? pseudonymiser();
  // The folder is replaced as a whole (atomic.ts).
  return writeDirAtomic(outDir, async (dir) =>
    writeCapitationFiles(r, heads, dir, formats, lang, mask, o.budgetPolicy, o.simulation),
  );
}

async function writeCapitationFiles(
  r: CapitationYearSummary,
  headRows: CapitationHeadRows,
  outDir: string,
  formats: readonly ReportFormat[],
  lang: 'zh' | 'en',
  mask: Pseudonymiser,
  budgetPolicy?: CapBudgetPolicy,
  simulation?: SimulationOf,
): Promise<string[]> {
  const mark = <T extends AnyTable>(t: T): T => (simulation ? simulationTable(t) : t);
  const small = (): Table[] =>
    [
      ...(budgetPolicy ? [capitationCapsTable(r, budgetPolicy, lang)] : []),
      capitationYearEndTable(r),
      capitationPlanTable(r),
      capitationMonthlyTable(r),
      capitationStandardsTable(r, lang),
      familyDoctorTable(r),
      unattributedVisitsTable(r, mask, lang),
    ].map(mark);
  const heads = () => mark(capitationHeadsTable(r, headRows, mask));
  const files: string[] = [];
  if (formats.includes('csv')) {
    for (const t of small()) {
      const f = join(outDir, `${t.name}.csv`);
      writeCsv(f, t, lang);
      files.push(f);
    }
    // The heads stream from their source in batches (a province's heads are never all in memory).
    const h = heads();
    const f = join(outDir, `${h.name}.csv`);
    await writeCsvStream(f, h, lang);
    files.push(f);
  }
  if (formats.includes('json')) {
    const f = join(outDir, `capitation-${r.year}.json`);
    writeJson(f, {
      region: r.region,
      year: r.year,
      policy: r.policy,
      ...(simulation
        ? { simulation: { zh: SIMULATION[0], en: SIMULATION[1], run: simulation.runId, baseRun: simulation.baseRunId } }
        : {}),
      caps: r.caps,
      budget: r.budget,
      ...(budgetPolicy ? { budgetBasis: capitationBudgetBasisText(r, budgetPolicy, lang).trim() } : {}),
      heads: r.heads,
      counts: r.counts,
      assumptions: r.assumptions,
      tables: small().map(tableToJson),
      steps: r.standards.steps,
    });
    files.push(f);
  }
  if (formats.includes('xlsx')) {
    const f = join(outDir, `capitation-${r.year}.xlsx`);
    await writeXlsx(f, [...(simulation ? [simulationNoticeTable(simulation)] : []), ...small(), heads()], lang);
    files.push(f);
  }
  return files;
}

/** A short text summary of the capitation year for the terminal. Pure. */
export function capitationSummaryText(
  r: CapitationYearSummary,
  lang: 'zh' | 'en' = 'zh',
  /** The cap's policy as the run applied it: the line naming the budget basis under the caps. */
  budgetPolicy?: CapBudgetPolicy,
): string {
  const zh = lang === 'zh';
  // Every money figure with its unit in both languages (en read "caps: employee 112659.66").
  const y = (f: Fen) => `${fenToYuan(f)} ${zh ? '元' : 'yuan'}`;
  const t = r.yearEnd.totals;
  const lines = r.yearEnd.lines.filter((l) => l.heads > 0);
  const surplus = lines.filter((l) => l.sharing.surplus > 0).length;
  const within = lines.filter((l) => l.sharing.overspend > 0 && l.sharing.overspend * 10 <= l.total).length;
  const beyond = lines.filter((l) => l.sharing.overspend > 0).length - within;
  const fd = r.familyDoctor.yearEnd;
  const fdMid = r.familyDoctor.midYear.reduce((s, m) => s + m.prepay, 0);
  const fdDue = fd.reduce((s, l) => s + l.entitlement, 0);
  // Heads counted at year end (签约并提供服务): the 家庭医生签约服务费 heads the overview and the statements count.
  const fdServed = fd.reduce((s, l) => s + l.servedHeads, 0);
  // Three counts of one year, each named (it printed "家庭医生签约 2235 人" beside family-doctor.csv's mid-year 2146):
  // the year's contracts (a person switching institution has two) = served at year end + not served; the contracts
  // in force on the mid-year day, which the 50 % prepayment counts (R-CAP-4, 四(五)1 / 四(六)1).
  const fdInForce = r.familyDoctor.midYear.reduce((s, m) => s + m.heads, 0);
  const fdMidDate = r.familyDoctor.midYear[0]?.date;
  const fdNotServed = r.familyDoctor.contractCount - fdServed;
  const h = r.heads;
  // No outpatient special-disease data at all: one sentence saying what to provide, not a block of zeros.
  if (h.enrolled === 0 && r.counts.visits === 0 && r.familyDoctor.contractCount === 0)
    return zh
      ? `${r.region} ${r.year} 门特按病种结合人头付费：没有门特待遇记录和门特结算记录，未结算（先导入 yibao ingest enrolments / outpatient 文件）`
      : `${r.region} ${r.year} capitation by disease: no special-disease enrolments or visits, nothing settled (ingest enrolments / outpatient files first)`;
  const out = zh
    ? [
        `${r.region} ${r.year} 门特按病种结合人头付费（${r.policy.id} ${r.policy.version}）`,
        `  总控额度：职工 ${y(r.caps.employee)}，居民 ${y(r.caps.resident)}`,
        ...(budgetPolicy ? [capitationBudgetBasisText(r, budgetPolicy, 'zh')] : []),
        `  人头：在约 ${h.enrolled}，年初计划 ${h.planned}，实际就诊 ${h.counted}，未就诊 ${h.notCounted}，待更正 ${h.unresolved}`,
        `  年度总额 ${y(t.total)}；基金支付范围费用 ${y(t.fundSpending)}${t.referral !== 0 ? `（含转诊费用 ${y(t.referral)}）` : ''}；基金应付 ${y(t.fundPays)}`,
        `  按月预付 ${y(t.prepaid)}；年终清算 ${y(t.clearing)}`,
        `  机构：结余 ${surplus}，超支 10% 以内 ${within}，超支超过 10% ${beyond}`,
        `  门特结算 ${r.counts.visits} 笔，未归属人头 ${r.counts.unattributedVisits} 笔`,
        `  家庭医生签约：本年签约 ${r.familyDoctor.contractCount} 份 = 年终签约并提供服务 ${fdServed} 份 + 未提供服务 ${fdNotServed} 份；` +
          `${fdMidDate ? `${fdMidDate} 在约 ${fdInForce} 人，` : ''}年中预付 ${y(fdMid)}；结合考核应付 ${y(fdDue)}`,
      ]
    : [
        `${r.region} ${r.year} capitation by disease (${r.policy.id} ${r.policy.version})`,
        `  caps: employee ${y(r.caps.employee)}, resident ${y(r.caps.resident)}`,
        ...(budgetPolicy ? [capitationBudgetBasisText(r, budgetPolicy, 'en')] : []),
        `  heads: enrolled ${h.enrolled}, planned ${h.planned}, actual ${h.counted}, no visit ${h.notCounted}, to resolve ${h.unresolved}`,
        `  total ${y(t.total)}; fund spending ${y(t.fundSpending)}${t.referral !== 0 ? ` (with referral fees ${y(t.referral)})` : ''}; fund pays ${y(t.fundPays)}`,
        `  prepaid monthly ${y(t.prepaid)}; year-end clearing ${y(t.clearing)}`,
        `  institutions: surplus ${surplus}, overspend within 10 % ${within}, beyond 10 % ${beyond}`,
        `  special-disease visits ${r.counts.visits}, fitting no head ${r.counts.unattributedVisits}`,
        `  family-doctor contracts of the year ${r.familyDoctor.contractCount} = signed and served at year end ${fdServed} + not served ${fdNotServed}; ` +
          `${fdMidDate ? `in force on ${fdMidDate} ${fdInForce}, ` : ''}mid-year prepayment ${y(fdMid)}; due after assessment ${y(fdDue)}`,
      ];
  return out.join('\n');
}
