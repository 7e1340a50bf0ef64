/**
 * Low-risk groups and low-risk mortality (低风险组病例死亡率), as the national DRG performance indicator defines
 * them: each group's in-hospital mortality M_g = deaths ÷ cases; x_g = ln M_g; z_g = (x_g − mean x) ÷ sd x over the
 * groups rated (population sd); a group with z_g < −1 is low-risk (低风险组). Low-risk mortality = deaths in
 * low-risk groups ÷ cases in low-risk groups.
 *
 * Groups without a death in the reference cases have no logarithm and are not rated (they are neither low-risk nor
 * counted in the indicator); with fewer than two rated groups, or all rated groups at the same mortality, no group
 * is low-risk. Mortality on the raw scale is skewed (most groups near 0, a few high), so a z-score of the raw rates
 * almost never falls below −1 — which is why the indicator came out blank before; the logarithm fixes that.
 * Statistics (floats), never ledger amounts.
 */

export interface GroupDeaths {
  cases: number;
  deaths: number;
}

/** The low-risk groups among `groups` (group → cases and deaths in the reference population). */
export function lowRiskGroups(groups: ReadonlyMap<string, GroupDeaths>): Set<string> {
  const rated = [...groups].filter(([, g]) => g.cases > 0 && g.deaths > 0);
  if (rated.length < 2) return new Set();
  const x = rated.map(([, g]) => Math.log(g.deaths / g.cases));
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
  if (!(sd > 0)) return new Set();
  return new Set(rated.filter((_, i) => (x[i]! - mean) / sd < -1).map(([code]) => code));
}

/** deaths ÷ cases in the low-risk groups, null without a case in them. */
export function lowRiskMortality(cases: number, deaths: number): number | null {
  return cases > 0 ? deaths / cases : null;
}
