import { CASES } from './cases.ts';
import type { IngestKind, KindSpec } from './kind.ts';
import { ENROLMENTS, FEE_ITEMS, INSTITUTIONS, PERSONS } from './master.ts';
import { OUTPATIENT } from './outpatient.ts';
import { ASSESSMENTS, DEDUCTIONS, SPECIAL_REVIEW } from './year-end.ts';

export type { IngestKind, KindSpec } from './kind.ts';
export { columnLabel } from './kind.ts';

export const KINDS: Readonly<Record<IngestKind, KindSpec>> = {
  cases: CASES,
  'fee-items': FEE_ITEMS,
  institutions: INSTITUTIONS,
  persons: PERSONS,
  enrolments: ENROLMENTS,
  outpatient: OUTPATIENT,
  deductions: DEDUCTIONS,
  assessments: ASSESSMENTS,
  'special-review': SPECIAL_REVIEW,
};

export function isIngestKind(k: string): k is IngestKind {
  return k in KINDS;
}
