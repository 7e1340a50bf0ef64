/**
 * What the indicator queries of both back-ends share (`duckdb-indicators.ts`, `clickhouse-year.ts`): the rule
 * parameters the SQL needs, and the mapping of its rows to institution-years with the growth rates of the year.
 */
import type { IndicatorName, InstitutionYear } from '../indicators.ts';
import type { RuleBase } from '../rule-base.ts';

/** The diagnosis lists and the high-weight factor the indicator SQL needs (first rule of each detector). */
export function listParams(base: RuleBase): {
  mcc: string | null;
  low: { list: string; maxLos: number } | null;
  highWeight: number | null;
} {
  let mcc: string | null = null;
  let low: { list: string; maxLos: number } | null = null;
  let highWeight: number | null = null;
  for (const r of base.rules) {
    if (!('detector' in r.logic)) continue;
    if (r.logic.detector === 'upcoding-share' && !mcc) mcc = r.logic.params.list;
    if (r.logic.detector === 'high-weight-share' && highWeight === null) {
      highWeight = Number(r.logic.params.factor.num) / Number(r.logic.params.factor.den);
    }
    if (r.logic.detector === 'low-standard-share' && !low) {
      low = { list: r.logic.params.list, maxLos: r.logic.params.maxLosDays };
    }
  }
  return { mcc, low, highWeight };
}

/** Rows of the indicator query → institution-years, with the growth rates of `year` (shared with DuckDB). */
export function institutionYearsOf(
  rows: readonly Record<string, unknown>[],
  o: { mcc: string | null; low: unknown; withHighWeight: boolean; days: readonly number[] },
  year: number,
): { current: InstitutionYear[]; previous: InstitutionYear[] } {
  const dbl = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
  const toYear = (x: Record<string, unknown>): InstitutionYear => {
    const values: Partial<Record<IndicatorName, number>> = {};
    const set = (k: IndicatorName, v: unknown) => {
      const d = dbl(v);
      if (d !== undefined && Number.isFinite(d)) values[k] = d;
    };
    for (const d of o.days) {
      if (d === 14 || d === 15 || d === 31) set(`readmit${d}` as IndicatorName, x[`readmit${d}`]);
    }
    set('costPerCase', x.cost_per_case);
    set('outOfCatalogShare', x.own_share);
    set('outOfPocketShare', x.oop_share);
    set('drugShare', x.drug_share);
    set('consumableShare', x.mcs_share);
    set('referralRate', x.referral);
    if (o.mcc) set('mccShare', x.mcc_share);
    if (o.low) set('lowStandardShare', x.low_share);
    set('cmi', x.cmi);
    set('groupCostGrowth', x.group_growth);
    set('visitsPerEnrollee', x.visits_per_enrollee);
    set('costPerVisit', x.cost_per_visit);
    set('qcFailureRate', x.qc_failure);
    if (o.withHighWeight) set('highWeightShare', x.high_weight);
    return {
      institutionCode: String(x.inst),
      level: String(x.level),
      type: String(x.type),
      year: Number(x.y),
      cases: Number(x.cases),
      values,
    };
  };
  const all = rows.map(toYear);
  const previous = all.filter((i) => i.year === year - 1);
  const current = all.filter((i) => i.year === year);
  const before = new Map(previous.map((p) => [p.institutionCode, p.values]));
  const growth = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? undefined : a / b - 1;
  for (const c of current) {
    const p = before.get(c.institutionCode);
    if (!p) continue;
    const g: [IndicatorName, number | undefined][] = [
      ['costPerCaseGrowth', growth(c.values.costPerCase, p.costPerCase)],
      ['cmiGrowth', growth(c.values.cmi, p.cmi)],
      ['visitsGrowth', growth(c.values.visitsPerEnrollee, p.visitsPerEnrollee)],
      ['costPerVisitGrowth', growth(c.values.costPerVisit, p.costPerVisit)],
      ['referralGrowth', growth(c.values.referralRate, p.referralRate)],
    ];
    for (const [k, v] of g) if (v !== undefined && Number.isFinite(v)) c.values[k] = v;
  }
  return { current, previous };
}
