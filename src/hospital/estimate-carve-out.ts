/**
 * A case the region pays outside DIP / DRG (R-PAY-BEDDAY, R-PAY-DISEASE), estimated at discharge as the agency's run
 * carves it out (src/run/inpatient-year.ts): per-bed-day first — a long stay of a category (精神病, 医疗康复, 安宁疗护)
 * at its daily rates by stage, turned into points at the policy's reference point value under DIP (R-DIP-4) or kept
 * as an amount in a DRG pool — then single-disease — a case inside a catalogued pathway at its fixed standard by
 * institution level (定额); a case leaving the pathway (出径) stays with the case method.
 *
 * The published folder carries the region's `per-diem` and `single-disease` policy files (rates and standards are
 * published with them); without them a hospital cannot price these cases, and the estimate is DIP's or DRG's.
 */
import { type InpatientCase, isDeathDischarge } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import { claimAmount, type UnitResult } from '../model/unit-result.ts';
import { evaluatePerDiemCase, type PerDiemPolicy, type RateTable } from '../payment/per-diem/index.ts';
import {
  leavesPathway,
  matchEntry,
  type SingleDiseasePolicy,
  type StandardTable,
  singleDiseaseMethod,
} from '../payment/single-disease/index.ts';
import { valueOfPoints } from '../settlement/value.ts';
import { type CaseEstimate, caseIdentity, type HospitalPointValue, type PathStep } from './types.ts';

/** The carve-outs a published folder carries, ready to price (rates and standards built once). */
export interface HospitalCarveOuts {
  perDiem?: { policy: PerDiemPolicy; rates: RateTable; id: string };
  singleDisease?: { policy: SingleDiseasePolicy; standards: StandardTable; id: string };
}

/** The carve-out unit of a case, or null when neither carve-out takes it (the case method prices it). */
export function carveOutUnit(
  c: InpatientCase,
  carveOuts: HospitalCarveOuts,
  institutions: ReadonlyMap<string, Institution>,
): UnitResult | null {
  const institution = institutions.get(c.institutionCode);
  const list = [...institutions.values()];
  if (carveOuts.perDiem) {
    const u = evaluatePerDiemCase(c, institution, {
      policy: carveOuts.perDiem.policy,
      institutions: list,
      rates: carveOuts.perDiem.rates,
    });
    if (u.status !== 'excluded') return u;
  }
  const sd = carveOuts.singleDisease;
  if (sd) {
    const m = matchEntry(c, sd.policy.catalog.value);
    const staysIn = m.kind === 'overlap' || (m.kind === 'match' && !leavesPathway(c, m.entry, sd.policy));
    if (!staysIn) return null;
    const fallback = {
      method: sd.policy.fallbackTo.value,
      evaluate: (): UnitResult[] => [],
    };
    const [u] = singleDiseaseMethod.evaluate([c], {
      policy: sd.policy,
      institutions: list,
      standards: sd.standards,
      fallback,
    });
    if (u && u.status !== 'excluded' && u.status !== 'fallback') return u;
  }
  return null;
}

/**
 * The estimate of a carved-out case: its category or entry as the group, the method's steps as the path, points
 * valued at the point value the hospital expects (per-bed-day under DIP) or the fixed amount. No deviating-case
 * thresholds: these methods have none.
 */
export function estimateCarveOut(
  c: InpatientCase,
  u: UnitResult,
  pointValue: HospitalPointValue | null,
  groupName: string | null,
): Omit<CaseEstimate, 'prompts' | 'fundBasis'> {
  const points = u.claim.kind === 'points' ? u.claim.points : null;
  const paid = u.status === 'paid';
  const expectedPayment = !paid
    ? null
    : u.claim.kind === 'amount'
      ? u.claim.amount
      : pointValue
        ? valueOfPoints(u.claim.points, pointValue.value) + claimAmount(u.claim)
        : null;
  // Each step with its result (25800.00, 2580.0000) unless that is the category's own code.
  const path: PathStep[] = u.explanation.map((s) => {
    const r = typeof s.result === 'string' || typeof s.result === 'number' ? String(s.result) : '';
    const shown = r !== '' && r !== u.group ? ` → ${r}` : '';
    return { stage: 'match', zh: `${s.zh}${shown}`, en: `${s.en}${shown}` };
  });
  return {
    ...caseIdentity(c),
    method: u.method === 'per-diem' ? 'per-diem' : 'single-disease',
    group: u.group ?? null,
    groupName,
    path,
    severity: [],
    weight: null,
    score: null,
    standardPoints: points,
    points,
    costPaidPoints: null,
    standardPayment: expectedPayment,
    thresholds: null,
    position: paid ? 'normal' : 'ungrouped',
    status: u.status,
    specialReviewCandidate: false,
    expectedPayment,
    pointValue: points !== null ? pointValue : null,
    cost: c.totalCost,
    patientPaid: u.patientPaid,
    expectedFund: expectedPayment === null ? null : expectedPayment - u.patientPaid,
    profit: expectedPayment === null ? null : expectedPayment - c.totalCost,
    losDays: c.losDays,
    died: isDeathDischarge(c.dischargeWay),
  };
}
