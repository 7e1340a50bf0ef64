/**
 * Attributing the year's settled visits to head segments (定点就医, R-CAP-3): a visit belongs to the segment of
 * the same person and disease whose treating institution served it on a day inside the segment. Visits that fit
 * no segment (another institution, no entitlement that day, a disease not enrolled) or several are listed with
 * the reason — never dropped silently; the year end shows them.
 *
 * The rule is stated once here (`attributeSpending`, over visit objects) and its outcome has one shape that a store
 * may also compute set-based (`SpendingSummary`: sums per segment, the unfitting visits with the reason code), so
 * the year end reads the same figures either way.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 二(二): "参保人员实行定点就医制度"; 四(六)1: "按定点医疗机构实际就诊人头数定额清算"。
 */
import type { SpecialDiseaseEnrolment } from '../../model/institution.ts';
import type { Fen } from '../../model/money.ts';
import { pushTo } from '../common/index-by.ts';
import { byCode } from '../common/period.ts';
import { enrolmentUnitId } from './enrolment.ts';
import type { CapitationPolicy, CapitationSpending } from './types.ts';

/** True when the policy charges a head's visits at another institution to the head's institution (转诊费用). */
export function chargesReferrals(policy: CapitationPolicy): boolean {
  return policy.referralFee.value.method !== 'none';
}

export interface UnattributedVisit {
  visit: CapitationSpending;
  zh: string;
  en: string;
}

export interface Attribution {
  byUnit: Map<string, CapitationSpending[]>;
  unattributed: UnattributedVisit[];
  /**
   * With a referral fee (`referralFee` not `none`): a head's visits at another institution, by the unit id of the
   * head's segment (the first of the person and disease that day) — charged to its institution, not listed.
   */
  referred?: Map<string, CapitationSpending[]>;
}

/** Why a visit fits no head segment: several segments at its institution, another institution, or none that day. */
export type UnattributedReason =
  | { code: 'ambiguous' }
  | { code: 'other-institution'; treatingInstitution: string }
  /** A referral fee not charged: the head it would be charged to is not counted at year end (`referralFee`). */
  | { code: 'referral-not-counted'; treatingInstitution: string }
  | { code: 'no-entitlement' };

/** The visits of one head segment, summed. */
export interface SegmentSpending {
  visits: number;
  /** Σ total cost (医疗费总额). */
  billed: Fen;
  /** Σ fund-payable amount (统筹支付 [+ 门诊调增费用]). */
  fundPayable: Fen;
  /**
   * Σ fund-payable amount of the head's visits at another institution charged to it as a referral fee (转诊费用,
   * `referralFee: visit-fund-spending`); not visits of the head (the actual-heads rule does not count them).
   */
  referral?: Fen;
}

/** The attribution as the year end reads it: sums per head segment (unit id), the unfitting visits listed. */
export interface SpendingSummary {
  byUnit: ReadonlyMap<string, SegmentSpending>;
  /** Ordered by settlement id. */
  unattributed: UnattributedVisit[];
  /**
   * With a referral fee: the visits charged to each head segment (by unit id), so those of a head the year end does
   * not count are listed instead (`referralNotCounted`).
   */
  referred?: ReadonlyMap<string, readonly CapitationSpending[]>;
  /**
   * The same sums by segment position (a store's match, `yearVisitsFromStore`): the segments' enrolment rows in the
   * order matched and their sums as columns (0 for a segment without visits). A pass over rows that holds these rows
   * in the same order reads a head's sums by position instead of looking its unit id up (issue 9: a province's heads).
   */
  bySegment?: SegmentSums;
}

/** Sums of segments by position (`SpendingSummary.bySegment`), exact fen as numbers. */
export interface SegmentSums {
  rows: readonly SpecialDiseaseEnrolment[];
  visits: Float64Array;
  billed: Float64Array;
  fundPayable: Float64Array;
  /** Σ referral fee (`SegmentSpending.referral`), absent when none is charged. */
  referral?: Float64Array;
}

/** The reason of an unattributed visit in words (zh/en). */
export function unattributedVisit(visit: CapitationSpending, reason: UnattributedReason): UnattributedVisit {
  switch (reason.code) {
    case 'ambiguous':
      return { visit, zh: '同日有多条重叠的待遇记录', en: 'several overlapping enrolment rows that day' };
    case 'other-institution':
      return {
        visit,
        zh: `就诊机构 ${visit.institutionCode} 不是当日选定的治疗机构 ${reason.treatingInstitution}`,
        en: `visit at ${visit.institutionCode}, not the treating institution ${reason.treatingInstitution} chosen that day`,
      };
    case 'referral-not-counted':
      return {
        visit,
        zh: `就诊机构 ${visit.institutionCode} 不是当日选定的治疗机构 ${reason.treatingInstitution}；该人头未计入年终清算，不收取转诊费用`,
        en: `visit at ${visit.institutionCode}, not the treating institution ${reason.treatingInstitution} chosen that day; that head is not counted at year end, so no referral fee is charged`,
      };
    case 'no-entitlement':
      return {
        visit,
        zh: `当日无病种 ${visit.diseaseCode} 的二类门特待遇`,
        en: `no entitlement for disease ${visit.diseaseCode} that day`,
      };
  }
}

/**
 * `chargeReferrals` (the policy's `referralFee` is not `none`): a visit at another institution than the head's goes to
 * `referred` under the head's segment (the first that fits, in row order) instead of the unattributed list.
 */
export function attributeSpending(
  spending: readonly CapitationSpending[],
  rows: readonly SpecialDiseaseEnrolment[],
  capitatedClass: 1 | 2,
  chargeReferrals = false,
): Attribution {
  const byPerson = new Map<string, SpecialDiseaseEnrolment[]>();
  for (const r of rows) {
    if (r.diseaseClass !== capitatedClass) continue;
    pushTo(byPerson, r.psnNo, r);
  }
  const byUnit = new Map<string, CapitationSpending[]>();
  const unattributed: UnattributedVisit[] = [];
  const referred = new Map<string, CapitationSpending[]>();
  const sorted = [...spending].sort((a, b) => byCode(a.setlId, b.setlId));
  for (const v of sorted) {
    const day = v.date.slice(0, 10);
    const candidates = (byPerson.get(v.psnNo) ?? []).filter(
      (r) => r.diseaseCode === v.diseaseCode && r.from <= day && day <= r.to,
    );
    const here = candidates.filter((r) => r.treatingInstitution === v.institutionCode);
    if (here.length === 1) {
      const id = enrolmentUnitId(here[0]!);
      pushTo(byUnit, id, v);
    } else if (here.length > 1) {
      unattributed.push(unattributedVisit(v, { code: 'ambiguous' }));
    } else if (candidates.length > 0 && chargeReferrals) {
      pushTo(referred, enrolmentUnitId(candidates[0]!), v);
    } else if (candidates.length > 0) {
      unattributed.push(
        unattributedVisit(v, { code: 'other-institution', treatingInstitution: candidates[0]!.treatingInstitution }),
      );
    } else {
      unattributed.push(unattributedVisit(v, { code: 'no-entitlement' }));
    }
  }
  return chargeReferrals ? { byUnit, unattributed, referred } : { byUnit, unattributed };
}

/** The attribution summed per segment (what the year end reads). */
export function summariseAttribution(a: Attribution): SpendingSummary {
  const byUnit = new Map<string, SegmentSpending>();
  for (const [id, visits] of a.byUnit) {
    let billed = 0;
    let fundPayable = 0;
    for (const v of visits) {
      billed += v.totalCost;
      fundPayable += v.fundPayable;
    }
    byUnit.set(id, { visits: visits.length, billed, fundPayable });
  }
  for (const [id, visits] of a.referred ?? []) {
    let referral = 0;
    for (const v of visits) referral += v.fundPayable;
    const own = byUnit.get(id) ?? { visits: 0, billed: 0, fundPayable: 0 };
    byUnit.set(id, { ...own, referral });
  }
  return a.referred
    ? { byUnit, unattributed: a.unattributed, referred: a.referred }
    : { byUnit, unattributed: a.unattributed };
}

/**
 * The unattributed visits with the referral visits of heads the year end does not count (`notCounted`: unit id → the
 * head's institution), which are charged to no one and so listed; ordered by settlement id.
 */
export function referralNotCounted(
  summary: Pick<SpendingSummary, 'unattributed' | 'referred'>,
  notCounted: readonly { unitId: string; institutionCode: string }[],
): UnattributedVisit[] {
  if (!summary.referred || notCounted.length === 0) return summary.unattributed;
  const listed = [...summary.unattributed];
  for (const h of notCounted)
    for (const v of summary.referred.get(h.unitId) ?? [])
      listed.push(unattributedVisit(v, { code: 'referral-not-counted', treatingInstitution: h.institutionCode }));
  return listed.sort((a, b) => byCode(a.visit.setlId, b.visit.setlId));
}
