/**
 * The medical community's annual fund budget by insurance fund (R-BUD-4) and its start-of-year advance (R-BUD-5).
 *
 * 鲁医保发〔2024〕39号 二(二): "以历史客观数据为基础，统筹考虑经济社会发展水平、基金承受能力、待遇保障水平提高、医疗服务价格
 * 调整、药品耗材集采、重大政策调整、医疗费用合理增长等因素，按照增幅不超过统筹区当年医保基金收入增幅的原则，合理测算各类人头
 * 预算标准，结合县域医共体服务人群，科学合理确定县域医共体年度医保基金支出总额预算。对因合理控费和加强健康管理出现医保基金
 * 支出降低的县域医共体，不降低下年度总额付费预算指标。"
 * 二(四): "各统筹区医保经办机构可根据基金结余情况向县域医共体预付1个月左右的医保基金。"
 *
 * Rounding rule: the history per-head spending and the growth stay exact ratios; the per-head standard is rounded
 * once, half-up, to the fen; the budget is standard × population (exact); the advance is budget × months ÷ 12,
 * half-up.
 */

import { insuranceTypeShortWord } from '../model/code-words.ts';
import { clauseOf, type TraceStep } from '../model/explain.ts';
import {
  addRatios,
  compareRatios,
  divRound,
  type Fen,
  fenToYuan,
  formatRatio,
  mulRatio,
  mulRatios,
  ONE,
  type Ratio,
  ratio,
  ZERO,
} from '../model/money.ts';
import type { ResolvedValues } from '../policy/kind.ts';
import type { communityPaymentKind } from '../policy/kinds/community-payment.ts';
import type { Fund } from './types.ts';

export type CommunityPaymentPolicy = ResolvedValues<typeof communityPaymentKind>;

export interface BudgetHistoryYear {
  year: number;
  /** Fund spending of the population served that year (all places counted by `countedSpending`), fen. */
  fundSpending: Fen;
  /** Insured persons of the fund served by the community that year. */
  population: number;
}

export interface BudgetInput {
  communityId: string;
  fund: Fund;
  year: number;
  /** History years, oldest first; the last `perHeadHistoryWeights.length` are used. */
  history: readonly BudgetHistoryYear[];
  /** Insured persons of the fund served this year. */
  population: number;
  /**
   * Last year's budget and what was counted against it; `savedByControl` = the saving was judged reasonable control;
   * `previousActual` = what was counted the year before (null when that year was not reconciled).
   */
  lastYear?: { budget: Fen; actual: Fen; savedByControl: boolean; previousActual?: Fen | null };
}

export interface CommunityBudget {
  communityId: string;
  fund: Fund;
  year: number;
  /** History per-head fund spending, exact fen. */
  perHeadBase: Ratio;
  factorGrowth: Ratio;
  growth: Ratio;
  perHeadStandard: Fen;
  population: number;
  byStandard: Fen;
  budget: Fen;
  /** Last year's budget of the community and fund, when known (the floor after saving reads it). */
  lastYearBudget?: Fen;
  keptLastYear: boolean;
  /** The community's start-of-year advance (R-BUD-5); 0 under `advanceBasis: members` (the members' own count). */
  advance: Fen;
  steps: TraceStep[];
}

/**
 * Whether a reconciled year's saving counts as "因合理控费和加强健康管理出现医保基金支出降低" (二(二)), so that next
 * year's budget is not lowered: the fund's actual spending stayed below its budget and the community's monitoring
 * raised no warning that year (R-MC-5). A saving that came with a warning — patients sent out of the county, a
 * falling primary-care share, too little reimbursed — is not taken as control. A year that was not reconciled
 * (actual unknown) saved nothing.
 */
export function savedByControl(
  fund: { budget: Fen; actual: Fen | null },
  performance: { indicators: readonly { warning: boolean }[] },
): boolean {
  return fund.actual !== null && fund.actual < fund.budget && !performance.indicators.some((i) => i.warning);
}

const pct = (r: Ratio) => `${formatRatio(ratio(r.num * 100n, r.den), 2)}%`;

export function communityBudget(input: BudgetInput, policy: CommunityPaymentPolicy): CommunityBudget {
  const steps: TraceStep[] = [];
  const weights = policy.perHeadHistoryWeights.value;
  if (input.history.length < weights.length)
    throw new RangeError(
      `${input.communityId} ${input.fund}: ${weights.length} history years needed, ${input.history.length} given`,
    );
  const years = input.history.slice(input.history.length - weights.length);
  // Every step names its fund: a community's steps come once per fund (职工, then 居民), and read the same otherwise.
  const fundZh = `${insuranceTypeShortWord(input.fund, 'zh')}医保`;
  const fundEn = `${insuranceTypeShortWord(input.fund, 'en')} insurance`;
  // Σ w_i × spending_i / population_i ÷ Σ w_i, exact.
  let weighted = ZERO;
  let wsum = ZERO;
  const histValues: Record<string, string> = {};
  const yuan4 = (r: Ratio) => formatRatio(ratio(r.num, r.den * 100n), 4);
  years.forEach((y, i) => {
    if (y.population <= 0) throw new RangeError(`${input.communityId} ${y.year}: population must be > 0`);
    const w = weights[i]!;
    const perHead = ratio(BigInt(y.fundSpending), BigInt(y.population));
    const term = ratio(perHead.num * w.num, perHead.den * w.den);
    weighted = addRatios(weighted, term);
    wsum = addRatios(wsum, w);
    // The weight applied in the arithmetic shown (walk7 #4: it printed "× 权重 0.20 = 14000.00 / 2 = 7000.0000").
    histValues[`${y.year} 基金支出 ÷ 人数 × 权重`] =
      `${fenToYuan(y.fundSpending)} ÷ ${y.population} × ${formatRatio(w, 2)} = ${yuan4(term)}`;
  });
  if (wsum.num === 0n) throw new RangeError('history weights add up to zero');
  const perHeadBase = ratio(weighted.num * wsum.den, weighted.den * wsum.num);
  histValues['加权合计 ÷ 权重合计'] = `${yuan4(weighted)} ÷ ${formatRatio(wsum, 2)}`;
  steps.push({
    rule: 'R-BUD-4',
    clause: policy.perHeadHistoryWeights.source,
    zh: `${fundZh}：历史人均基金支出 = Σ(各年基金支出 ÷ 人数 × 权重) ÷ 权重合计`,
    en: `${fundEn}: history per-head fund spending = Σ(each year’s fund spending ÷ insured persons × weight) ÷ Σ weights`,
    values: histValues,
    result: yuan4(perHeadBase),
  });

  const factors = policy.growthFactors.value[input.fund];
  const factorGrowth = factors.reduce((s, f) => addRatios(s, f.rate), ZERO);
  const cap = policy.revenueGrowth.value[input.fund];
  const capped = compareRatios(factorGrowth, cap) > 0;
  const growth = capped ? cap : factorGrowth;
  steps.push({
    rule: 'R-BUD-4',
    clause: clauseOf(policy.growthFactors.source, policy.revenueGrowth.source),
    zh: capped
      ? `${fundZh}：增幅 = 各因素之和，超过统筹区基金收入增幅，按收入增幅封顶`
      : `${fundZh}：增幅 = 各因素之和（不超过基金收入增幅）`,
    en: capped
      ? `${fundEn}: growth = Σ factors, above the fund revenue growth: capped at it`
      : `${fundEn}: growth = Σ factors (within the fund revenue growth)`,
    values: {
      // A factor's English name in square brackets when the policy gives one: en output shows it, zh drops it.
      ...Object.fromEntries(factors.map((f) => [`${f.zh}${f.en ? ` [${f.en}]` : ''}`, pct(f.rate)])),
      因素合计: pct(factorGrowth),
      基金收入增幅: pct(cap),
    },
    result: pct(growth),
  });

  const factor = addRatios(ONE, growth);
  const grown = mulRatios(perHeadBase, factor);
  // 二(二) 增幅 read as the standard's growth over last year (`growthCapBase: last-year`): not above last year's per-head
  // spending × (1 + the revenue growth).
  const last = years[years.length - 1]!;
  const lastPerHead = ratio(BigInt(last.fundSpending), BigInt(last.population));
  const yearCap = mulRatios(lastPerHead, addRatios(ONE, cap));
  const byLastYear = policy.growthCapBase.value === 'last-year' && compareRatios(grown, yearCap) > 0;
  const standard = byLastYear ? yearCap : grown;
  const perHeadStandard = Number(divRound(standard.num, standard.den, 'half-up'));
  steps.push({
    rule: 'R-BUD-4',
    clause:
      policy.growthCapBase.value === 'last-year'
        ? clauseOf(policy.growthFactors.source, policy.growthCapBase.source)
        : policy.growthFactors.source,
    zh: byLastYear
      ? `${fundZh}：人头预算标准 = 上年人均基金支出 × (1 + 基金收入增幅)，四舍五入到分（历史人均 × (1 + 增幅) 比上年人均的增幅超过基金收入增幅，按基金收入增幅封顶）`
      : `${fundZh}：人头预算标准 = 历史人均 × (1 + 增幅)，四舍五入到分`,
    en: byLastYear
      ? `${fundEn}: per-head standard = last year's per-head fund spending × (1 + revenue growth), half-up to the fen (history per head × (1 + growth) would grow more than the revenue growth over last year: capped)`
      : `${fundEn}: per-head standard = history per head × (1 + growth), half-up to the fen`,
    values:
      policy.growthCapBase.value === 'last-year'
        ? {
            历史人均: yuan4(perHeadBase),
            增幅: pct(growth),
            '历史人均 × (1 + 增幅)': formatRatio(ratio(grown.num, grown.den * 100n), 4),
            [`${last.year} 人均基金支出`]: formatRatio(ratio(lastPerHead.num, lastPerHead.den * 100n), 4),
            '上年人均 × (1 + 基金收入增幅)': formatRatio(ratio(yearCap.num, yearCap.den * 100n), 4),
          }
        : { 历史人均: yuan4(perHeadBase), 增幅: pct(growth) },
    result: fenToYuan(perHeadStandard),
  });
  const byStandard = perHeadStandard * input.population;
  steps.push({
    rule: 'R-BUD-4',
    clause: policy.perHeadHistoryWeights.source,
    zh: `${fundZh}：按人头标准测算的预算 = 人头预算标准 × 服务人群`,
    en: `${fundEn}: budget by standard = per-head standard × population served`,
    values: { 人头预算标准: fenToYuan(perHeadStandard), 服务人群: input.population },
    result: fenToYuan(byStandard),
  });

  let budget = byStandard;
  let keptLastYear = false;
  const ly = input.lastYear;
  // 二(二) "出现医保基金支出降低" read by the policy (`savingMeasure`): below last year's budget (a saving with no warning,
  // the default) or below the year before's spending (the words read literally).
  const literal = policy.savingMeasure.value === 'below-last-year';
  const saved = ly
    ? literal
      ? ly.previousActual !== undefined && ly.previousActual !== null && ly.actual < ly.previousActual
      : ly.savedByControl && ly.actual < ly.budget
    : false;
  if (policy.keepBudgetAfterSaving.value && ly && saved && byStandard < ly.budget) {
    budget = ly.budget;
    keptLastYear = true;
  }
  if (ly && policy.keepBudgetAfterSaving.value)
    steps.push({
      rule: 'R-BUD-4',
      clause: clauseOf(policy.keepBudgetAfterSaving.source, policy.savingMeasure.source),
      zh: `${fundZh}：${
        keptLastYear
          ? literal
            ? '上年医保基金支出比前年降低，不降低本年预算：取上年预算'
            : '上年因合理控费出现结余，不降低本年预算：取上年预算'
          : literal
            ? '上年预算下限：本年测算不低于上年预算或上年支出未比前年降低，按测算'
            : '上年预算下限：本年测算不低于上年预算或上年未因合理控费结余，按测算'
      }`,
      en: `${fundEn}: ${
        keptLastYear
          ? literal
            ? 'last year’s fund spending fell below the year before’s: the budget is not lowered below last year’s'
            : 'last year saved by reasonable control: the budget is not lowered below last year’s'
          : 'last year’s floor does not apply'
      }`,
      values: {
        上年预算: fenToYuan(ly.budget),
        上年实际: fenToYuan(ly.actual),
        ...(literal
          ? { 前年实际: ly.previousActual == null ? '—' : fenToYuan(ly.previousActual) }
          : { 合理控费结余: ly.savedByControl }),
        本年测算: fenToYuan(byStandard),
      },
      result: fenToYuan(budget),
    });

  // R-BUD-5: one advance, the community's or the members' own under their methods (`advanceBasis`), never both.
  const months = policy.advanceMonths.value;
  const byCommunity = policy.advanceBasis.value === 'community';
  const advance = byCommunity ? mulRatio(budget, ratio(months.num, months.den * 12n), 'half-up') : 0;
  steps.push(
    byCommunity
      ? {
          rule: 'R-BUD-5',
          clause: clauseOf(policy.advanceMonths.source, policy.advanceBasis.source),
          zh: `${fundZh}：医共体年初预付 = 年度预算 × 预付月数 ÷ 12（四舍五入到分；代替成员单位按现行支付方式的年初预付）`,
          en: `${fundEn}: the community’s start-of-year advance = budget × months ÷ 12 (half-up; in place of the members’ advances under their methods)`,
          values: { 年度预算: fenToYuan(budget), 预付月数: formatRatio(months, 2) },
          result: fenToYuan(advance),
        }
      : {
          rule: 'R-BUD-5',
          clause: policy.advanceBasis.source,
          zh: `${fundZh}：医共体不另行年初预付，成员单位按现行支付方式的年初预付计入年终清算`,
          en: `${fundEn}: no separate advance to the community; the members’ advances under their methods count at the year end`,
          result: fenToYuan(0),
        },
  );
  return {
    communityId: input.communityId,
    fund: input.fund,
    year: input.year,
    perHeadBase,
    factorGrowth,
    growth,
    perHeadStandard,
    population: input.population,
    byStandard,
    budget,
    ...(ly ? { lastYearBudget: ly.budget } : {}),
    keptLastYear,
    advance,
    steps,
  };
}
