/**
 * Stored year-end inputs (year_end_* tables, migration 9) as the store contract's `StoredYearEndInputs`: the one
 * row mapping both back-ends use after their own SQL (columns in the order each reader selects them).
 */
import type { StoredYearEndInputs } from './store.ts';

type Rows = readonly (readonly unknown[])[];

/**
 * `deductions`: fixmedins_code, period, amount in fen, reason, source; `assessments`: fixmedins_code, coefficient
 * as exact text, source; `reviews`: setl_id, decision, payment, points as exact text, source. `fen` turns the
 * back-end's integer (BigInt or text) into a safe number.
 */
export function yearEndInputsOf(
  deductions: Rows,
  assessments: Rows,
  reviews: Rows,
  fen: (v: unknown, field: string) => number,
): StoredYearEndInputs {
  return {
    deductions: deductions.map((r) => ({
      institutionCode: r[0] as string,
      period: r[1] as string,
      amount: fen(r[2], 'deduction_amt'),
      reason: r[3] as string,
      source: r[4] as string,
    })),
    assessments: assessments.map((r) => ({
      institutionCode: r[0] as string,
      coefficient: r[1] as string,
      source: r[2] as string,
    })),
    specialReviews: reviews.map((r) => ({
      setlId: r[0] as string,
      decision: r[1] as string,
      payment: (r[2] as string | null) ?? null,
      points: (r[3] as string | null) ?? null,
      source: r[4] as string,
    })),
  };
}
