export {
  type CapitationStandards,
  calibrateCapitation,
  capitationCaps,
  type FundCorrection,
  policyFixesCaps,
} from './calibrate.ts';
export {
  type EnrolmentIssue,
  enrolmentUnitId,
  type HeadSegment,
  hasClass1During,
  headSegment,
  personOfUnit,
  validateEnrolments,
} from './enrolment.ts';
export {
  contractUnitId,
  evaluateFamilyDoctor,
  evaluateFamilyDoctorHeads,
  evaluateFamilyDoctorSplits,
  type FamilyDoctorAssessment,
  type FamilyDoctorContext,
  type FamilyDoctorContract,
  type FamilyDoctorMidYear,
  type FamilyDoctorYearEndLine,
  familyDoctorContracts,
  familyDoctorMethod,
  familyDoctorMidYear,
  familyDoctorYearEnd,
} from './family-doctor.ts';
export { type HeadIndex, headIndex, personIndex } from './head-index.ts';
export { type HeadLine, headLineOf, type LastWords } from './head-unit.ts';
export { headAmount, riskAgeDate, riskFactorsOf } from './heads.ts';
export {
  type CapitationContext,
  type CapitationHeadsEvaluation,
  capitationMethod,
  capitationPlanTotals,
  evaluateCapitation,
  evaluateCapitationHeads,
  evaluateCapitationSplits,
  headLines,
  headUnits,
  type PlanTotal,
  type ReferralSum,
} from './method.ts';
export { type CapitationPrepayment, capitationPrepayments, type PrepayMonth } from './prepay.ts';
export {
  type CellWeight,
  calibrateCellWeights,
  cellName,
  cellRiskModel,
  cellWords,
  linearRiskModel,
  policyRiskModel,
  type RiskModel,
} from './risk.ts';
export {
  type Attribution,
  attributeSpending,
  chargesReferrals,
  referralNotCounted,
  type SegmentSpending,
  type SegmentSums,
  type SpendingSummary,
  summariseAttribution,
  type UnattributedReason,
  type UnattributedVisit,
  unattributedVisit,
} from './spending.ts';
export { groupCost, type HistoryStandard, historyGroupsOf, historyStandards } from './standards.ts';
export type {
  CapitationCaps,
  CapitationHistoryGroup,
  CapitationHistoryHead,
  CapitationPolicy,
  CapitationSpending,
  RiskFactors,
  RiskScore,
} from './types.ts';
export { standardKey } from './types.ts';
export {
  type CapitationYearEnd,
  type CapitationYearEndLine,
  capitationBands,
  settleCapitationYear,
} from './year-end.ts';
export {
  type Assumption,
  type CapitationHeads,
  type CapitationYearResult,
  type CapitationYearSummary,
  familyDoctorUnits,
  summariseCapitationYear,
  yearEndUnits,
} from './year-result.ts';
