/**
 * What the hospital side (医院医保办) works with: the region's published parameters as engine inputs, and the
 * estimate of one case (病例预测) that every hospital view — one case at discharge, the expected year, profit and
 * loss by group, department and doctor — is built from.
 */

import type { DrgKernel } from '../grouping/drg/index.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import type { Fen, Ratio } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { DipEngine } from '../payment/dip/engine.ts';
import type { DrgPricing } from '../payment/drg/price.ts';
import type { DrgWeightTable } from '../payment/drg/types.ts';
import type { HospitalCarveOuts } from './estimate-carve-out.ts';
import type { BeforeCarePrompt, PromptSettings } from './prompts.ts';

/** A point value the agency published (e.g. last year's or the opening-year value) or the hospital forecast. */
export interface HospitalPointValue {
  /** Fen per point, exact. */
  value: Ratio;
  basis: 'published' | 'forecast';
  source: string;
}

export interface DipHospitalPricing {
  method: 'dip';
  engine: DipEngine;
  pointValue: HospitalPointValue;
}

export interface DrgHospitalPricing {
  method: 'drg';
  kernel: DrgKernel;
  table: DrgWeightTable;
  pricing: DrgPricing;
  /** Needed under the point method; the base-rate method prices in money directly. */
  pointValue: HospitalPointValue | null;
}

/** Everything `estimateCase` needs, built once from the published parameters. */
export interface HospitalParams {
  pricing: DipHospitalPricing | DrgHospitalPricing;
  institutions: ReadonlyMap<string, Institution>;
  prompts: PromptSettings;
  /**
   * The region's per-bed-day and single-disease carve-outs when the published folder carries their policy files
   * (R-PAY-BEDDAY, R-PAY-DISEASE): such a case is priced as the agency's run carves it out, not by DIP / DRG.
   */
  carveOuts?: HospitalCarveOuts;
  /**
   * 基金支付比例 as the agency applies it at year end (points × point value × ratio), when published; absent, the
   * fund's part of a case is its payment − what the patient paid (the monthly pre-settlement's rule).
   */
  fundPaymentRatio?: { value: Ratio; source: string };
  /** Low-risk groups (低风险组) as published by the region; absent = computed from the cases at hand. */
  lowRiskGroups?: { groups: ReadonlySet<string>; source: string };
  /** The published set the parameters come from (id and version), for reports. */
  source: { id: string; version: string; title: string };
}

/** One step of the group's path: why this MDC / ADRG / DRG, or why this DIP group. */
export interface PathStep {
  stage: 'input' | 'code' | 'mdc' | 'adrg' | 'severity' | 'drg' | 'match' | 'coefficient' | 'auxiliary' | 'result';
  zh: string;
  en: string;
}

/** A secondary diagnosis on the MCC/CC lists and whether it counted (DRG). */
export interface SeverityNote {
  position: number;
  code: string;
  name: string;
  list: 'MCC' | 'CC';
  counted: boolean;
  /** The principal diagnosis's exclusion table when it removed this one. */
  excludedBy: string | null;
}

/** Where the case's cost stands against the deviating-case thresholds. */
export type CasePosition = 'normal' | 'low-cost' | 'high-cost' | 'ungrouped' | 'excluded';

export interface CaseEstimate {
  setlId: string;
  institutionCode: string;
  department: string | null;
  doctorCode: string | null;
  doctorName: string | null;
  /** Discharge month YYYY-MM. */
  month: string;
  /** The method that pays the case: the region's case method, or a carve-out (per-bed-day, single-disease). */
  method: 'dip' | 'drg' | 'per-diem' | 'single-disease';
  group: string | null;
  groupName: string | null;
  path: PathStep[];
  severity: SeverityNote[];
  /** Relative weight (DRG), exact; null for DIP or without a weight. */
  weight: Ratio | null;
  /** DIP group score (病种分值) in 0.0001 points; null for DRG. */
  score: Points | null;
  /** Points of the standard (DIP base points; DRG RW × points per RW × level coefficient), null when priced in money. */
  standardPoints: Points | null;
  /** Points the case claims; null when it claims an amount. */
  points: Points | null;
  /**
   * A DIP case paid its cost (低倍率 or 未入组 under `costPaidCases: year-end`, 002 四(二) "按实际费用确定病种分值"):
   * the points that reading gives it — its amount ÷ the point value used (its cost is worth exactly those points),
   * 0.0001 points rounded half-up; null for every other case (points claimed, DRG, special review by items).
   */
  costPaidPoints: Points | null;
  /** The group's standard payment at the point value or base rate (支付标准), null when it cannot be valued. */
  standardPayment: Fen | null;
  /** Deviating-case thresholds in money: below `low` a low-cost case, above `high` a high-cost case. */
  thresholds: { low: Fen; high: Fen } | null;
  position: CasePosition;
  status: UnitResult['status'];
  /** Above the special-review bound (特例单议 may be applied for). */
  specialReviewCandidate: boolean;
  expectedPayment: Fen | null;
  pointValue: HospitalPointValue | null;
  cost: Fen;
  patientPaid: Fen;
  /**
   * The fund's expected part: payment × the fund payment ratio when given, else payment − what the patient paid;
   * null when neither is known (no ratio published and the fund's payment of the case not given).
   */
  expectedFund: Fen | null;
  /** Where `expectedFund` comes from: the published ratio, payment − patient paid, or not estimated (fund not given). */
  fundBasis: 'ratio' | 'patient-paid' | 'not-given';
  /**
   * 预测盈亏: expected payment − total medical cost; for an ungrouped case claiming nothing (未入组不计点数), what the
   * patient paid − total medical cost (the hospital keeps the patient's part, the agency's `unpaidCases: outside`).
   */
  profit: Fen | null;
  losDays: number;
  died: boolean;
  prompts: BeforeCarePrompt[];
}

/** The fields of an estimate that say which case it is and where it belongs (its institution, department, doctor, month). */
export function caseIdentity(
  c: InpatientCase,
): Pick<CaseEstimate, 'setlId' | 'institutionCode' | 'department' | 'doctorCode' | 'doctorName' | 'month'> {
  return {
    setlId: c.setlId,
    institutionCode: c.institutionCode,
    department: c.department ?? null,
    doctorCode: c.doctorCode ?? null,
    doctorName: c.doctorName ?? null,
    month: c.dischargeTime.slice(0, 7),
  };
}

export class HospitalError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'HospitalError';
  }
}
