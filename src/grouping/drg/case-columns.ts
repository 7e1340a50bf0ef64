/**
 * The columns a case file may use: those of the reference's `cases_public.csv`, or those of the settlement list
 * (医保结算清单 4101: setl_id, gend, age, nwb_age, nwb_bir_wt, act_ipt_days, diag_codes, oprn_oprt_codes), as
 * the store and the synthetic region write them. A header may mix them; the first name found wins.
 */

/** The fields the grouper reads, in a fixed order (the index is used by the fast text reader). */
export const CASE_FIELDS = [
  'id',
  'sex',
  'age',
  'age_days',
  'birth_weight_g',
  'los',
  'diagnoses',
  'procedures',
] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

/** Accepted header names of each field: the reference's name first, then the settlement list's (4101). */
export const CASE_COLUMN_NAMES: Readonly<Record<CaseField, readonly string[]>> = {
  id: ['id', 'setl_id'],
  sex: ['sex', 'gend'],
  age: ['age'],
  age_days: ['age_days', 'nwb_age'],
  birth_weight_g: ['birth_weight_g', 'nwb_bir_wt'],
  los: ['los', 'act_ipt_days'],
  diagnoses: ['diagnoses', 'diag_codes'],
  procedures: ['procedures', 'oprn_oprt_codes'],
};

/** Fields a case file must have (length of stay may be absent: only CHS-DRG 2.0's field check reads it). */
export const REQUIRED_CASE_FIELDS: readonly CaseField[] = [
  'id',
  'sex',
  'age',
  'age_days',
  'birth_weight_g',
  'diagnoses',
  'procedures',
];

/** Column index of each field in `header` (-1 when absent), and the required fields that are missing. */
export function caseColumnIndexes(header: readonly string[]): { index: Int32Array; missing: CaseField[] } {
  const index = new Int32Array(CASE_FIELDS.length).fill(-1);
  CASE_FIELDS.forEach((f, k) => {
    for (const name of CASE_COLUMN_NAMES[f]) {
      const at = header.indexOf(name);
      if (at >= 0) {
        index[k] = at;
        break;
      }
    }
  });
  const missing = REQUIRED_CASE_FIELDS.filter((f) => index[CASE_FIELDS.indexOf(f)] === -1);
  return { index, missing };
}

/** The value of a field in a record keyed by header name, whichever accepted name the file uses. */
export function caseFieldOf(r: Record<string, string>, f: CaseField): string | undefined {
  for (const name of CASE_COLUMN_NAMES[f]) {
    const v = r[name];
    if (v !== undefined) return v;
  }
  return undefined;
}
