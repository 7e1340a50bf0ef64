/**
 * Inputs of capitation by disease (按病种结合人头付费, seed 004): history for the standards, spending for the year
 * end, and the resolved policy. Enrolments are `SpecialDiseaseEnrolment` rows (src/model/institution.ts).
 */
import type { InsuranceType, Sex } from '../../model/case.ts';
import type { Fen, Ratio } from '../../model/money.ts';
import type { ResolvedValues } from '../../policy/kind.ts';
import type { capitationKind } from '../../policy/kinds/capitation.ts';

export type CapitationPolicy = ResolvedValues<typeof capitationKind>;

/**
 * One head of the base period (结算数据, before national volume-based procurement): a person settled for a class-2
 * special disease in the year, with the fund's payment and the outpatient adjustment fees (门诊调增费用).
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(1).
 */
export interface CapitationHistoryHead {
  psnNo: string;
  insuranceType: InsuranceType;
  diseaseCode: string;
  ageYears: number;
  sex: Sex;
  /** Had a class-1 special disease (罹患一类门特疾病) in the base year. */
  hasClass1: boolean;
  /** 统筹支付 */
  fundPay: Fen;
  /** 门诊调增费用 */
  outpatientAdjustment: Fen;
}

/**
 * The base period's heads summed by what the standards and the risk cells read (R-CAP-1, R-CAP-2): fund × disease ×
 * age at or above the policy's risk age × class-1 disease, with the number of heads and their sums. The history
 * heads of a province (millions) are grouped in the store (`Store.outpatientHistoryGroups`) and never held one by
 * one; `historyGroupsOf` groups heads held as objects the same way.
 */
export interface CapitationHistoryGroup {
  insuranceType: InsuranceType;
  diseaseCode: string;
  /** Age ≥ `riskAgeThreshold` on the policy's day of the base year. */
  overAge: boolean;
  hasClass1: boolean;
  /** 结算人数 */
  heads: number;
  /** Σ 统筹支付 */
  fundPay: Fen;
  /** Σ 门诊调增费用 */
  outpatientAdjustment: Fen;
}

/**
 * One settled outpatient special-disease visit of the year (前台按项目结算, 四(五)2): its total cost and the
 * audited amount inside the pooled fund's scope (符合统筹基金支付范围的费用), which is what the year end
 * compares with the total (四(六)2–3).
 */
export interface CapitationSpending {
  setlId: string;
  psnNo: string;
  institutionCode: string;
  /** ISO date of the visit. */
  date: string;
  diseaseCode: string;
  totalCost: Fen;
  fundPayable: Fen;
}

/** The capitation fund cap (二类门特统筹基金总控额度) by fund, fen. 四(三)1. */
export type CapitationCaps = Record<InsuranceType, Fen>;

/** Key of a per-disease standard: fund × disease. */
export const standardKey = (insuranceType: InsuranceType, diseaseCode: string): string =>
  `${insuranceType}|${diseaseCode}`;

export interface RiskFactors {
  ageYears: number;
  sex: Sex;
  hasClass1: boolean;
}

export interface RiskScore {
  /** Relative risk (1 = a head of average risk for its disease), exact. */
  weight: Ratio;
  /** The cell or a short label of the score. */
  cell: string;
}
