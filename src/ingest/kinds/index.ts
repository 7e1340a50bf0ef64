import { CASES } from './cases.ts';
import type { IngestKind, KindSpec } from './kind.ts';
import { ENROLMENTS, FEE_ITEMS, INSTITUTIONS, PERSONS } from './master.ts';
import { OUTPATIENT } from './outpatient.ts';

export type { IngestKind, KindSpec } from './kind.ts';

export const KINDS: Readonly<Record<IngestKind, KindSpec>> = {
  cases: CASES,
  'fee-items': FEE_ITEMS,
  institutions: INSTITUTIONS,
  persons: PERSONS,
  enrolments: ENROLMENTS,
  outpatient: OUTPATIENT,
};

export function isIngestKind(k: string): k is IngestKind {
  return k in KINDS;
}
