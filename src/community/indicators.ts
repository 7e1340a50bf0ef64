/**
 * Monitoring indicators with warning thresholds (R-MC-4) and the performance score that sets the year-end
 * sharing through the assessment coefficient (R-MC-5).
 *
 * 鲁医保发〔2024〕39号 二(四): "要动态监测县域医共体医疗费用、转外就医、基金使用等情况，设置预警阈值并开展数据分析……可将医疗
 * 费用增长率、医保报销比例、基层就诊率、县域内基金支出比例、县域内基层医疗卫生机构医保基金支出占比等作为县域医共体专项指标纳入
 * 履约考核体系，考核结果与年终清算超支分担和结余留用机制挂钩。"
 *
 * Indicator values are exact ratios of the counts and fen given; nothing is rounded except for display.
 */
import type { TraceStep } from '../model/explain.ts';
import { compareRatios, type Fen, formatRatio, ONE, type Ratio, ratio, subRatios } from '../model/money.ts';
import type { CommunityIndicatorId } from '../policy/kinds/community-payment.ts';
import type { CommunityPaymentPolicy } from './budget.ts';

/** What the indicators are computed from: the community population's year (and last year's cost). */
export interface IndicatorInputs {
  /** Total medical cost (医疗费用总额) of the population served, this year and last year. */
  medicalCost: Fen;
  lastYearMedicalCost: Fen;
  /** Fund spending for the population, everywhere. */
  fundPaid: Fen;
  /** … of which inside the county. */
  inCountyFundPaid: Fen;
  /** … of which at the county's primary-care institutions. */
  primaryFundPaid: Fen;
  visits: number;
  primaryVisits: number;
  admissions: number;
  outsideCountyAdmissions: number;
}

export const INDICATOR_LABEL: Record<CommunityIndicatorId, { zh: string; en: string }> = {
  'cost-growth': { zh: '医疗费用增长率', en: 'medical cost growth' },
  'reimbursement-ratio': { zh: '医保报销比例', en: 'reimbursement ratio' },
  'primary-visit-rate': { zh: '基层就诊率', en: 'primary-care visit rate' },
  'in-county-fund-share': { zh: '县域内基金支出比例', en: 'in-county share of fund spending' },
  'primary-fund-share': { zh: '县域内基层医疗机构基金支出占比', en: 'primary institutions’ share of fund spending' },
  'outside-county-referral-rate': { zh: '县域外住院比例', en: 'out-of-county admissions share' },
};

export interface IndicatorResult {
  id: CommunityIndicatorId;
  /** null when the denominator is zero (not measurable: not met, warned). */
  value: Ratio | null;
  target: Ratio;
  direction: 'at-most' | 'at-least';
  met: boolean;
  warning: boolean;
  weight: number;
  score: number;
}

export interface PerformanceResult {
  indicators: IndicatorResult[];
  score: number;
  maxScore: number;
  coefficient: Ratio;
  steps: TraceStep[];
}

function share(num: number, den: number): Ratio | null {
  return den === 0 ? null : ratio(BigInt(num), BigInt(den));
}

export function indicatorValue(id: CommunityIndicatorId, x: IndicatorInputs): Ratio | null {
  switch (id) {
    case 'cost-growth': {
      const r = share(x.medicalCost, x.lastYearMedicalCost);
      return r && subRatios(r, ONE);
    }
    case 'reimbursement-ratio':
      return share(x.fundPaid, x.medicalCost);
    case 'primary-visit-rate':
      return share(x.primaryVisits, x.visits);
    case 'in-county-fund-share':
      return share(x.inCountyFundPaid, x.fundPaid);
    case 'primary-fund-share':
      return share(x.primaryFundPaid, x.inCountyFundPaid);
    case 'outside-county-referral-rate':
      return share(x.outsideCountyAdmissions, x.admissions);
  }
}

export const formatPercent = (r: Ratio | null): string =>
  r === null ? '—' : `${formatRatio(ratio(r.num * 100n, r.den), 2)}%`;

/** The indicators, their warnings, the score (Σ weights of the targets met) and the assessment coefficient. */
export function assessPerformance(x: IndicatorInputs, policy: CommunityPaymentPolicy): PerformanceResult {
  const indicators: IndicatorResult[] = policy.indicators.value.map((ind) => {
    const value = indicatorValue(ind.id, x);
    const atMost = ind.target.direction === 'at-most';
    const met =
      value !== null &&
      (atMost ? compareRatios(value, ind.target.value) <= 0 : compareRatios(value, ind.target.value) >= 0);
    const warning =
      value === null || (atMost ? compareRatios(value, ind.warning) > 0 : compareRatios(value, ind.warning) < 0);
    return {
      id: ind.id,
      value,
      target: ind.target.value,
      direction: ind.target.direction,
      met,
      warning,
      weight: ind.weight,
      score: met ? ind.weight : 0,
    };
  });
  const score = indicators.reduce((s, i) => s + i.score, 0);
  const maxScore = indicators.reduce((s, i) => s + i.weight, 0);
  const bands = [...policy.scoreToCoefficient.value].sort((a, b) => a.minScore - b.minScore);
  const band = bands.filter((b) => b.minScore <= score).pop();
  if (!band) throw new RangeError(`no assessment band for score ${score} (lowest minScore ${bands[0]?.minScore})`);
  const steps: TraceStep[] = [
    {
      rule: 'R-MC-4',
      clause: policy.indicators.source,
      zh: '监测指标与预警阈值（达到目标得该项分值）',
      en: 'indicators against targets and warning thresholds (a met target earns its weight)',
      values: Object.fromEntries(
        indicators.map((i) => [
          INDICATOR_LABEL[i.id].zh,
          `${formatPercent(i.value)}（目标${i.direction === 'at-most' ? '≤' : '≥'}${formatPercent(i.target)}${i.warning ? '，预警' : ''}）→ ${i.score}/${i.weight}`,
        ]),
      ),
      result: `${score}/${maxScore}`,
    },
    {
      rule: 'R-MC-5',
      clause: policy.scoreToCoefficient.source,
      zh: `考核得分 ${score} → 考核系数（得分 ≥ ${band.minScore} 的档）`,
      en: `score ${score} → assessment coefficient (band from ${band.minScore})`,
      result: formatRatio(band.coefficient, 4),
    },
  ];
  return { indicators, score, maxScore, coefficient: band.coefficient, steps };
}
