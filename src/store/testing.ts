/** Test fixtures of the store: a settlement run record and rows as a test saves them (not used outside tests). */
import type { RunInstitutionYearRow, RunUnitRow, SettlementRunRecord } from './settlement-runs.ts';

/** A finished DIP run `id` of `region` and 2025 with no inputs or counts; `over` changes any field. */
export function testRunRecord(
  id: string,
  region: string,
  over: Partial<SettlementRunRecord> = {},
): SettlementRunRecord {
  return {
    id,
    region,
    year: 2025,
    command: 'settle',
    caseMethod: 'dip',
    methods: ['dip'],
    inputs: [],
    counts: {},
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    status: 'ok',
    ...over,
  };
}

/**
 * A paid DIP case of H1 in March 2025 with no group, points, amounts, basis or trace; `over` changes any field.
 */
export function testUnitRow(poolId: string, unitId: string, over: Partial<RunUnitRow> = {}): RunUnitRow {
  return {
    poolId,
    unitId,
    method: 'dip',
    institution: 'H1',
    month: '2025-03',
    group: null,
    status: 'paid',
    points: null,
    amountFen: null,
    billedFen: 0,
    patientPaidFen: 0,
    basis: null,
    trace: null,
    ...over,
  };
}

/**
 * An institution's year-end row of pool `poolId` with zeros everywhere but its value (点数金额+定额, what the per-case
 * split adds up to); `over` changes any field.
 */
export function testInstitutionYearRow(
  poolId: string,
  institution: string,
  valueFen: number,
  over: Partial<RunInstitutionYearRow> = {},
): RunInstitutionYearRow {
  return {
    poolId,
    institution,
    level: null,
    units: 0,
    points: 0,
    amountFen: 0,
    billedFen: 0,
    patientPaidFen: 0,
    byStatus: '{}',
    advanceFen: 0,
    monthlyPaidFen: 0,
    depositHeldFen: 0,
    valueFen,
    grossFen: 0,
    ffsFundFen: 0,
    sharing: null,
    afterSharingFen: 0,
    assessment: { num: '1', den: '1' },
    afterAssessmentFen: 0,
    deductionsFen: 0,
    yearEndFen: 0,
    clearingFen: 0,
    steps: '[]',
    ...over,
  };
}
