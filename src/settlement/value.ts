/**
 * Valuing points in money (点数 × 点值). A point value is an exact ratio of fen per point; points are integers of
 * 0.0001 point (src/payment/points.ts). Whenever a value in fen is needed it is rounded once, half-up (四舍五入).
 *
 * 002 四(三): "得出每个点的实际价值，按照各医疗机构实际点数付费". (R-DIP-6)
 */
import { divRound, type Fen, formatRatio, type Ratio, type Rounding, ratio } from '../model/money.ts';
import { POINT_SCALE, type Points } from '../model/points.ts';

/**
 * points × point value, in fen, rounded half-up; `floor` / `ceil` give the fen below and above it (a case's
 * 病例结算金额 is one of the two, R-DIP-6).
 */
export function valueOfPoints(points: Points, pointValue: Ratio, rounding: Rounding = 'half-up'): Fen {
  return Number(divRound(BigInt(points) * pointValue.num, pointValue.den * POINT_SCALE, rounding));
}

/** points × point value as an exact ratio of fen (for weights and totals before the single rounding). */
export function exactValueOfPoints(points: Points | bigint, pointValue: Ratio): Ratio {
  return ratio(BigInt(points) * pointValue.num, pointValue.den * POINT_SCALE);
}

/** Point value per whole point from a value in fen and a number of points (both exact). */
export function pointValueOf(valueFen: Ratio, points: Points | bigint): Ratio {
  const p = BigInt(points);
  if (p === 0n) throw new RangeError('no points to value');
  return ratio(valueFen.num * POINT_SCALE, valueFen.den * p);
}

/** A point value shown as yuan per point with `places` decimals, e.g. "12.3456". */
export function formatPointValue(pointValue: Ratio, places = 6): string {
  return formatRatio(ratio(pointValue.num, pointValue.den * 100n), places);
}

/** A fen amount as an exact ratio. */
export function fenRatio(fen: Fen): Ratio {
  return ratio(BigInt(fen));
}
