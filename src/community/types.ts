/**
 * The inputs of the medical-community engines, in one place, so that a settlement run's stored results plug in
 * (R-MC-2): the run writes one `UnitResult` per case or head (src/payment/method.ts); joined with the unit's
 * insurance fund it becomes a `MemberUnitRow`; `aggregateMemberMonths` sums those rows into the
 * `MemberMonthResult`s that the community's monthly settlement and year-end reconciliation read.
 */
import type { Fen } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import type { MethodId } from '../model/unit-result.ts';

export type Fund = 'employee' | 'resident';
export const FUNDS: readonly Fund[] = ['employee', 'resident'];

/**
 * One stored unit result of the run, reduced to what a community needs. `fundPaid` is what the method paid the
 * member from the fund for this unit once valued (points × the pool's point value × fund payment ratio, or the
 * fixed standard), in fen — the run's per-unit amount, not the item billing.
 */
export interface MemberUnitRow {
  institutionCode: string;
  /** YYYY-MM: the settlement month of the unit. */
  month: string;
  fund: Fund;
  method: MethodId;
  status: string;
  fundPaid: Fen;
  points: Points;
  billed: Fen;
  patientPaid: Fen;
}

/** Unit results per member per month (and per fund and method): the input of R-MC-2 and R-MC-3. */
export interface MemberMonthResult {
  institutionCode: string;
  month: string;
  fund: Fund;
  method: MethodId;
  units: number;
  fundPaid: Fen;
  points: Points;
  billed: Fen;
  patientPaid: Fen;
}

/**
 * Fund spending of the community's population outside its members (already paid by the fund to other
 * institutions): outside the county (县域外) or at in-county non-members (e.g. private hospitals).
 */
export interface PopulationSpending {
  fund: Fund;
  where: 'outside-county' | 'in-county-non-members';
  amount: Fen;
}

/** A separate volume-based-procurement surplus bonus claimed by a member (集采结余留用), refused under R-MC-3. */
export interface VbpBonusClaim {
  institutionCode: string;
  fund: Fund;
  amount: Fen;
}

/** Sum unit rows into member-month results; units with status `excluded` are paid by another method and skipped. */
export function aggregateMemberMonths(rows: Iterable<MemberUnitRow>): MemberMonthResult[] {
  const map = new Map<string, MemberMonthResult>();
  for (const r of rows) {
    if (r.status === 'excluded') continue;
    const key = `${r.institutionCode}\u0000${r.month}\u0000${r.fund}\u0000${r.method}`;
    let m = map.get(key);
    if (!m) {
      m = {
        institutionCode: r.institutionCode,
        month: r.month,
        fund: r.fund,
        method: r.method,
        units: 0,
        fundPaid: 0,
        points: 0,
        billed: 0,
        patientPaid: 0,
      };
      map.set(key, m);
    }
    m.units += 1;
    m.fundPaid += r.fundPaid;
    m.points += r.points;
    m.billed += r.billed;
    m.patientPaid += r.patientPaid;
  }
  return [...map.values()].sort(byMemberMonth);
}

export function byMemberMonth(a: MemberMonthResult, b: MemberMonthResult): number {
  const ka = `${a.month}\u0000${a.institutionCode}\u0000${a.fund}\u0000${a.method}`;
  const kb = `${b.month}\u0000${b.institutionCode}\u0000${b.fund}\u0000${b.method}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
