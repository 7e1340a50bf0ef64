/**
 * Relative weights from history (权重测算). Domain brief, CHS-DRG: "Relative weight RW = the DRG's mean cost ÷ mean
 * cost of all cases (trimmed)". Years are weighted (e.g. 1:2:7, oldest first) and each DRG's costs are trimmed at
 * the policy's percentiles before the means are taken.
 *
 * Exactness: the weighted means are exact rationals of fen; RW is rounded half-up to `decimals`; meanCost is rounded
 * half-up to the fen. Statistics (CV) are floats: they never enter a ledger.
 */
import { divRound, type Fen, type Ratio, ratio } from '../../model/money.ts';
import type { DrgWeight, DrgWeightTable } from './types.ts';

export interface HistoryCase {
  drg: string | null;
  year: number;
  cost: Fen;
}

export interface CalibrationParams {
  trimLow: Ratio;
  trimHigh: Ratio;
  decimals: number;
  /** Weights of the history years, oldest first; the last applies to the latest year. */
  yearWeights: number[];
  minCases: number;
}

interface Acc {
  costs: number[];
  years: number[];
}

/** Keep the costs between the trimLow and trimHigh percentiles (nearest-rank, inclusive). */
function trimIndexes(sortedCount: number, low: Ratio, high: Ratio): [number, number] {
  if (sortedCount === 0) return [0, -1];
  const lo = Number(divRound(BigInt(sortedCount) * low.num, low.den, 'floor'));
  const hiRank = Number(divRound(BigInt(sortedCount) * high.num, high.den, 'ceil'));
  return [Math.min(lo, sortedCount - 1), Math.max(Math.min(hiRank, sortedCount) - 1, lo)];
}

export function calibrateWeights(
  history: readonly HistoryCase[],
  p: CalibrationParams,
  source: string,
): DrgWeightTable {
  const years = [...new Set(history.map((h) => h.year))].sort((a, b) => a - b);
  const yw = new Map<number, bigint>();
  // The last weight applies to the latest year, the one before to the year before, …
  years.forEach((y, i) => {
    const w = p.yearWeights[p.yearWeights.length - (years.length - i)];
    yw.set(y, BigInt(w ?? 0));
  });
  const byDrg = new Map<string, Acc>();
  for (const h of history) {
    if (!h.drg) continue;
    let a = byDrg.get(h.drg);
    if (!a) {
      a = { costs: [], years: [] };
      byDrg.set(h.drg, a);
    }
    a.costs.push(h.cost);
    a.years.push(h.year);
  }
  // Trimmed, year-weighted sums per DRG, and over all kept cases for the overall mean.
  const kept = new Map<string, { sum: bigint; weight: bigint; n: number; costs: number[] }>();
  let allSum = 0n;
  let allWeight = 0n;
  for (const [drg, a] of [...byDrg].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const idx = a.costs.map((_, i) => i).sort((i, j) => a.costs[i]! - a.costs[j]! || a.years[i]! - a.years[j]!);
    const [lo, hi] = trimIndexes(idx.length, p.trimLow, p.trimHigh);
    let sum = 0n;
    let weight = 0n;
    const costs: number[] = [];
    for (let k = lo; k <= hi; k++) {
      const i = idx[k]!;
      const w = yw.get(a.years[i]!) ?? 0n;
      sum += BigInt(a.costs[i]!) * w;
      weight += w;
      costs.push(a.costs[i]!);
    }
    if (weight === 0n) continue;
    allSum += sum;
    allWeight += weight;
    kept.set(drg, { sum, weight, n: costs.length, costs });
  }
  if (allWeight === 0n) throw new RangeError('no history cases with a DRG to calibrate weights from');
  const overall = ratio(allSum, allWeight);
  const scale = 10n ** BigInt(p.decimals);
  const weights = new Map<string, DrgWeight>();
  for (const [drg, k] of kept) {
    if (k.n < p.minCases) continue;
    // RW = (sum/weight) ÷ (allSum/allWeight), rounded half-up to `decimals`.
    const rwScaled = divRound(k.sum * overall.den * scale, k.weight * overall.num, 'half-up');
    const mean = k.costs.reduce((s, c) => s + c, 0) / k.n;
    const sd = Math.sqrt(k.costs.reduce((s, c) => s + (c - mean) ** 2, 0) / k.n);
    weights.set(drg, {
      drg,
      rw: ratio(rwScaled, scale),
      meanCost: Number(divRound(k.sum, k.weight, 'half-up')),
      cases: k.n,
      cv: mean > 0 ? sd / mean : 0,
    });
  }
  return { source, weights, overallMean: Number(divRound(overall.num, overall.den, 'half-up')) };
}
