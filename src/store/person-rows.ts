/**
 * Enrolment and outpatient person-year rows as both stores read them (issue 9): one row is the values of one
 * result row by position (`get(i)`), codes, dates and person numbers through the reader's interner, and each row
 * one object literal of one shape (a row with a family doctor or a person's attributes is the other shape), so a
 * region's millions of rows share their strings and V8's layouts.
 */
import type { InsuranceType } from '../model/case.ts';
import type { SpecialDiseaseEnrolment } from '../model/institution.ts';
import { INSUTYPE_TO_MODEL } from './duckdb/case-rows.ts';
import type { OutpatientHistoryGroup } from './store.ts';

type Get = (i: number) => unknown;
type Intern = (s: string) => string;

/**
 * `psn_no, opsp_dise_code, dise_class, insutype, treat_fixmedins_code, fd_fixmedins_code, begndate, enddate` (the
 * dates as YYYY-MM-DD text).
 */
export function enrolmentRow(get: Get, intern: Intern): SpecialDiseaseEnrolment {
  const psnNo = intern(get(0) as string);
  const diseaseCode = intern(get(1) as string);
  const diseaseClass = get(2) === 1 ? 1 : 2;
  const insuranceType = INSUTYPE_TO_MODEL[get(3) as string] ?? 'resident';
  const treatingInstitution = intern(get(4) as string);
  const fd = get(5);
  const from = intern(get(6) as string);
  const to = intern(get(7) as string);
  return fd === null || fd === undefined
    ? { psnNo, diseaseCode, diseaseClass, insuranceType, treatingInstitution, from, to }
    : {
        psnNo,
        diseaseCode,
        diseaseClass,
        insuranceType,
        treatingInstitution,
        from,
        to,
        familyDoctorInstitution: intern(fd as string),
      };
}

/**
 * `fund, disease, year, person known, over age, class 1, heads, visits, sum of hifp_pay, sum of outp_adj_fee` (the
 * flags as booleans or 0/1, the model's insurance type as text); `int` turns the engine's integers into safe numbers.
 */
export function historyGroupRow(get: Get, int: (v: unknown, what: string) => number): OutpatientHistoryGroup {
  const flag = (v: unknown) => v === true || v === 1 || v === 1n || v === '1';
  return {
    insuranceType: get(0) as InsuranceType,
    diseaseCode: get(1) as string,
    year: int(get(2), 'year'),
    personKnown: flag(get(3)),
    overAge: flag(get(4)),
    hasClass1: flag(get(5)),
    heads: int(get(6), 'count'),
    visits: int(get(7), 'count'),
    fundPay: int(get(8) ?? 0, 'sum of hifp_pay'),
    outpatientAdjustment: int(get(9) ?? 0, 'sum of outp_adj_fee'),
  };
}
