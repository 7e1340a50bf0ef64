/**
 * The unit of a capitation head or family-doctor contract (`UnitResult`), made in one place (issue 9: a province's
 * heads in memory).
 */
import type { TraceStep } from '../../model/explain.ts';
import type { UnitResult } from '../../model/unit-result.ts';

/** A head's status between the two passes of an evaluation, kept as a small integer per head (index into HEAD_STATUS). */
export const PAID = 0;
export const EXCLUDED = 1;
export const UNGROUPED = 2;
export const HEAD_STATUS: readonly UnitResult['status'][] = ['paid', 'excluded', 'ungrouped'];

/** The claim of a head that is not paid (shared and frozen: a paid head gets its own claim). */
export const NO_CLAIM: UnitResult['claim'] = Object.freeze({ kind: 'amount', amount: 0 });

/**
 * A head's unit made by one object literal in one place: every head then shares one hidden class. An object spread
 * (`{ ...base, status }`) from several call sites turns megamorphic in V8 and gives every head its own hidden class
 * (≈ 340 bytes a head, issue 9); the fields and their order are those of the spread it replaces.
 */
export function headUnit(
  unitId: string,
  institutionCode: string,
  month: string,
  method: 'capitation' | 'family-doctor',
  group: string,
  billed: number,
  patientPaid: number,
  r: { status: UnitResult['status']; claim: UnitResult['claim']; explanation: TraceStep[] },
): UnitResult {
  return {
    unitId,
    institutionCode,
    month,
    method,
    group,
    billed,
    patientPaid,
    status: r.status,
    claim: r.claim,
    explanation: r.explanation,
  };
}

/**
 * The unit of an evaluated head from what the passes kept: its steps (`kept`: the shared last step of a head not
 * paid, or its trace so far), and either the status code of a head not paid or, paid, its share of the institution's
 * total with the institution's last step.
 */
export function evaluatedHeadUnit(
  unitId: string,
  institutionCode: string,
  month: string,
  method: 'capitation' | 'family-doctor',
  group: string,
  billed: number,
  patientPaid: number,
  kept: TraceStep | TraceStep[] | undefined,
  outcome: number | { amount: number; last: TraceStep },
): UnitResult {
  const explanation = kept === undefined ? [] : Array.isArray(kept) ? [...kept] : [kept];
  if (typeof outcome === 'number')
    return headUnit(unitId, institutionCode, month, method, group, billed, patientPaid, {
      status: HEAD_STATUS[outcome]!,
      claim: NO_CLAIM,
      explanation,
    });
  explanation.push(outcome.last);
  return headUnit(unitId, institutionCode, month, method, group, billed, patientPaid, {
    status: 'paid',
    claim: { kind: 'amount', amount: outcome.amount },
    explanation,
  });
}

/**
 * The units of `n` heads in `order` (positions into the evaluation), made by `unit` `size` at a time when read, so
 * no call holds more than one batch of units.
 */
export function* unitBatches(
  n: number,
  order: ArrayLike<number>,
  unit: (i: number) => UnitResult,
  size = n,
): Generator<UnitResult[]> {
  const per = Math.max(1, size);
  for (let k = 0; k < n; k += per) {
    const b: UnitResult[] = [];
    for (let j = k; j < Math.min(n, k + per); j++) b.push(unit(order[j]!));
    yield b;
  }
}

/** The words of a head's last step: what its basis shows and the year end reads (`rule`), without its figures. */
export type LastWords = Pick<TraceStep, 'rule' | 'zh' | 'en' | 'clause'>;

/**
 * A head as its run row and the year end read it, without its trace (issue 9: a province's heads): the figures of its
 * unit and the words of its last step — one object shared by every head that stops with the same words, and by
 * every paid head of one institution. `amount` is the claim's (0 for a head not paid, as `NO_CLAIM`).
 */
export interface HeadLine {
  unitId: string;
  institutionCode: string;
  month: string;
  method: 'capitation' | 'family-doctor';
  group: string;
  status: UnitResult['status'];
  amount: number;
  billed: number;
  patientPaid: number;
  last: LastWords | undefined;
}

/** The head line of a unit (tests and small years give units; the year end reads lines). */
export function headLineOf(u: UnitResult): HeadLine {
  return {
    unitId: u.unitId,
    institutionCode: u.institutionCode,
    month: u.month,
    method: u.method as HeadLine['method'],
    group: u.group ?? '',
    status: u.status,
    amount: u.claim.kind === 'amount' ? u.claim.amount : 0,
    billed: u.billed,
    patientPaid: u.patientPaid,
    last: u.explanation.at(-1),
  };
}

/** The last step of what a pass kept for a head (a step, or the trace so far). */
export function lastKept(kept: TraceStep | TraceStep[] | undefined): TraceStep | undefined {
  return kept === undefined ? undefined : Array.isArray(kept) ? kept.at(-1) : kept;
}

/** The lines of `n` heads in `order`, made by `line` `size` at a time when read (as `unitBatches`). */
export function* lineBatches(
  n: number,
  order: ArrayLike<number>,
  line: (i: number) => HeadLine,
  size = n,
): Generator<HeadLine[]> {
  const per = Math.max(1, size);
  for (let k = 0; k < n; k += per) {
    const b: HeadLine[] = [];
    for (let j = k; j < Math.min(n, k + per); j++) b.push(line(order[j]!));
    yield b;
  }
}
