/**
 * One DRG year of a region, end to end and pure: group history and current cases with a CHS-DRG kernel → relative
 * weights from history (or imported) → price the year's cases → the inpatient point pool (with per-bed-day and other
 * units) → the shared settlement layer (budget, monthly pre-settlement, year-end, clearing) → hospital indicators.
 * The same settlement policy (`dip-settlement`: 区域总额预算 + 点数法结算) serves DIP and DRG, so a region switches
 * its inpatient method by switching the method's policy file (R-PAY-DRG, R-DIP-6).
 */

import type { DrgKernel } from '../grouping/drg/index.ts';
import { drgStatusText } from '../grouping/drg/status.ts';
import type { InpatientCase } from '../model/case.ts';
import type { CaseColumns } from '../model/case-columns.ts';
import type { TraceStep } from '../model/explain.ts';
import type { Institution, InstitutionLevel } from '../model/institution.ts';
import { type Fen, fenToYuan, formatRatio, type Ratio, ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import {
  calibrateWeights,
  type DrgCase,
  DrgColumnGrouper,
  DrgIndicatorAccumulator,
  type DrgIndicators,
  type DrgWeightTable,
  drgMethod,
  groupForPayment,
  historyYearWeights,
  payableDrg,
  priceDrg,
  pricingFromPolicy,
} from '../payment/drg/index.ts';
import type { ResolvedValues } from '../policy/kind.ts';
import type { drgKind } from '../policy/kinds/drg.ts';
import { poolBudget } from '../settlement/budget.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { SettlementError } from '../settlement/errors.ts';
import { openingPointValue, type WeightedYear } from '../settlement/point-value.ts';
import { budgetRule, type PoolSettlementPolicy, settlementRules } from '../settlement/policy-rules.ts';
import { PoolAccumulator } from '../settlement/pool.ts';
import { type PoolSettlement, settlePoolTotals } from '../settlement/settle.ts';
import { formatPointValue } from '../settlement/value.ts';

export interface DrgRunInput {
  region: string;
  year: number;
  /** The history years: their cases as an array (reduced here), or already reduced (`drgHistoryReducer`). */
  history: readonly InpatientCase[] | DrgHistory;
  current: readonly InpatientCase[];
  institutions: readonly Institution[];
  kernel: DrgKernel;
  drg: ResolvedValues<typeof drgKind>;
  settlement: PoolSettlementPolicy;
  /** Published weights instead of calibrating from history. */
  weights?: DrgWeightTable;
  /** Units of other methods paid from the same pool (e.g. per-diem points). */
  extraUnits?: readonly UnitResult[];
  /** Cases paid by another method (per-bed-day, single disease): left out of DRG pricing. */
  paidByOtherMethod?: ReadonlySet<string>;
  /** Audit deductions and assessment coefficients of the year (R-DIP-6). */
  deductions?: readonly AuditDeduction[];
  assessments?: readonly AssessmentResult[];
}

export interface DrgRunResult {
  weights: DrgWeightTable;
  cases: DrgCase[];
  units: UnitResult[];
  settlement: PoolSettlement;
  /** Last year's fund payment per institution (the advance and monthly quota base). */
  lastYearFundPaid: Map<string, Fen>;
  indicators: DrgIndicators[];
  /** The same indicators per institution and department (出院科别), key `institution/department`. */
  departmentIndicators: DrgIndicators[];
  groupedShare: number;
}

export { groupForPayment } from '../payment/drg/index.ts';

/** What a DRG year needs of its history years, reduced: no history case is kept. */
export interface DrgHistory {
  readonly kind: 'drg-history';
  weights: DrgWeightTable;
  openingPointValue: Ratio;
  /** Last history year's fund payment per institution of the directory. */
  lastYearFundPaid: Map<string, Fen>;
  /** History cases read. */
  cases: number;
}

/** Growable typed columns of grouped history cases: DRG (interned), year, cost, institution level. */
class DrgColumns {
  n = 0;
  drg = new Int32Array(1024);
  year = new Int16Array(1024);
  cost = new Float64Array(1024);
  level = new Int8Array(1024);
  readonly drgs: string[] = [];
  private readonly drgIndex = new Map<string, number>();

  push(c: DrgCase, year: number, level: number): void {
    this.pushValues(c.drg, year, c.cost, level);
  }

  pushValues(drgCode: string | null, year: number, cost: number, level: number): void {
    if (this.n === this.drg.length) {
      const cap = this.n * 2;
      const grow = <T extends Int8Array | Int16Array | Int32Array | Float64Array>(old: T, a: T): T => {
        a.set(old);
        return a;
      };
      this.drg = grow(this.drg, new Int32Array(cap));
      this.year = grow(this.year, new Int16Array(cap));
      this.cost = grow(this.cost, new Float64Array(cap));
      this.level = grow(this.level, new Int8Array(cap));
    }
    let d = -1;
    if (drgCode !== null) {
      d = this.drgIndex.get(drgCode) ?? -1;
      if (d < 0) {
        d = this.drgs.length;
        this.drgs.push(drgCode);
        this.drgIndex.set(drgCode, d);
      }
    }
    const i = this.n++;
    this.drg[i] = d;
    this.year[i] = year;
    this.cost[i] = cost;
    this.level[i] = level;
  }
}

const LEVEL_CODES: readonly InstitutionLevel[] = ['3', '2', '1', 'primary'];

/**
 * DRG weights calibrated from the history years when not one history case got a DRG (a new region's own codes the
 * scheme does not know, e.g. a diagnosis that is a gray code of CHS-DRG 2.0): what happened, why by grouper status,
 * and what to do. It was an internal error ("no history cases with a DRG to calibrate weights from", exit 70).
 */
export function noGroupedHistoryError(
  cases: number,
  ungrouped: ReadonlyMap<string, number>,
  year: number,
  scheme: string,
): SettlementError {
  const why = (lang: 'zh' | 'en') =>
    [...ungrouped]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([status, n]) =>
        lang === 'zh'
          ? `${drgStatusText(status, lang) ?? status} ${n} 例`
          : `${n}: ${drgStatusText(status, lang) ?? status}`,
      )
      .join(lang === 'zh' ? '、' : ', ');
  return new SettlementError(
    'DRG_NO_GROUPED_HISTORY',
    `DRG 权重按 ${year} 年以前的历史病例测算，但 ${cases} 例历史病例没有一例入组（${why('zh')}）：请核对诊断与手术操作编码是否为分组方案 ${scheme} 所用的医保版编码（可用 yibao drg case --dx 编码 --proc 编码 试分组），或在 DRG 政策文件的 weights 中改用公布的权重表（{ method: file, file: 权重表.csv, referenceBaseRate: 元 }）`,
    `DRG weights are calibrated from the history cases before ${year}, but not one of the ${cases} history cases got a DRG (${why('en')}): check that the diagnosis and procedure codes are the national codes the scheme ${scheme} uses (try one with yibao drg case --dx CODE --proc CODE), or use a published weight table in the DRG policy's weights ({ method: file, file: weights.csv, referenceBaseRate: yuan })`,
  );
}

/**
 * No weighted history year has a case priced with points, so the opening point value (Σ weight × cost ÷ Σ weight ×
 * points) has nothing to divide by. In DRG words (the shared message spoke of DIP's catalog and listed no year,
 * walk3 #3): the weighted years, and whether the weights were calibrated or read from a published table.
 */
export function noHistoryPointsError(
  calendar: ReadonlyMap<number, number>,
  weights: DrgWeightTable,
  published: boolean,
): SettlementError {
  const years = [...calendar].filter(([, w]) => w > 0).map(([y]) => y);
  const table = published
    ? {
        zh: `这些年度没有一例病例的病组在公布的权重表中（权重表 ${weights.weights.size} 个病组）：请核对权重表与分组方案是否一致`,
        en: `not one of their cases has a DRG in the published weight table (${weights.weights.size} DRGs): check that the table fits the grouping scheme`,
      }
    : {
        zh: '这些年度没有一例病例进入有权重的病组：请导入这些年度的结算清单，或检查 rwCalibration.yearWeights 与 minCases',
        en: 'not one of their cases has a DRG with a weight: ingest those years, or check rwCalibration.yearWeights and minCases',
      };
  return new SettlementError(
    'NO_POINTS',
    `DRG 历史年度（${years.join('、')}，rwCalibration.yearWeights 中权重大于 0 的年度）没有点数，无法测算年初点值：${table.zh}`,
    `no DRG history points for the opening point value (years ${years.join(', ')}, those with a weight above 0 in rwCalibration.yearWeights): ${table.en}`,
  );
}

export interface DrgHistoryReducer {
  add(batch: readonly InpatientCase[]): void;
  /** The same from the store's typed columns: each row grouped from its coded lists, no case object. */
  addColumns(columns: CaseColumns): void;
  finish(): DrgHistory;
}

/**
 * Reduce the history years batch by batch: each batch is grouped with the kernel and kept only as typed columns
 * (DRG, year, cost, level); `finish` calibrates the weights (or takes the published ones), prices the history at
 * the same pricing as points for the opening point value, and gives last year's fund payment.
 */
export function drgHistoryReducer(
  input: Pick<DrgRunInput, 'year' | 'institutions' | 'kernel' | 'drg' | 'weights'>,
): DrgHistoryReducer {
  const levels = new Map(input.institutions.map((i) => [i.code, i.level] as const));
  const cal = input.drg.rwCalibration;
  const cols = new DrgColumns();
  // Fund payment per discharge year and institution: "last year" is the latest history year with priced cases.
  const fundByYear = new Map<string, Map<string, Fen>>();
  const yw = cal.value.yearWeights;
  let cases = 0;
  const addFund = (y: string, code: string, fund: Fen) => {
    let m = fundByYear.get(y);
    if (m === undefined) {
      m = new Map();
      fundByYear.set(y, m);
    }
    m.set(code, (m.get(code) ?? 0) + fund);
  };
  const grouper = new DrgColumnGrouper(input.kernel);
  // Why the history cases that got no DRG did not (grouper status → cases), for the error when none got one.
  const ungrouped = new Map<string, number>();
  const countStatus = (status: string) => {
    if (status !== 'SUCCESS') ungrouped.set(status, (ungrouped.get(status) ?? 0) + 1);
  };
  return {
    addColumns(c) {
      cases += c.n;
      const { dict } = c;
      const rows: number[] = [];
      for (let r = 0; r < c.n; r++) if (levels.has(dict.attributes[c.attributes[r]!]!.institutionCode)) rows.push(r);
      const outcomes = grouper.group(c, rows);
      rows.forEach((r, k) => {
        const o = outcomes[k]!;
        const code = dict.attributes[c.attributes[r]!]!.institutionCode;
        const level = levels.get(code)!;
        countStatus(o.status);
        cols.pushValues(payableDrg(o), c.year[r]!, c.totalCost[r]!, LEVEL_CODES.indexOf(level));
        addFund(String(c.year[r]!), code, c.fundPay[r]!);
      });
    },
    add(batch) {
      cases += batch.length;
      for (const c of groupForPayment(input.kernel, batch, levels)) {
        countStatus(c.groupStatus);
        cols.push(c, Number(c.month.slice(0, 4)), LEVEL_CODES.indexOf(c.level));
      }
      for (const c of batch) {
        if (levels.has(c.institutionCode)) addFund(c.dischargeTime.slice(0, 4), c.institutionCode, c.fundPay);
      }
    },
    finish() {
      const n = cols.n;
      if (!input.weights && n > 0 && cols.drg.subarray(0, n).every((d) => d < 0))
        throw noGroupedHistoryError(n, ungrouped, input.year, `${input.kernel.scheme} ${input.kernel.version}`);
      const weights =
        input.weights ??
        calibrateWeights(
          Array.from({ length: n }, (_, i) => ({
            drg: cols.drg[i]! < 0 ? null : cols.drgs[cols.drg[i]!]!,
            year: cols.year[i]!,
            cost: cols.cost[i]!,
          })),
          cal.value,
          `calibrated from ${n} history cases (${cal.source})`,
          input.year,
        );
      // Opening point value: history cost ÷ history points at the same pricing (as points), years weighted as for
      // the weights; ungrouped history cases carry no points and are left out of both sums.
      const pointPricing = { ...pricingFromPolicy(input.drg), mode: 'points' as const };
      const byYear = new Map<number, { cost: Fen; points: number }>();
      for (let i = 0; i < n; i++) {
        const d = cols.drg[i]!;
        const c: DrgCase = {
          setlId: '',
          institutionCode: '',
          level: LEVEL_CODES[cols.level[i]!]!,
          insuranceType: 'employee',
          month: '',
          drg: d < 0 ? null : cols.drgs[d]!,
          groupStatus: d < 0 ? 'FAIL' : 'SUCCESS',
          losDays: 0,
          died: false,
          cost: cols.cost[i]!,
          patientPaid: 0,
        };
        // Points only: no explanation is built for a history case.
        const { claim } = priceDrg(c, weights, pointPricing);
        if (claim.kind !== 'points') continue;
        const year = cols.year[i]!;
        const e = byYear.get(year) ?? { cost: 0, points: 0 };
        // A high-cost excess paid as money (`excessInPointPool: amount`) is not valued by points: its cost is not either.
        e.cost += c.cost - (claim.amount ?? 0);
        e.points += claim.points;
        byYear.set(year, e);
      }
      // Each year weighted by its calendar year, as for the weights (historyYearWeights): by position, 2022 and 2024
      // with points and 2023 without would have given 2022 the weight of 2023.
      const calendar = historyYearWeights(input.year, yw);
      const years = [...byYear.keys()].sort((a, b) => a - b);
      const wy: WeightedYear[] = years.map((year) => ({
        year,
        weight: ratio(calendar.get(year) ?? 0),
        cost: byYear.get(year)!.cost,
        points: byYear.get(year)!.points,
      }));
      if (!wy.some((y) => y.weight.num > 0n && y.points > 0))
        throw noHistoryPointsError(calendar, weights, input.weights !== undefined);
      return {
        kind: 'drg-history',
        weights,
        openingPointValue: openingPointValue(wy, cal.source).value,
        lastYearFundPaid: fundByYear.get(String(years.at(-1))) ?? new Map(),
        cases,
      };
    },
  };
}

const isReduced = (h: readonly InpatientCase[] | DrgHistory): h is DrgHistory => !Array.isArray(h);

export function runDrg(input: DrgRunInput): DrgRunResult {
  const levels = new Map(input.institutions.map((i) => [i.code, i.level] as const));
  let reduced: DrgHistory;
  if (isReduced(input.history)) reduced = input.history;
  else {
    const r = drgHistoryReducer(input);
    r.add(input.history);
    reduced = r.finish();
  }
  const { weights } = reduced;
  const pricing = pricingFromPolicy(input.drg);
  const current = groupForPayment(input.kernel, input.current, levels).filter(
    (c) => !input.paidByOtherMethod?.has(c.setlId),
  );
  const units = drgMethod.evaluate(current, { table: weights, pricing });
  const opening = reduced.openingPointValue;
  const cal = input.drg.rwCalibration;
  const lastYearFundPaid = reduced.lastYearFundPaid;
  const lastYearTotal = [...lastYearFundPaid.values()].reduce((s, v) => s + v, 0);
  const poolId = `${input.region}-drg-${input.year}`;
  const pool = new PoolAccumulator({ poolId, year: input.year }).add(units);
  if (input.extraUnits) pool.add(input.extraUnits);
  const settlement = settlePoolTotals({
    poolId,
    region: input.region,
    year: input.year,
    totals: pool.totals(),
    budget: poolBudget(budgetRule(input.settlement), lastYearTotal),
    openingPointValue: { value: opening, source: cal.source },
    institutions: input.institutions,
    lastYearFundPaid,
    deductions: input.deductions ?? [],
    assessments: input.assessments ?? [],
    rules: settlementRules(input.settlement),
  });
  withBaseRateStep(settlement, input.drg);
  withExcessAsAmounts(settlement, input.drg);
  const grouped = current.filter((c) => c.drg !== null).length;
  const byInstitution = new DrgIndicatorAccumulator().add(current);
  const byDepartment = new DrgIndicatorAccumulator((c) => `${c.institutionCode}/${c.department ?? ''}`).add(current);
  return {
    weights,
    cases: current,
    units,
    settlement,
    lastYearFundPaid,
    indicators: byInstitution.result(weights),
    departmentIndicators: byDepartment.result(weights),
    groupedShare: current.length > 0 ? grouped / current.length : 0,
  };
}

/**
 * A DRG point pool whose high-cost excess is fixed money (`excessInPointPool: amount`): the floating point value's
 * fixed amounts hold the excesses too, so the step says so — and the base rate derived from the budget is then
 * (budget − items paid as money − excesses) ÷ Σ RW, in the 费率 step. Other pools are left as they are. Mutates and
 * returns `settlement`.
 */
export function withExcessAsAmounts(settlement: PoolSettlement, drg: ResolvedValues<typeof drgKind>): PoolSettlement {
  const v = drg.excessInPointPool;
  const highOutlier = drg.highOutlier.value;
  if (v.value !== 'amount' || highOutlier.variant !== 'standard-plus-excess') return settlement;
  if (drg.method.value === 'base-rate' && drg.baseRate.value !== 'budget') return settlement;
  for (const st of settlement.steps) {
    if (st.zh.startsWith('浮动点值 =')) {
      st.zh = `${st.zh}；定额结算金额含高倍率病例按金额支付的超出部分 (医疗总费用 − 界值) × 超出部分比例`;
      st.en = `${st.en}; the fixed amounts include the high-cost cases' excess paid as money, (total medical cost − threshold) × excess rate`;
      st.clause = `${st.clause}; ${v.source}`;
    } else if (st.zh.startsWith('费率 = 年度点值 × 每RW点数')) {
      st.zh = st.zh.replace(
        '费率 = 基金预算 ÷ 总权重',
        '费率 = (基金预算 − 按项目付费金额 − 高倍率病例超出部分金额) ÷ 总权重',
      );
      st.en = st.en.replace(
        'base rate = budget ÷ total RW',
        'base rate = (budget − items paid as money − high-cost excesses) ÷ total RW',
      );
      st.clause = `${st.clause}; ${v.source}`;
    }
  }
  return settlement;
}

/** The implied base rate (费率, 元 per RW) of a settled point pool: point value × points per RW. */
export function baseRateOf(pointValueFenPerPoint: Ratio, pointsPerRw: number): Ratio {
  return ratio(pointValueFenPerPoint.num * BigInt(pointsPerRw), pointValueFenPerPoint.den * 100n);
}

/**
 * A DRG pool whose base rate comes from the budget (`method: base-rate`, `baseRate: budget`) is settled as points, so
 * its explanation gave the point value (元/点) and never the 费率 its clause names (支付标准 = RW × 费率 × 等级系数):
 * add the base rate = year-end point value × points per RW after the point-value step, so a reader can redo a case's
 * standard. Other pools are left as they are. Mutates and returns `settlement`.
 */
export function withBaseRateStep(settlement: PoolSettlement, drg: ResolvedValues<typeof drgKind>): PoolSettlement {
  if (drg.method.value !== 'base-rate') return settlement;
  const given = drg.baseRate.value;
  if (given !== 'budget') return withFixedBaseRate(settlement, given, drg.baseRate.source);
  const pv = settlement.pointValue.pointValue;
  const ppr = drg.pointsPerRw.value;
  const at = settlement.steps.findIndex((s) => typeof s.result === 'string' && s.result.endsWith('元/点'));
  const step: TraceStep = {
    rule: 'R-PAY-DRG',
    clause: drg.baseRate.source,
    zh: '费率 = 年度点值 × 每RW点数（费率法：费率 = 基金预算 ÷ 总权重，病例点数 = RW × 每RW点数 × 等级系数，支付标准 = RW × 费率 × 等级系数）',
    en: 'base rate = year-end point value × points per RW (base-rate method: base rate = budget ÷ total RW, points = RW × points per RW × level coefficient, payment standard = RW × base rate × level coefficient)',
    values: { pointValue: formatPointValue(pv), pointsPerRw: ppr },
    result: `${formatRatio(baseRateOf(pv, ppr), 2)} 元/RW`,
  };
  settlement.steps.splice(at < 0 ? settlement.steps.length : at + 1, 0, step);
  return settlement;
}

/**
 * A DRG pool at a fixed base rate (`method: base-rate`, `baseRate: { employee, resident }`) is paid in fixed amounts
 * (RW × 费率 × 等级系数 per case), with no points: it read as a floating point pool (总点数 0, an opening point
 * value, 年度点值 0.000000, walk5 #5). Keep the 费率 with the summary, so the reports say 费率法 and the rate, and
 * add a step before the pool's year-end total that says where its fixed amounts come from. Mutates and returns
 * `settlement`.
 */
export function withFixedBaseRate(
  settlement: PoolSettlement,
  rate: { employee: Fen; resident: Fen },
  source: string,
): PoolSettlement {
  settlement.summary.baseRate = { employee: rate.employee, resident: rate.resident, source };
  const same = rate.employee === rate.resident;
  const step: TraceStep = {
    rule: 'R-PAY-DRG',
    clause: source,
    zh: '费率法（固定费率）：每个病例的支付标准 = RW × 费率 × 等级系数（按参保类型取职工或居民费率），作为定额结算金额支付，不计点数、不用点值；定额结算金额 = Σ 病例支付标准 + 按项目付费病例的医疗总费用',
    en: 'base-rate method (fixed base rate): each case’s payment standard = RW × base rate × level coefficient (the employee or resident rate by the case’s fund), paid as a fixed amount, with no points and no point value; fixed amounts = Σ payment standards + the total cost of cases paid by items',
    values: same
      ? { baseRate: `${fenToYuan(rate.employee)} 元/RW` }
      : {
          employeeBaseRate: `${fenToYuan(rate.employee)} 元/RW`,
          residentBaseRate: `${fenToYuan(rate.resident)} 元/RW`,
        },
    // The fixed amounts the next step multiplies by the fund payment ratio.
    result: fenToYuan(settlement.summary.amountClaims),
  };
  const at = settlement.steps.findIndex((s) => s.zh.startsWith('全池年度应付总额'));
  settlement.steps.splice(at < 0 ? settlement.steps.length : at, 0, step);
  if (Number(settlement.summary.totalPoints) === 0) fixedRateMonths(settlement, source);
  return settlement;
}

/** The step of a month capped at its quota (settlement/monthly.ts, `overQuota: cap`). */
const CAPPED_MONTH_ZH = '当月定额金额超过月度预结算总额与患者负担之和：当月不超过月度预结算总额';

/**
 * The months of a pool at a fixed 费率 (R-PAY-DRG): no points and no pre-settlement point value. Each month's own
 * step said how a point value was set (the 预结算点值 formula, or 当月无点数，无预结算点值) and each institution's
 * month read (当月点数 × 预结算点值 + 定额金额 − 患者负担) × 预结算比例: the month is its fixed amounts (RW × 费率 ×
 * 等级系数) less patients' payments, × the prepay ratio, and the steps say that (the figures are unchanged). The
 * monthly quota (月度预结算总额) pays nothing then and is not shown — unless the policy caps the month at it
 * (`overQuota: cap`) and it did: such a month keeps its quota and its steps, which say how it was capped.
 */
function fixedRateMonths(settlement: PoolSettlement, source: string): void {
  const capped = new Set(
    settlement.months.filter((m) => m.steps.some((st) => st.zh.startsWith(CAPPED_MONTH_ZH))).map((m) => m.month),
  );
  for (const m of settlement.months) {
    if (capped.has(m.month)) continue;
    m.quota = null;
    const amounts = m.lines.reduce((sum, l) => sum + l.amountClaims, 0);
    const paid = m.lines.reduce((sum, l) => sum + l.patientPaid, 0);
    m.steps = [
      {
        rule: 'R-PAY-DRG',
        clause: source,
        zh: '费率法：当月不计点数、不用预结算点值；各机构月预结算 = (定额金额 − 患者负担) × 预结算比例，定额金额为按费率的 RW × 费率 × 等级系数及按床日、按病种的定额',
        en: 'base-rate method: no points and no pre-settlement point value this month; each institution’s monthly pre-settlement = (fixed amounts − patient payments) × prepay ratio, the fixed amounts being RW × base rate × level coefficient and the per-diem and single-disease fixed amounts',
        values: { 当月定额金额: fenToYuan(amounts), 患者负担: fenToYuan(paid) },
        result: fenToYuan(amounts),
      },
    ];
  }
  const seen = new Set<TraceStep>();
  const lines = [...settlement.months.flatMap((m) => m.lines), ...settlement.institutions.flatMap((i) => i.monthly)];
  const steps = [...lines.flatMap((l) => l.steps), ...settlement.institutions.flatMap((i) => i.steps)];
  for (const st of steps) {
    if (seen.has(st) || !st.zh.startsWith('月预结算 =') || capped.has(String(st.values?.月份))) continue;
    seen.add(st);
    st.zh = `${st.zh.replace('当月点数 × 预结算点值 + 定额金额', '定额金额')}（费率法：定额金额为按费率的 RW × 费率 × 等级系数及按床日、按病种的定额，不计点数、不用点值）`;
    st.en = `${st.en.replace('points × pre-settlement point value + fixed amounts', 'fixed amounts')} (base-rate method: the fixed amounts are RW × base rate × level coefficient and the per-diem and single-disease fixed amounts, no points and no point value)`;
    if (st.values) {
      const { 点数: _points, 预结算点值: _value, '点数金额+定额': _sum, ...rest } = st.values;
      st.values = rest;
    }
  }
}
