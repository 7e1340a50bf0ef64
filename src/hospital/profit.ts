/**
 * Profit and loss and indicators of a hospital's cases (病组、科室、医师盈亏与绩效指标), from the case estimates:
 * by institution, institution × group, institution × department and institution × doctor — cases, total medical
 * cost, expected payment, profit or loss (payment − cost), deviating cases and their share; CMI (DRG: mean RW) or
 * the average points per case (DIP); time and cost consumption indices; low-risk mortality (mortality.ts).
 *
 * Consumption indices (domain "Indicators"): index = Σ_g n_g × (line's mean in g ÷ reference mean in g) ÷ Σ n_g over
 * the line's grouped cases. The cost reference of a group is its published mean cost (DRG weights, DIP catalog)
 * when there is one, else the mean over the cases given; the time reference is the mean stay over the cases given
 * (no stay is published). With only a hospital's cases, the time index compares its departments and doctors
 * with the hospital itself. A line that holds every case of each of its groups (a group line, or the hospital line,
 * of a file of one hospital) against a reference taken from those same cases has the index 1 by definition: it is
 * left blank (null) rather than shown as a finding. Money is integer fen; indices and shares are floats (statistics).
 */
import { departmentName } from '../codes/departments.ts';
import type { Fen } from '../model/money.ts';
import { ratioToNumber } from '../model/money.ts';
import { type GroupDeaths, lowRiskGroups, lowRiskMortality } from './mortality.ts';
import type { CaseEstimate, HospitalParams } from './types.ts';

export type Dimension = 'institution' | 'group' | 'department' | 'doctor';

export interface ProfitLine {
  dimension: Dimension;
  institutionCode: string;
  /** Group, department or doctor code ('' for the institution line). */
  code: string;
  name: string;
  cases: number;
  groupedCases: number;
  cost: Fen;
  payment: Fen;
  fund: Fen;
  profit: Fen;
  lowCost: number;
  highCost: number;
  ungrouped: number;
  deviatingShare: number;
  /** DRG: mean RW of cases with a weight; null under DIP or when no case of the line has one. */
  cmi: number | null;
  /**
   * DIP: mean points per grouped case (次均点数) — claimed points, and for a low-cost case paid its cost the points
   * that cost is worth (`costPaidPoints`); ungrouped cases are outside it (no group). Null under DRG or when the line
   * has no grouped case.
   */
  averagePoints: number | null;
  timeIndex: number | null;
  costIndex: number | null;
  deaths: number;
  lowRiskCases: number;
  lowRiskDeaths: number;
  lowRiskMortality: number | null;
}

export interface HospitalBook {
  method: 'dip' | 'drg';
  institutions: ProfitLine[];
  groups: ProfitLine[];
  departments: ProfitLine[];
  doctors: ProfitLine[];
  lowRisk: { groups: string[]; source: 'published' | 'cases'; note: string };
  costReference: string;
  /**
   * What the consumption indices are measured against: cost — the groups with a published mean cost (of `groups`),
   * the rest by the mean of the cases given; time — always the mean stay of the cases given (none is published).
   */
  references: { costPublished: number; groups: number; time: 'cases' };
}

interface Cell {
  n: number;
  los: number;
  cost: number;
}

class Acc {
  cases = 0;
  grouped = 0;
  cost = 0;
  payment = 0;
  fund = 0;
  low = 0;
  high = 0;
  ungrouped = 0;
  deaths = 0;
  points = 0;
  /** Grouped cases of the case method (DIP / DRG): what points per case are averaged over. */
  pointCases = 0;
  rw = 0;
  rwCases = 0;
  lrCases = 0;
  lrDeaths = 0;
  name = '';
  readonly cells = new Map<string, Cell>();

  add(e: CaseEstimate, lowRisk: ReadonlySet<string>): void {
    this.cases++;
    this.cost += e.cost;
    this.payment += e.expectedPayment ?? 0;
    this.fund += e.expectedFund ?? 0;
    if (e.position === 'low-cost') this.low++;
    else if (e.position === 'high-cost') this.high++;
    else if (e.position === 'ungrouped') this.ungrouped++;
    if (e.died) this.deaths++;
    if (!e.group) return;
    this.grouped++;
    // Points per case are DIP's (and CMI DRG's): a carved-out case (per-bed-day, single-disease) stays out of them,
    // as in the P&L of a run. A case paid its cost (costPaidCases: year-end) counts with the points that cost is
    // worth, not as 0.
    if (e.method === 'dip' || e.method === 'drg') {
      this.pointCases++;
      this.points += e.points ?? e.costPaidPoints ?? 0;
    }
    if (e.weight) {
      this.rw += ratioToNumber(e.weight);
      this.rwCases++;
    }
    if (lowRisk.has(e.group)) {
      this.lrCases++;
      if (e.died) this.lrDeaths++;
    }
    let c = this.cells.get(e.group);
    if (!c) {
      c = { n: 0, los: 0, cost: 0 };
      this.cells.set(e.group, c);
    }
    c.n++;
    c.los += e.losDays;
    c.cost += e.cost;
  }
}

/** The reference mean cost of a group as published (DRG weights, DIP catalog), or null. */
export function publishedMeanCost(params: HospitalParams): (group: string) => Fen | null {
  const p = params.pricing;
  if (p.method === 'drg') return (g) => p.table.weights.get(g)?.meanCost ?? null;
  const byCode = new Map(p.engine.catalog.groups.map((g) => [g.code, g.meanCost] as const));
  return (g) => {
    const m = byCode.get(g);
    return m && m > 0 ? m : null;
  };
}

/** Build the book from the estimates of a hospital's cases (any order; lines sorted by institution and code). */
export function hospitalBook(estimates: readonly CaseEstimate[], params: HospitalParams): HospitalBook {
  const method = params.pricing.method;
  const region = new Map<string, Cell & GroupDeaths>();
  for (const e of estimates) {
    if (!e.group) continue;
    let r = region.get(e.group);
    if (!r) {
      r = { n: 0, los: 0, cost: 0, cases: 0, deaths: 0 };
      region.set(e.group, r);
    }
    r.n++;
    r.cases++;
    r.los += e.losDays;
    r.cost += e.cost;
    if (e.died) r.deaths++;
  }
  const published = params.lowRiskGroups;
  const lowRisk = published ? new Set(published.groups) : lowRiskGroups(region);
  const meanCost = publishedMeanCost(params);
  const costRef = new Map<string, number>();
  const timeRef = new Map<string, number>();
  let publishedRefs = 0;
  const publishedCost = new Set<string>();
  for (const [g, r] of region) {
    const pub = meanCost(g);
    if (pub !== null) {
      publishedRefs++;
      publishedCost.add(g);
    }
    costRef.set(g, pub ?? r.cost / r.n);
    timeRef.set(g, r.los / r.n);
  }
  const tables: Record<Dimension, Map<string, Acc>> = {
    institution: new Map(),
    group: new Map(),
    department: new Map(),
    doctor: new Map(),
  };
  const accOf = (d: Dimension, inst: string, code: string, name: string) => {
    const k = `${inst}\u0000${code}`;
    let a = tables[d].get(k);
    if (!a) {
      a = new Acc();
      a.name = name;
      tables[d].set(k, a);
    }
    if (!a.name && name) a.name = name;
    return a;
  };
  for (const e of estimates) {
    const inst = e.institutionCode;
    accOf('institution', inst, '', params.institutions.get(inst)?.name ?? '').add(e, lowRisk);
    accOf('group', inst, e.group ?? '', e.groupName ?? '').add(e, lowRisk);
    accOf('department', inst, e.department ?? '', departmentName(e.department ?? '')).add(e, lowRisk);
    accOf('doctor', inst, e.doctorCode ?? '', e.doctorName ?? '').add(e, lowRisk);
  }
  const lines = (d: Dimension): ProfitLine[] =>
    [...tables[d]]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, a]) => {
        const [institutionCode, code] = k.split('\u0000') as [string, string];
        let time = 0;
        let cost = 0;
        // Against its own cases only (every case of each of its groups is the line's): 1 by definition, not shown.
        let ownTime = a.cells.size > 0;
        let ownCost = a.cells.size > 0;
        for (const [g, c] of a.cells) {
          const tr = timeRef.get(g)!;
          const cr = costRef.get(g)!;
          time += tr > 0 ? c.los / tr : c.n;
          cost += cr > 0 ? c.cost / cr : c.n;
          const all = c.n === region.get(g)!.n;
          if (!all) ownTime = false;
          if (!all || publishedCost.has(g)) ownCost = false;
        }
        return {
          dimension: d,
          institutionCode,
          code,
          name: a.name,
          cases: a.cases,
          groupedCases: a.grouped,
          cost: a.cost,
          payment: a.payment,
          fund: a.fund,
          profit: a.payment - a.cost,
          lowCost: a.low,
          highCost: a.high,
          ungrouped: a.ungrouped,
          deviatingShare: a.cases > 0 ? (a.low + a.high) / a.cases : 0,
          // A line of ungrouped cases only has no mean (it showed 0, as if its cases were worth nothing): null, blank.
          cmi: method === 'drg' && a.rwCases > 0 ? a.rw / a.rwCases : null,
          averagePoints: method === 'dip' && a.pointCases > 0 ? a.points / a.pointCases / 10_000 : null,
          timeIndex: a.grouped > 0 && !ownTime ? time / a.grouped : null,
          costIndex: a.grouped > 0 && !ownCost ? cost / a.grouped : null,
          deaths: a.deaths,
          lowRiskCases: a.lrCases,
          lowRiskDeaths: a.lrDeaths,
          lowRiskMortality: lowRiskMortality(a.lrCases, a.lrDeaths),
        };
      });
  return {
    method,
    institutions: lines('institution'),
    groups: lines('group'),
    departments: lines('department'),
    doctors: lines('doctor'),
    lowRisk: {
      groups: [...lowRisk].sort(),
      source: published ? 'published' : 'cases',
      note: published ? published.source : 'computed from the cases given (ln mortality z < −1)',
    },
    costReference: `${publishedRefs} of ${region.size} groups by published mean cost, the rest by the cases' mean`,
    references: { costPublished: publishedRefs, groups: region.size, time: 'cases' },
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The `n` lines that lose most (most negative profit first; ties by institution and code). Only losses. */
export function mostLoss(lines: readonly ProfitLine[], n: number): ProfitLine[] {
  return lines
    .filter((l) => l.profit < 0)
    .sort((a, b) => a.profit - b.profit || byText(a.institutionCode, b.institutionCode) || byText(a.code, b.code))
    .slice(0, n);
}
