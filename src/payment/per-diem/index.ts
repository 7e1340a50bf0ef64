export {
  type CategoryMatch,
  categoriesClaiming,
  findCategoryOverlaps,
  matchCategory,
  mayMatchCategory,
  mayTakeStay,
  type PerDiemCategory,
  type PerDiemPolicy,
  perDiemMiss,
} from './categories.ts';
export { type LongStayIndicators, longStayIndicators } from './indicators.ts';
export { amountToPoints, evaluatePerDiemCase, type PerDiemContext, perDiemMethod } from './method.ts';
export { perDiemPolicyInPool } from './pool.ts';
export {
  buildRateTable,
  type DailyRate,
  type RateAccumulator,
  type RateGap,
  type RateTable,
  type RateTableResult,
  rateAccumulator,
  rateKey,
} from './rates.ts';
export { daysPerStage, type Stage, stageLabel } from './stages.ts';
