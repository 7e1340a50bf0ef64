/**
 * The payment-method interface (支付方式). DIP, DRG, per-bed-day, single-disease, capitation and fee-for-service
 * all turn their units (cases, bed-days, enrolled heads) into `UnitResult`s, which the shared settlement layer
 * (src/settlement) values, prepays monthly and settles at year end. One contract suite runs over every method.
 */
import type { TraceStep } from './explain.ts';
import type { Fen } from './money.ts';
import type { Points } from './points.ts';

export type MethodId = 'dip' | 'drg' | 'per-diem' | 'single-disease' | 'capitation' | 'family-doctor' | 'ffs';

/**
 * What a unit claims from its pool: points (点数), valued later at the pool's point value, or an amount in fen
 * fixed by a standard (a DRG base rate, a per-diem rate, a single-disease standard, a per-head standard). A points
 * claim may also hold a fixed `amount` paid beside its points: a DRG high-cost case whose standard rides on the point
 * value while the excess over its threshold is fixed money (DRG policy `excessInPointPool: amount`). Every reader of a
 * claim counts both (`claimPoints`, `claimAmount`).
 */
export type Claim = { kind: 'points'; points: Points; amount?: Fen } | { kind: 'amount'; amount: Fen };

/** The points a claim holds (0 for an amount claim). */
export function claimPoints(c: Claim): Points {
  return c.kind === 'points' ? c.points : 0;
}

/** The fixed amount a claim holds, fen (an amount claim's amount; a points claim's fixed part, else 0). */
export function claimAmount(c: Claim): Fen {
  return c.amount ?? 0;
}

export interface UnitResult {
  /** The unit: a settlement id (setl_id) for cases; `psn_no/disease` for heads. */
  unitId: string;
  institutionCode: string;
  /** Settlement month YYYY-MM (the discharge month for cases). */
  month: string;
  method: MethodId;
  /** Method-specific group: DIP group code, DRG code, per-diem category, disease code… */
  group?: string;
  /**
   * `paid` normal; `low-cost` / `high-cost` deviating cases (偏差病例); `special-review` waiting for 特例单议;
   * `ungrouped` fits no group (never a silent zero); `excluded` not payable by this method (with a reason).
   */
  status: 'paid' | 'low-cost' | 'high-cost' | 'special-review' | 'ungrouped' | 'excluded' | 'fallback';
  claim: Claim;
  /** What the same care costs billed item by item (按项目), fen: the reference for surplus and overspend. */
  billed: Fen;
  /** What the patient paid for it (deductible, co-payment, own payment), fen. */
  patientPaid: Fen;
  explanation: TraceStep[];
}

/** A payment method: a pure function of its inputs and the resolved policy. */
export interface PaymentMethod<Input, Context> {
  id: MethodId;
  zh: string;
  en: string;
  /** Evaluate units; must be deterministic and independent of input order (results sorted by unitId). */
  evaluate(units: readonly Input[], context: Context): UnitResult[];
}

/** Sort results by unit id so that every method's output is independent of input order. */
export function byUnitId(a: UnitResult, b: UnitResult): number {
  return a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0;
}
