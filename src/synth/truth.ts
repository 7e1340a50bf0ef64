/**
 * Ground truth of what was injected: bad rows (for QC) and misbehaviour (for monitoring, R-MON-2). One row per
 * injected case, plus one row per misbehaving institution. Written as `truth.csv`.
 */

export type BadRowKind =
  | 'missing-required'
  | 'sex-diagnosis-conflict'
  | 'age-diagnosis-conflict'
  | 'discharge-before-admission'
  | 'los-mismatch'
  | 'negative-amount'
  | 'duplicate-setl-id'
  | 'components-exceed-total'
  | 'bad-code';

export type MisbehaviourKind = 'upcoding' | 'split-admission' | 'low-standard-admission' | 'cost-shifting';
/** Misbehaviour on fee lines, planted in cases of any institution (no institution role). */
export type LineMisbehaviourKind = 'charge-outside-stay';

export interface TruthRow {
  /** `case`: one row of a case file; `institution`: the institution as a whole. */
  scope: 'case' | 'institution';
  /** `bad-row` (QC must reject it) or `misbehaviour` (monitoring should flag it). */
  category: 'bad-row' | 'misbehaviour';
  kind: BadRowKind | MisbehaviourKind | LineMisbehaviourKind;
  /** Case file and 1-based data row (empty for institutions). */
  file: string;
  row: number | null;
  setlId: string;
  fixmedinsCode: string;
  /** Column concerned, when one is. */
  field: string;
  detail: string;
}

export const TRUTH_COLUMNS = [
  'scope',
  'category',
  'kind',
  'file',
  'row',
  'setl_id',
  'fixmedins_code',
  'field',
  'detail',
] as const;

export function truthCsvLine(t: TruthRow): string {
  const cells = [t.scope, t.category, t.kind, t.file, t.row === null ? '' : String(t.row), t.setlId, t.fixmedinsCode];
  cells.push(t.field, t.detail);
  return cells.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
}
