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
import { basisStep, caseSteps, specialReviewStep, ungroupedStep } from './explain.ts';

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
    // Without traces, every case still carries its basis (the per-case sheet's 计算依据): a special-review case its
    // decision, an ungrouped case why it has no points, any other case its deviating-case rule and base points.
    explanation: explain ? caseSteps(r, engine) : basisSteps(r, engine),
  };
}

function basisSteps(r: DipCaseResult, engine: DipEngine): TraceStep[] {
  if (r.status === 'ungrouped') return [ungroupedStep(r, engine, true)];
  if (r.status === 'excluded') return caseSteps(r, engine);
  return [specialReviewStep(r, engine) ?? basisStep(r, engine)];
}

/** All results as unit results, in the results' order (by setl_id). */
export function toUnitResults(results: readonly DipCaseResult[], engine: DipEngine, explain = true): UnitResult[] {
  return results.map((r) => toUnitResult(r, engine, explain));
}
