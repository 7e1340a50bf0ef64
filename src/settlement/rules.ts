/**
 * Settlement rules of a point pool (点数法结算规则), as resolved from policy — the only numbers the settlement
 * engine uses. Any payment method's policy kind can build them (DIP from `settlement`, DRG from its own kind).
 *
 * 002 四(三): "按照'总额控制、按月预付、月预结算、年度清算'的原则……年底根据各医疗机构所提供服务的总点数及地区医保基金
 * 支出预算指标，得出每个点的实际价值，按照各医疗机构实际点数付费。" (R-DIP-6, R-BUD-5)
 */
import type { InstitutionLevel } from '../model/institution.ts';
import type { Ratio } from '../model/money.ts';
import type { Cited } from '../policy/values.ts';
import type { SharingBands } from './sharing.ts';

/**
 * How the year-end point value (年终清算点值) is fixed. Point values are exact ratios in fen per point.
 * - `floating` 浮动点值: (pool fund ÷ fund payment ratio − amount claims) ÷ total points — the fund is spent exactly.
 * - `fixed` 固定点值: a value set in advance; the fund spends what the points are worth.
 * - `elastic` 弹性点值: `fixedShare` of the value at a fixed point value (the opening-year value unless given),
 *   the rest floating (e.g. 8:2): pv = s × pv_fixed + (1 − s) × pv_floating.
 */
export type PointValueRule =
  | { kind: 'floating' }
  | { kind: 'fixed'; pointValue: Ratio }
  | { kind: 'elastic'; fixedShare: Ratio; fixedPointValue?: Ratio };

/**
 * The provisional point value of the monthly pre-settlement (月预结算):
 * - `opening`: the opening-year (or last year's) point value;
 * - `monthly-quota` (002 四(三)): the month's pre-settlement total = last year's monthly mean fund payment ×
 *   `quotaRatio`, spread over the month's points (with `capAtOpening`, never above the opening-year value, so a
 *   month with few discharges is not overpaid; `overQuota: cap` keeps a month whose fixed amounts exceed the quota +
 *   its patients' payments within the quota, scaling the fixed amounts, instead of paying them in full);
 * - `fixed`: a value from policy.
 */
export type ProvisionalPointValueRule =
  | { kind: 'opening' }
  | { kind: 'monthly-quota'; quotaRatio: Ratio; capAtOpening?: boolean; overQuota?: 'pay-fixed' | 'cap' }
  | { kind: 'fixed'; pointValue: Ratio };

/** 基金支付比例: given by policy, or computed as Σ fund share ÷ Σ billed over the pool's units of the year. */
export type FundPaymentRatioRule = { kind: 'computed' } | { kind: 'given'; ratio: Ratio };

export interface SettlementRules {
  fundPaymentRatio: Cited<FundPaymentRatioRule>;
  pointValue: Cited<PointValueRule>;
  provisionalPointValue: Cited<ProvisionalPointValueRule>;
  /** 预结算比例 (e.g. 0.9): the share of the month's amount paid; the rest is the quality deposit (质量保证金). */
  prepayRatio: Cited<Ratio>;
  /** R-BUD-5 start-of-year advance, in months of last year's monthly mean fund payment, by institution level. */
  advanceMonths: Cited<Partial<Record<InstitutionLevel, Ratio>>>;
  /**
   * R-BUD-5 months set for an institution by its credit (000 §4 "视医院级别及信誉情况"), in place of its level's; the
   * clause is `advanceMonths`'s.
   */
  advanceMonthsByInstitution?: Readonly<Record<string, Ratio>>;
  /** Surplus retention / overspend sharing against fee-for-service billing (结余留用、超支分担); null = none. */
  sharing: Cited<SharingBands | null>;
  /** 考核系数 used for an institution without an assessment result. */
  defaultAssessment: Cited<Ratio>;
  /**
   * A month whose payment comes out negative (deductions or patients' payments above the month's value):
   * `clamp-and-carry` pays 0 and subtracts the rest from the year's later months (the year end takes nothing back
   * on its own: the month counted as 0 paid); `pay-back` has the
   * institution pay it back that month. Reported either way. Absent = clamp-and-carry.
   */
  negativeMonth?: Cited<NegativeMonthRule>;
  /**
   * The quality deposit of a month whose gross (value − patients' payments) is negative, 002 四(三)
   * "扣除保证金后按月进行预拨付": `none` holds none (prepay = gross, deposit 0); `formula` applies the prepay ratio as
   * to any month (prepay = gross × ratio half-up, deposit = gross − prepay < 0). Absent = none.
   */
  negativeMonthDeposit?: Cited<NegativeMonthDepositRule>;
  /**
   * Cases the pool pays nothing for (`unpaidCase`: ungrouped, claiming nothing). `outside`: their patients' payments
   * are not netted against the institution's month nor counted in the monthly quota's point value, and their cost and
   * patients' payments stay out of the computed fund payment ratio and of the item-billing comparison (sharing);
   * `netted`: they count like any case. Absent = outside.
   */
  unpaidCases?: Cited<UnpaidCasesRule>;
  /**
   * The year-end point value is reported when it differs from the opening-year value by more than this share of it
   * (0.5: outside [0.5, 1.5] × opening). A warning in the region summary, never a change of any amount. Absent = none.
   */
  pointValueChange?: Cited<Ratio>;
  /**
   * What the fund pays for a single-disease case at its fixed standard in this pool (按病种付费, R-PAY-DISEASE):
   * `pool-ratio` = standard × the pool's fund payment ratio, the standard valued like any fixed amount (its part of the
   * budget split in proportion to points × point value + fixed amounts); `standard-less-patient` = standard − what the
   * patient paid (at least 0), paid first from the fund, the rest of the budget shared by the other units, their fund
   * payment ratio computed without these cases. Absent = pool-ratio.
   */
  singleDiseaseFundShare?: Cited<SingleDiseaseFundShareRule>;
}

export type SingleDiseaseFundShareRule = 'pool-ratio' | 'standard-less-patient';

export type UnpaidCasesRule = 'outside' | 'netted';

export type NegativeMonthRule = 'clamp-and-carry' | 'pay-back';
export type NegativeMonthDepositRule = 'none' | 'formula';
