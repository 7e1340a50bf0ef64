/**
 * What a community year (县域医共体) returns: each community's eligibility, budgets, indicators and year result,
 * the region's points and the patient burden. Computed by src/run/community-year.ts, written by
 * src/report/community-reports.ts; it lives here so that neither of those imports the other.
 */
import type { BurdenRow } from '../benefits/burden.ts';
import type { Institution } from '../model/institution.ts';
import type { MedicalCommunity } from '../policy/kinds/medical-community.ts';
import type { CommunityBudget } from './budget.ts';
import type { Eligibility } from './eligibility.ts';
import type { IndicatorInputs, PerformanceResult } from './indicators.ts';
import type { CommunityYearResult } from './reconcile.ts';
import type { RegionPointTable } from './region-points.ts';

export interface CommunityOutcome {
  community: MedicalCommunity;
  eligibility: Eligibility;
  budgets: CommunityBudget[];
  indicatorInputs: IndicatorInputs;
  performance: PerformanceResult;
  /** Null when the community is not eligible (its members are settled one by one). */
  result: CommunityYearResult | null;
}

export interface CommunityRunResult {
  region: string;
  year: number;
  /** The settlement run read. */
  runId: string;
  policies: { registry: string; payment: string; benefits?: string };
  communities: CommunityOutcome[];
  institutions: Institution[];
  points: RegionPointTable;
  /** Patient burden by level (all the year's cases, and those of each community's population). */
  burden: { scope: string; rows: BurdenRow[] }[];
  referrals: number;
  /** Bills split from their priced fee items (the others from the settlement list's own-pay amount). */
  pricedBills: number;
}
