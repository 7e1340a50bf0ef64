/**
 * Settlement of the DIP point pool (区域点数法总额预算与结算, R-BUD-2, R-BUD-5, R-DIP-6): the budget, the fund
 * payment ratio, the point value rule, the monthly pre-settlement, the start-of-year advance and the sharing bands.
 *
 * 002 四(一)(三): "以当年度基本医疗保险统筹基金总收入，适当预留部分基金，在扣除……支出费用后，确定区域内所有定点医疗机构住院可分配的
 * 基金总额"; "总额控制、按月预付、月预结算、年度清算".
 *
 * `caseAmountRounding` (病例结算金额的分配规则) says how an institution's points × point value is split over its cases
 * to the fen. The default `largest-remainder` gives each case its points × point value rounded down to the fen and
 * hands the institution's remaining fen one each to the cases with the largest remainders (ties by unit id): the
 * per-case list a hospital's insurance office reconciles must add up to what the institution is paid, to the fen
 * (rounding each case on its own misses the institution's figure: in the demo by up to 25 fen). `none` stores no per-case amount.
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zEnName, zNonNegRatio, zRatio, zShare, zYuan } from '../values.ts';

/** 000 §4 "各级医保经办机构视医院级别及信誉情况，年初向定点医疗机构预付 0-2 个月医保资金". */
const zAdvanceMonths = zNonNegRatio.refine((r) => r.num <= 2n * r.den, { message: 'expected 0 to 2 months (000 §4)' });

const values = z
  .object({
    /** R-BUD-2: revenue − reserve − listed deductions; or last year's fund payment × (1 + growth); or given. */
    budget: param(
      z.discriminatedUnion('method', [
        z
          .object({
            method: z.literal('items'),
            revenue: zYuan,
            /** 002 四(一) "适当预留部分基金": a share of the revenue, or (`reserve`) an amount in yuan — one of the two. */
            reserveRatio: zShare.optional(),
            reserve: zYuan.optional(),
            deductions: z
              .array(
                z
                  .object({
                    item: z.string().min(1),
                    /** The item's name in English (急诊 → emergency care), shown in en output (else the item). */
                    en: zEnName.optional(),
                    amount: zYuan,
                    source: z.string().optional(),
                  })
                  .strict(),
              )
              .min(1),
          })
          .strict()
          .refine((b) => (b.reserveRatio === undefined) !== (b.reserve === undefined), {
            message:
              'write the reserve as reserveRatio (a share of the pooled fund’s total revenue) or reserve (an amount in yuan): one of the two and not both (002 四(一) 适当预留部分基金)',
            // The example shown is an `items` budget with its one reserve line, not the kind's first example (growth).
            params: {
              example: [
                'budget:',
                '  value:',
                '    method: items',
                '    revenue: 60000',
                '    reserveRatio: 0.05',
                '    deductions:',
                '      - { item: 普通门诊统筹, en: general outpatient pooling, amount: 17000 }',
                '  source: "002 四(一)"',
              ].join('\n'),
            },
          }),
        z.object({ method: z.literal('growth'), growthRate: zRatio }).strict(),
        z.object({ method: z.literal('given'), amount: zYuan }).strict(),
      ]),
    ),
    /** 基金支付比例: `computed` from the year's cases, or a given share. */
    fundPaymentRatio: param(z.union([z.literal('computed'), zShare])),
    /** Year-end point value (元/点 for fixed values). */
    pointValue: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('floating') }).strict(),
        z.object({ method: z.literal('fixed'), value: zNonNegRatio }).strict(),
        z.object({ method: z.literal('elastic'), fixedShare: zShare, fixedValue: zNonNegRatio.optional() }).strict(),
      ]),
    ),
    /** Point value of the monthly pre-settlement. */
    provisionalPointValue: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('opening') }).strict(),
        z
          .object({
            method: z.literal('monthly-quota'),
            quotaRatio: zNonNegRatio,
            capAtOpening: z.boolean().optional(),
            /**
             * A month whose fixed amounts (低倍率 cases paid their cost, per-bed-day and single-disease standards) exceed
             * the quota + the month's patients' payments: `pay-fixed` (default) pays them in full, the points get 0 and
             * the month pays more than its quota; `cap` keeps the month within its quota (002 四(三) 月度预结算总额):
             * the fixed amounts share quota + patients' payments in proportion.
             */
            overQuota: z.enum(['pay-fixed', 'cap']).optional(),
          })
          .strict(),
        z.object({ method: z.literal('fixed'), value: zNonNegRatio }).strict(),
      ]),
    ),
    /** 预结算比例; the rest of each month is the quality deposit (质量保证金). */
    prepayRatio: param(zShare),
    /**
     * R-BUD-5: months of last year's monthly mean paid in advance, by level (absent = none), and by institution where
     * the agency sets another number for its credit (`byInstitution`, 000 §4 "视医院级别及信誉情况"); 0 to 2 months
     * (000 §4 "预付 0-2 个月").
     */
    advanceMonths: param(
      z
        .object({
          '3': zAdvanceMonths.optional(),
          '2': zAdvanceMonths.optional(),
          '1': zAdvanceMonths.optional(),
          primary: zAdvanceMonths.optional(),
          byInstitution: z.record(z.string().min(1), zAdvanceMonths).optional(),
        })
        .strict(),
    ),
    /** 结余留用、超支分担 bands against item billing, or `none`. */
    sharing: param(
      z.union([
        z.literal('none'),
        z
          .object({
            surplus: z.array(z.object({ upTo: zNonNegRatio.optional(), institutionShare: zShare }).strict()),
            overspend: z.array(z.object({ upTo: zNonNegRatio.optional(), fundShare: zShare }).strict()),
          })
          .strict(),
      ]),
    ),
    /** 考核系数 for an institution without an assessment result. */
    defaultAssessment: param(zNonNegRatio),
    /**
     * A negative monthly payment: `clamp-and-carry` pays 0 and subtracts the rest from the year's later monthly
     * pre-settlements — the year end takes nothing back on its own (clearing = year-end amount − paid monthly −
     * advance, the month counted as 0 paid); `pay-back` has the institution pay it back in that month. Reported either way.
     */
    negativeMonth: paramOr(
      z.enum(['clamp-and-carry', 'pay-back']),
      'clamp-and-carry',
      'yibao default: 月度预结算为负时当月不付，负数从本年度后续月份扣减 (state negativeMonth in the settlement policy)',
    ),
    /**
     * The quality deposit of a month whose gross is negative (patients paid more than its points are worth); 002 四(三)
     * "扣除保证金后按月进行预拨付" reads both ways: `none` holds no deposit (prepay = gross, deposit 0: nothing is paid
     * that month, so nothing is held back); `formula` applies the prepay ratio as to any month (prepay = gross × ratio
     * half-up, deposit = gross − prepay, negative).
     */
    negativeMonthDeposit: paramOr(
      z.enum(['none', 'formula']),
      'none',
      'yibao default: 002 四(三) 扣除保证金后按月进行预拨付——当月无可预拨，不留质量保证金 (state negativeMonthDeposit in the settlement policy)',
    ),
    /**
     * Cases the pool pays nothing for — ungrouped (未入组) and claiming neither points nor an amount (DIP `ungrouped:
     * unpaid`, DRG `ungrouped: hold`). R-DIP-6 "(当月点数 × 预结算点值 − 患者负担) × 预结算比例" nets the patients' payments
     * against the value of the points they go with, and the year end does the same through the fund payment ratio
     * (基金支付比例 = 统筹基金支付 ÷ 医疗总费用). `outside`: such a case has no value to net against, so its patient's
     * payment is not subtracted from its institution's month, not counted in the pool's monthly pre-settlement point
     * value, and its cost and patient's payment stay out of the computed fund payment ratio and of the item-billing
     * comparison (结余留用、超支分担): the fund pays nothing for it and the hospital keeps what the patient paid.
     * `netted`: its patient's payment is netted like any case's (a month with only such cases goes negative) and it
     * counts in the fund payment ratio and the comparison. Cases paid at cost or at a discount claim a value and are
     * netted either way.
     */
    unpaidCases: paramOr(
      z.enum(['outside', 'netted']),
      'outside',
      'yibao default: 002 四(三) 月预结算按当月病种分数总和——未入组不计分的病例无可冲抵，患者负担不冲抵、不计入基金支付比例 (state unpaidCases in the settlement policy)',
    ),
    /**
     * The year-end point value is reported (a warning line stored with the run, never a change of any amount) when
     * it differs from the opening-year point value by more than `maxChange` of the opening value either way
     * (0.5 = below half or above one and a half times): a budget far from the year's points, a template's example
     * left in place, a year whose cases mostly earn no points.
     */
    pointValueChange: paramOr(
      z.object({ maxChange: zNonNegRatio }).strict(),
      { maxChange: { num: 1n, den: 2n } },
      'yibao default: 年度点值与年初点值相差超过 50% 时提示核对 (state pointValueChange in the settlement policy)',
    ),
    /**
     * A budget outside [minShare, maxMultiple] × last year's pooled-fund payment of the pool (or zero) is reported
     * as implausible for the region — a unit slip (元 for 万元), a template's example left in place — with both
     * figures. A warning, never a change of the budget.
     */
    budgetPlausibility: paramOr(
      z.object({ minShare: zNonNegRatio, maxMultiple: zNonNegRatio }).strict(),
      { minShare: { num: 1n, den: 10n }, maxMultiple: { num: 10n, den: 1n } },
      'yibao default: 基金预算低于上年度基金支付的 10% 或高于其 10 倍时提示核对 (state budgetPlausibility in the settlement policy)',
    ),
    /**
     * 病例结算金额: how each case's share of its institution's points × point value is rounded to the fen
     * (R-DIP-6 "按照各医疗机构实际点数付费"). `largest-remainder`: floor per case, the institution's remaining fen to the
     * largest remainders (ties by unit id), so Σ cases = the institution's amount; `none`: no per-case amount.
     */
    caseAmountRounding: paramOr(
      z.enum(['largest-remainder', 'none']),
      'largest-remainder',
      'yibao default: 002 四(三) 按照各医疗机构实际点数付费——病例结算金额按最大余数法分到分，各病例合计等于机构点数金额 (state caseAmountRounding in the settlement policy)',
    ),
  })
  .strict();

export const dipSettlementKind: PolicyKind<typeof values> = {
  kind: 'dip-settlement',
  zh: '区域点数法总额预算与结算',
  en: 'regional point-pool budget and settlement',
  values,
  example: `budget: { value: { method: growth, growthRate: 0.05 }, source: "002 四(一)" }
fundPaymentRatio: { value: computed, source: "DIP 技术规范 基金支付比例" }
pointValue: { value: { method: floating }, source: "002 四(三) 年终点值" }
provisionalPointValue: { value: { method: opening }, source: "002 四(三) 月预结算" }
prepayRatio: { value: 0.9, source: "DIP 技术规范 质量保证金 10%" }
advanceMonths: { value: { "3": 1, "2": 1, "1": 0.5, primary: 0.5, byInstitution: { H001: 0 } }, source: "000 §4 视医院级别及信誉情况，年初预付 0-2 个月" }
sharing: { value: none, source: "本地办法" }
defaultAssessment: { value: 1, source: "本地考核办法" }
negativeMonth: { value: clamp-and-carry, source: "本地结算办法 月度预结算为负时结转" }
negativeMonthDeposit: { value: none, source: "002 四(三) 扣除保证金后按月进行预拨付" }
unpaidCases: { value: outside, source: "002 四(三) 每月根据预结算总额及当月病种分数总和进行月预结算" }
pointValueChange: { value: { maxChange: 0.5 }, source: "本地核对规则：年度点值与年初点值相差 50% 以上时复核" }
budgetPlausibility: { value: { minShare: 0.1, maxMultiple: 10 }, source: "本地核对规则：预算与上年度基金支付相差十倍以上时复核" }
caseAmountRounding: { value: largest-remainder, source: "002 四(三) 按照各医疗机构实际点数付费；病例结算金额合计等于机构点数金额" }`,
};
