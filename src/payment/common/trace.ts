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
