/**
 * Hospital DRG indicators (DRG 绩效评价指标), per institution and per department. Domain brief, CHS-DRG:
 * "number of DRGs, case-mix index (CMI = mean RW), time-consumption index and cost-consumption index (a hospital's
 *  LOS and cost against the regional mean per DRG, weighted), low-risk group mortality."
 *
 * Definitions used:
 * - CMI = Σ RW of grouped cases ÷ grouped cases.
 * - Time (cost) consumption index = Σ_d n_d × (hospital's mean LOS (cost) in d ÷ region's mean LOS (cost) in d) ÷ Σ n_d.
 *   Both average 1 over the region.
 * - Low-risk DRGs (低风险组): the z-score of ln mortality over the DRGs with a death below −1 (DRGs without a death
 *   are not rated; see payment/common/low-risk.ts); low-risk mortality = deaths ÷ cases in those DRGs.
 * These are statistics (floats), never ledger amounts.
 */
import { lowRiskGroups } from '../common/low-risk.ts';
import type { DrgCase, DrgWeightTable } from './types.ts';

export interface DrgIndicators {
  key: string;
  cases: number;
  groupedCases: number;
  drgCount: number;
  cmi: number;
  timeIndex: number;
  costIndex: number;
  lowRiskCases: number;
  lowRiskDeaths: number;
  lowRiskMortality: number | null;
}

interface Agg {
  n: number;
  los: number;
  cost: number;
  deaths: number;
}

const add = (m: Map<string, Agg>, k: string, c: DrgCase) => {
  let a = m.get(k);
  if (!a) {
    a = { n: 0, los: 0, cost: 0, deaths: 0 };
    m.set(k, a);
  }
  a.n++;
  a.los += c.losDays;
  a.cost += c.cost;
  if (c.died) a.deaths++;
};

/** Low-risk DRGs: z-score of ln mortality below −1 over the DRGs with a death (payment/common/low-risk.ts). */
export function lowRiskDrgs(cases: readonly DrgCase[]): Set<string> {
  const region = new Map<string, { cases: number; deaths: number }>();
  for (const c of cases) {
    if (!c.drg) continue;
    const g = region.get(c.drg) ?? { cases: 0, deaths: 0 };
    g.cases++;
    if (c.died) g.deaths++;
    region.set(c.drg, g);
  }
  return lowRiskGroups(region);
}

/**
 * The indicators as an accumulator: add grouped cases batch by batch (a year streams through it), then read the
 * indicators per key (institution code by default, or e.g. `${institution}/${department}`). Only per-DRG sums
 * are kept, never the cases.
 */
export class DrgIndicatorAccumulator {
  private readonly region = new Map<string, Agg>();
  private readonly byKey = new Map<string, { all: number; cells: Map<string, Agg> }>();

  constructor(private readonly keyOf: (c: DrgCase) => string = (c) => c.institutionCode) {}

  add(cases: readonly DrgCase[]): this {
    for (const c of cases) {
      if (c.drg) add(this.region, c.drg, c);
      const k = this.keyOf(c);
      let e = this.byKey.get(k);
      if (!e) {
        e = { all: 0, cells: new Map() };
        this.byKey.set(k, e);
      }
      e.all++;
      if (c.drg) add(e.cells, c.drg, c);
    }
    return this;
  }

  result(table: DrgWeightTable): DrgIndicators[] {
    const region = this.region;
    const lowRisk = lowRiskGroups(new Map([...region].map(([d, a]) => [d, { cases: a.n, deaths: a.deaths }] as const)));
    return [...this.byKey]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, e]) => indicatorsOf(key, e, region, lowRisk, table));
  }
}

/** Indicators per key (institution code by default, or e.g. `${institution}/${department}`). */
export function drgIndicators(
  cases: readonly DrgCase[],
  table: DrgWeightTable,
  keyOf: (c: DrgCase) => string = (c) => c.institutionCode,
): DrgIndicators[] {
  return new DrgIndicatorAccumulator(keyOf).add(cases).result(table);
}

function indicatorsOf(
  key: string,
  e: { all: number; cells: Map<string, Agg> },
  region: ReadonlyMap<string, Agg>,
  lowRisk: ReadonlySet<string>,
  table: DrgWeightTable,
): DrgIndicators {
  let grouped = 0;
  let rwSum = 0;
  let rwCases = 0;
  let timeSum = 0;
  let costSum = 0;
  let lrCases = 0;
  let lrDeaths = 0;
  for (const [drg, a] of e.cells) {
    const r = region.get(drg)!;
    grouped += a.n;
    const w = table.weights.get(drg);
    if (w) {
      rwSum += (Number(w.rw.num) / Number(w.rw.den)) * a.n;
      rwCases += a.n;
    }
    timeSum += r.los > 0 ? (a.los / a.n / (r.los / r.n)) * a.n : a.n;
    costSum += r.cost > 0 ? (a.cost / a.n / (r.cost / r.n)) * a.n : a.n;
    if (lowRisk.has(drg)) {
      lrCases += a.n;
      lrDeaths += a.deaths;
    }
  }
  return {
    key,
    cases: e.all,
    groupedCases: grouped,
    drgCount: e.cells.size,
    cmi: rwCases > 0 ? rwSum / rwCases : 0,
    timeIndex: grouped > 0 ? timeSum / grouped : 0,
    costIndex: grouped > 0 ? costSum / grouped : 0,
    lowRiskCases: lrCases,
    lowRiskDeaths: lrDeaths,
    lowRiskMortality: lrCases > 0 ? lrDeaths / lrCases : null,
  };
}
