/**
 * DIP case results as the shared `UnitResult`s of the settlement layer (src/payment/method.ts): a points claim
 * (or a fixed amount for a special-review case approved for payment by items), the item billing and the patient's
 * payments, and — when asked — the explanation. (R-PAY-DIP)
 *
 * 002 四(三): "年底……按照各医疗机构实际点数付费" — the points enter the region's one point pool.
 */
import type { TraceStep } from '../../model/explain.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import type { DipCaseResult, DipEngine } from './engine.ts';
import { caseSteps, specialReviewStep, ungroupedStep } from './explain.ts';

/** Shared, frozen: results without traces must not be appended to (a push throws). */
const NO_STEPS: readonly TraceStep[] = Object.freeze([]);

export function toUnitResult(r: DipCaseResult, engine: DipEngine, explain = true): UnitResult {
  return {
    unitId: r.setlId,
    institutionCode: r.institutionCode,
    month: r.month,
    method: 'dip',
    // always present (undefined when ungrouped) so every unit has one shape; JSON drops undefined
    group: r.group ?? undefined,
    status: r.status,
    claim: r.claim === 'amount' ? { kind: 'amount', amount: r.amount } : { kind: 'points', points: r.points },
    billed: r.cost,
    patientPaid: r.patientPaid,
    // Without traces, a special-review case still carries its one step (the statements show its decision as basis),
    // and an ungrouped case its reason (the per-case sheet says why it has no points).
    explanation: explain ? caseSteps(r, engine) : specialSteps(r, engine),
  };
}

function specialSteps(r: DipCaseResult, engine: DipEngine): TraceStep[] {
  if (r.status === 'ungrouped') return [ungroupedStep(r, engine, true)];
  const step = specialReviewStep(r, engine);
  return step ? [step] : (NO_STEPS as TraceStep[]);
}

/** All results as unit results, in the results' order (by setl_id). */
export function toUnitResults(results: readonly DipCaseResult[], engine: DipEngine, explain = true): UnitResult[] {
  return results.map((r) => toUnitResult(r, engine, explain));
}
