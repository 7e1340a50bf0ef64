/**
 * Settle one point pool for a year: advance → monthly pre-settlements → year-end point value → each
 * institution's year-end amount → clearing payment, with surplus/overspend at region, institution and group level.
 * Any payment method plugs in by returning `UnitResult`s (points or fixed-amount claims) for the pool.
 *
 * 002 四(三): "总额控制、按月预付、月预结算、年度清算" (R-DIP-6, R-BUD-5, R-PAY-DIP)
 * 清算支付额 = 年度清算额 − 月度已支付额 − 年初预付.
 */
import type { TraceStep } from '../model/explain.ts';
import type { Institution, InstitutionLevel } from '../model/institution.ts';
import { compareRatios, divRound, type Fen, fenToYuan, mulRatio, type Ratio, ratio } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import { formatPoints, POINT_SCALE } from '../model/points.ts';
import type { MethodId, UnitResult } from '../model/unit-result.ts';
import type { Cited } from '../policy/values.ts';
import { startOfYearAdvance } from './advance.ts';
import type { BudgetResult } from './budget.ts';
import { type AssessmentResult, type AuditDeduction, deductionsFor } from './deductions.ts';
import { SettlementError } from './errors.ts';
import {
  type MonthlyLine,
  type MonthResult,
  type NegativeMonthNotice,
  negativeMonthNotice,
  preSettleMonth,
} from './monthly.ts';
import { formatRatioShort, fundPaymentRatio, type PointValueResult, yearEndPointValue } from './point-value.ts';
import {
  emptyTotals,
  type FixedStandardTotals,
  nettedTotals,
  PoolAccumulator,
  type PoolTotals,
  sortedCodes,
  type UnitTotals,
} from './pool.ts';
import type { SettlementRules, UnpaidCasesRule } from './rules.ts';
import type { SharingResult } from './sharing.ts';
import { formatPointValue, valueOfPoints } from './value.ts';
import { allocateFund, institutionYearEnd } from './year-end.ts';

export interface PoolInput {
  /** e.g. "demo-inpatient-2025". */
  poolId: string;
  region: string;
  year: number;
  /** Every unit of the year paid from this pool, of any method (DIP, per-diem points, …). */
  units: readonly UnitResult[];
  /** The pool's fund for the year with how it was computed (see budget.ts). */
  budget: BudgetResult;
  /** The opening-year point value (fen per point), used by the monthly pre-settlement and elastic values. */
  openingPointValue: Cited<Ratio>;
  institutions: readonly Institution[];
  /** Last year's fund payment to each institution from this pool (advance, monthly quota). */
  lastYearFundPaid: ReadonlyMap<string, Fen>;
  deductions: readonly AuditDeduction[];
  assessments: readonly AssessmentResult[];
  rules: SettlementRules;
}

export interface InstitutionSettlement {
  institutionCode: string;
  level?: InstitutionLevel;
  units: number;
  points: Points;
  amountClaims: Fen;
  billed: Fen;
  patientPaid: Fen;
  byStatus: Record<string, number>;
  advance: Fen;
  monthly: MonthlyLine[];
  /** Σ monthly payments (after the deposit and monthly deductions). */
  monthlyPaid: Fen;
  /** Σ quality deposit withheld. */
  depositHeld: Fen;
  /** points × point value + fixed amounts, medical-cost terms, rounded half-up (for reports). */
  value: Fen;
  gross: Fen;
  ffsFund: Fen;
  sharing: SharingResult | null;
  afterSharing: Fen;
  assessment: Ratio;
  afterAssessment: Fen;
  deductions: Fen;
  yearEnd: Fen;
  /** yearEnd − monthlyPaid − advance: > 0 the fund pays, < 0 the institution pays back. */
  clearing: Fen;
  steps: TraceStep[];
}

export interface GroupLine {
  method: MethodId;
  group: string;
  units: number;
  points: Points;
  amountClaims: Fen;
  /** points × point value + amounts (medical-cost terms), half-up. */
  value: Fen;
  billed: Fen;
  /** value − billed: > 0 the method paid more than item billing (结余), < 0 less (超支). */
  difference: Fen;
  /**
   * Σ 病例结算金额 of the group's cases as a stored run split them (each institution's amount to the fen, largest
   * remainder): read back from a run that stored them, absent otherwise. It may differ from `value` (one rounding per
   * group) by a few fen; the groups sheet shows it, so that every sheet of a run adds up to the same total.
   */
  settled?: Fen;
}

export interface RegionSummary {
  units: number;
  excludedUnits: number;
  byStatus: Record<string, number>;
  institutions: number;
  totalPoints: Points;
  amountClaims: Fen;
  billed: Fen;
  patientPaid: Fen;
  fund: Fen;
  /** Σ gross: the fund valued at the point value (= fund for a floating value). */
  allocated: Fen;
  afterSharing: Fen;
  deductions: Fen;
  yearEnd: Fen;
  advance: Fen;
  monthlyPaid: Fen;
  depositHeld: Fen;
  clearing: Fen;
  /** fund − Σ year-end: > 0 the fund kept a surplus, < 0 it overspent its budget. */
  fundBalance: Fen;
  /** Institutions whose item billing stayed below their payment (结余留用覆盖面). */
  institutionsWithSurplus: number;
  /** What the special-review cases (特例单议) add (absent in runs stored before it was kept). */
  specialReview?: SpecialReviewSummary;
  /** The ungrouped cases (未入组) and the cost their method left unpaid (absent in runs stored before it was kept). */
  ungrouped?: UngroupedSummary;
  /**
   * The cases the pool paid nothing for (ungrouped, claiming nothing) and how the settlement policy's `unpaidCases`
   * treated their patients' payments (absent when there are none, and in runs stored before it was kept).
   */
  unpaidCases?: UnpaidCasesSummary;
  /**
   * The year-end point value differs from the opening-year one by more than the policy's `pointValueChange` allows:
   * both values, the bound and its clause (absent when within it, and in runs stored before it was kept).
   */
  pointValueWarning?: PointValueWarning;
  /**
   * A DRG pool at a fixed base rate (费率法, R-PAY-DRG: the DRG policy's `baseRate: { employee, resident }`): every
   * case is a fixed amount RW × 费率 × 等级系数, no points, no point value — the reports show the 费率 instead of a
   * point value (absent for other pools, and in runs stored before it was kept).
   */
  baseRate?: FixedBaseRate;
}

/** The fixed base rates (fen per RW, by fund) of a DRG pool at a fixed 费率, with their clause. */
export interface FixedBaseRate {
  employee: Fen;
  resident: Fen;
  source: string;
}

export interface UnpaidCasesSummary {
  /** The settlement policy's reading (`unpaidCases`) and its clause. */
  rule: UnpaidCasesRule;
  source: string;
  units: number;
  billed: Fen;
  patientPaid: Fen;
}

/** A year-end point value far from the opening-year one (settlement policy `pointValueChange`). */
export interface PointValueWarning {
  opening: Ratio;
  yearEnd: Ratio;
  /** yearEnd ÷ opening. */
  change: Ratio;
  /** The bound: a change beyond ±maxChange of the opening value is reported. */
  maxChange: Ratio;
  source: string;
}

/**
 * The ungrouped cases (未入组, status `ungrouped`, of any method) of the pool: their total medical cost, what they
 * claim (nothing under `ungrouped: unpaid`, a share of their cost under `discounted`) at the year-end point value,
 * and what the fund did not pay of them: their pooled-fund payment by the settlement lists (统筹基金支付, cost less
 * the patients' payments) less what the fund pays for their claims (value × fund payment ratio). It said "未支付
 * 15000.00" — the whole cost, the patients' part included — where the fund left 10,500.00 unpaid (walk6 #1).
 */
export interface UngroupedSummary extends UngroupedTotals {
  /** The same by institution code, for the institutions with ungrouped cases (each value rounded on its own). */
  byInstitution?: Record<string, UngroupedTotals>;
}

export interface UngroupedTotals {
  units: number;
  billed: Fen;
  /** points × year-end point value + fixed amounts, half-up (medical-cost terms, as the groups' payment). */
  value: Fen;
  /** billed − value: the medical cost the case method did not pay (patients' part included). */
  unpaid: Fen;
  /**
   * Σ 统筹基金支付 of the settlement lists (billed − patients' payments): what the fund would have paid by items
   * (absent in runs stored before it was kept, as the two below).
   */
  fundByItems?: Fen;
  /** value × fund payment ratio, half-up: what the fund pays for them at year end. */
  fundPaid?: Fen;
  /** fundByItems − fundPaid: what the fund did not pay of their pooled-fund payment. */
  fundUnpaid?: Fen;
}

/**
 * The special-review cases of the pool (特例单议; the DIP specification asks that their counts and amounts be
 * published): points, amounts paid by items (按项目付费), their payment at the year-end point value and the fund's part.
 */
export interface SpecialReviewSummary {
  units: number;
  points: Points;
  /** Fixed amounts: approved cases paid by items (medical-cost terms). */
  amountClaims: Fen;
  billed: Fen;
  /** points × year-end point value + amounts, half-up (medical-cost terms, as the groups' payment). */
  value: Fen;
  /** value × fund payment ratio, half-up: what the fund pays for them (before assessment and deductions). */
  fund: Fen;
}

export interface PoolSettlement {
  poolId: string;
  region: string;
  year: number;
  fund: Fen;
  fundPaymentRatio: Ratio;
  pointValue: PointValueResult;
  openingPointValue: Ratio;
  /** The pool-level steps (budget, fund payment ratio, point value). */
  steps: TraceStep[];
  months: MonthResult[];
  institutions: InstitutionSettlement[];
  groups: GroupLine[];
  summary: RegionSummary;
  /** Negative monthly payments, clamped and carried or paid back by policy — always reported (absent when read back). */
  notices?: NegativeMonthNotice[];
}

/** A pool's settlement input with its units already summed (PoolAccumulator), so no year of units is held. */
export interface PoolTotalsInput extends Omit<PoolInput, 'units'> {
  totals: PoolTotals;
}

/**
 * Settle a pool for its year from an array of units (a convenience over `settlePoolTotals`: every unit is checked
 * to fall in the year, then summed). Deterministic; independent of the order of units and institutions.
 */
export function settlePool(input: PoolInput): PoolSettlement {
  const { units, ...rest } = input;
  const totals = new PoolAccumulator({ poolId: input.poolId, year: input.year }).add(units).totals();
  return settlePoolTotals({ ...rest, totals });
}

/** Settle a pool for its year from its summed units. Deterministic; independent of the order of institutions. */
export function settlePoolTotals(input: PoolTotalsInput): PoolSettlement {
  const { rules, year } = input;
  const y = String(year);
  const pool = input.totals;
  const levels = new Map(input.institutions.map((i) => [i.code, i.level] as const));
  const lastYearTotal = [...input.lastYearFundPaid.values()].reduce((s, v) => s + v, 0);

  // Pool level: fund payment ratio and point value. Under `unpaidCases: outside` (default) the cases paid nothing are
  // left out of the ratio, as their patients' payments are left out of the months: the ratio is the year end's
  // "− patients' payments" (R-DIP-6), so both net the same cases. A pool of such cases only keeps them in (no case
  // of it is paid, and a ratio of nothing is none).
  const unpaidRule = rules.unpaidCases ?? { value: 'outside' as const, source: '' };
  const unpaidOutside = unpaidRule.value === 'outside';
  const netted = nettedTotals(pool.all, unpaidOutside);
  // Single-disease cases at their standard paid standard − patient's payment (`singleDiseaseFundShare`): first from
  // the fund, out of the fund payment ratio, the point value and the split of the rest (R-PAY-DISEASE, 000 二(六)).
  const sdRule = rules.singleDiseaseFundShare;
  const sd = sdRule?.value === 'standard-less-patient' ? pool.all.singleDisease : undefined;
  const standardsFund = sd?.fund ?? 0;
  const restFund = input.budget.fund - standardsFund;
  const restAmount = pool.all.amount - (sd?.amount ?? 0);
  if (sd && restFund < 0) throw standardsExceedFundError(input.budget.fund, standardsFund);
  const leaveOut = unpaidOutside && pool.all.unpaid !== undefined && netted.billed > 0;
  const base = leaveOut ? netted : { billed: pool.all.billed, patientPaid: pool.all.patientPaid };
  const restBilled = base.billed - (sd?.billed ?? 0);
  const withoutStandards = sd !== undefined && restBilled > 0;
  const ratioBase = withoutStandards ? { billed: restBilled, patientPaid: base.patientPaid - sd!.patientPaid } : base;
  const fpr = leaveOut
    ? fundPaymentRatio(rules.fundPaymentRatio, ratioBase.billed, ratioBase.patientPaid, {
        ...pool.all.unpaid!,
        source: unpaidRule.source,
      })
    : fundPaymentRatio(rules.fundPaymentRatio, ratioBase.billed, ratioBase.patientPaid);
  if (withoutStandards && rules.fundPaymentRatio.value.kind === 'computed')
    withoutStandardsNote(fpr.step, sd!, sdRule!);
  const pv = yearEndPointValue({
    fund: restFund,
    fundPaymentRatio: fpr.value,
    totalPoints: pool.all.points,
    amountClaims: restAmount,
    rule: rules.pointValue,
    openingPointValue: input.openingPointValue.value,
  });
  if (sd) for (const st of pv.steps) renameFundValue(st);
  const steps: TraceStep[] = [
    ...input.budget.steps,
    ...(sd ? [standardsStep(sd, input.budget.fund, sdRule!.source)] : []),
    fpr.step,
    ...pv.steps,
  ];

  // The fund to split: the budget for a floating value with points, else the points' value × fpr (half-up).
  let toAllocate: Fen;
  if (rules.pointValue.value.kind === 'floating' && pool.all.points > 0) {
    toAllocate = restFund;
  } else {
    const p = pv.pointValue;
    const num = (BigInt(pool.all.points) * p.num + BigInt(restAmount) * p.den * POINT_SCALE) * fpr.value.num;
    toAllocate = Number(divRound(num, p.den * POINT_SCALE * fpr.value.den, 'half-up'));
  }
  const totalStep = poolTotalStep(rules, restFund, pool.all.points, restAmount, pv.pointValue, fpr.value, toAllocate);
  if (sd) renameFundValue(totalStep);
  steps.push(totalStep);

  // Months.
  const monthKeys = sortedCodes(pool.byMonth.keys());
  for (const d of input.deductions) if (d.period.length === 7 && d.period.startsWith(`${y}-`)) monthKeys.push(d.period);
  // Months in order: a negative month's remainder is carried into the next (clamp-and-carry).
  let carry = new Map<string, Fen>();
  const months = sortedCodes(monthKeys).map((month) => {
    const m = preSettleMonth({
      month,
      byInstitution: pool.byMonth.get(month) ?? new Map(),
      rules,
      openingPointValue: input.openingPointValue,
      lastYearFundPaid: lastYearTotal,
      deductions: deductionsFor(input.deductions, month),
      carryIn: carry,
    });
    carry = new Map(
      m.lines.filter((l) => (l.carriedOut ?? 0) > 0).map((l) => [l.institutionCode, l.carriedOut ?? 0] as const),
    );
    return m;
  });
  // A negative month with no later month of its institution in the year: its carry is taken by nothing, said so.
  const lastMonth = new Map<string, string>();
  for (const m of months) for (const l of m.lines) lastMonth.set(l.institutionCode, m.month);
  const notices = months.flatMap((m) =>
    (m.notices ?? []).map((n) => {
      if (n.rule !== 'clamp-and-carry' || lastMonth.get(n.institutionCode) !== n.month) return n;
      const l = m.lines.find((x) => x.institutionCode === n.institutionCode)!;
      const last = negativeMonthNotice(n.institutionCode, n.month, n.amount, l.carriedOut ?? 0, l.carriedIn ?? 0, true);
      m.notices![m.notices!.indexOf(n)] = last;
      return last;
    }),
  );

  // Institutions.
  const yearDeductions = deductionsFor(input.deductions, y);
  const assessments = new Map(input.assessments.map((a) => [a.institutionCode, a] as const));
  const codes = sortedCodes([...pool.byInstitution.keys(), ...yearDeductions.keys(), ...input.lastYearFundPaid.keys()]);
  const totals = codes.map((c) => pool.byInstitution.get(c) ?? emptyTotals());
  // Under standard − patient's payment each institution gets its single-disease cases' fund part beside its share.
  const standardsOf = (t: UnitTotals) => (sd ? t.singleDisease : undefined);
  const restTotals = totals.map((t) => ({ ...t, amount: t.amount - (standardsOf(t)?.amount ?? 0) }));
  const gross = allocateFund(toAllocate, restTotals, pv.pointValue).map(
    (g, i) => g + (standardsOf(totals[i]!)?.fund ?? 0),
  );
  const institutions = codes.map((code, i): InstitutionSettlement => {
    const t: UnitTotals = totals[i]!;
    const level = levels.get(code);
    const adv = startOfYearAdvance(
      input.lastYearFundPaid.get(code) ?? 0,
      level,
      rules.advanceMonths,
      rules.advanceMonthsByInstitution?.[code],
    );
    const monthly = months.flatMap((m) => m.lines.filter((l) => l.institutionCode === code));
    const monthlyPaid = monthly.reduce((s, l) => s + l.payment, 0);
    const depositHeld = monthly.reduce((s, l) => s + l.deposit, 0);
    const a = assessments.get(code);
    const assessment: Cited<Ratio> = a ? { value: a.coefficient, source: a.source } : rules.defaultAssessment;
    const ye = institutionYearEnd({
      totals: t,
      // Item billing compared with the payment (sharing) over the same cases the months net.
      ffs: nettedTotals(t, unpaidOutside),
      gross: gross[i]!,
      pointValue: pv.pointValue,
      fundPaymentRatio: fpr.value,
      sharing: rules.sharing,
      assessment,
      deductions: yearDeductions.get(code) ?? [],
      fundSource: rules.pointValue.source,
      ...(standardsOf(t) ? { standards: { ...standardsOf(t)!, source: sdRule!.source } } : {}),
    });
    const clearing = ye.yearEnd - monthlyPaid - adv.advance;
    const instSteps: TraceStep[] = [
      adv.step,
      ...monthly.flatMap((l) => l.steps),
      ...ye.steps,
      {
        rule: 'R-DIP-6',
        clause: rules.pointValue.source,
        zh: '清算支付额 = 年度清算额 − 月度已支付 − 年初预付（正数基金补付，负数医疗机构退回）',
        en: 'clearing payment = year-end amount − monthly payments − advance (negative: the institution pays back)',
        values: {
          年度清算额: fenToYuan(ye.yearEnd),
          月度已支付: fenToYuan(monthlyPaid),
          年初预付: fenToYuan(adv.advance),
        },
        result: fenToYuan(clearing),
      },
    ];
    return {
      institutionCode: code,
      ...(level ? { level } : {}),
      units: t.units,
      points: t.points,
      amountClaims: t.amount,
      billed: t.billed,
      patientPaid: t.patientPaid,
      byStatus: t.byStatus,
      advance: adv.advance,
      monthly,
      monthlyPaid,
      depositHeld,
      value: valueOfPoints(t.points, pv.pointValue) + t.amount,
      gross: ye.gross,
      ffsFund: ye.ffsFund,
      sharing: ye.sharing,
      afterSharing: ye.afterSharing,
      assessment: ye.assessment,
      afterAssessment: ye.afterAssessment,
      deductions: ye.deductions,
      yearEnd: ye.yearEnd,
      clearing,
      steps: instSteps,
    };
  });

  const groups = [...pool.byGroup.values()]
    .map((g): GroupLine => {
      const value = valueOfPoints(g.points, pv.pointValue) + g.amount;
      return {
        method: g.method,
        group: g.group,
        units: g.units,
        points: g.points,
        amountClaims: g.amount,
        value,
        billed: g.billed,
        difference: value - g.billed,
      };
    })
    .sort((a, b) => (a.method === b.method ? cmp(a.group, b.group) : cmp(a.method, b.method)));

  const sum = (f: (s: InstitutionSettlement) => number) => institutions.reduce((s, x) => s + f(x), 0);
  const unpaid = pool.all.unpaid;
  const pvWarning = pointValueWarning(rules, input.openingPointValue.value, pv, pool.all.points);
  const yearEndTotal = sum((x) => x.yearEnd);
  const summary: RegionSummary = {
    units: pool.all.units,
    excludedUnits: pool.excluded,
    byStatus: pool.all.byStatus,
    institutions: institutions.length,
    totalPoints: pool.all.points,
    amountClaims: pool.all.amount,
    billed: pool.all.billed,
    patientPaid: pool.all.patientPaid,
    fund: input.budget.fund,
    allocated: sum((x) => x.gross),
    afterSharing: sum((x) => x.afterSharing),
    deductions: sum((x) => x.deductions),
    yearEnd: yearEndTotal,
    advance: sum((x) => x.advance),
    monthlyPaid: sum((x) => x.monthlyPaid),
    depositHeld: sum((x) => x.depositHeld),
    clearing: sum((x) => x.clearing),
    fundBalance: input.budget.fund - yearEndTotal,
    institutionsWithSurplus: institutions.filter((x) => x.units > 0 && x.ffsFund < x.gross).length,
    specialReview: specialReviewSummary(pool.specialReview, pv.pointValue, fpr.value),
    ungrouped: {
      ...ungroupedSummary(pool.ungrouped, pv.pointValue, fpr.value),
      byInstitution: Object.fromEntries(
        sortedCodes(pool.ungroupedByInstitution?.keys() ?? []).map(
          (code) => [code, ungroupedSummary(pool.ungroupedByInstitution?.get(code), pv.pointValue, fpr.value)] as const,
        ),
      ),
    },
    ...(unpaid && unpaid.units > 0
      ? { unpaidCases: { rule: unpaidRule.value, source: unpaidRule.source, ...unpaid } }
      : {}),
    ...(pvWarning ? { pointValueWarning: pvWarning } : {}),
  };
  return {
    poolId: input.poolId,
    region: input.region,
    year,
    fund: input.budget.fund,
    fundPaymentRatio: fpr.value,
    pointValue: pv,
    openingPointValue: input.openingPointValue.value,
    steps,
    months,
    institutions,
    groups,
    summary,
    notices,
  };
}

/**
 * The year-end point value against the opening-year one (settlement policy `pointValueChange`): a warning when the
 * change is beyond ±maxChange of the opening value. None without the rule, under a fixed point value, without points
 * or without an opening value.
 */
function pointValueWarning(
  rules: SettlementRules,
  opening: Ratio,
  pv: PointValueResult,
  points: Points,
): PointValueWarning | undefined {
  const bound = rules.pointValueChange;
  // A fixed year-end value is the policy's own choice, not an outcome to check.
  if (!bound || pv.rule === 'fixed' || points <= 0 || opening.num <= 0n) return undefined;
  const yearEnd = pv.pointValue;
  const change = ratio(yearEnd.num * opening.den, yearEnd.den * opening.num);
  // |change − 1| > maxChange, exactly: change > 1 + max or change < 1 − max.
  const m = bound.value;
  const above = compareRatios(change, ratio(m.den + m.num, m.den)) > 0;
  const below = compareRatios(change, ratio(m.den - m.num, m.den)) < 0;
  if (!above && !below) return undefined;
  return { opening, yearEnd, change, maxChange: m, source: bound.source };
}

function specialReviewSummary(t: UnitTotals | undefined, pointValue: Ratio, fpr: Ratio): SpecialReviewSummary {
  const units = t?.units ?? 0;
  const points = t?.points ?? 0;
  const amountClaims = t?.amount ?? 0;
  const value = valueOfPoints(points, pointValue) + amountClaims;
  return { units, points, amountClaims, billed: t?.billed ?? 0, value, fund: mulRatio(value, fpr, 'half-up') };
}

function ungroupedSummary(t: UnitTotals | undefined, pointValue: Ratio, fpr: Ratio): UngroupedTotals {
  const billed = t?.billed ?? 0;
  const value = valueOfPoints(t?.points ?? 0, pointValue) + (t?.amount ?? 0);
  const fundByItems = billed - (t?.patientPaid ?? 0);
  const fundPaid = mulRatio(value, fpr, 'half-up');
  return {
    units: t?.units ?? 0,
    billed,
    value,
    unpaid: billed - value,
    fundByItems,
    fundPaid,
    fundUnpaid: fundByItems - fundPaid,
  };
}

/** The single-disease standards paid standard − patient's payment before the rest of the fund is valued. */
function standardsStep(sd: FixedStandardTotals, fund: Fen, source: string): TraceStep {
  return {
    rule: 'R-PAY-DISEASE',
    clause: source,
    zh: '按病种付费病例（病种收付费标准）：基金支付 = Σ max(0, 病种定额 − 患者负担)，先从基金预算中支付；其余基金（基金预算 − 按病种付费基金支付）按点数及其他定额结算，基金支付比例不计这些病例',
    en: 'single-disease cases (one standard for charging and paying): the fund pays Σ max(0, standard − patient payment), first from the fund budget; the rest of the budget (fund budget − single-disease fund payments) is settled by points and the other fixed amounts, with a fund payment ratio that leaves these cases out',
    values: {
      按病种付费病例数: String(sd.units),
      病种定额合计: fenToYuan(sd.amount),
      按病种付费患者负担: fenToYuan(sd.patientPaid),
      基金预算: fenToYuan(fund),
    },
    result: fenToYuan(sd.fund),
  };
}

/** The fund payment ratio's step when the single-disease cases paid standard − patient's payment are left out. */
function withoutStandardsNote(step: TraceStep, sd: FixedStandardTotals, rule: Cited<string>): void {
  step.zh = `${step.zh}（按病种付费病例按“定额 − 患者负担”支付，不计入）`;
  step.en = `${step.en} (single-disease cases paid standard − patient payment are left out)`;
  step.clause = `${step.clause}; ${rule.source}`;
  step.values = { ...step.values, 按病种付费病例数: String(sd.units) };
}

/** A step's 基金预算 value is, under standard − patient's payment, the fund left after the single-disease cases. */
function renameFundValue(step: TraceStep): void {
  if (!step.values || !('基金预算' in step.values)) return;
  const { 基金预算: fund, ...rest } = step.values;
  step.values = { '基金预算 − 按病种付费基金支付': fund!, ...rest };
}

function standardsExceedFundError(fund: Fen, standards: Fen): SettlementError {
  return new SettlementError(
    'STANDARDS_EXCEED_FUND',
    `按病种付费基金支付 ${fenToYuan(standards)} 元（病种定额 − 患者负担）超过基金预算 ${fenToYuan(fund)} 元：请核对结算政策文件中的基金预算与按病种付费标准`,
    `single-disease fund payments ${fenToYuan(standards)} yuan (standard − patient payment) exceed the fund budget ${fenToYuan(fund)} yuan: check the settlement policy's budget and the single-disease standards`,
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The step that gives the pool's year-end total as a reader can redo it: the budget under a floating value with
 * points; else (Σ points × year-end point value + fixed amounts) × fund payment ratio, half-up — and, for a pool
 * without points (a DRG pool at a fixed 费率: every case a fixed amount RW × 费率 × 等级系数), fixed amounts × fund
 * payment ratio, not "= the budget" (walk5 #5: 39,900.00 = 57,000.00 × 0.7 read as "floating value = budget").
 */
export function poolTotalStep(
  rules: SettlementRules,
  fund: Fen,
  points: Points,
  amount: Fen,
  pointValue: Ratio,
  fpr: Ratio,
  total: Fen,
): TraceStep {
  const split = {
    zh: '，按最大余数法分配到各机构，合计与总额分毫不差',
    en: ', split over institutions by largest remainder to the fen',
  };
  if (rules.pointValue.value.kind === 'floating' && points > 0)
    return {
      rule: 'R-DIP-6',
      clause: rules.pointValue.source,
      zh: `全池年度应付总额 = 基金预算（浮动点值）${split.zh}`,
      en: `the pool’s year-end total = the fund budget (floating point value)${split.en}`,
      values: { 基金预算: fenToYuan(fund) },
      result: fenToYuan(total),
    };
  if (points === 0)
    return {
      rule: 'R-DIP-6',
      clause: rules.fundPaymentRatio.source,
      zh: `全池年度应付总额 = 定额结算金额 × 基金支付比例（本年无点数，不用点值；定额结算金额：按费率、按床日、按病种的定额，及按项目付费病例的医疗总费用），四舍五入到分${split.zh}`,
      en: `the pool’s year-end total = fixed amounts × fund payment ratio (no points this year, so no point value; fixed amounts: standards by base rate, per bed-day and per disease, and the total cost of cases paid by items), half-up to the fen${split.en}`,
      values: { 定额结算金额: fenToYuan(amount), 基金支付比例: formatRatioShort(fpr) },
      result: fenToYuan(total),
    };
  return {
    rule: 'R-DIP-6',
    clause: rules.pointValue.source,
    zh: `全池年度应付总额 = (总点数 × 年度点值 + 定额结算金额) × 基金支付比例，四舍五入到分${split.zh}`,
    en: `the pool’s year-end total = (total points × year-end point value + fixed amounts) × fund payment ratio, half-up to the fen${split.en}`,
    values: {
      总点数: formatPoints(points),
      年度点值: formatPointValue(pointValue),
      定额结算金额: fenToYuan(amount),
      基金支付比例: formatRatioShort(fpr),
    },
    result: fenToYuan(total),
  };
}
