/**
 * From stored rows to the inputs of capitation by disease (按病种结合人头付费, seed 004): outpatient special-disease
 * settlements (门特结算记录) become history heads (结算人数、统筹支付、门诊调增费用 per person × fund × disease × base
 * year, 四(四)1(1)) and the year's spending (四(六)1–3); enrolment rows become the start-of-year plan. Pure.
 */

import type { InsuranceType, Sex } from '../model/case.ts';
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../model/institution.ts';
import type { Fen } from '../model/money.ts';
import type { OutpatientSettlement } from '../model/outpatient.ts';
import type { CapitationHistoryHead, CapitationPolicy, CapitationSpending } from '../payment/capitation/index.ts';
import { pushTo } from '../payment/common/index-by.ts';
import { ageOn, byCode } from '../payment/common/period.ts';

/**
 * Outpatient special-disease settlements summed (in memory, `personYearsOf`) per person × insurance type × disease × calendar year of
 * settlement (set-based: one row per group, never one per visit), with the person's sex and birth date where the
 * persons table holds the person. Money in exact fen (each visit's amount converted, then summed).
 */
export interface OutpatientPersonYear {
  psnNo: string;
  insuranceType: InsuranceType;
  diseaseCode: string;
  year: number;
  visits: number;
  /** Σ hifp_pay 统筹基金支出. */
  fundPay: Fen;
  /** Σ outp_adj_fee 门诊调增费用. */
  outpatientAdjustment: Fen;
  /** From `persons`; absent when the person is not there. */
  person?: { sex: Sex; birthDate: string };
}

/** Collect a streamed reader into one array (for the small tables of a region-year). */
export async function collectBatches<T>(it: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) for (const x of b) out.push(x);
  return out;
}

/** Disease class (1/2) of each special-disease code, as the enrolment rows give it. */
export function diseaseClasses(rows: readonly SpecialDiseaseEnrolment[]): Map<string, 1 | 2> {
  const out = new Map<string, 1 | 2>();
  for (const r of rows) if (!out.has(r.diseaseCode)) out.set(r.diseaseCode, r.diseaseClass);
  return out;
}

/** What the fund paid for a visit in the sense of the standards: 统筹支付 [+ 门诊调增费用] (四(四)1(1)). */
export function visitFundAmount(
  v: Pick<OutpatientSettlement, 'fundPay' | 'outpatientAdjustment'>,
  policy: CapitationPolicy,
): Fen {
  return v.fundPay + (policy.standardBasis.value.includeOutpatientAdjustment ? v.outpatientAdjustment : 0);
}

export interface HistoryHeadsResult {
  heads: CapitationHistoryHead[];
  /** Visits of the capitated class whose person is not in the persons table (cannot be aged): not used. */
  unknownPersonVisits: number;
}

/** Disease codes of the other special-disease class, as the enrolment rows class them (their visits are not matched). */
export function otherClassDiseases(enrolments: readonly SpecialDiseaseEnrolment[], capClass: 1 | 2): string[] {
  return diseasesOfClass(enrolments, (c) => c !== capClass);
}

function diseasesOfClass(enrolments: readonly SpecialDiseaseEnrolment[], keep: (c: 1 | 2) => boolean): string[] {
  return [...diseaseClasses(enrolments)]
    .filter(([, c]) => keep(c))
    .map(([code]) => code)
    .sort(byCode);
}

/**
 * Visits summed per person × fund × disease × calendar year
 * of settlement, with the person's sex and birth date where `persons` has the person. The store computes the same
 * rows set-based (GROUP BY in SQL); this form serves callers that hold visits as objects, and the equality test.
 */
export function personYearsOf(
  visits: readonly OutpatientSettlement[],
  persons: ReadonlyMap<string, InsuredPerson>,
  diseaseCodes?: readonly string[],
): OutpatientPersonYear[] {
  const only = diseaseCodes ? new Set(diseaseCodes) : undefined;
  const acc = new Map<string, OutpatientPersonYear>();
  for (const v of visits) {
    if (only && !only.has(v.diseaseCode)) continue;
    const year = Number(v.settleTime.slice(0, 4));
    const key = `${v.psnNo}\u0000${v.insuranceType}\u0000${v.diseaseCode}\u0000${year}`;
    let a = acc.get(key);
    if (!a) {
      a = {
        psnNo: v.psnNo,
        insuranceType: v.insuranceType,
        diseaseCode: v.diseaseCode,
        year,
        visits: 0,
        fundPay: 0,
        outpatientAdjustment: 0,
      };
      const p = persons.get(v.psnNo);
      if (p) a.person = { sex: p.sex, birthDate: p.birthDate };
      acc.set(key, a);
    }
    a.visits++;
    a.fundPay += v.fundPay;
    a.outpatientAdjustment += v.outpatientAdjustment;
  }
  return [...acc.values()];
}

/**
 * One history head per person × fund × capitated disease × base year with at least one settled visit: the sums
 * of 统筹支付 and 门诊调增费用, age on the policy's day of that year (1 January for `year-start`; 31 December for
 * `year-end`; 1 January for `segment-start`, which has no segment in history), and whether the person held a
 * class-1 special disease (一类门特) during that year. Reads visits already summed per person-year
 * (`personYearsOf`), never a visit at a time (the store groups them itself: `Store.outpatientHistoryGroups`).
 */
export function historyHeads(args: {
  personYears: readonly OutpatientPersonYear[];
  years: readonly number[];
  enrolments: readonly SpecialDiseaseEnrolment[];
  policy: CapitationPolicy;
}): HistoryHeadsResult {
  const { policy } = args;
  const capClass = policy.capitatedDiseaseClass.value;
  const classes = diseaseClasses(args.enrolments);
  const years = new Set(args.years);
  const class1 = new Map<string, SpecialDiseaseEnrolment[]>();
  for (const r of args.enrolments) {
    if (r.diseaseClass !== 1) continue;
    pushTo(class1, r.psnNo, r);
  }
  let unknownPersonVisits = 0;
  const keyed: [string, CapitationHistoryHead][] = [];
  for (const a of args.personYears) {
    if (!years.has(a.year) || classes.get(a.diseaseCode) !== capClass) continue;
    if (!a.person) {
      unknownPersonVisits += a.visits;
      continue;
    }
    const ageDay = policy.riskAgeAsOf.value === 'year-end' ? `${a.year}-12-31` : `${a.year}-01-01`;
    const from = `${a.year}-01-01`;
    const to = `${a.year}-12-31`;
    keyed.push([
      `${a.psnNo}|${a.insuranceType}|${a.diseaseCode}|${a.year}`,
      {
        psnNo: a.psnNo,
        insuranceType: a.insuranceType,
        diseaseCode: a.diseaseCode,
        ageYears: ageOn(a.person.birthDate, ageDay),
        sex: a.person.sex,
        hasClass1: (class1.get(a.psnNo) ?? []).some((r) => r.from <= to && from <= r.to),
        fundPay: a.fundPay,
        outpatientAdjustment: a.outpatientAdjustment,
      },
    ]);
  }
  keyed.sort(([a], [b]) => byCode(a, b));
  return { heads: keyed.map(([, h]) => h), unknownPersonVisits };
}

/**
 * The year's settled visits of the capitated class as `CapitationSpending`: fund-payable = 统筹支付 [+ 门诊调增费用],
 * on the same basis as the standards, so the year end compares like with like. Visits of other classes are
 * counted, not returned (they are paid outside this scheme).
 */
export function yearSpending(
  visits: readonly OutpatientSettlement[],
  enrolments: readonly SpecialDiseaseEnrolment[],
  policy: CapitationPolicy,
): { spending: CapitationSpending[]; otherClassVisits: number } {
  const classes = diseaseClasses(enrolments);
  const capClass = policy.capitatedDiseaseClass.value;
  const spending: CapitationSpending[] = [];
  let otherClassVisits = 0;
  for (const v of visits) {
    const cls = classes.get(v.diseaseCode);
    if (cls !== undefined && cls !== capClass) {
      otherClassVisits++;
      continue;
    }
    spending.push({
      setlId: v.setlId,
      psnNo: v.psnNo,
      institutionCode: v.institutionCode,
      date: v.settleTime.slice(0, 10),
      diseaseCode: v.diseaseCode,
      totalCost: v.totalCost,
      fundPayable: visitFundAmount(v, policy),
    });
  }
  return { spending, otherClassVisits };
}

/**
 * The enrolment the year is planned on (四(五)1 年度总额): the rows in force on 1 January, each planned for the
 * whole year (entries, switches and exits during the year show at the year end, by actual heads).
 */
export function plannedEnrolment(rows: readonly SpecialDiseaseEnrolment[], year: number): SpecialDiseaseEnrolment[] {
  const day = `${year}-01-01`;
  return rows.filter((r) => r.from <= day && day <= r.to).map((r) => ({ ...r, from: day, to: `${year}-12-31` }));
}
