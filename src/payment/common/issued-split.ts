/**
 * How a largest-remainder split of one total over exact parts fell (`allocateProportional`, `roundOnceAndSplit`),
 * kept small enough to store with a run: the total, the exact sum of the parts, and the last part that took an odd
 * fen. From it one part's share is given again from that part alone (`shareOfSplit`), without the other parts —
 * what `explain` of one capitation or family-doctor head needs (issue 9).
 *
 * A part's quota is total × part ÷ sum; it gets the floor of it, plus one fen when it is among the first parts in
 * the order (remainder descending, then position ascending) that take the fen left over. That order is a total
 * order, so "at or before the last part that took a fen" decides it exactly.
 */
import { compareRatios, type Fen, type Ratio } from '../../model/money.ts';

export interface IssuedSplit {
  total: Fen;
  /** Σ of the exact parts (fen). */
  exact: Ratio;
  /** The last part (in the fen-giving order) that took an odd fen, by the fraction of its quota and its key; null when none did. */
  cutoff: { fraction: Ratio; key: string } | null;
}

/** floor and fractional part of total × part ÷ sum; null when the sum is 0. */
function quota(total: Fen, part: Ratio, sum: Ratio): { floor: bigint; fraction: Ratio } | null {
  if (sum.num === 0n) return null;
  const num = BigInt(total) * part.num * sum.den;
  const den = part.den * sum.num;
  return { floor: num / den, fraction: { num: num % den, den } };
}

/**
 * Describe a split as issued: `parts` with their keys in the split's order (keys ascending in that order), and
 * the amounts each got. Non-negative totals and parts only (as the capitation splits are).
 */
export function describeSplit(
  total: Fen,
  exact: Ratio,
  parts: readonly { key: string; exact: Ratio }[],
  amounts: readonly Fen[],
): IssuedSplit {
  let cutoff: IssuedSplit['cutoff'] = null;
  parts.forEach((p, i) => {
    const q = quota(total, p.exact, exact);
    if (!q || BigInt(amounts[i]!) === q.floor) return;
    // Among the parts that took a fen: the smallest fraction, and of equal fractions the last in order.
    if (!cutoff || compareRatios(q.fraction, cutoff.fraction) <= 0) cutoff = { fraction: q.fraction, key: p.key };
  });
  return { total, exact, cutoff };
}

/** The share of one part (`key` in the split's order) as the split gave it. */
export function shareOfSplit(split: IssuedSplit, key: string, part: Ratio): Fen {
  const q = quota(split.total, part, split.exact);
  if (!q) return 0;
  const c = split.cutoff;
  if (!c) return Number(q.floor);
  const cmp = compareRatios(q.fraction, c.fraction);
  const extra = cmp > 0 || (cmp === 0 && key <= c.key);
  return Number(q.floor) + (extra ? 1 : 0);
}
