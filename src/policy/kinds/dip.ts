/**
 * DIP payment policy (按病种分值付费, R-PAY-DIP, R-DIP-1…5): how the local catalog is calibrated from history,
 * coefficients, deviating cases, special review and ungrouped cases. The settlement of the point pool (budget,
 * point value, prepayment, sharing) is the `dip-settlement` kind.
 *
 * 002 四(二): "各统筹地区按照本地前3年数据进行全样本数据病例平均医疗费用测算，确定核心病种的分值。对于综合病种、异常高值的病例，
 * 可通过病例单议、专家评审等方式确定病种分值。对于异常低值的病例，按实际费用确定病种分值……引入分值系数……确定医院等级系数及权重系数。"
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zEnName, zNonNegInt, zNonNegRatio, zPositiveInt, zShare, zYuan } from '../values.ts';

/** An inclusive band [from, to] (to absent = open); used for age, ICU days and comorbidity scores. */
const band = z
  .object({
    code: z.string().min(1),
    zh: z.string().min(1),
    en: zEnName.optional(),
    from: zNonNegInt,
    to: zNonNegInt.optional(),
  })
  .strict();
const ageBand = band.extend({ unit: z.enum(['days', 'years']) }).strict();

const values = z
  .object({
    /** History years used for calibration (oldest first) and their weights, e.g. 2022–2024 at 1:2:7. */
    historyYears: param(
      z
        .object({ years: z.array(zPositiveInt).min(1), weights: z.array(zNonNegRatio).min(1) })
        .strict()
        .refine((v) => v.years.length === v.weights.length, { message: 'years and weights must have the same length' }),
    ),
    /** 核心病种临界值: a fixed case count, or the count at which core groups cover `coverage` of cases. */
    coreGroupThreshold: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('fixed'), minCases: zPositiveInt }).strict(),
        z.object({ method: z.literal('coverage'), coverage: zShare }).strict(),
      ]),
    ),
    /** Cost trimming before group means (e.g. 2.5 % / 97.5 % quantiles), or `none`. */
    trimming: param(z.union([z.literal('none'), z.object({ low: zShare, high: zShare }).strict()])),
    /** Score scale (分值基准): RW × 100 or × 1000. */
    scoreScale: param(zPositiveInt),
    /** What M is: the mean of all cases, a benchmark group's mean, or a fixed amount. */
    scoreBasis: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('mean') }).strict(),
        z.object({ method: z.literal('benchmark'), group: z.string().min(1) }).strict(),
        z.object({ method: z.literal('fixed'), meanCost: zYuan }).strict(),
      ]),
    ),
    /** Comprehensive groups with fewer history cases are dropped; their cases become ungrouped (0 = keep all). */
    comprehensiveMinCases: param(zNonNegInt),
    /** Groups whose coefficient of variation exceeds this are flagged in the catalog. */
    cvWarning: param(zNonNegRatio),
    /** 基层病种: group codes from the region's list, paid without institution coefficient; CV limit for a warning. */
    primaryCareGroups: param(z.object({ groups: z.array(z.string().min(1)), maxCv: zNonNegRatio }).strict()),
    /**
     * Auxiliary subtypes (辅助目录): triggered when enough cases and a high enough coefficient, and, when
     * `minCvReduction` is given, when splitting the subtype off lowers the group's CV by at least that share.
     */
    auxiliary: param(
      z
        .object({
          minCases: zPositiveInt,
          minCoefficient: zNonNegRatio,
          minCvReduction: zShare.optional(),
          age: z.array(ageBand),
          icuDays: z.array(band),
          cci: z.array(band),
          death: z.boolean(),
        })
        .strict(),
    ),
    /** 医院等级系数: calibrated by level from history (case-mix adjusted or raw mean cost), or given. */
    institutionCoefficient: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('calibrated'), basis: z.enum(['case-mix', 'mean-cost']) }).strict(),
        z
          .object({
            method: z.literal('given'),
            byLevel: z
              .object({ '3': zNonNegRatio, '2': zNonNegRatio, '1': zNonNegRatio, primary: zNonNegRatio })
              .strict(),
            byInstitution: z.record(z.string(), zNonNegRatio).optional(),
          })
          .strict(),
      ]),
    ),
    /** Decimals of published coefficients (rounded half-up). */
    coefficientDecimals: param(z.number().int().min(0).max(6)),
    /** 参考点值 for deviating-case standards (元/点): the calibrated opening-year value, or given. */
    referencePointValue: param(z.union([z.literal('opening'), zNonNegRatio])),
    /** 费用极低病例: cost below `ratio` × the same-level standard → points by actual cost. */
    lowCost: param(z.object({ ratio: zShare }).strict()),
    /**
     * 费用极高病例: cost above `multiple` × standard → points = base × ((cost ÷ standard − multiple) × excessRate + 1);
     * `maxPointsMultiple` (optional) caps an extreme case's points at that multiple of its base points (the rest
     * is left to special review).
     */
    highCost: param(
      z
        .object({ multiple: zNonNegRatio, excessRate: zNonNegRatio, maxPointsMultiple: zNonNegRatio.optional() })
        .strict(),
    ),
    /**
     * The standard a deviating case (偏差病例) is measured against: `group-mean-cost` = the previous year's mean
     * total cost of the group at institutions of the same level (上一年度同级别定点医疗机构该病种次均医疗总费用, DIP
     * 技术规范 1.0/2.0); `payment-standard` = base points × reference point value (同级别病种支付标准, DIP 3.0 draft).
     * A group × level without a case in the previous year falls back to the payment standard (shown in the trace).
     */
    deviationStandard: paramOr(
      z.enum(['group-mean-cost', 'payment-standard']),
      'payment-standard',
      'yibao default: 同级别病种支付标准 (state deviationStandard in the DIP policy)',
    ),
    /**
     * Low-cost and ungrouped cases paid by their cost: `year-end` = paid their cost (their points are solved at the
     * year-end point value, so points × value = cost — the specification's correction intends this); `opening` =
     * scored at the reference (opening) point value and valued at the year-end one.
     */
    costPaidCases: paramOr(
      z.enum(['year-end', 'opening']),
      'year-end',
      'yibao default: 按实际费用确定病种分值，按年度点值折算（state costPaidCases in the DIP policy）',
    ),
    /**
     * Core-group matching when no exact combination exists: `main-procedure-first` = among core groups whose
     * procedures the case all has, one containing the case's main procedure wins, then the most shared;
     * `most-shared` = the most shared procedures whatever the main one.
     */
    coreMatch: paramOr(
      z.enum(['main-procedure-first', 'most-shared']),
      'main-procedure-first',
      'yibao default: 主要诊断 + 主要手术操作优先 (state coreMatch in the DIP policy)',
    ),
    /** 特例单议: cost above `multiple` × standard may be queued, at most `capPerMille` ‰ of the region's DIP cases. */
    specialReview: param(z.object({ multiple: zNonNegRatio, capPerMille: zNonNegRatio }).strict()),
    /**
     * How a special-review case approved for payment by items (特例单议通过、按项目) enters the pool:
     * `points-at-cost` = points by its cost, cost ÷ the reference point value, inside the point system like every case
     * (002 四(二) "可通过病例单议、专家评审等方式确定病种分值"; 四(三) "按照各医疗机构实际点数付费"), so it shares the pool's
     * point value and can never push a month's or the year's value to zero; `items` = paid its items from the fund
     * before the points share the rest (DIP 技术规范 "评审通过的病例按项目付费"): at year end the amount is taken from the
     * pool before the point value, and each month it is paid beside the month's quota, not out of it.
     */
    specialReviewByItems: paramOr(
      z.enum(['points-at-cost', 'items']),
      'points-at-cost',
      'yibao default: 002 四(二) 通过病例单议、专家评审等方式确定病种分值（state specialReviewByItems in the DIP policy）',
    ),
    /** Cases matching no group: unpaid pending a local rule, or paid their cost at a discount. */
    ungrouped: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('unpaid') }).strict(),
        z.object({ method: z.literal('discounted'), ratio: zShare }).strict(),
      ]),
    ),
  })
  .strict();

export const dipKind: PolicyKind<typeof values> = {
  kind: 'dip',
  zh: 'DIP 按病种分值付费',
  en: 'DIP (diagnosis-intervention packet) payment',
  values,
  example: `historyYears: { value: { years: [2022, 2023, 2024], weights: [1, 2, 7] }, source: "002 四(二) 前3年数据" }
coreGroupThreshold: { value: { method: fixed, minCases: 15 }, source: "DIP 技术规范 临界值" }
trimming: { value: { low: 0.025, high: 0.975 }, source: "DIP 技术规范 异常值剔除" }
scoreScale: { value: 1000, source: "DIP 技术规范 分值计算" }
scoreBasis: { value: { method: mean }, source: "DIP 技术规范 均值法" }
comprehensiveMinCases: { value: 0, source: "本地办法" }
cvWarning: { value: 1, source: "DIP 技术规范 CV" }
primaryCareGroups: { value: { groups: ["J18.9|"], maxCv: 0.7 }, source: "002 四(二) 基层病种库" }
auxiliary: { value: { minCases: 10, minCoefficient: 1.1, age: [{ code: A65, zh: "≥65岁", unit: years, from: 65 }], icuDays: [], cci: [], death: true }, source: "DIP 技术规范 辅助目录" }
institutionCoefficient: { value: { method: calibrated, basis: case-mix }, source: "002 四(二) 医院等级系数" }
coefficientDecimals: { value: 4, source: "本地办法" }
referencePointValue: { value: opening, source: "DIP 技术规范 年初点值" }
lowCost: { value: { ratio: 0.5 }, source: "002 四(二) 异常低值" }
highCost: { value: { multiple: 2, excessRate: 1 }, source: "002 四(二) 异常高值" }
deviationStandard: { value: group-mean-cost, source: "DIP 技术规范 2.0 上一年度同级别定点医疗机构该病种次均医疗总费用" }
costPaidCases: { value: year-end, source: "002 四(二) 对于异常低值的病例，按实际费用确定病种分值" }
coreMatch: { value: main-procedure-first, source: "DIP 技术规范 2.0 主要诊断与主要手术操作" }
specialReview: { value: { multiple: 5, capPerMille: 5 }, source: "DIP 技术规范 特例单议 5‰" }
specialReviewByItems: { value: points-at-cost, source: "002 四(二) 可通过病例单议、专家评审等方式确定病种分值" }
ungrouped: { value: { method: unpaid }, source: "本地办法" }`,
};
