/**
 * Points (点数 / 分值) as exact integers of ten-thousandths of a point (4 decimals), so that totals over
 * millions of cases add up exactly. A case's points are rounded once, half-up, when they are computed.
 */
import { divRound, type Ratio, ratio } from './money.ts';

/** Integer count of 0.0001 points. 12.3456 points = 123456. */
export type Points = number;

export const POINT_SCALE = 10_000n;

/** Exact ratio → points, rounded half-up to 4 decimals. */
export function toPoints(r: Ratio): Points {
  return Number(divRound(r.num * POINT_SCALE, r.den, 'half-up'));
}

export function pointsToRatio(p: Points): Ratio {
  return ratio(BigInt(p), POINT_SCALE);
}

export function formatPoints(p: Points): string {
  const neg = p < 0;
  const s = String(Math.abs(p)).padStart(5, '0');
  return `${neg ? '-' : ''}${s.slice(0, -4)}.${s.slice(-4)}`;
}
