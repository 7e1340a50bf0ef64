/**
 * Case points (病例分值) and deviating cases (偏差病例).
 *
 * DIP 技术规范 / 002 四(二): "病例分值 = 病种分值 × 医院等级系数 (× 辅助目录系数)"; 基层病种不设等级系数;
 * "对于异常低值的病例，按实际费用确定病种分值": cost < lowRatio × standard → points = cost ÷ reference point value;
 * "异常高值": cost > multiple × standard → points = base × ((cost ÷ standard − multiple) × excessRate + 1),
 * where standard = base points × reference point value (the same-level standard cost). (R-DIP-3, R-DIP-5)
 *
 * Rounding: a case's points are rounded once, half-up, to 0.0001 point (src/payment/points.ts).
 */
import { divRound, type Fen, type Ratio, ratio, ratioToNumber } from '../../model/money.ts';
import { POINT_SCALE, type Points } from '../../model/points.ts';

/**
 * base points = score × institution coefficient × auxiliary coefficient, coefficients given as integers of
 * 1/`coefScale` (e.g. 12345 with scale 10000 = 1.2345). Half-up to 0.0001 point.
 */
export function basePoints(score: Points, inst: number, aux: number, coefScale: number): Points {
  const den = coefScale * coefScale;
  const n = score * inst * aux;
  if (Number.isSafeInteger(n) && Number.isSafeInteger(den)) {
    const q = Math.floor(n / den);
    const r = n - q * den;
    return 2 * r >= den ? q + 1 : q;
  }
  return Number(divRound(BigInt(score) * BigInt(inst) * BigInt(aux), BigInt(coefScale) * BigInt(coefScale), 'half-up'));
}

/** An exact comparison of cost (fen) with multiple × base × pointValue (the standard), with a float fast path. */
export class StandardComparator {
  private readonly pvF: number;
  constructor(readonly pointValue: Ratio) {
    this.pvF = ratioToNumber(pointValue);
  }

  /** standard = base × pointValue, exact fen. */
  standard(base: Points): Ratio {
    return ratio(BigInt(base) * this.pointValue.num, this.pointValue.den * POINT_SCALE);
  }

  /** sign(cost − multiple × standard(base)). */
  compare(cost: Fen, base: Points, multiple: Ratio, multipleF: number): -1 | 0 | 1 {
    const s = ((base * this.pvF) / 10_000) * multipleF;
    if (cost < s * (1 - 1e-9)) return -1;
    if (cost > s * (1 + 1e-9)) return 1;
    const l = BigInt(cost) * this.pointValue.den * POINT_SCALE * multiple.den;
    const r = multiple.num * BigInt(base) * this.pointValue.num;
    return l < r ? -1 : l > r ? 1 : 0;
  }
}

/** Points that pay exactly the cost at the reference point value: cost ÷ point value (no gcd: one division). */
export function costPoints(cost: Fen, pointValue: Ratio): Points {
  return Number(divRound(BigInt(cost) * pointValue.den * POINT_SCALE, pointValue.num, 'half-up'));
}

/** base × ((cost ÷ standard − multiple) × excessRate + 1) = base × (1 − multiple × rate) + rate × cost ÷ pv. */
export function highCostPoints(cost: Fen, base: Points, pointValue: Ratio, multiple: Ratio, excessRate: Ratio): Points {
  // In 0.0001 points: base × (1 − m r) + r × cost × 10⁴ ÷ pv, over one common denominator, rounded once.
  const mrNum = multiple.num * excessRate.num;
  const mrDen = multiple.den * excessRate.den;
  // a = base × (mrDen − mrNum) / mrDen ; b = excessRate.num × cost × 10⁴ × pv.den / (excessRate.den × pv.num)
  const aNum = BigInt(base) * (mrDen - mrNum);
  const bNum = excessRate.num * BigInt(cost) * POINT_SCALE * pointValue.den;
  const bDen = excessRate.den * pointValue.num;
  return Number(divRound(aNum * bDen + bNum * mrDen, mrDen * bDen, 'half-up'));
}

/** sign(cost − multiple × standard), exact; `standard` in fen (e.g. last year's same-level group mean cost). */
export function compareWithStandard(cost: Fen, standard: Ratio, multiple: Ratio): -1 | 0 | 1 {
  const l = BigInt(cost) * standard.den * multiple.den;
  const r = multiple.num * standard.num;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * High-cost points against any standard cost (fen, exact): base × ((cost ÷ standard − multiple) × excessRate + 1),
 * rounded once, half-up, to 0.0001 point. With standard = base × reference point value this is `highCostPoints`.
 */
export function highCostPointsFor(
  cost: Fen,
  base: Points,
  standard: Ratio,
  multiple: Ratio,
  excessRate: Ratio,
): Points {
  // base × [ (cost × std.den ÷ std.num − m) × r + 1 ] = base × [ r × cost × std.den × m.den − r × m.num × std.num
  //   + std.num × m.den ] ÷ (std.num × m.den) with r = rn/rd: numerator over std.num × m.den × rd.
  const rn = excessRate.num;
  const rd = excessRate.den;
  const num =
    BigInt(base) *
    (rn * BigInt(cost) * standard.den * multiple.den -
      rn * multiple.num * standard.num +
      rd * standard.num * multiple.den);
  const den = standard.num * multiple.den * rd;
  return Number(divRound(num, den, 'half-up'));
}
