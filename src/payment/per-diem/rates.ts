/**
 * Daily rates (床日付费标准) by category × institution type × stage: written in policy, or calibrated from
 * history as the mean daily cost (日均费用 = Σ cost ÷ Σ bed-days) of past stays × a factor per stage.
 * R-PAY-BEDDAY.
 *
 * 资府办函〔2018〕52号 二(八): "按照不同疾病发生、发展、转归的规律，治疗各阶段的费用特征及医疗机构的类别，制定差别化支付标准。"
 *
 * Rounding: a calibrated stage rate = mean daily cost × stage factor, rounded half-up to the fen, once.
 */
import type { InpatientCase } from '../../model/case.ts';
import type { Institution, InstitutionType } from '../../model/institution.ts';
import { divRound, type Fen, type Ratio, ratio } from '../../model/money.ts';
import { indexBy } from '../common/index-by.ts';
import { byCode } from '../common/period.ts';
import { matchCategory, type PerDiemPolicy } from './categories.ts';

export interface DailyRate {
  category: string;
  institutionType: InstitutionType;
  /** One rate per stage (fen per bed-day). */
  stageRates: Fen[];
  basis: 'policy' | 'calibrated';
  source: string;
  /** For calibrated rates: the mean daily cost (fen/day, exact), the stays and bed-days behind it. */
  meanDailyCost?: Ratio;
  cases?: number;
  bedDays?: number;
}

/** Rates keyed by `${category}|${institutionType}`. */
export type RateTable = ReadonlyMap<string, DailyRate>;

export const rateKey = (category: string, type: InstitutionType): string => `${category}|${type}`;

/** Calibration gaps: a category × type with too few stays gets no rate (its stays are reported ungrouped). */
export interface RateGap {
  category: string;
  institutionType: InstitutionType;
  cases: number;
  minCases: number;
}

export interface RateTableResult {
  table: RateTable;
  gaps: RateGap[];
}

/**
 * The rate table in force: the policy's table, or one calibrated from `history` (past stays) with the policy's
 * stage factors. Stage counts must match the policy's stages (a loud error otherwise).
 */
export function buildRateTable(
  policy: PerDiemPolicy,
  history: readonly InpatientCase[] = [],
  institutions: readonly Institution[] = [],
): RateTableResult {
  const stages = policy.stages.value.length;
  const rates = policy.rates.value;
  const table = new Map<string, DailyRate>();
  if (rates.method === 'table') {
    for (const row of rates.table) {
      if (row.stageRates.length !== stages)
        throw new RangeError(
          `per-diem rate ${row.category}/${row.institutionType}: ${row.stageRates.length} stage rates for ${stages} stages / 分段标准个数与分段数不符`,
        );
      const key = rateKey(row.category, row.institutionType);
      if (table.has(key)) throw new RangeError(`per-diem rate ${key} is given twice / 床日标准重复`);
      table.set(key, { ...row, stageRates: [...row.stageRates], basis: 'policy', source: policy.rates.source });
    }
    return { table, gaps: [] };
  }
  const acc = rateAccumulator(policy, institutions);
  acc.add(history);
  return acc.finish();
}

/**
 * The calibrated rate table as an accumulator: past stays are added batch by batch and reduced at once to
 * cost and bed-day sums per category × institution type; `finish` prices them. A policy table ignores history.
 */
export interface RateAccumulator {
  add(batch: readonly InpatientCase[]): void;
  finish(): RateTableResult;
}

export function rateAccumulator(policy: PerDiemPolicy, institutions: readonly Institution[] = []): RateAccumulator {
  const rates = policy.rates.value;
  if (rates.method === 'table') return { add: () => {}, finish: () => buildRateTable(policy) };
  const stages = policy.stages.value.length;
  if (rates.stageFactors.length !== stages)
    throw new RangeError(
      `per-diem stage factors: ${rates.stageFactors.length} factors for ${stages} stages / 分段系数个数与分段数不符`,
    );
  const byCodeMap = indexBy(institutions, (i) => i.code, 'institution');
  const acc = new Map<string, { category: string; type: InstitutionType; cost: bigint; days: bigint; cases: number }>();
  const add = (history: readonly InpatientCase[]): void => {
    for (const c of history) {
      const inst = byCodeMap.get(c.institutionCode);
      const m = matchCategory(c, inst, policy.categories.value);
      if (m.kind !== 'match' || !inst || c.losDays <= 0) continue;
      const key = rateKey(m.category.code, inst.type);
      const a = acc.get(key) ?? { category: m.category.code, type: inst.type, cost: 0n, days: 0n, cases: 0 };
      a.cost += BigInt(c.totalCost);
      a.days += BigInt(c.losDays);
      a.cases++;
      acc.set(key, a);
    }
  };
  return { add, finish: () => priceRates(policy, acc) };
}

function priceRates(
  policy: PerDiemPolicy,
  acc: ReadonlyMap<string, { category: string; type: InstitutionType; cost: bigint; days: bigint; cases: number }>,
): RateTableResult {
  const rates = policy.rates.value;
  if (rates.method === 'table') throw new RangeError('per-diem: a policy table is not calibrated');
  const table = new Map<string, DailyRate>();
  const gaps: RateGap[] = [];
  for (const key of [...acc.keys()].sort(byCode)) {
    const a = acc.get(key)!;
    if (a.cases < rates.minCases) {
      gaps.push({ category: a.category, institutionType: a.type, cases: a.cases, minCases: rates.minCases });
      continue;
    }
    const mean = ratio(a.cost, a.days);
    table.set(key, {
      category: a.category,
      institutionType: a.type,
      stageRates: rates.stageFactors.map((f) => Number(divRound(mean.num * f.num, mean.den * f.den, 'half-up'))),
      basis: 'calibrated',
      source: policy.rates.source,
      meanDailyCost: mean,
      cases: a.cases,
      bedDays: Number(a.days),
    });
  }
  return { table, gaps };
}
