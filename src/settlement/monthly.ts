/**
 * Monthly pre-settlement (月预结算) with the quality deposit (质量保证金) and audit deductions (R-DIP-6).
 *
 * 002 四(三): "各地根据上年度统筹基金实际支付医疗机构住院费用总额的月平均值的一定比例，确定月度预结算总额……每月根据预结算总额及
 * 当月病种分数总和，与医疗机构按约定的规则进行月预结算。"
 * DIP 技术规范: 月预结算额 = (当月点数 × 预结算点值 − 患者负担) × 预结算比例 (如 90%，10% 为质量保证金) − 审核扣款.
 *
 * Rounding: with a given point value, an institution's month value = points × value rounded half-up; with the
 * monthly quota, the month's value (quota + patients' payments) is split over institutions by
 * `allocateProportional`, so the institutions' amounts before the prepay ratio add up to the quota exactly.
 * prepay = gross × ratio half-up; deposit = gross − prepay.
 */
import type { TraceStep } from '../model/explain.ts';
import {
  allocateProportional,
  compareRatios,
  divRound,
  type Fen,
  fenToYuan,
  mulRatio,
  type Ratio,
  ratio,
  ZERO,
} from '../model/money.ts';
import { formatPoints, POINT_SCALE, type Points } from '../model/points.ts';
import type { Cited } from '../policy/values.ts';
import type { AuditDeduction } from './deductions.ts';
import { formatRatioShort } from './point-value.ts';
import { emptyTotals, sortedCodes, type UnitTotals } from './pool.ts';
import type { SettlementRules } from './rules.ts';
import { formatPointValue, valueOfPoints } from './value.ts';

export interface MonthlyLine {
  institutionCode: string;
  month: string;
  units: number;
  points: Points;
  amountClaims: Fen;
  pointValue: Ratio;
  /** points × point value + fixed amounts (medical-cost terms). */
  value: Fen;
  patientPaid: Fen;
  /** value − patients' payments: the fund's part. */
  gross: Fen;
  prepayRatio: Ratio;
  prepay: Fen;
  /** gross − prepay, kept as quality deposit until year end. */
  deposit: Fen;
  deductions: Fen;
  /** What the fund pays this month: prepay − deductions. */
  payment: Fen;
  steps: TraceStep[];
}

export interface MonthResult {
  month: string;
  pointValue: Ratio;
  /** The month's pre-settlement total (monthly-quota rule) or null. */
  quota: Fen | null;
  steps: TraceStep[];
  lines: MonthlyLine[];
}

export function preSettleMonth(args: {
  month: string;
  byInstitution: ReadonlyMap<string, UnitTotals>;
  rules: SettlementRules;
  openingPointValue: Cited<Ratio>;
  /** Region total of last year's fund payment to the pool (for the monthly-quota rule). */
  lastYearFundPaid?: Fen;
  /** Deductions of this month by institution. */
  deductions: ReadonlyMap<string, readonly AuditDeduction[]>;
}): MonthResult {
  const { month, byInstitution, rules } = args;
  const codes = sortedCodes([...byInstitution.keys(), ...args.deductions.keys()]);
  const totals = codes.map((c) => byInstitution.get(c) ?? emptyTotals());
  const rule = rules.provisionalPointValue;
  const steps: TraceStep[] = [];
  let pointValue: Ratio;
  let values: Fen[];
  let quota: Fen | null = null;
  if (rule.value.kind === 'monthly-quota') {
    const lastYear = args.lastYearFundPaid ?? 0;
    quota = Number(divRound(BigInt(lastYear) * rule.value.quotaRatio.num, rule.value.quotaRatio.den * 12n, 'half-up'));
    const patient = totals.reduce((s, t) => s + t.patientPaid, 0);
    const amounts = totals.reduce((s, t) => s + t.amount, 0);
    const points = totals.reduce((s, t) => s + t.points, 0);
    const pointsPart = Math.max(0, quota + patient - amounts);
    pointValue = points > 0 ? ratio(BigInt(pointsPart) * POINT_SCALE, BigInt(points)) : ZERO;
    const total = points > 0 ? pointsPart + amounts : amounts;
    const weights = totals.map((t) => BigInt(t.points) * BigInt(pointsPart) + BigInt(t.amount) * BigInt(points || 1));
    values = weights.some((w) => w > 0n) ? allocateProportional(total, weights) : totals.map(() => 0);
    const opening = args.openingPointValue.value;
    if (rule.value.capAtOpening && points > 0 && compareRatios(pointValue, opening) > 0) {
      pointValue = opening;
      values = totals.map((t) => valueOfPoints(t.points, opening) + t.amount);
    }
    steps.push({
      rule: 'R-DIP-6',
      clause: rule.source,
      zh: '月度预结算总额 = 上年度统筹基金住院支付额 ÷ 12 × 比例；预结算点值 = (预结算总额 + 患者负担 − 定额金额) ÷ 当月总点数',
      en: 'monthly quota = last year’s fund payment ÷ 12 × ratio; provisional value = (quota + patient payments − fixed amounts) ÷ the month’s points',
      values: {
        上年度基金支付: fenToYuan(lastYear),
        比例: formatRatioShort(rule.value.quotaRatio),
        月度预结算总额: fenToYuan(quota),
        当月总点数: formatPoints(points),
        患者负担: fenToYuan(patient),
      },
      result: `${formatPointValue(pointValue)} 元/点`,
    });
    if (pointValue === args.openingPointValue.value) {
      steps.push({
        rule: 'R-DIP-6',
        clause: rule.source,
        zh: '预结算点值不高于年初点值：按年初点值预结算',
        en: 'capped at the opening-year point value',
        result: `${formatPointValue(pointValue)} 元/点`,
      });
    }
  } else {
    pointValue = rule.value.kind === 'fixed' ? rule.value.pointValue : args.openingPointValue.value;
    values = totals.map((t) => valueOfPoints(t.points, pointValue) + t.amount);
    steps.push({
      rule: 'R-DIP-6',
      clause: rule.value.kind === 'fixed' ? rule.source : args.openingPointValue.source,
      zh: rule.value.kind === 'fixed' ? '预结算点值取政策规定值' : '预结算点值取年初点值',
      en:
        rule.value.kind === 'fixed'
          ? 'provisional point value set by policy'
          : 'provisional point value = opening value',
      result: `${formatPointValue(pointValue)} 元/点`,
    });
  }
  const prepayRatio = rules.prepayRatio.value;
  const lines = codes.map((code, i): MonthlyLine => {
    const t = totals[i]!;
    const value = values[i]!;
    const gross = value - t.patientPaid;
    const prepay = mulRatio(gross, prepayRatio, 'half-up');
    const deposit = gross - prepay;
    const ded = args.deductions.get(code) ?? [];
    const deductions = ded.reduce((s, d) => s + d.amount, 0);
    const payment = prepay - deductions;
    const lineSteps: TraceStep[] = [
      {
        rule: 'R-DIP-6',
        clause: rules.prepayRatio.source,
        zh: '月预结算 = (当月点数 × 预结算点值 + 定额金额 − 患者负担) × 预结算比例 − 审核扣款；其余为质量保证金',
        en: 'monthly pre-settlement = (points × provisional value + fixed amounts − patient payments) × prepay ratio − deductions; the rest is the quality deposit',
        values: {
          月份: month,
          点数: formatPoints(t.points),
          预结算点值: formatPointValue(pointValue),
          定额金额: fenToYuan(t.amount),
          '点数金额+定额': fenToYuan(value),
          患者负担: fenToYuan(t.patientPaid),
          预结算比例: formatRatioShort(prepayRatio),
          预结算额: fenToYuan(prepay),
          质量保证金: fenToYuan(deposit),
          审核扣款: fenToYuan(deductions),
          ...Object.fromEntries(ded.map((d, k) => [`扣款${k + 1} ${d.reason} (${d.source})`, fenToYuan(d.amount)])),
        },
        result: fenToYuan(payment),
      },
    ];
    return {
      institutionCode: code,
      month,
      units: t.units,
      points: t.points,
      amountClaims: t.amount,
      pointValue,
      value,
      patientPaid: t.patientPaid,
      gross,
      prepayRatio,
      prepay,
      deposit,
      deductions,
      payment,
      steps: lineSteps,
    };
  });
  return { month, pointValue, quota, steps, lines };
}
