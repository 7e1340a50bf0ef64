/**
 * Parameters of the synthetic region: how big things are and how costs and patient shares behave.
 *
 * These numbers shape fake data; they are NOT policy. No engine reads them — engines read `policies/`. They are
 * plausible for a Chinese prefecture-level city around 2024 so that the demo and the tests look realistic.
 */
import type { InstitutionLevel } from '../model/institution.ts';
import type { FeeMix } from './profiles/types.ts';

type ByLevel<T> = Readonly<Record<InstitutionLevel, T>>;

export const SYNTH_PARAMS = {
  /** Year of the cost anchors (Harbin 2024 weights). */
  anchorYear: 2024,
  /** Yuan per relative weight for a tertiary stay (哈尔滨 2024 职工 base rate). */
  baseRateYuan: 12252.7,
  /** Yearly growth of cost per case (次均费用增长). */
  costGrowth: 0.045,
  /** Yearly growth of the number of admissions. */
  volumeGrowth: 0.03,
  /** Admissions per insured person per year (住院率 ≈ 18%): sets the population size. */
  admissionRate: 0.18,
  /** Mean cost of the same stay at each level, relative to tertiary (三级 > 二级 > 一级 > 基层). */
  levelCost: { '3': 1, '2': 0.68, '1': 0.52, primary: 0.4 } as ByLevel<number>,
  /** Daily rate of bed-day profiles at each level, relative to tertiary. */
  levelPerDiem: { '3': 1, '2': 0.82, '1': 0.68, primary: 0.58 } as ByLevel<number>,
  /** Length of stay at each level, relative to the profile. */
  levelLos: { '3': 1, '2': 1.03, '1': 1.06, primary: 1.12 } as ByLevel<number>,
  /** Cost elasticity to length of stay: cost ∝ (LOS / typical LOS)^k. */
  losElasticity: 0.45,
  /** Day surgery (日间手术) costs this share of the same operation as an ordinary stay. */
  daySurgeryCost: 0.8,
  /** Cost multiplier per ICU day, and its cap. */
  icuDayCost: 0.16,
  icuCostCap: 3.5,
  /** Lowest total cost of a stay, fen. */
  minCaseFen: 30_000,
  /** Share of the total outside the catalogs (丙类, 自费) at each level; drawn lognormally around it. */
  ownPayShare: { '3': 0.065, '2': 0.042, '1': 0.03, primary: 0.015 } as ByLevel<number>,
  /** 起付线 (fen) by insurance type and level. */
  deductibleFen: {
    employee: { '3': 120_000, '2': 80_000, '1': 40_000, primary: 20_000 } as ByLevel<number>,
    resident: { '3': 100_000, '2': 60_000, '1': 30_000, primary: 10_000 } as ByLevel<number>,
  },
  /**
   * Fund share of the covered amount above the deductible, per mille. Residents' township vs county hospital
   * ratios differ by ≥ 10 points (R-BEN-1).
   */
  fundRatePermille: {
    employee: { '3': 850, '2': 880, '1': 900, primary: 920 } as ByLevel<number>,
    resident: { '3': 620, '2': 720, '1': 800, primary: 850 } as ByLevel<number>,
  },
  /** 乙类先行自付: share of the covered amount the patient pays first, per mille. */
  classBSelfPayPermille: 30,
  /** Employees who pay part of their share from the personal account (个人账户). */
  accountUseShare: 0.55,
  /** Probability of an unplanned readmission within 31 days, on top of each profile's own. */
  unplannedReadmission: 0.025,
  /** Discharge ways other than death (离院方式), as [code, weight]; transfers are likelier from primary care. */
  dischargeWays: [
    ['1', 93],
    ['2', 2.5],
    ['3', 1.2],
    ['4', 2.5],
    ['9', 0.8],
  ] as const,
  primaryTransferShare: 0.06,
} as const;

/** Charge categories (医疗收费项目类别) in the order of the fee_* columns. */
export const FEE_CATEGORIES = [
  { column: 'fee_bed', code: '01' },
  { column: 'fee_diag', code: '02' },
  { column: 'fee_exam', code: '03' },
  { column: 'fee_lab', code: '04' },
  { column: 'fee_treat', code: '05' },
  { column: 'fee_oprn', code: '06' },
  { column: 'fee_nurs', code: '07' },
  { column: 'fee_mcs', code: '08' },
  { column: 'fee_wm', code: '09' },
  { column: 'fee_tcmherb', code: '10' },
  { column: 'fee_tcmpat', code: '11' },
  { column: 'fee_gen', code: '12' },
  { column: 'fee_reg', code: '13' },
  { column: 'fee_oth', code: '14' },
] as const;

export const FEE_INDEX = {
  bed: 0,
  diag: 1,
  exam: 2,
  lab: 3,
  treat: 4,
  oprn: 5,
  nurs: 6,
  mcs: 7,
  wm: 8,
  tcmherb: 9,
  tcmpat: 10,
  gen: 11,
  reg: 12,
  oth: 13,
} as const;

/** Mean shares of each charge category (same order as FEE_CATEGORIES) by cost structure. */
export const FEE_MIX_WEIGHTS: Readonly<Record<FeeMix, readonly number[]>> = {
  //            bed diag exam lab treat oprn nurs mcs  wm  herb pat gen reg oth
  medical: [6, 2, 10, 15, 10, 0, 5, 5, 38, 1, 5, 1, 0, 2],
  surgical: [4, 1, 7, 9, 8, 14, 4, 24, 24, 0.3, 2, 0.5, 0, 2.2],
  interventional: [3, 1, 6, 7, 5, 9, 3, 45, 19, 0, 1, 0.3, 0, 0.7],
  oncology: [4, 1, 8, 12, 9, 0, 3, 3, 56, 0.5, 2.5, 0.3, 0, 0.7],
  obstetric: [8, 2, 8, 12, 12, 10, 9, 12, 22, 0.5, 2, 0.5, 0, 2],
  newborn: [14, 2, 7, 15, 20, 0, 14, 5, 19, 0, 1, 1, 0, 2],
  psychiatric: [24, 5, 5, 6, 22, 0, 15, 1, 18, 0.5, 1.5, 1, 0, 1],
  rehabilitation: [14, 2, 3, 4, 48, 0, 9, 2, 9, 2, 5, 1, 0, 1],
  hospice: [20, 2, 4, 8, 12, 0, 20, 3, 26, 1, 2, 1, 0, 1],
  tcm: [8, 2, 6, 8, 25, 0, 5, 3, 15, 14, 12, 1, 0, 1],
};
