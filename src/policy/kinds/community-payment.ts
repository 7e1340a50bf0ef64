/**
 * County medical-community global budget payment (县域医共体医保基金总额付费, R-PAY-TOTAL, R-BUD-4, R-BUD-5, R-MC-2…5):
 * per-head budget standards by fund, growth capped by the fund's revenue growth, the ~1-month advance, year-end
 * reconciliation with surplus-retention / overspend-sharing bands (the same schema as capitation), and the
 * performance indicators whose score sets the assessment coefficient of the year-end sharing.
 *
 * 鲁医保发〔2024〕39号 二(二): "按照增幅不超过统筹区当年医保基金收入增幅的原则，合理测算各类人头预算标准，结合县域医共体服务
 * 人群，科学合理确定县域医共体年度医保基金支出总额预算。对因合理控费和加强健康管理出现医保基金支出降低的县域医共体，不降低下
 * 年度总额付费预算指标。原则上，县域外发生的医保基金支出应纳入县域医共体医保基金支出总额预算。"
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zEnName, zNonNegRatio, zRatio } from '../values.ts';
import { zSharingBands } from './capitation.ts';
import { COMPENSATION_CAUSES } from './medical-community.ts';

/** Budget factors named in 二(二). */
export const BUDGET_FACTORS = [
  'economy', // 经济社会发展水平
  'fund-capacity', // 基金承受能力
  'benefit-level', // 待遇保障水平提高
  'price-adjustment', // 医疗服务价格调整
  'volume-procurement', // 药品耗材集采
  'major-policy', // 重大政策调整
  'reasonable-growth', // 医疗费用合理增长
] as const;

/** Indicators of 二(四) (R-MC-4/5). */
export const COMMUNITY_INDICATORS = [
  'cost-growth', // 医疗费用增长率
  'reimbursement-ratio', // 医保报销比例
  'primary-visit-rate', // 基层就诊率
  'in-county-fund-share', // 县域内基金支出比例
  'primary-fund-share', // 县域内基层医疗卫生机构医保基金支出占比
  'outside-county-referral-rate', // 转外就医（县域外住院）比例
] as const;
export type CommunityIndicatorId = (typeof COMMUNITY_INDICATORS)[number];

/** Spending of the population served that counts against the community's budget. */
export const COUNTED_SPENDING = ['members', 'outside-county', 'in-county-non-members'] as const;

const byFund = <S extends z.ZodType>(s: S) => z.object({ employee: s, resident: s }).strict();

const factor = z
  .object({ factor: z.enum(BUDGET_FACTORS), zh: z.string().min(1), en: zEnName.optional(), rate: zRatio })
  .strict();

const indicator = z
  .object({
    id: z.enum(COMMUNITY_INDICATORS),
    /** Full marks when the target is met (all-or-nothing), 0 otherwise. */
    weight: z.number().int().nonnegative(),
    target: z.object({ direction: z.enum(['at-most', 'at-least']), value: zRatio }).strict(),
    /** Monitoring warning threshold (预警阈值): warn when the value passes it in the target's bad direction. */
    warning: zRatio,
  })
  .strict();

const coefficientBand = z.object({ minScore: z.number().nonnegative(), coefficient: zNonNegRatio }).strict();

const values = z
  .object({
    /** Weights of the history years' per-head fund spending, oldest first (e.g. [0.2, 0.3, 0.5] or [1]). */
    perHeadHistoryWeights: param(z.array(zNonNegRatio).min(1)),
    /** Growth factors of the per-head standard by fund (signed rates, added). */
    growthFactors: param(byFund(z.array(factor))),
    /** The pooling region's fund revenue growth of the year (统筹区当年医保基金收入增幅): the cap on growth. */
    revenueGrowth: param(byFund(zRatio)),
    /**
     * What "增幅不超过统筹区当年医保基金收入增幅" (二(二)) caps: `history` — the growth rate applied to the weighted history
     * per head (Σ factors, capped at the revenue growth); `last-year` — also the standard's growth over last year's
     * per-head spending, so a weighted base above last year's (spending that fell) cannot carry the standard further.
     */
    growthCapBase: paramOr(
      z.enum(['history', 'last-year']),
      'history',
      '鲁医保发〔2024〕39号 二(二) (yibao default: 增幅 = 历史人均基础上测算的增幅，按基金收入增幅封顶)',
    ),
    /** A community that saved by reasonable control keeps at least last year's budget. */
    keepBudgetAfterSaving: param(z.boolean()),
    /**
     * What "出现医保基金支出降低" (二(二)) measures, before next year's budget is kept at last year's: `below-budget` — last
     * year's counted spending stayed below its budget with no monitoring warning (a saving, 结余); `below-last-year` —
     * last year's counted spending fell below the year before's (the words read literally: spending went down).
     */
    savingMeasure: paramOr(
      z.enum(['below-budget', 'below-last-year']),
      'below-budget',
      '鲁医保发〔2024〕39号 二(二) (yibao default: 支出降低 = 上年实际支出低于上年预算且无预警)',
    ),
    /** Spending of the population served that counts against the budget. */
    countedSpending: param(z.array(z.enum(COUNTED_SPENDING)).min(1)),
    /**
     * The yardstick of the counted spending elsewhere (001 二(二) 县域外发生的医保基金支出应纳入县域医共体医保基金支出总额预算):
     * `list` (default) — each case's 统筹基金支付 on its settlement list: the yardstick the budget's per-head history is
     * measured in, and the one every case elsewhere has (care outside the region is paid by items); `run` — a case the
     * settlement run paid (an institution of the region's point pool) at what the run pays for it at the year end
     * (points × year-end point value × fund payment ratio), as the members are counted; other cases at their lists'.
     */
    elsewhereSpendingBasis: paramOr(
      z.enum(['list', 'run']),
      'list',
      '鲁医保发〔2024〕39号 二(二) 原则上，县域外发生的医保基金支出应纳入县域医共体医保基金支出总额预算（yibao 默认：按结算清单的统筹基金支付计，与预算人头标准所依据的历年基金支出同一口径）',
    ),
    /** Advance at the start of the year, in months of the annual budget (预付 1 个月左右). */
    advanceMonths: param(zNonNegRatio),
    /**
     * Whose start-of-year advance the community's clearing deducts — one advance, never two (二(四)):
     * `community` (default) — the community's own advance (advanceMonths of its budget, paid to the lead hospital) in
     * place of the members' advances under their methods (those are not paid to a member of a community: 001 is the
     * notice for communities and "与本通知不一致的，以本通知规定为准"); `members` — the members' own advances under
     * their methods as the settlement run paid them (e.g. DIP by level and credit, 000 §4), and no separate community
     * advance (the notice's "可……预付" leaves it to the region).
     */
    advanceBasis: paramOr(
      z.enum(['community', 'members']),
      'community',
      '鲁医保发〔2024〕39号 二(四) 可根据基金结余情况向县域医共体预付1个月左右的医保基金（yibao 默认：医共体预付代替成员单位按现行支付方式的年初预付）',
    ),
    /** Year-end sharing of the difference between what the methods paid (plus counted spending) and the budget. */
    sharing: param(zSharingBands),
    /** A separate surplus bonus for volume-based procurement (集采结余留用) on top of the community's retention. */
    vbpSurplusBonus: param(z.boolean()),
    /** Causes for which an overspend may be compensated. */
    compensationCauses: param(z.array(z.enum(COMPENSATION_CAUSES))),
    /** Performance indicators (履约考核专项指标) with targets, weights and warning thresholds. */
    indicators: param(z.array(indicator)),
    /** Score (Σ weights met) → assessment coefficient; the highest band whose minScore ≤ score applies. */
    scoreToCoefficient: param(z.array(coefficientBand).min(1)),
    /**
     * How the coefficient enters the year-end: `shares` multiplies the band shares (retained surplus share and the
     * fund's overspend share), capped at 1.
     */
    assessmentScope: param(z.enum(['shares'])),
  })
  .strict();

export const communityPaymentKind: PolicyKind<typeof values> = {
  kind: 'community-payment',
  zh: '县域医共体医保基金总额付费',
  en: 'County medical-community global budget payment',
  values,
  example: `perHeadHistoryWeights: { value: [1], source: "鲁医保发〔2024〕39号 二(二)" }
growthFactors: { value: { employee: [{ factor: reasonable-growth, zh: 医疗费用合理增长, rate: 0.03 }], resident: [] }, source: "鲁医保发〔2024〕39号 二(二)" }
revenueGrowth: { value: { employee: 0.05, resident: 0.04 }, source: "统筹区 2025 年基金预算 收入增幅" }
growthCapBase: { value: history, source: "鲁医保发〔2024〕39号 二(二)" }
keepBudgetAfterSaving: { value: true, source: "鲁医保发〔2024〕39号 二(二)" }
savingMeasure: { value: below-budget, source: "鲁医保发〔2024〕39号 二(二)" }
countedSpending: { value: [members, outside-county], source: "鲁医保发〔2024〕39号 二(二)" }
advanceMonths: { value: 1, source: "鲁医保发〔2024〕39号 二(四)" }
advanceBasis: { value: community, source: "鲁医保发〔2024〕39号 二(四)" }
sharing: { value: { surplus: [{ institutionShare: 1 }], overspend: [{ upTo: 0.05, fundShare: 0.5 }, { fundShare: 0 }] }, source: "鲁医保发〔2024〕39号 二(三)" }
vbpSurplusBonus: { value: false, source: "鲁医保发〔2024〕39号 二(三)" }
compensationCauses: { value: [policy-change, capability-change, public-health-event], source: "鲁医保发〔2024〕39号 二(三)" }
indicators: { value: [{ id: cost-growth, weight: 20, target: { direction: at-most, value: 0.05 }, warning: 0.08 }], source: "鲁医保发〔2024〕39号 二(四)" }
scoreToCoefficient: { value: [{ minScore: 0, coefficient: 0.8 }, { minScore: 90, coefficient: 1 }], source: "鲁医保发〔2024〕39号 二(四)" }
assessmentScope: { value: shares, source: "鲁医保发〔2024〕39号 二(四)" }`,
};
