/**
 * Point values (点值) of a point pool, as exact ratios of fen per point.
 *
 * DIP 技术规范: "年初点值 = 前三年加权住院总费用 ÷ 前三年加权总点数"; "年度点值 = (当年 DIP 统筹基金 ÷ 基金支付比例) ÷ 当年总点数";
 * 002 四(三): "年底根据各医疗机构所提供服务的总点数及地区医保基金支出预算指标，得出每个点的实际价值". (R-DIP-6, R-PAY-DIP)
 * Variants: 浮动点值 (floating), 固定点值 (fixed), 弹性点值 (elastic: a fixed share at a fixed value, the rest floating).
 */
import type { TraceStep } from '../model/explain.ts';
import { addRatios, type Fen, fenToYuan, mulRatios, ONE, type Ratio, ratio, subRatios, ZERO } from '../model/money.ts';
import { formatPoints, type Points } from '../model/points.ts';
import type { Cited } from '../policy/values.ts';
import { SettlementError } from './errors.ts';
import type { FundPaymentRatioRule, PointValueRule } from './rules.ts';
import { formatPointValue, pointValueOf } from './value.ts';

/** One history year for the opening point value: its weight, total cost (fen) and total points. */
export interface WeightedYear {
  year: number;
  weight: Ratio;
  cost: Fen;
  points: Points;
}

/**
 * Opening-year point value (年初预算点值) = Σ weight × cost ÷ Σ weight × points (e.g. weights 1:2:7).
 * Exact ratio; nothing is rounded.
 */
export function openingPointValue(years: readonly WeightedYear[], source: string): { value: Ratio; step: TraceStep } {
  let cost = ZERO;
  let pts = ZERO;
  for (const y of years) {
    cost = addRatios(cost, mulRatios(y.weight, ratio(BigInt(y.cost))));
    pts = addRatios(pts, mulRatios(y.weight, ratio(BigInt(y.points))));
  }
  if (pts.num === 0n) {
    const ys = years.map((y) => y.year).join('、');
    const yEn = years.map((y) => y.year).join(', ');
    throw new SettlementError(
      'NO_POINTS',
      `历史年度（${ys}）没有点数，无法测算年初点值：请检查这些年度的结算清单是否已导入，其定点医疗机构是否已导入机构名录（yibao ingest institutions 机构文件；名录之外机构的病例不参与测算），其病种是否进入病种目录`,
      `no history points for the opening point value (years ${yEn}): check that those years' settlement lists are ingested, that their institutions are in the institution list (yibao ingest institutions FILE; cases of institutions not in it are left out), and that their groups reach the catalog`,
    );
  }
  // pts is in 0.0001-point units; pointValueOf expects integer points, so divide the two exact ratios directly.
  const value = ratio(cost.num * pts.den * 10_000n, cost.den * pts.num);
  const values: Record<string, string> = {};
  for (const y of years) {
    values[`${y.year} 权重`] = formatRatioShort(y.weight);
    values[`${y.year} 总费用(元)`] = fenToYuan(y.cost);
    values[`${y.year} 总点数`] = formatPoints(y.points);
  }
  return {
    value,
    step: {
      rule: 'R-DIP-6',
      clause: source,
      zh: '年初点值 = Σ(年度权重 × 住院总费用) ÷ Σ(年度权重 × 总点数)',
      en: 'opening-year point value = Σ(weight × total cost) ÷ Σ(weight × total points)',
      values,
      result: `${formatPointValue(value)} 元/点`,
    },
  };
}

/**
 * 基金支付比例 = Σ(billed − patient paid) ÷ Σ billed over the pool's units, or the policy's value. `leftOut`: the cases
 * paid nothing that the settlement policy's `unpaidCases: outside` keeps out of the ratio (already subtracted from
 * `billed` and `patientPaid`), named in the step with its clause.
 */
export function fundPaymentRatio(
  rule: Cited<FundPaymentRatioRule>,
  billed: Fen,
  patientPaid: Fen,
  leftOut?: { units: number; billed: Fen; patientPaid: Fen; source: string },
): { value: Ratio; step: TraceStep } {
  if (rule.value.kind === 'given') {
    const v = rule.value.ratio;
    return {
      value: v,
      step: {
        rule: 'R-DIP-6',
        clause: rule.source,
        zh: '基金支付比例取政策规定值',
        en: 'fund payment ratio as set by policy',
        result: formatRatioShort(v),
      },
    };
  }
  if (billed <= 0) {
    throw new SettlementError('NO_BILLING', '池内没有医疗费用，无法计算基金支付比例', 'no billed cost in the pool');
  }
  const value = ratio(BigInt(billed - patientPaid), BigInt(billed));
  const out = leftOut && leftOut.units > 0 ? leftOut : undefined;
  return {
    value,
    step: {
      rule: 'R-DIP-6',
      clause: out ? `${rule.source}; ${out.source}` : rule.source,
      zh: out
        ? '基金支付比例 = (医疗总费用 − 患者负担) ÷ 医疗总费用（未入组且不计点数的病例基金不予支付，不计入）'
        : '基金支付比例 = (医疗总费用 − 患者负担) ÷ 医疗总费用',
      en: out
        ? 'fund payment ratio = (total cost − patient payments) ÷ total cost (ungrouped cases claiming no points are paid nothing and left out)'
        : 'fund payment ratio = (total cost − patient payments) ÷ total cost',
      values: {
        医疗总费用: fenToYuan(billed),
        患者负担: fenToYuan(patientPaid),
        ...(out
          ? {
              未入组不计点数病例数: String(out.units),
              未入组不计点数病例医疗总费用: fenToYuan(out.billed),
              未入组不计点数病例患者负担: fenToYuan(out.patientPaid),
            }
          : {}),
      },
      result: formatRatioShort(value),
    },
  };
}

export interface PointValueResult {
  rule: PointValueRule['kind'];
  /** The point value that values every point of the pool (fen per point). */
  pointValue: Ratio;
  /** The fully floating value (fund ÷ ratio − amounts) ÷ points, null when the pool has no points. */
  floatingPointValue: Ratio | null;
  steps: TraceStep[];
}

/**
 * Year-end point value (年度结算点值). `fund` is the pool's fund for the year (fen), `fpr` the fund payment ratio,
 * `amountClaims` the fixed amounts claimed in the pool (paid first, in medical-cost terms).
 * A pool whose fixed amounts exceed the fund's value is an error, not a negative point value.
 */
export function yearEndPointValue(args: {
  fund: Fen;
  fundPaymentRatio: Ratio;
  totalPoints: Points;
  amountClaims: Fen;
  rule: Cited<PointValueRule>;
  openingPointValue: Ratio;
}): PointValueResult {
  const { fund, fundPaymentRatio: fpr, totalPoints, amountClaims, rule } = args;
  if (fpr.num <= 0n) throw new SettlementError('BAD_RATIO', '基金支付比例必须大于 0', 'fund payment ratio must be > 0');
  const poolValue = ratio(BigInt(fund) * fpr.den, fpr.num); // fund ÷ fpr, in medical-cost terms (fen)
  const pointsPart = subRatios(poolValue, ratio(BigInt(amountClaims)));
  const steps: TraceStep[] = [];
  let floating: Ratio | null = null;
  if (totalPoints > 0) {
    if (pointsPart.num < 0n) {
      // The figures the user checks (a budget or a policy folder not meant for this region is the usual cause).
      const pool = fenToYuan(Number(poolValue.num / poolValue.den));
      const fundYuan = fenToYuan(fund);
      const r = formatRatioShort(fpr);
      throw new SettlementError(
        'AMOUNTS_EXCEED_FUND',
        `定额结算金额 ${fenToYuan(amountClaims)} 元超过基金可分配额 ${pool} 元（基金预算 ${fundYuan} 元 ÷ 基金支付比例 ${r}）：请核对结算政策文件中的基金预算，以及所用政策文件夹是否为本统筹区的`,
        `fixed-amount claims ${fenToYuan(amountClaims)} yuan exceed the pool's value ${pool} yuan (fund ${fundYuan} yuan ÷ fund payment ratio ${r}): check the settlement policy's budget, and that the policy folder used is this region's`,
      );
    }
    floating = pointValueOf(pointsPart, totalPoints);
    steps.push({
      rule: 'R-DIP-6',
      clause: rule.source,
      // 定额结算金额 is more than per-diem and single-disease standards: a low-cost case paid its cost (C03's 6,000.00 in
      // the audit region) is in it too, and a reader redoing the sum must know where to find it.
      zh: '浮动点值 = (基金预算 ÷ 基金支付比例 − 定额结算金额) ÷ 总点数（定额结算金额：按床日、按病种付费的定额，及按实际费用或按项目支付、不计点数的病例的医疗总费用）',
      en: 'floating point value = (fund ÷ fund payment ratio − fixed amounts) ÷ total points (fixed amounts: per-bed-day and single-disease standards, and the total cost of cases paid their cost or by items, which carry no points)',
      values: {
        基金预算: fenToYuan(fund),
        基金支付比例: formatRatioShort(fpr),
        定额结算金额: fenToYuan(amountClaims),
        总点数: formatPoints(totalPoints),
      },
      result: `${formatPointValue(floating)} 元/点`,
    });
  }
  const r = rule.value;
  let pointValue: Ratio;
  switch (r.kind) {
    case 'floating':
      pointValue = floating ?? ZERO;
      break;
    case 'fixed':
      pointValue = r.pointValue;
      steps.push({
        rule: 'R-DIP-6',
        clause: rule.source,
        zh: '固定点值',
        en: 'fixed point value',
        result: `${formatPointValue(pointValue)} 元/点`,
      });
      break;
    case 'elastic': {
      const fixedValue = r.fixedPointValue ?? args.openingPointValue;
      const floatShare = subRatios(ONE, r.fixedShare);
      pointValue = addRatios(mulRatios(r.fixedShare, fixedValue), mulRatios(floatShare, floating ?? fixedValue));
      steps.push({
        rule: 'R-DIP-6',
        clause: rule.source,
        zh: '弹性点值 = 固定部分比例 × 固定点值 + 浮动部分比例 × 浮动点值',
        en: 'elastic point value = fixed share × fixed value + floating share × floating value',
        values: {
          固定部分比例: formatRatioShort(r.fixedShare),
          固定点值: formatPointValue(fixedValue),
          浮动点值: floating ? formatPointValue(floating) : '—',
        },
        result: `${formatPointValue(pointValue)} 元/点`,
      });
      break;
    }
  }
  return { rule: r.kind, pointValue, floatingPointValue: floating, steps };
}

/**
 * A ratio as a short decimal text for explanations: exact when it has at most 6 decimals (trailing zeros trimmed),
 * else `≈` and 6 decimals rounded half-up — the stated rounding of a shown value; computations use the exact ratio.
 */
export function formatRatioShort(r: Ratio): string {
  const neg = r.num < 0n !== r.den < 0n && r.num !== 0n;
  const num = r.num < 0n ? -r.num : r.num;
  const den = r.den < 0n ? -r.den : r.den;
  const exact = (num * 1_000_000n) % den === 0n;
  const scaled = (num * 2_000_000n + den) / (2n * den); // half-up of num × 10^6 ÷ den
  const s = scaled.toString().padStart(7, '0');
  const text = `${s.slice(0, -6)}.${s.slice(-6)}`.replace(/0+$/, '').replace(/\.$/, '');
  return `${exact ? '' : '≈'}${neg && scaled !== 0n ? '-' : ''}${text}`;
}
