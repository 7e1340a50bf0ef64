/**
 * Pricing one DRG case (DRG 病例支付标准与高低倍率). Domain brief, CHS-DRG formulas:
 *   "Base rate (费率) = budget ÷ Σ RW over cases; payment standard = RW × base rate (× level coefficient).
 *    Point method: points = RW × 100, point value = budget ÷ total points.
 *    Outliers: low (低倍率) below about 0.3–0.4 × the DRG mean → paid by items; high (高倍率) above a multiple that
 *    falls as RW rises (e.g. 3 / 2.5 / 2 / 1.5 / 1.3 for RW < 1 / < 2 / < 3 / < 5 / ≥ 5) → standard + the excess at a
 *    policy rate, or capped."
 *
 * A case is priced as a multiple `u` of its DRG's standard. With a given base rate the claim is an amount in fen
 * (standard = RW × base rate × level coefficient, half-up to the fen). With the point method (or a base rate derived
 * from the budget) the claim is points = u × RW × pointsPerRw × level coefficient (half-up to 0.0001 point), and the
 * low/high rules are expressed relative to the DRG's mean cost so they need no point value.
 *
 * The level coefficient scales the DRG's standard only, never what a deviating case is paid beyond or instead of it
 * (R-PAY-DRG "standard + the excess at a policy rate"; "low … → paid by items"): in a point pool a high-cost case
 * claims RW × pointsPerRw × level coefficient + (cost ÷ mean − multiple) × excessRate × RW × pointsPerRw, and a case
 * paid by items (低倍率病例; 高倍率 with variant `items`) claims its cost as an amount (policy `itemsInPointPool:
 * amount`, the default) or, under `points-at-mean`, cost ÷ mean × RW × pointsPerRw points.
 */
import { drgStatusText } from '../../grouping/drg/status.ts';
import type { TraceStep } from '../../model/explain.ts';
import type { InstitutionLevel } from '../../model/institution.ts';
import {
  addRatios,
  compareRatios,
  divRatios,
  divRound,
  type Fen,
  fenToYuan,
  formatRatio,
  mulRatio,
  mulRatios,
  ONE,
  type Ratio,
  ratio,
  subRatios,
} from '../../model/money.ts';
import { formatPoints, toPoints } from '../../model/points.ts';
import type { Claim, UnitResult } from '../../model/unit-result.ts';
import type { DrgCase, DrgWeight, DrgWeightTable } from './types.ts';

/** A grouper status (SUCCESS, FAIL, QY, …) in words; an unknown one as it is. */
const statusText = (s: string, lang: 'zh' | 'en'): string => drgStatusText(s, lang) ?? s;

export interface DrgPricing {
  /** `amount`: a given base rate; `points`: the point method or a base rate derived from the budget. */
  mode: 'amount' | 'points';
  /** Fen per RW by fund (mode `amount`). */
  baseRate?: { employee: Fen; resident: Fen };
  pointsPerRw: number;
  levelCoefficients: Record<InstitutionLevel, Ratio>;
  lowRatio: Ratio;
  highTiers: { rwBelow?: Ratio; multiple: Ratio }[];
  highVariant: 'standard-plus-excess' | 'cap' | 'items';
  excessRate: Ratio;
  ungrouped: 'items' | 'hold';
  /**
   * How a case paid by items (low-cost; high-cost with variant `items`) enters a point pool (mode `points`):
   * `amount` = its cost, a fixed amount paid before the points share the rest (按项目付费); `points-at-mean` = cost ÷
   * the DRG mean × RW × pointsPerRw points, without the level coefficient. Mode `amount` always pays the cost.
   */
  itemsInPointPool: 'amount' | 'points-at-mean';
  /**
   * The excess of a high-cost case (variant `standard-plus-excess`) in a point pool: `points` = (cost ÷ mean −
   * multiple) × excessRate × RW × pointsPerRw points beside the standard's, valued at the floating point value;
   * `amount` = (cost − mean × multiple) × excessRate in fen (half-up, as at a given base rate), a fixed amount beside
   * the standard's points. Absent: `points`. Mode `amount` always pays the excess as money.
   */
  excessInPointPool?: 'points' | 'amount';
  /** Clauses of the parameters, for explanations. */
  sources: Record<'method' | 'baseRate' | 'level' | 'low' | 'high' | 'ungrouped', string>;
}

/** The high-outlier multiple of a DRG by its RW (the first tier whose bound the RW is below). */
/** How a high-cost case is paid, in the reader's words (the policy's `highOutlier.variant`). */
const HIGH_VARIANT_WORDS: Record<DrgPricing['highVariant'], { zh: string; en: string }> = {
  'standard-plus-excess': { zh: '支付标准加超出部分 × 超出部分比例', en: 'the standard plus the excess × excess rate' },
  cap: { zh: '按界值封顶', en: 'capped at the threshold' },
  items: { zh: '按项目付费', en: 'fee-for-service' },
};

export function highMultiple(rw: Ratio, tiers: DrgPricing['highTiers']): Ratio {
  for (const t of tiers) if (!t.rwBelow || compareRatios(rw, t.rwBelow) < 0) return t.multiple;
  return tiers[tiers.length - 1]!.multiple;
}

/**
 * The claim of a priced case. `points` mode: `u` × RW × pointsPerRw × level coefficient, unless `points` gives the
 * exact points of a deviating case (no coefficient on what is paid beyond or instead of the standard) or
 * `itemsAmount` an amount; `amount` mode: `itemsAmount`, else u × RW × base rate × level coefficient.
 */
function claimOf(
  p: DrgPricing,
  c: DrgCase,
  rw: Ratio,
  u: Ratio,
  itemsAmount: Fen | null,
  points: Ratio | null,
  excessAmount: Fen | null,
): Claim {
  const coef = p.levelCoefficients[c.level];
  if (itemsAmount !== null && (p.mode === 'amount' || points === null)) return { kind: 'amount', amount: itemsAmount };
  if (p.mode === 'points') {
    if (points !== null && excessAmount !== null)
      return { kind: 'points', points: toPoints(points), amount: excessAmount };
    if (points !== null) return { kind: 'points', points: toPoints(points) };
    return { kind: 'points', points: toPoints(mulRatios(mulRatios(u, rw), mulRatios(ratio(p.pointsPerRw), coef))) };
  }
  const rate = p.baseRate![c.insuranceType];
  return { kind: 'amount', amount: mulRatio(rate, mulRatios(mulRatios(u, rw), coef)) };
}

/**
 * A case priced, without its explanation: the status and claim, and the intermediate values the explanation shows
 * (`priceDrgCase` builds the steps from them). The opening point value prices every history case this way.
 */
export type DrgPriced =
  | { kind: 'no-weight'; status: 'fallback' | 'ungrouped'; claim: Claim; items: boolean }
  | {
      kind: 'priced';
      status: UnitResult['status'];
      claim: Claim;
      weight: DrgWeight;
      mean: Ratio;
      /** The high-outlier multiple of the DRG and the exact threshold (mean × multiple) when the case is above it. */
      multiple: Ratio;
      thresholdExact: Ratio | null;
      /** The case's multiple of the standard. */
      u: Ratio;
      /** A high-cost case's excess paid as fixed money beside its standard's points (`excessInPointPool: amount`). */
      excessAmount: Fen | null;
    };

/** Price one case: status and claim, no explanation (see `priceDrgCase` for the steps). Pure. */
export function priceDrg(c: DrgCase, table: DrgWeightTable, p: DrgPricing): DrgPriced {
  const w = c.drg ? table.weights.get(c.drg) : undefined;
  if (!c.drg || !w) {
    const items = p.ungrouped === 'items';
    // A case without a DRG is ungrouped (未入组) however the policy pays it, so the statements count it as such; a
    // grouped case whose DRG has no weight falls back to items (转按项目), or is held.
    return {
      kind: 'no-weight',
      status: items && c.drg ? 'fallback' : 'ungrouped',
      claim: { kind: 'amount', amount: items ? c.cost : 0 },
      items,
    };
  }
  const mean = w.meanCostExact ?? ratio(w.meanCost);
  const costRatio = divRatios(ratio(c.cost), mean);
  const multiple = highMultiple(w.rw, p.highTiers);
  let status: UnitResult['status'] = 'paid';
  let u: Ratio = ONE;
  let itemsAmount: Fen | null = null;
  let thresholdExact: Ratio | null = null;
  // Exact points of a deviating case in a point pool, when they are not u × the standard's points (see claimOf).
  let points: Ratio | null = null;
  // The excess of a high-cost case as fixed money beside the standard's points (`excessInPointPool: amount`).
  let excessAmount: Fen | null = null;
  const rwPoints = mulRatios(w.rw, ratio(p.pointsPerRw));
  // Paid by items (R-PAY-DRG "low … → paid by items"): its cost, or in a point pool under `points-at-mean` its
  // cost at the DRG mean in points — without the level coefficient, which scales the standard only.
  const byItems = () => {
    u = costRatio;
    itemsAmount = c.cost;
    if (p.mode === 'points' && p.itemsInPointPool === 'points-at-mean') points = mulRatios(costRatio, rwPoints);
  };
  if (compareRatios(costRatio, p.lowRatio) < 0) {
    status = 'low-cost';
    byItems();
  } else if (compareRatios(costRatio, multiple) > 0) {
    status = 'high-cost';
    thresholdExact = mulRatios(mean, multiple);
    if (p.highVariant === 'items') {
      byItems();
    } else if (p.highVariant === 'cap') {
      u = multiple;
    } else {
      // u = 1 + (cost/mean − multiple) × excessRate
      const excess = mulRatios(subRatios(costRatio, multiple), p.excessRate);
      u = addRatios(ONE, excess);
      // Standard + the excess at the policy rate: the level coefficient on the standard only.
      if (p.mode === 'points' && p.excessInPointPool === 'amount') {
        // The standard in points, the excess as money: (cost − mean × multiple) × excess rate, rounded once.
        points = mulRatios(rwPoints, p.levelCoefficients[c.level]);
        excessAmount = roundRatio(mulRatios(subRatios(ratio(c.cost), thresholdExact), p.excessRate));
      } else if (p.mode === 'points')
        points = addRatios(mulRatios(rwPoints, p.levelCoefficients[c.level]), mulRatios(excess, rwPoints));
      if (p.mode === 'amount') {
        const standard = mulRatio(p.baseRate![c.insuranceType], mulRatios(w.rw, p.levelCoefficients[c.level]));
        // standard + (cost − mean × multiple) × excess rate: the excess rounded once, from the exact threshold
        itemsAmount = standard + roundRatio(mulRatios(subRatios(ratio(c.cost), thresholdExact), p.excessRate));
      }
    }
  }
  const claim = claimOf(p, c, w.rw, u, itemsAmount, points, excessAmount);
  return { kind: 'priced', status, claim, weight: w, mean, multiple, thresholdExact, u, excessAmount };
}

/**
 * Why a case has no DRG to be paid by, in the reader's words (R-PAY-DRG: a case without a DRG or without a weight is
 * paid as the policy's `ungrouped` says): the grouper's status — an ambiguous case with its MDC and ambiguity group,
 * a case that reached an MDC but none of its ADRGs, an input check or code that failed — or, for a grouped case, that
 * its DRG has no weight in the table.
 */
export function drgNoWeightReason(c: DrgCase): { zh: string; en: string } {
  if (c.drg) {
    return { zh: `病组 ${c.drg} 在权重表中无权重`, en: `DRG ${c.drg} has no weight in the weight table` };
  }
  const at = c.ungroupedAt;
  if (c.groupStatus === 'QY' && at) {
    return {
      zh: `歧义病例：在 ${at.mdc} 中，手术操作与主要诊断无关，归入歧义组 ${at.code}`,
      en: `ambiguous case in ${at.mdc}: an OR procedure unrelated to the principal diagnosis, ambiguity group ${at.code}`,
    };
  }
  if (c.groupStatus === 'FAIL') {
    return at
      ? {
          zh: `无法入组：进入 ${at.mdc}，但不满足其任何 ADRG 的入组条件`,
          en: `not groupable: the case reaches ${at.mdc} but meets none of its ADRGs`,
        }
      : { zh: '无法入组：不满足任何 MDC 的入组条件', en: 'not groupable: the case meets no MDC' };
  }
  const zh = drgStatusText(c.groupStatus, 'zh');
  const en = drgStatusText(c.groupStatus, 'en');
  // A status the grouper does not know is not shown as an identifier in zh.
  return zh && en ? { zh, en } : { zh: '分组器未给出病组', en: `the grouper gave no DRG (${c.groupStatus})` };
}

/**
 * The last step of a case's explanation (its basis, 计算依据), without the values the full trace shows. A case
 * without a DRG or a weight says why (`drgNoWeightReason`), so a run's per-case sheet, which shows only this step,
 * does too.
 */
export function drgBasisStep(priced: DrgPriced, p: DrgPricing, c: DrgCase): TraceStep {
  if (priced.kind === 'no-weight') {
    const why = drgNoWeightReason(c);
    const head = c.drg ? { zh: '病组无权重', en: 'no weight for the DRG' } : { zh: '未入组', en: 'ungrouped' };
    // The clause that says how such a case is paid (the policy's `ungrouped`), not the RW pricing clause.
    return {
      rule: 'R-PAY-DRG',
      clause: p.sources.ungrouped,
      zh: `${head.zh}：${priced.items ? '按项目付费' : '暂不支付，待审核'}（${why.zh}）`,
      en: `${head.en}: ${priced.items ? 'paid by items' : 'held for review, not paid'} (${why.en})`,
    };
  }
  const clause = p.mode === 'points' ? p.sources.method : p.sources.baseRate;
  const items = priced.status === 'low-cost' || (priced.status === 'high-cost' && p.highVariant === 'items');
  if (items && priced.claim.kind === 'amount') {
    return {
      rule: 'R-PAY-DRG',
      clause: priced.status === 'low-cost' ? p.sources.low : p.sources.high,
      zh:
        p.mode === 'points'
          ? '按项目付费：病例结算金额 = 医疗总费用（作为定额金额从点数池中先行支付，不计点数）'
          : '按项目付费：病例结算金额 = 医疗总费用',
      en:
        p.mode === 'points'
          ? 'paid by items: the case is paid its total medical cost (a fixed amount paid from the point pool before the points, no points)'
          : 'paid by items: the case is paid its total medical cost',
    };
  }
  if (items) {
    return {
      rule: 'R-PAY-DRG',
      clause,
      zh: '按项目付费折算点数：病例点数 = 医疗总费用 ÷ 病组次均费用 × RW × 每RW点数（不乘等级系数）',
      en: 'paid by items, in points: points = total medical cost ÷ DRG mean cost × RW × points per RW (no level coefficient)',
    };
  }
  if (priced.status === 'high-cost' && p.highVariant === 'standard-plus-excess' && priced.excessAmount !== null) {
    return {
      rule: 'R-PAY-DRG',
      clause: `${clause}; ${p.sources.high}`,
      zh: '病例点数 = RW × 每RW点数 × 等级系数（支付标准，随年度点值浮动）；超出部分 = (医疗总费用 − 界值) × 超出部分比例，作为定额金额从点数池中先行支付，不计点数、不乘等级系数',
      en: 'points = RW × points per RW × level coefficient (the standard, valued at the year-end point value); the excess = (total medical cost − threshold) × excess rate, a fixed amount paid from the point pool before the points, with no points and no level coefficient',
    };
  }
  if (priced.status === 'high-cost' && p.highVariant === 'standard-plus-excess') {
    return p.mode === 'points'
      ? {
          rule: 'R-PAY-DRG',
          clause,
          zh: '病例点数 = RW × 每RW点数 × 等级系数 + (医疗总费用 ÷ 病组次均费用 − 界值倍数) × 超出部分比例 × RW × 每RW点数（等级系数只乘支付标准，不乘超出部分）',
          en: 'points = RW × points per RW × level coefficient + (total medical cost ÷ DRG mean cost − threshold multiple) × excess rate × RW × points per RW (the level coefficient scales the standard, not the excess)',
        }
      : {
          rule: 'R-PAY-DRG',
          clause,
          zh: '支付金额 = RW × 费率 × 等级系数 + (医疗总费用 − 界值) × 超出部分比例',
          en: 'payment = RW × base rate × level coefficient + (total medical cost − threshold) × excess rate',
        };
  }
  return {
    rule: 'R-PAY-DRG',
    clause,
    zh: p.mode === 'points' ? '病例点数 = 倍数 × RW × 每RW点数 × 等级系数' : '支付标准 = 倍数 × RW × 费率 × 等级系数',
    en:
      p.mode === 'points'
        ? 'points = multiple × RW × points per RW × level coefficient'
        : 'payment = multiple × RW × base rate × level coefficient',
  };
}

/**
 * Price one case as a unit whose explanation is only its basis step (`drgBasisStep`): what a run stores of a DRG
 * unit. The full trace is recomputed on demand (`priceDrgCase`, `explain case`).
 */
export function priceDrgUnit(c: DrgCase, table: DrgWeightTable, p: DrgPricing): UnitResult {
  const priced = priceDrg(c, table, p);
  return {
    unitId: c.setlId,
    institutionCode: c.institutionCode,
    month: c.month,
    method: 'drg',
    ...(c.drg ? { group: c.drg } : {}),
    status: priced.status,
    claim: priced.claim,
    billed: c.cost,
    patientPaid: c.patientPaid,
    explanation: [drgBasisStep(priced, p, c)],
  };
}

/** Price one case. Pure; the explanation lists every step with its clause. */
export function priceDrgCase(c: DrgCase, table: DrgWeightTable, p: DrgPricing): UnitResult {
  const base = { unitId: c.setlId, institutionCode: c.institutionCode, month: c.month, method: 'drg' as const };
  const steps: TraceStep[] = [
    {
      rule: 'R-PAY-DRG',
      zh: `分组结果 ${c.drg ?? '未入组'}（${statusText(c.groupStatus, 'zh')}）`,
      en: `grouped as ${c.drg ?? 'no DRG'} (${statusText(c.groupStatus, 'en')})`,
      values: { drg: c.drg, status: c.groupStatus, cost: fenToYuan(c.cost) },
    },
  ];
  const priced = priceDrg(c, table, p);
  const last = drgBasisStep(priced, p, c);
  if (priced.kind === 'no-weight') {
    steps.push({ ...last, values: { weightTable: table.source }, result: priced.items ? fenToYuan(c.cost) : 0 });
    return {
      ...base,
      ...(c.drg ? { group: c.drg } : {}),
      status: priced.status,
      claim: priced.claim,
      billed: c.cost,
      patientPaid: c.patientPaid,
      explanation: steps,
    };
  }
  const { weight: w, mean, multiple, u, claim, status } = priced;
  const coef = p.levelCoefficients[c.level];
  steps.push({
    rule: 'R-PAY-DRG',
    clause: p.sources.level,
    zh: '相对权重与等级系数',
    en: 'relative weight and level coefficient',
    values: {
      rw: formatRatio(w.rw, 4),
      level: c.level,
      levelCoefficient: formatRatio(coef, 4),
      meanCost: fenToYuan(w.meanCost),
    },
  });
  if (status === 'low-cost') {
    steps.push({
      rule: 'R-PAY-DRG',
      clause: p.sources.low,
      // Under points-at-mean the case is not paid its cost but its cost in points at the DRG mean (then valued).
      zh: `低倍率病例：费用低于该 DRG 次均费用的 ${formatRatio(p.lowRatio, 2)} 倍，${claim.kind === 'amount' ? '按实际费用支付' : '按实际费用以病组次均费用折算点数'}`,
      en: `low-cost case: cost below ${formatRatio(p.lowRatio, 2)} × the DRG mean, ${claim.kind === 'amount' ? 'paid its actual cost' : 'its actual cost converted to points at the DRG mean cost'}`,
      values: { cost: fenToYuan(c.cost), threshold: fenToYuan(roundRatio(mulRatios(mean, p.lowRatio))) },
    });
  } else if (status === 'high-cost') {
    steps.push({
      rule: 'R-PAY-DRG',
      clause: p.sources.high,
      zh: `高倍率病例：费用超过该 DRG 次均费用的 ${formatRatio(multiple, 2)} 倍（${HIGH_VARIANT_WORDS[p.highVariant].zh}）`,
      en: `high-cost case: cost above ${formatRatio(multiple, 2)} × the DRG mean (${HIGH_VARIANT_WORDS[p.highVariant].en})`,
      values: {
        cost: fenToYuan(c.cost),
        threshold: fenToYuan(roundRatio(priced.thresholdExact!)),
        excessRate: formatRatio(p.excessRate, 4),
      },
    });
  }
  const rate: Record<string, string | number> =
    p.mode === 'amount' ? { baseRate: fenToYuan(p.baseRate![c.insuranceType]) } : { pointsPerRw: p.pointsPerRw };
  const items = status === 'low-cost' || (status === 'high-cost' && p.highVariant === 'items');
  const excess = status === 'high-cost' && p.highVariant === 'standard-plus-excess';
  // The values of the formula the basis step states, so a reader can redo the sum.
  const values: Record<string, string | number> =
    items && claim.kind === 'amount'
      ? { cost: fenToYuan(c.cost) }
      : items
        ? { cost: fenToYuan(c.cost), meanCost: fenToYuan(w.meanCost), rw: formatRatio(w.rw, 4), ...rate }
        : excess
          ? {
              rw: formatRatio(w.rw, 4),
              ...rate,
              levelCoefficient: formatRatio(coef, 4),
              cost: fenToYuan(c.cost),
              meanCost: fenToYuan(w.meanCost),
              highMultiple: formatRatio(multiple, 2),
              ...(p.mode === 'amount' || priced.excessAmount !== null
                ? { threshold: fenToYuan(roundRatio(priced.thresholdExact!)) }
                : {}),
              excessRate: formatRatio(p.excessRate, 4),
              ...(priced.excessAmount !== null ? { excessAmount: fenToYuan(priced.excessAmount) } : {}),
            }
          : { multiple: formatRatio(u, 6), ...rate };
  if (priced.excessAmount !== null) {
    // The excess as money is a step of its own, so both parts of the claim are arrived at (points, then the amount).
    steps.push({
      rule: 'R-PAY-DRG',
      clause: p.sources.high,
      zh: '超出部分金额 = (医疗总费用 − 界值) × 超出部分比例，四舍五入到分（定额金额，不计点数）',
      en: 'excess amount = (total medical cost − threshold) × excess rate, half-up to the fen (a fixed amount, no points)',
      values: {
        cost: fenToYuan(c.cost),
        threshold: fenToYuan(roundRatio(priced.thresholdExact!)),
        excessRate: formatRatio(p.excessRate, 4),
      },
      result: fenToYuan(priced.excessAmount),
    });
  }
  steps.push({
    ...last,
    values,
    result: claim.kind === 'points' ? formatPoints(claim.points) : fenToYuan(claim.amount),
  });
  return { ...base, group: c.drg!, status, claim, billed: c.cost, patientPaid: c.patientPaid, explanation: steps };
}

/** An exact fen amount rounded half-up to the fen (money only). */
function roundRatio(r: Ratio): Fen {
  return Number(divRound(r.num, r.den, 'half-up'));
}

/** Σ RW-equivalents of priced point claims → the implied base rate (费率) in fen per RW for a budget. */
export function impliedBaseRate(budget: Fen, totalPoints: number, pointsPerRw: number): Ratio {
  return divRatios(ratio(BigInt(budget) * BigInt(pointsPerRw) * 10_000n), ratio(totalPoints));
}
