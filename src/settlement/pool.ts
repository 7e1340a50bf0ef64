/**
 * A point pool (点数池) collects the `UnitResult`s of every method that is paid from one budget — DIP cases and
 * per-bed-day cases converted to points (R-DIP-4), outpatient and medical-community points (R-DIP-8) — and sums
 * them by institution, month and group. Units with status `excluded` belong to another method and are skipped.
 *
 * 002 四(七): "探索将门诊按人头、按项目，紧密型医共体总额付费转化为点数，与住院服务点数形成可比关系，实现统筹地区全区域点数法总额预算。"
 */
import type { Fen } from '../model/money.ts';
import type { MethodId, UnitResult } from '../payment/method.ts';
import type { Points } from '../payment/points.ts';

/** Sums over a set of units. `amount` sums fixed-amount claims (fen); `points` sums point claims. */
export interface UnitTotals {
  units: number;
  points: Points;
  amount: Fen;
  billed: Fen;
  patientPaid: Fen;
  /** Units by status. */
  byStatus: Record<string, number>;
}

const STATUSES: readonly UnitResult['status'][] = [
  'paid',
  'low-cost',
  'high-cost',
  'special-review',
  'ungrouped',
  'excluded',
  'fallback',
];

export function emptyTotals(): UnitTotals {
  return { units: 0, points: 0, amount: 0, billed: 0, patientPaid: 0, byStatus: {} };
}

function countingTotals(): UnitTotals {
  return { units: 0, points: 0, amount: 0, billed: 0, patientPaid: 0, byStatus: freshStatus() };
}

/** All statuses at zero, in a fixed order (a fixed-shape object is fast to count into); zeros are dropped later. */
function freshStatus(): Record<string, number> {
  const o: Record<string, number> = {};
  for (const s of STATUSES) o[s] = 0;
  return o;
}

function dropZeros(o: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (v !== 0) out[k] = v;
  return out;
}

export function addUnit(t: UnitTotals, u: UnitResult): void {
  t.units++;
  if (u.claim.kind === 'points') t.points += u.claim.points;
  else t.amount += u.claim.amount;
  t.billed += u.billed;
  t.patientPaid += u.patientPaid;
  t.byStatus[u.status] = (t.byStatus[u.status] ?? 0) + 1;
}

export interface PoolTotals {
  all: UnitTotals;
  /** institution code → totals of the period. */
  byInstitution: Map<string, UnitTotals>;
  /** month → institution code → totals. */
  byMonth: Map<string, Map<string, UnitTotals>>;
  /** `${method}\u0000${group}` → totals. */
  byGroup: Map<string, UnitTotals & { method: MethodId; group: string }>;
  /** Units left out because their status is `excluded` (paid by another method). */
  excluded: number;
}

function get<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

/** Sum the pool's units. Sums are exact integers; the order of `units` does not matter. */
export function sumPool(units: readonly UnitResult[]): PoolTotals {
  const all = countingTotals();
  const byInstitution = new Map<string, UnitTotals>();
  const byMonth = new Map<string, Map<string, UnitTotals>>();
  const byMethod = new Map<MethodId, Map<string, UnitTotals & { method: MethodId; group: string }>>();
  const newMonth = () => new Map<string, UnitTotals>();
  let excluded = 0;
  for (const u of units) {
    if (u.status === 'excluded') {
      excluded++;
      continue;
    }
    addUnit(all, u);
    addUnit(get(byInstitution, u.institutionCode, countingTotals), u);
    addUnit(get(get(byMonth, u.month, newMonth), u.institutionCode, countingTotals), u);
    const g = u.group ?? '';
    let groups = byMethod.get(u.method);
    if (groups === undefined) {
      groups = new Map();
      byMethod.set(u.method, groups);
    }
    let gt = groups.get(g);
    if (gt === undefined) {
      gt = { ...countingTotals(), method: u.method, group: g };
      groups.set(g, gt);
    }
    addUnit(gt, u);
  }
  const byGroup = new Map<string, UnitTotals & { method: MethodId; group: string }>();
  for (const [method, groups] of byMethod) for (const [g, t] of groups) byGroup.set(`${method}\u0000${g}`, t);
  const clean = (t: UnitTotals) => {
    t.byStatus = dropZeros(t.byStatus);
  };
  clean(all);
  for (const t of byInstitution.values()) clean(t);
  for (const m of byMonth.values()) for (const t of m.values()) clean(t);
  for (const t of byGroup.values()) clean(t);
  return { all, byInstitution, byMonth, byGroup, excluded };
}

/** Codes in a stable order (plain code-unit order), so allocations do not depend on input order. */
export function sortedCodes(codes: Iterable<string>): string[] {
  return [...new Set(codes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
