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
import type { TraceStep } from '../../model/explain.ts';
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import {
  addRatios,
  compareRatios,
  divRatios,
  divRound,
  type Fen,
  formatRatio,
  mulRatio,
  mulRatios,
  ONE,
  type Ratio,
  ratio,
  ZERO,
} from '../../model/money.ts';
import { indexBy } from '../common/index-by.ts';
import { byCode } from '../common/period.ts';
import { dec, step, yuan } from '../common/trace.ts';
import { headSegment, validateEnrolments } from './enrolment.ts';
import { riskFactorsOf } from './heads.ts';
import { policyRiskModel, type RiskModel } from './risk.ts';
import { type HistoryStandard, historyStandards } from './standards.ts';
import { type CapitationCaps, type CapitationHistoryHead, type CapitationPolicy, standardKey } from './types.ts';

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
 * The cap by fund: given with the annual budget, or the fund's spending budget × the policy's share (rounded
 * down) when the policy states one. 四(三)1.
 */
export function capitationCaps(
  policy: CapitationPolicy,
  given: { caps?: CapitationCaps; fundBudgets?: Record<InsuranceType, Fen> },
): CapitationCaps {
  const share = policy.capShareOfBudget.value;
  if (share === null) {
    if (!given.caps)
      throw new RangeError(
        `capitation cap must be given with the annual budget (${policy.capShareOfBudget.source}) / 政策未定提取比例，须给出总控额度`,
      );
    return given.caps;
  }
  if (!given.fundBudgets)
    throw new RangeError('fund budgets are needed to derive the capitation cap / 须给出基金支出总预算');
  return {
    employee: mulRatio(given.fundBudgets.employee, share, 'floor'),
    resident: mulRatio(given.fundBudgets.resident, share, 'floor'),
  };
}

export function calibrateCapitation(args: {
  year: number;
  policy: CapitationPolicy;
  history: readonly CapitationHistoryHead[];
  /** The enrolment the year's totals are planned on (e.g. the snapshot at the start of the year). */
  planned: readonly SpecialDiseaseEnrolment[];
  persons: readonly InsuredPerson[];
  caps: CapitationCaps;
  /** A plugged-in model; default: the policy's cells. */
  riskModel?: RiskModel;
}): CapitationStandards {
  const { year, policy, planned, caps } = args;
  const history = historyStandards(args.history, policy);
  const model = args.riskModel ?? policyRiskModel(policy, args.history, history);
  const persons = indexBy(args.persons, (p) => p.psnNo, 'person');
  const issues = new Set(validateEnrolments(planned, policy.capitatedDiseaseClass.value).flatMap((i) => i.unitIds));
  const rowsByPerson = new Map<string, SpecialDiseaseEnrolment[]>();
  for (const r of planned) rowsByPerson.set(r.psnNo, [...(rowsByPerson.get(r.psnNo) ?? []), r]);

  const expected = new Map<InsuranceType, { sum: Ratio; heads: number }>([
    ['employee', { sum: ZERO, heads: 0 }],
    ['resident', { sum: ZERO, heads: 0 }],
  ]);
  for (const row of planned) {
    if (row.diseaseClass !== policy.capitatedDiseaseClass.value) continue;
    const seg = headSegment(row, year);
    if (issues.has(seg.unitId) || seg.days === 0) continue;
    const std = history.get(standardKey(row.insuranceType, row.diseaseCode));
    const f = riskFactorsOf(seg, persons.get(row.psnNo), rowsByPerson.get(row.psnNo) ?? [], policy, year);
    if (!std || !f) continue;
    const w = model.score(f).weight;
    const e = expected.get(row.insuranceType)!;
    e.sum = addRatios(e.sum, mulRatios(mulRatios(std.perHead, w), ratio(BigInt(seg.days), BigInt(seg.yearDays))));
    e.heads++;
  }

  const corrections: FundCorrection[] = (['employee', 'resident'] as const).map((t) => {
    const e = expected.get(t)!;
    const cap = caps[t];
    let factor = e.sum.num === 0n ? ONE : divRatios(ratio(BigInt(cap)), e.sum);
    if (policy.baseRateCorrection.value === 'not-above-cap' && compareRatios(factor, ONE) > 0) factor = ONE;
    return { insuranceType: t, cap, expected: e.sum, factor, heads: e.heads };
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
        `校正系数（${c.insuranceType}）= 总控额度 ÷ 风险调整后期望总额（${policy.baseRateCorrection.value}）`,
        `Correction factor (${c.insuranceType}) = cap ÷ risk-adjusted expected total (${policy.baseRateCorrection.value})`,
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
