/**
 * Year-end settlement (年度清算) of one institution in a point pool (R-DIP-6).
 *
 * DIP 技术规范: 医疗机构年度清算额 = Σ(病例点数 × 点值 × 基金支付比例) × 考核系数 − 审核扣款;
 * 清算支付额 = 清算额 − 月度已支付额 − 年初预付. Surplus/overspend against item billing (结余留用、超支分担) is
 * shared by the policy's bands before the assessment coefficient.
 *
 * Rounding rule (to the fen): the pool's fund (floating point value: exactly the budget; fixed or elastic: the
 * points' value × fund payment ratio rounded half-up once) is split over institutions with
 * `allocateProportional` in proportion to their exact value (points × point value + fixed amounts), institutions
 * ordered by code: each gets the floor of its exact share and the leftover fen go one each to the largest
 * remainders (ties to the lower code). So Σ gross = the pool fund to the fen. After that each institution's
 * sharing and assessment are rounded half-up on its own line.
 */
import type { TraceStep } from '../model/explain.ts';
import { allocateProportional, type Fen, fenToYuan, mulRatio, type Ratio } from '../model/money.ts';
import { formatPoints, POINT_SCALE } from '../model/points.ts';
import type { Cited } from '../policy/values.ts';
import { formatRatioShort } from './point-value.ts';
import type { FixedStandardTotals, UnitTotals } from './pool.ts';
import { type SharingBands, type SharingResult, shareDifference } from './sharing.ts';
import { formatPointValue } from './value.ts';

/**
 * Split `total` fen over institutions in proportion to points × pointValue + fixed amounts.
 * `totals` must be in a stable order (by institution code).
 */
export function allocateFund(total: Fen, totals: readonly UnitTotals[], pointValue: Ratio): Fen[] {
  const scale = pointValue.den * POINT_SCALE;
  const weights = totals.map((t) => BigInt(t.points) * pointValue.num + BigInt(t.amount) * scale);
  if (weights.every((w) => w === 0n)) {
    if (total !== 0)
      return allocateProportional(
        total,
        totals.map(() => 1n),
      );
    return totals.map(() => 0);
  }
  return allocateProportional(total, weights);
}

export interface YearEndLine {
  /** Allocated share of the pool fund (Σ points × pv × fpr, exact to the fen over the pool). */
  gross: Fen;
  /** What the fund would have paid item by item: billed − patients' payments (≥ 0). */
  ffsFund: Fen;
  sharing: SharingResult | null;
  afterSharing: Fen;
  assessment: Ratio;
  afterAssessment: Fen;
  deductions: Fen;
  yearEnd: Fen;
  steps: TraceStep[];
}

/** From an institution's allocated gross to its year-end amount (sharing → assessment → deductions). */
export function institutionYearEnd(args: {
  totals: UnitTotals;
  /** Billing and patients' payments of the cases the payment is compared with (default: all of `totals`). */
  ffs?: { billed: Fen; patientPaid: Fen };
  gross: Fen;
  pointValue: Ratio;
  fundPaymentRatio: Ratio;
  sharing: Cited<SharingBands | null>;
  assessment: Cited<Ratio>;
  deductions: readonly { amount: Fen; reason: string; source: string; period: string }[];
  fundSource: string;
  /**
   * The institution's single-disease cases paid standard − patient's payment (settlement rule
   * `singleDiseaseFundShare: standard-less-patient`): already in `gross`, beside its share of the rest of the fund.
   */
  standards?: FixedStandardTotals & { source: string };
}): YearEndLine {
  const { totals: t, gross } = args;
  const steps: TraceStep[] = [];
  const sd = args.standards;
  if (sd)
    steps.push({
      rule: 'R-DIP-6',
      clause: `${args.fundSource}; ${sd.source}`,
      zh: '年度应付 = Σ(点数 × 点值 × 基金支付比例) + 其他定额金额 × 基金支付比例（全池其余基金按最大余数法分配到分） + 按病种付费 Σ max(0, 病种定额 − 患者负担)',
      en: 'payable for the year = Σ(points × point value × fund payment ratio) + other fixed amounts × ratio (the rest of the pool split by largest remainder to the fen) + single-disease Σ max(0, standard − patient payment)',
      values: {
        点数: formatPoints(t.points),
        点值: formatPointValue(args.pointValue),
        其他定额金额: fenToYuan(t.amount - sd.amount),
        基金支付比例: formatRatioShort(args.fundPaymentRatio),
        病种定额合计: fenToYuan(sd.amount),
        按病种付费患者负担: fenToYuan(sd.patientPaid),
        按病种付费基金支付: fenToYuan(sd.fund),
      },
      result: fenToYuan(gross),
    });
  // No points (a DRG pool at a fixed 费率, or only fixed amounts): no point value to show — it read 点值 = 0.000000
  // (walk5 #5).
  else if (Number(t.points) === 0)
    steps.push({
      rule: 'R-DIP-6',
      clause: args.fundSource,
      zh: '年度应付 = 定额金额 × 基金支付比例（本机构无点数，不用点值）；全池按最大余数法分配到分',
      en: 'payable for the year = fixed amounts × fund payment ratio (no points, so no point value); the pool is split by largest remainder to the fen',
      values: { 定额金额: fenToYuan(t.amount), 基金支付比例: formatRatioShort(args.fundPaymentRatio) },
      result: fenToYuan(gross),
    });
  else
    steps.push({
      rule: 'R-DIP-6',
      clause: args.fundSource,
      zh: '年度应付 = Σ(点数 × 点值 × 基金支付比例) + 定额金额 × 基金支付比例；全池按最大余数法分配到分',
      en: 'payable for the year = Σ(points × point value × fund payment ratio) (+ fixed amounts × ratio); the pool is split by largest remainder to the fen',
      values: {
        点数: formatPoints(t.points),
        点值: formatPointValue(args.pointValue),
        定额金额: fenToYuan(t.amount),
        基金支付比例: formatRatioShort(args.fundPaymentRatio),
      },
      result: fenToYuan(gross),
    });
  const ffs = args.ffs ?? t;
  const ffsFund = Math.max(0, ffs.billed - ffs.patientPaid);
  let sharing: SharingResult | null = null;
  let afterSharing = gross;
  if (args.sharing.value) {
    sharing = shareDifference(gross, ffsFund, args.sharing.value);
    afterSharing = sharing.fundPays;
    steps.push({
      rule: 'R-DIP-6',
      clause: args.sharing.source,
      zh:
        sharing.surplus > 0 || sharing.overspend === 0
          ? '结余留用：按项目基金应付低于病种付费额，结余按分段比例留用'
          : '超支分担：按项目基金应付高于病种付费额，超支按分段比例由基金分担',
      en:
        sharing.overspend === 0
          ? 'surplus retention: item billing below the method’s payment, the surplus is kept by bands'
          : 'overspend sharing: item billing above the method’s payment, the fund shares by bands',
      values: {
        病种付费额: fenToYuan(gross),
        按项目基金应付: fenToYuan(ffsFund),
        结余: fenToYuan(sharing.surplus),
        超支: fenToYuan(sharing.overspend),
        ...Object.fromEntries(
          sharing.lines.map((l, k) => [
            `分段${k + 1} ${fenToYuan(l.from)}–${fenToYuan(l.to)} × ${formatRatioShort(l.share)}`,
            fenToYuan(l.shared),
          ]),
        ),
      },
      result: fenToYuan(afterSharing),
    });
  }
  const assessment = args.assessment.value;
  const afterAssessment = mulRatio(afterSharing, assessment, 'half-up');
  steps.push({
    rule: 'R-DIP-6',
    clause: args.assessment.source,
    zh: '× 考核系数（四舍五入到分）',
    en: '× assessment coefficient (half-up)',
    values: { 考核系数: formatRatioShort(assessment) },
    result: fenToYuan(afterAssessment),
  });
  const deductions = args.deductions.reduce((s, d) => s + d.amount, 0);
  const yearEnd = afterAssessment - deductions;
  steps.push({
    rule: 'R-DIP-6',
    ...(args.deductions.length > 0 ? { clause: args.deductions.map((d) => d.source).join('; ') } : {}),
    zh: '− 全年审核扣款 = 年度清算额',
    en: '− the year’s audit deductions = year-end amount',
    values: Object.fromEntries([
      ['全年审核扣款', fenToYuan(deductions)],
      ...args.deductions.map((d, k) => [`扣款${k + 1} ${d.period} ${d.reason}`, fenToYuan(d.amount)]),
    ]),
    result: fenToYuan(yearEnd),
  });
  return { gross, ffsFund, sharing, afterSharing, assessment, afterAssessment, deductions, yearEnd, steps };
}
