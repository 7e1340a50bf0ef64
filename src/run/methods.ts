/**
 * The payment methods a region-year run knows (支付方式登记表): method id → its policy kind, the units it reads,
 * the pool its units are settled in, whether a unit's trace is kept in the run or recomputed on demand, and how
 * its statement rows are made. `settleRegionYear` applies a method when the region has a policy file of its kind;
 * adding a method is one folder under src/payment/, one policy kind and one line here (plus its evaluation step in
 * settle-region-year.ts while the methods still differ in what they read).
 */
import type { MethodId } from '../model/unit-result.ts';

/** What a method's units are made from. */
export type UnitSource = 'inpatient-cases' | 'fee-items' | 'enrolments-and-outpatient';

/**
 * Where its units are settled: the inpatient point pool (one budget for every inpatient method), the capitation
 * pool (by its own year end), or nowhere (a reference: item billing for comparison).
 */
export type PoolRole = 'inpatient' | 'capitation' | 'reference';

export interface MethodEntry {
  id: MethodId;
  zh: string;
  en: string;
  policyKind: string;
  units: UnitSource;
  pool: PoolRole;
  /**
   * `case-method`: pays every inpatient case no carve-out takes (one of dip | drg per region-year);
   * `carve-out`: takes its cases first (per-bed-day, then single-disease); `own`: units of its own.
   */
  role: 'case-method' | 'carve-out' | 'own';
  /**
   * Keep each unit's trace in `run_units.trace`, else `explain case` recomputes it from the snapshot and what the run
   * derived (every method now: the carve-outs' rates and standards are kept with the run, carve-outs-of-run.ts).
   */
  keepTrace: boolean;
  /** Statement rows: the pool statements (region, institution year, month, groups) plus the per-unit sheet. */
  statements: 'pool' | 'capitation' | 'units';
}

export const METHODS: readonly MethodEntry[] = [
  {
    id: 'per-diem',
    zh: '按床日付费',
    en: 'per-bed-day',
    policyKind: 'per-diem',
    units: 'inpatient-cases',
    pool: 'inpatient',
    role: 'carve-out',
    keepTrace: false,
    statements: 'pool',
  },
  {
    id: 'single-disease',
    zh: '按病种付费',
    en: 'single-disease',
    policyKind: 'single-disease',
    units: 'inpatient-cases',
    pool: 'inpatient',
    role: 'carve-out',
    keepTrace: false,
    statements: 'pool',
  },
  {
    id: 'dip',
    zh: '按病种分值付费（DIP）',
    en: 'DIP',
    policyKind: 'dip',
    units: 'inpatient-cases',
    pool: 'inpatient',
    role: 'case-method',
    keepTrace: false,
    statements: 'pool',
  },
  {
    id: 'drg',
    zh: '按疾病诊断相关分组付费（DRG）',
    en: 'DRG',
    policyKind: 'drg',
    units: 'inpatient-cases',
    pool: 'inpatient',
    role: 'case-method',
    keepTrace: false,
    statements: 'pool',
  },
  {
    id: 'ffs',
    zh: '按项目付费',
    en: 'fee-for-service',
    policyKind: 'ffs',
    units: 'fee-items',
    pool: 'reference',
    role: 'own',
    keepTrace: false,
    statements: 'units',
  },
  {
    id: 'capitation',
    zh: '按人头付费',
    en: 'capitation',
    policyKind: 'capitation',
    units: 'enrolments-and-outpatient',
    pool: 'capitation',
    role: 'own',
    keepTrace: false,
    statements: 'capitation',
  },
  {
    id: 'family-doctor',
    zh: '家庭医生签约服务费',
    en: 'family-doctor fee',
    policyKind: 'capitation',
    units: 'enrolments-and-outpatient',
    pool: 'capitation',
    role: 'own',
    keepTrace: false,
    statements: 'capitation',
  },
];

/** The entries by id (the first of an id, as a scan finds it): a run asks once per unit it writes (issue 9). */
const BY_ID = new Map<string, MethodEntry>();
for (const m of METHODS) if (!BY_ID.has(m.id)) BY_ID.set(m.id, m);

export function methodEntry(id: string): MethodEntry {
  const m = BY_ID.get(id);
  if (!m) throw new RangeError(`unknown payment method "${id}"`);
  return m;
}
