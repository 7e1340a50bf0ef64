/**
 * The corrected base rates (校正的基准病种人头费率, R-CAP-1, R-CAP-2): per-disease history standards × one factor per
 * fund, chosen so that the risk-adjusted total of the enrolled heads stays inside the capitation fund cap.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(三)1: "基本医保二类门特统筹基金总控额度从当年基本医保基金支出总预算中提取"
 * 四(四)1(3): "经风险调整后，重新测算基准病种人头费率，即校正的基准病种人头费率，计算各二类门特定点医疗机构的病种人头付费统筹基金
 * 总额。"
 *
 * expected_fund = Σ over enrolled heads of (history standard × risk weight × days ÷ days in year), exact;
 * factor = cap ÷ expected (`fill-cap`) or min(1, cap ÷ expected) (`not-above-cap`); 1 when nobody is enrolled.
 * Rounding: corrected rate = history standard × factor, rounded down to the fen; a head's amount is rounded down
 * again (heads.ts), so Σ heads ≤ cap always holds.
 */

import type { InsuranceType } from '../../model/case.ts';
import { insuranceTypeWord } from '../../model/code-words.ts';
import type { TraceStep } from '../../model/explain.ts';
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import {
  compareRatios,
  divRatios,
  divRound,
  type Fen,
  formatRatio,
  mulRatio,
  ONE,
  type Ratio,
  RatioSum,
  ratio,
} from '../../model/money.ts';
import { SettlementError } from '../../settlement/errors.ts';
import { byCode } from '../common/period.ts';
import { dec, step, yuan } from '../common/trace.ts';
import { type HeadIndex, headIndexOf } from './head-index.ts';
import { policyRiskModel, type RiskModel } from './risk.ts';
import { type HistoryStandard, historyGroupsOf, historyStandards } from './standards.ts';
import {
  type CapitationCaps,
  type CapitationHistoryGroup,
  type CapitationHistoryHead,
  type CapitationPolicy,
  standardKey,
} from './types.ts';

export interface FundCorrection {
  insuranceType: InsuranceType;
  cap: Fen;
  /** Σ history standard × weight × days ÷ year days over the enrolled heads, fen, exact. */
  expected: Ratio;
  factor: Ratio;
  heads: number;
}

export interface CapitationStandards {
  year: number;
  history: ReadonlyMap<string, HistoryStandard>;
  riskModel: RiskModel;
  caps: CapitationCaps;
  corrections: FundCorrection[];
  /** Corrected base rate per head-year, fen (rounded down), keyed by `standardKey(fund, disease)`. */
  rates: ReadonlyMap<string, Fen>;
  steps: TraceStep[];
}

/**
 * The cap by fund (四(三)1): per fund, the policy's `capAmount` when it states one, else the fund's spending budget
 * × the policy's share (one share or one per fund, rounded down) when the budget is known. A fund left with
 * neither is an error that says what to provide — never a zero cap.
 */
export function capitationCaps(
  policy: CapitationPolicy,
  given: { fundBudgets?: Record<InsuranceType, Fen> },
): CapitationCaps {
  const amounts = policy.capAmount.value;
  const share = policy.capShareOfBudget.value;
  const caps = {} as CapitationCaps;
  for (const fund of ['employee', 'resident'] as const) {
    const amount = amounts?.[fund];
    if (amount !== undefined && amount !== null) {
      caps[fund] = amount;
      continue;
    }
    const s = share === null ? null : 'num' in share ? share : share[fund];
    if (s === null) {
      throw new SettlementError(
        'CAP_MISSING',
        `${insuranceTypeWord(fund, 'zh')}二类门特总控额度未给出：请在按人头付费政策中写 capAmount（${fund} 元），或写 capShareOfBudget（从基金支出总预算中提取的比例），或结算时给出总控额度（${policy.capShareOfBudget.source}）`,
        `no capitation cap for the ${fund} fund: state capAmount (${fund}, yuan) or capShareOfBudget (share of the fund's spending budget) in the capitation policy, or give the caps with the run (${policy.capShareOfBudget.source})`,
        fund,
      );
    }
    if (!given.fundBudgets)
      throw new SettlementError(
        'CAP_NEEDS_BUDGET',
        `${insuranceTypeWord(fund, 'zh')}总控额度按基金支出总预算的比例提取，须给出基金支出总预算`,
        `the ${fund} cap is a share of the fund's spending budget: give the fund budgets`,
        fund,
      );
    caps[fund] = mulRatio(given.fundBudgets[fund], s, 'floor');
  }
  return caps;
}

/** True when the policy alone fixes both funds' caps (`capAmount` for each). */
export function policyFixesCaps(policy: CapitationPolicy): boolean {
  const a = policy.capAmount.value;
  return a !== null && a.employee !== null && a.resident !== null;
}

/** The correction modes in words (a step's text carries no policy enum). */
const CORRECTION_WORDS: Record<CapitationPolicy['baseRateCorrection']['value'], { zh: string; en: string }> = {
  'fill-cap': { zh: '按总控额度校正，可上调可下调', en: 'scaled to the cap, up or down' },
  'not-above-cap': { zh: '仅在超出总控额度时下调', en: 'lowered only when above the cap' },
};

export function calibrateCapitation(args: {
  year: number;
  policy: CapitationPolicy;
  /**
   * The base period's heads: grouped (`CapitationHistoryGroup`, as the store sums them), or as objects (grouped
   * here by `historyGroupsOf`).
   */
  history: { groups: readonly CapitationHistoryGroup[] } | readonly CapitationHistoryHead[];
  /** The enrolment the year's totals are planned on (e.g. the snapshot at the start of the year). */
  planned: readonly SpecialDiseaseEnrolment[];
  persons: readonly InsuredPerson[];
  /** The planned rows' head index (`headIndex` of `planned`), when the caller made it for the plan too. */
  index?: HeadIndex;
  caps: CapitationCaps;
  /** A plugged-in model; default: the policy's cells. */
  riskModel?: RiskModel;
}): CapitationStandards {
  const { year, policy, planned, caps } = args;
  const groups = 'groups' in args.history ? args.history.groups : historyGroupsOf(args.history, policy);
  const history = historyStandards(groups, policy);
  const model = args.riskModel ?? policyRiskModel(policy, groups, history);
  const index = headIndexOf(planned, args.index, args);
  const { days, yearDays } = index;
  const yd = BigInt(yearDays);

  const expected = new Map<InsuranceType, { sum: RatioSum; heads: number }>([
    ['employee', { sum: new RatioSum(), heads: 0 }],
    ['resident', { sum: new RatioSum(), heads: 0 }],
  ]);
  for (let i = 0; i < planned.length; i++) {
    // Risk factors only where the head may be paid: the capitated class, no conflict, days in the year, known person.
    if (!index.hasFactors(i)) continue;
    const row = planned[i]!;
    const std = history.get(standardKey(row.insuranceType, row.diseaseCode));
    if (!std) continue;
    const w = index.score(i, model).weight;
    const e = expected.get(row.insuranceType)!;
    // Unreduced product (the sum reduces once): perHead × weight × days ÷ yearDays.
    e.sum.add({
      num: std.perHead.num * w.num * BigInt(days[i]!),
      den: std.perHead.den * w.den * yd,
    });
    e.heads++;
  }

  const corrections: FundCorrection[] = (['employee', 'resident'] as const).map((t) => {
    const e = expected.get(t)!;
    const sum = e.sum.value();
    const cap = caps[t];
    let factor = sum.num === 0n ? ONE : divRatios(ratio(BigInt(cap)), sum);
    if (policy.baseRateCorrection.value === 'not-above-cap' && compareRatios(factor, ONE) > 0) factor = ONE;
    return { insuranceType: t, cap, expected: sum, factor, heads: e.heads };
  });
  const factorOf = new Map(corrections.map((c) => [c.insuranceType, c.factor]));
  const rates = new Map<string, Fen>();
  for (const key of [...history.keys()].sort(byCode)) {
    const s = history.get(key)!;
    const k = factorOf.get(s.insuranceType)!;
    rates.set(key, Number(divRound(s.perHead.num * k.num, s.perHead.den * k.den, 'floor')));
  }

  const steps: TraceStep[] = [
    step(
      'R-CAP-1',
      policy.standardBasis.source,
      '历史病种人头标准 = (统筹支付 + 门诊调增费用) ÷ 结算人数',
      'History per-head standard = (fund payment + outpatient adjustment) ÷ settled heads',
      Object.fromEntries(
        [...history.values()].map((s) => [
          `${s.insuranceType}|${s.diseaseCode}`,
          dec(ratio(s.perHead.num, s.perHead.den * 100n), 4),
        ]),
      ),
      history.size,
    ),
    step('R-CAP-2', model.source, `风险调整模型：${model.zh}`, `Risk model: ${model.en}`, model.parameters(), model.id),
    ...corrections.map((c) =>
      step(
        'R-CAP-2',
        policy.baseRateCorrection.source,
        `校正系数（${insuranceTypeWord(c.insuranceType, 'zh')}）= 总控额度 ÷ 风险调整后期望总额（${CORRECTION_WORDS[policy.baseRateCorrection.value].zh}）`,
        `Correction factor (${insuranceTypeWord(c.insuranceType, 'en')}) = cap ÷ risk-adjusted expected total (${CORRECTION_WORDS[policy.baseRateCorrection.value].en})`,
        {
          cap: yuan(c.cap),
          expected: formatRatio(ratio(c.expected.num, c.expected.den * 100n), 4),
          heads: c.heads,
        },
        formatRatio(c.factor, 6),
      ),
    ),
    step(
      'R-CAP-1',
      policy.baseRateCorrection.source,
      '校正的基准病种人头费率 = 历史标准 × 校正系数（向下取整到分）',
      'Corrected base rate = history standard × factor (rounded down to the fen)',
      Object.fromEntries([...rates].map(([k, v]) => [k, yuan(v)])),
      rates.size,
    ),
  ];
  return { year, history, riskModel: model, caps, corrections, rates, steps };
}
