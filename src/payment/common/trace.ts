/** Small helpers to write explanation steps (TraceStep) the same way in every method. */
import type { TraceStep, TraceValue } from '../../model/explain.ts';
import { type Fen, fenToYuan, formatRatio, type Ratio } from '../../model/money.ts';

export function step(
  rule: string,
  clause: string | undefined,
  zh: string,
  en: string,
  values?: Record<string, TraceValue>,
  result?: TraceValue,
): TraceStep {
  // The common case as one literal (same key order): a step then keeps its fields in the object, not in a
  // separate property array (a region's heads and cases carry one step each; issue 9).
  if (clause && values && result !== undefined) return { rule, zh, en, clause, values, result };
  const s: TraceStep = { rule, zh, en };
  if (clause) s.clause = clause;
  if (values) s.values = values;
  if (result !== undefined) s.result = result;
  return s;
}

/** Fen shown as yuan text ("1234.56"), the way every explanation shows money. */
export const yuan = (fen: Fen): string => fenToYuan(fen);

/** An exact ratio shown with 6 decimals. */
export const dec = (r: Ratio, places = 6): string => formatRatio(r, places);

/**
 * Which units of an evaluation carry their whole trace: every unit (true, the default), none (false), or those the
 * predicate picks (`explain` asks for one). A run of a region-year evaluates without traces and recomputes the one
 * asked for on demand; what a unit without its trace keeps is the method's to say (its basis step, for instance).
 */
export type TraceOption = boolean | ((unitId: string) => boolean);

/** The predicate behind a `TraceOption`. */
export function traceFilter(trace: TraceOption | undefined): (unitId: string) => boolean {
  if (typeof trace === 'function') return trace;
  return trace === false ? () => false : () => true;
}
