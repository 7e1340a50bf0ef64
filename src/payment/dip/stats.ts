/**
 * Statistics of calibration: trimming by quantiles, year-weighted means (exact), coefficient of variation.
 *
 * DIP 技术规范: "剔除费用 2.5% 以下及 97.5% 以上的异常值后……按 1:2:7 的比例对前三年数据加权计算病种次均费用". (R-DIP-2)
 */
import { addRatios, mulRatios, type Ratio, ratio, ZERO } from '../../model/money.ts';

/**
 * The kept slice [start, end) of `n` sorted values after trimming the lowest floor(n × low) and the highest
 * floor(n × (1 − high)) values. `low`/`high` are shares (0.025, 0.975).
 */
export function trimRange(n: number, low: Ratio, high: Ratio): [number, number] {
  const cutLow = Number((BigInt(n) * low.num) / low.den);
  const cutHigh = Number((BigInt(n) * (high.den - high.num)) / high.den);
  const start = Math.min(cutLow, n);
  const end = Math.max(start, n - cutHigh);
  return [start, end];
}

/** Sum and count of one year. */
export interface YearSum {
  sum: number;
  n: number;
}

/**
 * Year-weighted mean: Σ_y w_y × (sum_y ÷ n_y) ÷ Σ_y w_y over the years that have cases (weights re-normalised when
 * a year is missing). Exact ratio; null when no year has cases.
 */
export function weightedMean(years: readonly (YearSum | undefined)[], weights: readonly Ratio[]): Ratio | null {
  let total = ZERO;
  let wsum = ZERO;
  years.forEach((y, i) => {
    if (!y || y.n === 0) return;
    const w = weights[i]!;
    total = addRatios(total, mulRatios(w, ratio(BigInt(y.sum), BigInt(y.n))));
    wsum = addRatios(wsum, w);
  });
  if (wsum.num === 0n) return null;
  return ratio(total.num * wsum.den, total.den * wsum.num);
}

/** Coefficient of variation (population standard deviation ÷ mean) of a slice, 4 decimals; statistics only. */
export function coefficientOfVariation(values: ArrayLike<number>, start = 0, end = values.length): number | null {
  const cv = populationCv(values, start, end);
  return cv === null ? null : Math.round(cv * 10_000) / 10_000;
}

/** Population standard deviation ÷ mean of a slice, unrounded (null when empty or the mean is 0). */
export function populationCv(values: ArrayLike<number>, start = 0, end = values.length): number | null {
  const n = end - start;
  if (n <= 0) return null;
  let s = 0;
  for (let i = start; i < end; i++) s += values[i]!;
  const mean = s / n;
  if (mean === 0) return null;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = values[i]! - mean;
    v += d * d;
  }
  return Math.sqrt(v / n) / mean;
}
