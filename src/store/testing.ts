/** Test fixtures of the store: a settlement run record as a test saves one (not used outside tests). */
import type { SettlementRunRecord } from './settlement-runs.ts';

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
