/** Exact integer arithmetic shared by the rules; the SQL adapter writes the same formulas over HUGEINT. */
import type { Ratio } from '../model/money.ts';

/** round_half_up(a × b / c) for a, b ≥ 0 and c > 0, exactly (named rule: 四舍五入到分). */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const n = 2n * BigInt(a) * BigInt(b) + BigInt(c);
  return Number(n / (2n * BigInt(c)));
}

/** a ≤ b × r, exactly. */
export function atMost(a: number, b: number, r: Ratio): boolean {
  return BigInt(a) * r.den <= BigInt(b) * r.num;
}

/** a × x ≥ b × y × r, exactly (shares compared without division). */
export function shareAtLeast(a: number, x: number, b: number, y: number, r: Ratio): boolean {
  return BigInt(a) * BigInt(x) * r.den >= BigInt(b) * BigInt(y) * r.num;
}

/** Per-mille share (‰), half up, for evidence: 1000 × part / whole. */
export function permille(part: number, whole: number): number {
  return whole <= 0 ? 0 : mulDivHalfUp(part, 1000, whole);
}
