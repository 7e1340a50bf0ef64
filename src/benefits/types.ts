/** Inputs and results of the patient-benefit engine (R-BEN-1…4). */
import type { TraceStep } from '../model/explain.ts';
import type { Fen } from '../model/money.ts';
import type { ResolvedValues } from '../policy/kind.ts';
import type { benefitsKind } from '../policy/kinds/benefits.ts';

export type BenefitsPolicy = ResolvedValues<typeof benefitsKind>;
export type Fund = 'employee' | 'resident';
export type Level = '3' | '2' | '1' | 'primary';
export type Service = 'inpatient' | 'outpatient';

/** One bill (an admission or a visit) split by scope, fen: total = ownPay + classBSelfPay + inScope. */
export interface BillScope {
  total: Fen;
  /** Outside the fund's scope: class 丙 items and exclusions (自费). */
  ownPay: Fen;
  /** The part of `ownPay` excluded whatever the catalog class (R-BEN-3), by reason, for the trace. */
  excluded: { reason: string; zh: string; amount: Fen; source: string }[];
  /** 乙类先行自付. */
  classBSelfPay: Fen;
  /** 政策范围内费用. */
  inScope: Fen;
}

export interface BillContext {
  fund: Fund;
  service: Service;
  level: Level;
  /**
   * A referral inside a medical community (转诊转院): the deductible already paid earlier in the same chain (R-BEN-2).
   * Absent for a first admission.
   */
  referral?: { communityId: string; chainDeductiblePaid: Fen };
  /** Medical-assistance category of the person (救助对象类别), if any. */
  assistanceCategory?: string;
}

/** What a person has used this year (the one-stop split accumulates it bill by bill). */
export interface BenefitYearState {
  basicFundPaid: Fen;
  outpatientDeductiblePaid: Fen;
  /** Accumulated in-scope self-pay after the basic fund (the critical-illness base). */
  criticalIllnessBase: Fen;
  criticalIllnessPaid: Fen;
  /** Accumulated in-scope self-pay after critical illness (the assistance base). */
  assistanceBase: Fen;
  assistancePaid: Fen;
}

export const EMPTY_YEAR: BenefitYearState = {
  basicFundPaid: 0,
  outpatientDeductiblePaid: 0,
  criticalIllnessBase: 0,
  criticalIllnessPaid: 0,
  assistanceBase: 0,
  assistancePaid: 0,
};

/** One bill split over the four payers (一单制结算): basicFund + criticalIllness + assistance + patient = total. */
export interface OneStopResult {
  deductible: Fen;
  basicFund: Fen;
  criticalIllness: Fen;
  assistance: Fen;
  patient: Fen;
  /** The patient's part by kind: own pay, class-B self-pay, deductible, coinsurance and above-cap, after the others. */
  patientInScope: Fen;
  state: BenefitYearState;
  steps: TraceStep[];
}
