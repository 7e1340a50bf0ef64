/**
 * Per-bed-day payment (按床日付费, R-PAY-BEDDAY) and its conversion into DIP points (R-DIP-4).
 *
 * 资府办函〔2018〕52号 二(八): "对精神病、安宁疗护、医疗康复等需要长期住院治疗且日均费用较稳定的疾病，可采取按床日付费的
 * 方式。按照不同疾病发生、发展、转归的规律，治疗各阶段的费用特征及医疗机构的类别，制定差别化支付标准。"
 * 内蒙古 DIP 工作方案 四(二): "对于精神类、康复类及安宁疗护等住院时间较长的病例使用床日付费，并确定分值。"
 *
 * A stay's standard = Σ over stages (bed-days in the stage × the stage's daily rate), exact in fen. In a DIP
 * region (`settleAs: points`) the claim is points = standard ÷ reference point value (元/点), rounded half-up to
 * 0.0001 point once. The standard covers the whole stay; the fund's part is settled as standard − patientPaid.
 */
import type { SettledCase } from '../../model/case.ts';
import { INSTITUTION_TYPE, wordOfCode } from '../../model/code-words.ts';
import type { TraceStep } from '../../model/explain.ts';
import type { Institution } from '../../model/institution.ts';
import { type Fen, formatRatio, ratio } from '../../model/money.ts';
import { formatPoints, toPoints } from '../../model/points.ts';
import { byUnitId, type Claim, type PaymentMethod, type UnitResult } from '../../model/unit-result.ts';
import { indexBy } from '../common/index-by.ts';
import { monthOf } from '../common/period.ts';
import { step, yuan } from '../common/trace.ts';
import { matchCategory, type PerDiemPolicy } from './categories.ts';
import { type RateTable, rateKey } from './rates.ts';
import { daysPerStage, stageWords } from './stages.ts';

export interface PerDiemContext {
  policy: PerDiemPolicy;
  institutions: readonly Institution[];
  /** From `buildRateTable` (policy table or calibrated from history). */
  rates: RateTable;
  /**
   * Whether a paid unit carries its whole explanation (default true). False: its last step only — the basis a run
   * stores (its 计算依据); a run recomputes the whole trace on demand (`explain case`). Other units keep theirs.
   */
  explain?: boolean;
}

/** Standard amount (fen) → DIP points at a reference point value in yuan per point (R-DIP-4), half-up. */
export function amountToPoints(amount: Fen, referencePointValue: { num: bigint; den: bigint }): number {
  if (referencePointValue.num <= 0n) throw new RangeError('reference point value must be > 0 / 参考点值必须大于 0');
  return toPoints(ratio(BigInt(amount) * referencePointValue.den, referencePointValue.num * 100n));
}

function zeroClaim(policy: PerDiemPolicy): Claim {
  return policy.settleAs.value === 'points' ? { kind: 'points', points: 0 } : { kind: 'amount', amount: 0 };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

type Category = PerDiemPolicy['categories']['value'][number];
type Stage = PerDiemPolicy['stages']['value'][number];
type Rate = NonNullable<ReturnType<RateTable['get']>>;

/** The step naming a stay's category and institution type (the first of a whole per-diem trace). */
function categoryStep(c: SettledCase, k: Category, type: Institution['type'], source: string): TraceStep {
  return step(
    'R-PAY-BEDDAY',
    source,
    `按床日付费病种：${k.zh}（${k.code}），机构类型 ${wordOfCode(INSTITUTION_TYPE, type, 'zh')}`,
    // The category's English name when the policy gives one, else its Chinese (a user's own label).
    `Per-bed-day category ${k.en ?? k.zh} (${k.code}), institution type ${wordOfCode(INSTITUTION_TYPE, type, 'en')}`,
    { principalDiagnosis: c.diagnoses[0]!.code, losDays: c.losDays, minLosDays: k.minLosDays },
    k.code,
  );
}

/** A stay's bed-days × daily rate, stage by stage (steps of a whole per-diem trace). */
function stageStepsOf(stages: readonly Stage[], days: readonly number[], rate: Rate, source: string): TraceStep[] {
  return stages.map((s, i) => {
    const d = days[i]!;
    const r = rate.stageRates[i]!;
    return step(
      'R-PAY-BEDDAY',
      source,
      `${stageWords(s, 'zh')}：${d} 床日 × ${yuan(r)} 元`,
      `${capitalise(stageWords(s, 'en'))}: ${d} bed-days × ${yuan(r)} yuan`,
      { bedDays: d, dailyRate: yuan(r), rateBasis: rate.basis },
      yuan(d * r),
    );
  });
}

export function evaluatePerDiemCase(
  c: SettledCase,
  institution: Institution | undefined,
  context: PerDiemContext,
): UnitResult {
  const { policy, rates } = context;
  const base = {
    unitId: c.setlId,
    institutionCode: c.institutionCode,
    month: monthOf(c.dischargeTime),
    method: 'per-diem' as const,
    billed: c.totalCost,
    patientPaid: Math.max(0, Math.min(c.totalCost, c.totalCost - c.fundPay)),
  };
  const catSource = policy.categories.source;
  const m = matchCategory(c, institution, policy.categories.value);
  if (m.kind === 'none') {
    return {
      ...base,
      status: 'excluded',
      claim: { kind: 'amount', amount: 0 },
      explanation: [
        step(
          'R-PAY-BEDDAY',
          catSource,
          `不按床日付费：${m.reasonZh}`,
          `Not a per-diem stay: ${m.reasonEn}`,
          {},
          yuan(0),
        ),
      ],
    };
  }
  const zero = zeroClaim(policy);
  const zeroText = zero.kind === 'points' ? formatPoints(0) : yuan(0);
  if (m.kind === 'overlap') {
    return {
      ...base,
      status: 'ungrouped',
      claim: zero,
      explanation: [
        step(
          'R-PAY-BEDDAY',
          catSource,
          `按床日付费病种规则重叠（${m.codes.join('、')}），无明确优先顺序，待人工确定`,
          `Per-diem categories overlap (${m.codes.join(', ')}) with no stated precedence; needs a decision`,
          { categories: m.codes.join(',') },
          zeroText,
        ),
      ],
    };
  }
  const type = institution!.type;
  const rate = rates.get(rateKey(m.category.code, type));
  const explain = context.explain ?? true;
  if (!rate) {
    return {
      ...base,
      group: m.category.code,
      status: 'ungrouped',
      claim: zero,
      explanation: [
        categoryStep(c, m.category, type, catSource),
        step(
          'R-PAY-BEDDAY',
          policy.rates.source,
          '该病种与机构类型没有床日标准（政策未列或历史病例不足），不能按床日付费',
          'No daily rate for this category and institution type (not in policy, or too few past stays)',
          { category: m.category.code, institutionType: type },
          zeroText,
        ),
      ],
    };
  }
  const stages = policy.stages.value;
  const days = daysPerStage(c.losDays, stages);
  const amount = days.reduce((s, d, i) => s + d * rate.stageRates[i]!, 0);
  const rateValues: Record<string, string | number> = { basis: rate.basis };
  if (rate.meanDailyCost)
    rateValues.meanDailyCost = formatRatio(ratio(rate.meanDailyCost.num, rate.meanDailyCost.den * 100n), 4);
  if (rate.cases !== undefined) rateValues.historyCases = rate.cases;
  const totalStep = step(
    'R-PAY-BEDDAY',
    rate.source,
    '床日付费标准 = Σ 各阶段床日 × 日标准',
    'Per-diem standard = Σ bed-days × daily rate over the stages',
    { losDays: c.losDays, ...rateValues },
    yuan(amount),
  );
  const explanation = explain
    ? [
        categoryStep(c, m.category, type, catSource),
        ...stageStepsOf(stages, days, rate, policy.stages.source),
        totalStep,
      ]
    : [totalStep];
  if (policy.settleAs.value === 'amount') {
    return { ...base, group: m.category.code, status: 'paid', claim: { kind: 'amount', amount }, explanation };
  }
  const pv = policy.referencePointValue.value;
  const points = amountToPoints(amount, pv);
  const pointsStep = step(
    'R-DIP-4',
    policy.referencePointValue.source,
    '折算为分值：点数 = 床日付费标准 ÷ 参考点值（四舍五入到 0.0001 点）',
    'Convert to points: standard ÷ reference point value (half-up to 0.0001 point)',
    { standard: yuan(amount), referencePointValue: formatRatio(pv, 4) },
    formatPoints(points),
  );
  if (explain) explanation.push(pointsStep);
  else explanation[0] = pointsStep;
  return { ...base, group: m.category.code, status: 'paid', claim: { kind: 'points', points }, explanation };
}

export const perDiemMethod: PaymentMethod<SettledCase, PerDiemContext> = {
  id: 'per-diem',
  zh: '按床日付费',
  en: 'Per-bed-day',
  evaluate(units, context) {
    const institutions = indexBy(context.institutions, (i) => i.code, 'institution');
    return units.map((c) => evaluatePerDiemCase(c, institutions.get(c.institutionCode), context)).sort(byUnitId);
  },
};
