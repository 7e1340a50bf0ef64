/**
 * A point pool (点数池) collects the `UnitResult`s of every method that is paid from one budget — DIP cases and
 * per-bed-day cases converted to points (R-DIP-4), outpatient and medical-community points (R-DIP-8) — and sums
 * them by institution, month and group. Units with status `excluded` belong to another method and are skipped.
 *
 * 002 四(七): "探索将门诊按人头、按项目，紧密型医共体总额付费转化为点数，与住院服务点数形成可比关系，实现统筹地区全区域点数法总额预算。"
 */
import type { Fen } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import { claimAmount, claimPoints, type MethodId, type UnitResult } from '../model/unit-result.ts';
import { SettlementError } from './errors.ts';

/** Sums over a set of units. `amount` sums fixed-amount claims (fen); `points` sums point claims. */
export interface UnitTotals {
  units: number;
  points: Points;
  amount: Fen;
  billed: Fen;
  patientPaid: Fen;
  /** Units by status. */
  byStatus: Record<string, number>;
  /**
   * Special-review cases approved for payment by items (特例单议, a fixed amount, policy `specialReviewByItems: items`):
   * their amounts and patients' payments, included in `amount` and `patientPaid` (absent when none). The monthly
   * quota values the month's points; these are paid beside it (settlement/monthly.ts).
   */
  byItems?: { amount: Fen; patientPaid: Fen };
  /**
   * The cases the pool pays nothing for (`unpaidCase`: ungrouped, claiming nothing) among these units: their count,
   * cost and patients' payments, included in `units`, `billed` and `patientPaid` (absent when none). The settlement
   * policy's `unpaidCases` says whether their patients' payments are netted (settlement/monthly.ts, settle.ts).
   */
  unpaid?: UnpaidTotals;
  /**
   * Single-disease cases paid their fixed standard (按病种付费, method `single-disease`, status `paid`, an amount claim):
   * their count, standards, cost and patients' payments, included in `units`, `amount`, `billed` and `patientPaid`, and
   * `fund` = Σ max(0, standard − patient's payment) — what the fund pays for them under the settlement rule
   * `singleDiseaseFundShare: standard-less-patient` (absent when none).
   */
  singleDisease?: FixedStandardTotals;
}

export interface FixedStandardTotals {
  units: number;
  amount: Fen;
  billed: Fen;
  patientPaid: Fen;
  /** Σ max(0, standard − patient's payment), fen. */
  fund: Fen;
}

/** A single-disease case paid its fixed standard (not a fallback to another method's claim). */
export function singleDiseaseStandard(u: UnitResult): boolean {
  return u.method === 'single-disease' && u.status === 'paid' && u.claim.kind === 'amount';
}

function addStandard(t: FixedStandardTotals, u: UnitResult): void {
  const amount = claimAmount(u.claim);
  t.units++;
  t.amount += amount;
  t.billed += u.billed;
  t.patientPaid += u.patientPaid;
  t.fund += Math.max(0, amount - u.patientPaid);
}

export interface UnpaidTotals {
  units: number;
  billed: Fen;
  patientPaid: Fen;
}

/**
 * A case the pool pays nothing for: ungrouped (未入组) and claiming neither points nor an amount — DIP `ungrouped:
 * unpaid`, DRG `ungrouped: hold`. A case paid at cost or at a discount claims a value and is not one.
 */
export function unpaidCase(u: UnitResult): boolean {
  return u.status === 'ungrouped' && claimPoints(u.claim) === 0 && claimAmount(u.claim) === 0;
}

/** What of these totals the settlement nets: all, or (`outside`) all but the unpaid cases' billing and payments. */
export function nettedTotals(t: UnitTotals, unpaidOutside: boolean): { billed: Fen; patientPaid: Fen } {
  if (!unpaidOutside || !t.unpaid) return { billed: t.billed, patientPaid: t.patientPaid };
  return { billed: t.billed - t.unpaid.billed, patientPaid: t.patientPaid - t.unpaid.patientPaid };
}

/** A special-review case paid by items (a fixed amount under status `special-review`). */
function byItems(u: UnitResult): boolean {
  return u.status === 'special-review' && u.claim.kind === 'amount';
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

export function addUnit(t: UnitTotals, u: UnitResult): void {
  t.units++;
  t.points += claimPoints(u.claim);
  t.amount += claimAmount(u.claim);
  t.billed += u.billed;
  t.patientPaid += u.patientPaid;
  t.byStatus[u.status] = (t.byStatus[u.status] ?? 0) + 1;
  if (byItems(u) && u.claim.kind === 'amount') {
    t.byItems ??= { amount: 0, patientPaid: 0 };
    t.byItems.amount += u.claim.amount;
    t.byItems.patientPaid += u.patientPaid;
  }
  if (singleDiseaseStandard(u)) {
    t.singleDisease ??= { units: 0, amount: 0, billed: 0, patientPaid: 0, fund: 0 };
    addStandard(t.singleDisease, u);
  }
  if (unpaidCase(u)) {
    t.unpaid ??= { units: 0, billed: 0, patientPaid: 0 };
    t.unpaid.units++;
    t.unpaid.billed += u.billed;
    t.unpaid.patientPaid += u.patientPaid;
  }
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
  /** The special-review cases (特例单议, status `special-review`) of the pool: their points and amounts by items. */
  specialReview?: UnitTotals;
  /** The ungrouped cases (未入组, status `ungrouped`) of the pool, of any method: their cost and what they claim. */
  ungrouped?: UnitTotals;
  /** The same by institution code (only institutions with ungrouped cases). */
  ungroupedByInstitution?: Map<string, UnitTotals>;
}

/** Column accumulators: one slot per institution, (month, institution) pair or group. */
class Acc {
  units: number[] = [];
  points: number[] = [];
  amount: number[] = [];
  billed: number[] = [];
  patientPaid: number[] = [];
  status: number[] = [];
  /** Special-review cases paid by items: amount and patients' payments (a sparse map: they are few). */
  items = new Map<number, { amount: Fen; patientPaid: Fen }>();
  /** Unpaid cases (`unpaidCase`): count, cost and patients' payments (a sparse map: they are few). */
  unpaid = new Map<number, UnpaidTotals>();
  /** Single-disease cases at their standard (`singleDiseaseStandard`; a sparse map). */
  standards = new Map<number, FixedStandardTotals>();

  add(): number {
    const k = this.units.length;
    this.units.push(0);
    this.points.push(0);
    this.amount.push(0);
    this.billed.push(0);
    this.patientPaid.push(0);
    for (let s = 0; s < STATUSES.length; s++) this.status.push(0);
    return k;
  }

  addUnit(k: number, u: UnitResult, status: number): void {
    this.units[k]!++;
    this.points[k]! += claimPoints(u.claim);
    this.amount[k]! += claimAmount(u.claim);
    this.billed[k]! += u.billed;
    this.patientPaid[k]! += u.patientPaid;
    this.status[k * STATUSES.length + status]!++;
    if (byItems(u) && u.claim.kind === 'amount') {
      let it = this.items.get(k);
      if (!it) {
        it = { amount: 0, patientPaid: 0 };
        this.items.set(k, it);
      }
      it.amount += u.claim.amount;
      it.patientPaid += u.patientPaid;
    }
    if (singleDiseaseStandard(u)) {
      let sd = this.standards.get(k);
      if (!sd) {
        sd = { units: 0, amount: 0, billed: 0, patientPaid: 0, fund: 0 };
        this.standards.set(k, sd);
      }
      addStandard(sd, u);
    }
    if (unpaidCase(u)) {
      let up = this.unpaid.get(k);
      if (!up) {
        up = { units: 0, billed: 0, patientPaid: 0 };
        this.unpaid.set(k, up);
      }
      up.units++;
      up.billed += u.billed;
      up.patientPaid += u.patientPaid;
    }
  }

  totals(k: number): UnitTotals {
    const byStatus: Record<string, number> = {};
    for (let s = 0; s < STATUSES.length; s++) {
      const n = this.status[k * STATUSES.length + s]!;
      if (n > 0) byStatus[STATUSES[s]!] = n;
    }
    return {
      units: this.units[k]!,
      points: this.points[k]!,
      amount: this.amount[k]!,
      billed: this.billed[k]!,
      patientPaid: this.patientPaid[k]!,
      byStatus,
      ...(this.items.has(k) ? { byItems: { ...this.items.get(k)! } } : {}),
      ...(this.unpaid.has(k) ? { unpaid: { ...this.unpaid.get(k)! } } : {}),
      ...(this.standards.has(k) ? { singleDisease: { ...this.standards.get(k)! } } : {}),
    };
  }
}

const STATUS_INDEX = new Map(STATUSES.map((s, i) => [s, i] as const));

/**
 * The pool's totals as an accumulator: add the units batch by batch (a year streams through it; nothing keeps the
 * units), then read the totals. Sums are exact integers; neither the order of units nor the batching matters.
 * Given the pool's period, every unit is checked to fall in its year (excluded units too), loudly.
 */
export class PoolAccumulator {
  private readonly all = new Acc();
  private readonly inst = new Acc();
  private readonly instIndex = new Map<string, number>();
  private readonly pair = new Acc();
  private readonly monthIndex = new Map<string, Map<number, number>>();
  private readonly group = new Acc();
  private readonly special = new Acc();
  private readonly ungrouped = new Acc();
  private readonly ungroupedInst = new Acc();
  private readonly ungroupedIndex = new Map<string, number>();
  private readonly groupIndex = new Map<MethodId, Map<string, number>>();
  private excluded = 0;
  private readonly prefix: string | undefined;

  constructor(private readonly period?: { poolId: string; year: number }) {
    this.all.add();
    this.special.add();
    this.ungrouped.add();
    this.prefix = period ? `${period.year}-` : undefined;
  }

  add(units: readonly UnitResult[]): this {
    for (const u of units) this.addUnit(u);
    return this;
  }

  /**
   * Count `n` units paid by another method without their objects: what `addUnit` does with an `excluded` unit whose
   * case the other method's own unit already brought into the period (a carved-out case the case method skips).
   */
  addExcluded(n: number): void {
    this.excluded += n;
  }

  addUnit(u: UnitResult): void {
    if (this.prefix !== undefined && !u.month.startsWith(this.prefix)) {
      const { poolId, year } = this.period!;
      throw new SettlementError(
        'UNIT_OUT_OF_PERIOD',
        `单元 ${u.unitId} 的结算月份 ${u.month} 不在 ${year} 年度`,
        `unit ${u.unitId} month ${u.month} is outside ${year}`,
        poolId,
      );
    }
    if (u.status === 'excluded') {
      this.excluded++;
      return;
    }
    const st = STATUS_INDEX.get(u.status);
    if (st === undefined) throw new RangeError(`unit ${u.unitId}: unknown status ${u.status}`);
    this.all.addUnit(0, u, st);
    if (u.status === 'special-review') this.special.addUnit(0, u, st);
    else if (u.status === 'ungrouped') {
      this.ungrouped.addUnit(0, u, st);
      let k = this.ungroupedIndex.get(u.institutionCode);
      if (k === undefined) {
        k = this.ungroupedInst.add();
        this.ungroupedIndex.set(u.institutionCode, k);
      }
      this.ungroupedInst.addUnit(k, u, st);
    }
    let i = this.instIndex.get(u.institutionCode);
    if (i === undefined) {
      i = this.inst.add();
      this.instIndex.set(u.institutionCode, i);
    }
    this.inst.addUnit(i, u, st);
    let m = this.monthIndex.get(u.month);
    if (m === undefined) {
      m = new Map();
      this.monthIndex.set(u.month, m);
    }
    let p = m.get(i);
    if (p === undefined) {
      p = this.pair.add();
      m.set(i, p);
    }
    this.pair.addUnit(p, u, st);
    let gm = this.groupIndex.get(u.method);
    if (gm === undefined) {
      gm = new Map();
      this.groupIndex.set(u.method, gm);
    }
    const gk = u.group ?? '';
    let g = gm.get(gk);
    if (g === undefined) {
      g = this.group.add();
      gm.set(gk, g);
    }
    this.group.addUnit(g, u, st);
  }

  /** The totals so far (a fresh copy; adding more units later does not change it). */
  totals(): PoolTotals {
    const codes = [...this.instIndex.keys()];
    const byInstitution = new Map(codes.map((c) => [c, this.inst.totals(this.instIndex.get(c)!)] as const));
    const byMonth = new Map<string, Map<string, UnitTotals>>();
    for (const [month, m] of this.monthIndex) {
      byMonth.set(month, new Map([...m].map(([i, p]) => [codes[i]!, this.pair.totals(p)] as const)));
    }
    const byGroup = new Map<string, UnitTotals & { method: MethodId; group: string }>();
    for (const [method, gm] of this.groupIndex) {
      for (const [g, k] of gm) byGroup.set(`${method}\u0000${g}`, { ...this.group.totals(k), method, group: g });
    }
    return {
      all: this.all.totals(0),
      byInstitution,
      byMonth,
      byGroup,
      excluded: this.excluded,
      specialReview: this.special.totals(0),
      ungrouped: this.ungrouped.totals(0),
      ungroupedByInstitution: new Map(
        [...this.ungroupedIndex].map(([code, k]) => [code, this.ungroupedInst.totals(k)] as const),
      ),
    };
  }
}

/** Sum the pool's units at once (the accumulator over one array, no period check). */
export function sumPool(units: readonly UnitResult[]): PoolTotals {
  return new PoolAccumulator().add(units).totals();
}

/** Codes in a stable order (plain code-unit order), so allocations do not depend on input order. */
export function sortedCodes(codes: Iterable<string>): string[] {
  return [...new Set(codes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
