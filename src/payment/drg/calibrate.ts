/**
 * Relative weights from history (权重测算). Domain brief, CHS-DRG: "Relative weight RW = the DRG's mean cost ÷ mean
 * cost of all cases (trimmed)". Years are weighted (e.g. 1:2:7, oldest first) and each DRG's costs are trimmed at
 * the policy's percentiles before the means are taken.
 *
 * Exactness: the weighted means are exact rationals of fen; RW is rounded half-up to `decimals`; meanCost is rounded
 * half-up to the fen. Statistics (CV) are floats: they never enter a ledger.
 */
import { divRound, type Fen, type Ratio, ratio } from '../../model/money.ts';
import { SettlementError } from '../../settlement/errors.ts';
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

/**
 * The calendar year of each weight: the last weight is the year before `settlementYear`, the one before it the
 * year before that, … (e.g. 2025 with 1:2:7 → 2022: 1, 2023: 2, 2024: 7). Weighting by calendar year, never by the
 * position of the years that happen to have cases.
 */
export function historyYearWeights(settlementYear: number, yearWeights: readonly number[]): Map<number, number> {
  const n = yearWeights.length;
  return new Map(yearWeights.map((w, i) => [settlementYear - n + i, w] as const));
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
  /** The year being settled: history years are weighted by calendar year (`historyYearWeights`). */
  settlementYear: number,
): DrgWeightTable {
  const yw = new Map<number, bigint>();
  const present = new Set(history.map((h) => h.year));
  const byYear = historyYearWeights(settlementYear, p.yearWeights);
  const missing = [...byYear].filter(([y, w]) => w > 0 && !present.has(y)).map(([y]) => y);
  if (missing.length > 0) {
    throw new SettlementError(
      'HISTORY_YEAR_MISSING',
      `权重测算的历史年度 ${missing.join('、')} 没有病例：请导入这些年度的结算清单，或在 DRG 政策 rwCalibration.yearWeights 中把这些年度的权重设为 0（年度按 ${[...byYear.keys()].join('、')} 依次对应 ${p.yearWeights.join(':')}）`,
      `history year(s) ${missing.join(', ')} have no cases to calibrate weights: ingest their settlement lists, or give those years weight 0 in the DRG policy's rwCalibration.yearWeights (the weights ${p.yearWeights.join(':')} are the years ${[...byYear.keys()].join(', ')})`,
    );
  }
  for (const [y, w] of byYear) yw.set(y, BigInt(w));
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
  if (allWeight === 0n) {
    // Grouped history cases only in years of weight 0 (the weighted years' cases all ungrouped).
    const weighted = [...byYear].filter(([, w]) => w > 0).map(([y]) => y);
    throw new SettlementError(
      'DRG_NO_WEIGHTED_GROUPED_HISTORY',
      `权重测算的历史年度 ${weighted.join('、')}（DRG 政策 rwCalibration.yearWeights 中权重大于 0 的年度）没有一例入组病例，无法测算 DRG 权重：请核对这些年度的诊断与手术操作编码，或调整 yearWeights`,
      `the history year(s) ${weighted.join(', ')} (the years with a weight above 0 in the DRG policy's rwCalibration.yearWeights) have no case with a DRG to calibrate the DRG weights from: check those years' diagnosis and procedure codes, or change yearWeights`,
    );
  }
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
      meanCostExact: ratio(k.sum, k.weight),
      cases: k.n,
      cv: mean > 0 ? sd / mean : 0,
    });
  }
  if (weights.size === 0) throw noDrgReachesMinCases(kept, p.minCases);
  return { source, weights, overallMean: Number(divRound(overall.num, overall.den, 'half-up')) };
}

/**
 * Not one DRG has `minCases` history cases (after trimming), so no DRG gets a weight and nothing can be priced; the
 * opening point value failed later with "no history points" and an empty year list (walk3 #3). Say so, with the
 * largest DRG's count.
 */
function noDrgReachesMinCases(kept: ReadonlyMap<string, { n: number }>, minCases: number): SettlementError {
  let top: [string, number] = ['', 0];
  for (const [drg, k] of kept) if (k.n > top[1]) top = [drg, k.n];
  return new SettlementError(
    'DRG_NO_WEIGHT_REACHES_MIN_CASES',
    `没有一个病组的历史病例数达到 DRG 政策 rwCalibration.minCases（${minCases} 例），无法测算任何病组的权重（${kept.size} 个病组有历史病例，最多的病组 ${top[0]} 有 ${top[1]} 例，已按 trimLow/trimHigh 截尾）：请导入更多历史年度的结算清单，或调低 minCases，或在 weights 中改用公布的权重表（{ method: file, file: 权重表.csv, referenceBaseRate: 元 }）`,
    `no DRG has the DRG policy's rwCalibration.minCases (${minCases}) history cases, so no DRG gets a weight (${kept.size} DRG(s) have history cases, the largest, ${top[0]}, has ${top[1]} after trimming at trimLow/trimHigh): ingest more history years, lower minCases, or use a published weight table in weights ({ method: file, file: weights.csv, referenceBaseRate: yuan })`,
  );
}
