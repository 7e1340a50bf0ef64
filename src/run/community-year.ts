/**
 * The medical communities' year from the store and the current pipeline's results (R-MC-1…5, R-BUD-4/5, R-DIP-8,
 * R-BEN-1…4): the pool's unit results of the members, valued at the pool's year-end point value, become the
 * communities' member-month results; the population's spending, history and indicators come from the stored cases
 * and outpatient settlements; the benefits policy is applied to the year's cases for the patient burden by level.
 *
 * Assumptions (stated in the report): the population served is the insured persons of the county by fund as stored
 * (one insurance type per person, the same heads every history year); spending elsewhere and history spending are
 * the settlement lists' pooled-fund payments (hifp_pay); a referral inside a community is a discharge by transfer
 * (dscg_way 2/3) followed within a day by an admission at another member of the same community.
 */

import { billScopeFromItems } from '../benefits/bill.ts';
import { type BurdenRow, burdenByLevel } from '../benefits/burden.ts';
import { settleBill } from '../benefits/one-stop.ts';
import { type BenefitYearState, type BillScope, EMPTY_YEAR, type OneStopResult } from '../benefits/types.ts';
import { type CommunityBudget, communityBudget } from '../community/budget.ts';
import { communityEligibility, type Eligibility } from '../community/eligibility.ts';
import { assessPerformance, type IndicatorInputs, type PerformanceResult } from '../community/indicators.ts';
import { type CommunityYearResult, settleCommunityYear } from '../community/reconcile.ts';
import {
  type AmountClaim,
  type PointClaim,
  type RegionPointTable,
  regionPointTable,
} from '../community/region-points.ts';
import {
  aggregateMemberMonths,
  FUNDS,
  type Fund,
  type MemberUnitRow,
  type PopulationSpending,
} from '../community/types.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import { divRound, type Fen } from '../model/money.ts';
import { POINT_SCALE } from '../model/points.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { priceItems } from '../payment/ffs/items.ts';
import { benefitsKind } from '../policy/kinds/benefits.ts';
import { communityPaymentKind } from '../policy/kinds/community-payment.ts';
import { ffsKind } from '../policy/kinds/ffs.ts';
import { type MedicalCommunity, medicalCommunityKind } from '../policy/kinds/medical-community.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { Store } from '../store/store.ts';
import type { CapitationYearResult } from './capitation-year.ts';
import type { InpatientYear } from './inpatient-year.ts';

export interface CommunityYearOptions {
  region: string;
  year: number;
  policies: PolicySet;
  inpatient: InpatientYear;
  capitation?: CapitationYearResult;
}

export interface CommunityOutcome {
  community: MedicalCommunity;
  eligibility: Eligibility;
  budgets: CommunityBudget[];
  indicatorInputs: IndicatorInputs;
  performance: PerformanceResult;
  /** Null when the community is not eligible (its members are settled one by one). */
  result: CommunityYearResult | null;
}

export interface CommunityRunResult {
  region: string;
  year: number;
  policies: { registry: string; payment: string; benefits?: string };
  communities: CommunityOutcome[];
  institutions: Institution[];
  points: RegionPointTable;
  /** Patient burden by level (all the year's cases, and those of each community's population). */
  burden: { scope: string; rows: BurdenRow[] }[];
  referrals: number;
  /** Bills split from their priced fee items (the others from the settlement list's own-pay amount). */
  pricedBills: number;
}

interface PopulationYear {
  medicalCost: Fen;
  fundPaid: Fen;
  inCounty: Fen;
  primary: Fen;
  visits: number;
  primaryVisits: number;
  admissions: number;
  outsideAdmissions: number;
  /** Fund spending elsewhere by where. */
  outside: Fen;
  nonMembers: Fen;
}

const emptyYear = (): PopulationYear => ({
  medicalCost: 0,
  fundPaid: 0,
  inCounty: 0,
  primary: 0,
  visits: 0,
  primaryVisits: 0,
  admissions: 0,
  outsideAdmissions: 0,
  outside: 0,
  nonMembers: 0,
});

/** A unit's valued fund payment: (points × point value + fixed amount) × fund payment ratio, half-up per unit. */
export function valueUnit(
  u: UnitResult,
  pointValue: { num: bigint; den: bigint },
  fpr: { num: bigint; den: bigint },
): Fen {
  const points = u.claim.kind === 'points' ? BigInt(u.claim.points) : 0n;
  const amount = u.claim.kind === 'amount' ? BigInt(u.claim.amount) : 0n;
  // exact fen = (points × pv.num / (pv.den × SCALE) + amount) × fpr
  const num = (points * pointValue.num + amount * pointValue.den * POINT_SCALE) * fpr.num;
  const den = pointValue.den * POINT_SCALE * fpr.den;
  return Number(divRound(num, den, 'half-up'));
}

export async function runCommunityYear(store: Store, o: CommunityYearOptions): Promise<CommunityRunResult> {
  const date = `${o.year}-01-01`;
  const registry = o.policies.resolve(medicalCommunityKind, o.region, date);
  const payment = o.policies.resolve(communityPaymentKind, o.region, date);
  const hasBenefits = o.policies.files.some((f) => f.kind === 'benefits' && f.region === o.region);
  const benefits = hasBenefits ? o.policies.resolve(benefitsKind, o.region, date) : undefined;
  const institutions = o.inpatient.institutions;
  const inst = new Map(institutions.map((i) => [i.code, i] as const));
  const communities = registry.values.communities.value;
  const memberOf = new Map<string, MedicalCommunity>();
  for (const c of communities) for (const m of c.members) memberOf.set(m, c);

  // Persons: county and fund; heads by county × fund.
  const persons = new Map<string, { county: string; fund: Fund }>();
  const heads = new Map<string, number>();
  for await (const batch of store.iteratePersons(100_000)) {
    for (const p of batch) {
      persons.set(p.psnNo, { county: p.county, fund: p.insuranceType });
      const k = `${p.county}|${p.insuranceType}`;
      heads.set(k, (heads.get(k) ?? 0) + 1);
    }
  }

  // The population's years: history (budget), last year (cost growth) and the year itself.
  const nHistory = payment.values.perHeadHistoryWeights.value.length;
  const years = Array.from({ length: nHistory }, (_, i) => o.year - nHistory + i);
  if (!years.includes(o.year - 1)) years.push(o.year - 1);
  years.push(o.year);
  const pop = new Map<string, PopulationYear>(); // `${year}|${county}|${fund}`
  const popOf = (year: number, county: string, fund: Fund) => {
    const k = `${year}|${county}|${fund}`;
    let p = pop.get(k);
    if (!p) {
      p = emptyYear();
      pop.set(k, p);
    }
    return p;
  };
  const add = (year: number, psnNo: string, institutionCode: string, cost: Fen, fundPay: Fen, admission: boolean) => {
    const person = persons.get(psnNo);
    const at = inst.get(institutionCode);
    if (!person || !at) return;
    const p = popOf(year, person.county, person.fund);
    const inCounty = at.county === person.county;
    p.medicalCost += cost;
    p.fundPaid += fundPay;
    p.visits += 1;
    if (inCounty) {
      p.inCounty += fundPay;
      if (at.level === 'primary') {
        p.primary += fundPay;
        p.primaryVisits += 1;
      }
    }
    if (admission) {
      p.admissions += 1;
      if (!inCounty) p.outsideAdmissions += 1;
    }
    const community = communities.find((c) => c.county === person.county);
    if (!inCounty) p.outside += fundPay;
    else if (community && !community.members.includes(institutionCode)) p.nonMembers += fundPay;
  };
  for (const y of years) {
    const cases = y === o.year ? [o.inpatient.current] : store.iterateCases({ year: y }, 100_000);
    for await (const batch of cases)
      for (const c of batch) add(y, c.psnNo, c.institutionCode, c.totalCost, c.fundPay, true);
    for await (const batch of store.iterateOutpatient({ year: y }, 100_000))
      for (const v of batch) add(y, v.psnNo, v.institutionCode, v.totalCost, v.fundPay, false);
  }

  // Members' unit results of the year, valued at the pool's year-end point value.
  const s = o.inpatient.settlement;
  const pv = s.pointValue.pointValue;
  const fpr = s.fundPaymentRatio;
  const fundOfCase = new Map(o.inpatient.current.map((c) => [c.setlId, c.insuranceType] as const));
  const poolUnits: UnitResult[] = o.inpatient.dip
    ? [...o.inpatient.dip.units, ...o.inpatient.perDiemUnits, ...o.inpatient.singleDiseaseUnits]
    : [...o.inpatient.drg!.units, ...o.inpatient.perDiemUnits, ...o.inpatient.singleDiseaseUnits];
  const rows: MemberUnitRow[] = [];
  const pointClaims: PointClaim[] = [];
  const amountClaims: AmountClaim[] = [];
  for (const u of poolUnits) {
    if (u.status === 'excluded') continue;
    if (u.claim.kind === 'points')
      pointClaims.push({ institutionCode: u.institutionCode, method: u.method, points: u.claim.points });
    else amountClaims.push({ institutionCode: u.institutionCode, method: u.method, amount: valueUnit(u, pv, fpr) });
    const fund = fundOfCase.get(u.unitId);
    if (!fund || !memberOf.has(u.institutionCode)) continue;
    rows.push({
      institutionCode: u.institutionCode,
      month: u.month,
      fund,
      method: u.method,
      status: u.status,
      fundPaid: valueUnit(u, pv, fpr),
      points: u.claim.kind === 'points' ? u.claim.points : 0,
      billed: u.billed,
      patientPaid: u.patientPaid,
    });
  }
  for (const u of [...(o.capitation?.yearEndUnits ?? []), ...(o.capitation?.familyDoctor.units ?? [])]) {
    if (u.status === 'excluded' || u.claim.kind !== 'amount') continue;
    amountClaims.push({ institutionCode: u.institutionCode, method: u.method, amount: u.claim.amount });
    const person = persons.get(u.unitId.split('/')[0]!);
    if (!person || !memberOf.has(u.institutionCode)) continue;
    rows.push({
      institutionCode: u.institutionCode,
      month: u.month,
      fund: person.fund,
      method: u.method,
      status: u.status,
      fundPaid: u.claim.amount,
      points: 0,
      billed: u.billed,
      patientPaid: u.patientPaid,
    });
  }
  const memberMonths = aggregateMemberMonths(rows);
  const points = regionPointTable(pv, s.pointValue.steps[0]?.clause ?? s.poolId, pointClaims, amountClaims);

  const outcomes: CommunityOutcome[] = communities.map((community) => {
    const eligibility = communityEligibility(community, date, registry.values.communities.source);
    const budgets = FUNDS.map((fund) =>
      communityBudget(
        {
          communityId: community.id,
          fund,
          year: o.year,
          history: years
            .filter((y) => y < o.year)
            .slice(-nHistory)
            .map((y) => ({
              year: y,
              fundSpending: popOf(y, community.county, fund).fundPaid,
              population: heads.get(`${community.county}|${fund}`) ?? 0,
            })),
          population: heads.get(`${community.county}|${fund}`) ?? 0,
        },
        payment.values,
      ),
    );
    const both = (y: number) => {
      const [e, r] = [popOf(y, community.county, 'employee'), popOf(y, community.county, 'resident')];
      const sum = emptyYear();
      for (const k of Object.keys(sum) as (keyof PopulationYear)[]) sum[k] = e[k] + r[k];
      return sum;
    };
    const now = both(o.year);
    const indicatorInputs: IndicatorInputs = {
      medicalCost: now.medicalCost,
      lastYearMedicalCost: both(o.year - 1).medicalCost,
      fundPaid: now.fundPaid,
      inCountyFundPaid: now.inCounty,
      primaryFundPaid: now.primary,
      visits: now.visits,
      primaryVisits: now.primaryVisits,
      admissions: now.admissions,
      outsideCountyAdmissions: now.outsideAdmissions,
    };
    const performance = assessPerformance(indicatorInputs, payment.values);
    if (!eligibility.eligible) return { community, eligibility, budgets, indicatorInputs, performance, result: null };
    const populationSpending: PopulationSpending[] = FUNDS.flatMap((fund) => {
      const p = popOf(o.year, community.county, fund);
      return [
        { fund, where: 'outside-county' as const, amount: p.outside },
        { fund, where: 'in-county-non-members' as const, amount: p.nonMembers },
      ];
    });
    const members = new Set(community.members);
    const result = settleCommunityYear(
      {
        communityId: community.id,
        name: community.name,
        lead: community.lead,
        year: o.year,
        members: community.members,
        budgets,
        memberMonths: memberMonths.filter((m) => members.has(m.institutionCode)),
        populationSpending,
        compensations: community.compensations,
        performance,
      },
      payment.values,
    );
    return { community, eligibility, budgets, indicatorInputs, performance, result };
  });

  // Patient benefits on the year's cases (R-BEN): one-stop split, referral chains inside a community.
  const burden: CommunityRunResult['burden'] = [];
  let referrals = 0;
  let pricedBills = 0;
  if (benefits) {
    const scopes = await billScopes(store, o);
    const split = applyBenefits(o.inpatient.current, inst, memberOf, benefits.values, scopes);
    referrals = split.referrals;
    pricedBills = split.priced;
    burden.push({ scope: 'region', rows: burdenByLevel(split.bills) });
    for (const c of communities) {
      burden.push({
        scope: c.id,
        rows: burdenByLevel(split.bills.filter((b) => persons.get(b.psnNo)?.county === c.county)),
      });
    }
  }
  return {
    region: o.region,
    year: o.year,
    policies: { registry: registry.id, payment: payment.id, ...(benefits ? { benefits: benefits.id } : {}) },
    communities: outcomes,
    institutions,
    points,
    burden,
    referrals,
    pricedBills,
  };
}

interface SplitBill {
  psnNo: string;
  level: Institution['level'];
  total: Fen;
  result: OneStopResult;
}

/** Each case's bill split in admission order per person; the deductible continues along referral chains. */
function applyBenefits(
  cases: readonly InpatientCase[],
  inst: ReadonlyMap<string, Institution>,
  memberOf: ReadonlyMap<string, MedicalCommunity>,
  policy: Parameters<typeof settleBill>[3],
  scopes: ReadonlyMap<string, BillScope>,
): { bills: SplitBill[]; referrals: number; priced: number } {
  const byPerson = new Map<string, InpatientCase[]>();
  for (const c of cases) {
    const list = byPerson.get(c.psnNo);
    if (list) list.push(c);
    else byPerson.set(c.psnNo, [c]);
  }
  const bills: SplitBill[] = [];
  let referrals = 0;
  let priced = 0;
  for (const list of [...byPerson.values()]) {
    list.sort((a, b) => (a.admissionTime < b.admissionTime ? -1 : a.admissionTime > b.admissionTime ? 1 : 0));
    let state: BenefitYearState = EMPTY_YEAR;
    let prev: { c: InpatientCase; chainPaid: Fen } | undefined;
    for (const c of list) {
      const at = inst.get(c.institutionCode);
      if (!at) continue;
      const community = memberOf.get(c.institutionCode);
      const referred =
        prev !== undefined &&
        (prev.c.dischargeWay === '2' || prev.c.dischargeWay === '3') &&
        community !== undefined &&
        memberOf.get(prev.c.institutionCode) === community &&
        prev.c.institutionCode !== c.institutionCode &&
        dayDiff(prev.c.dischargeTime, c.admissionTime) <= 1;
      if (referred) referrals++;
      const scope = scopes.get(c.setlId);
      const bill: BillScope =
        scope && scope.total === c.totalCost
          ? scope
          : { total: c.totalCost, ownPay: c.ownPay, excluded: [], classBSelfPay: 0, inScope: c.totalCost - c.ownPay };
      if (scope && scope.total === c.totalCost) priced++;
      const result = settleBill(
        bill,
        {
          fund: c.insuranceType,
          service: 'inpatient',
          level: at.level,
          ...(referred ? { referral: { communityId: community!.id, chainDeductiblePaid: prev!.chainPaid } } : {}),
        },
        state,
        policy,
      );
      state = result.state;
      prev = { c, chainPaid: (referred ? prev!.chainPaid : 0) + result.deductible };
      bills.push({ psnNo: c.psnNo, level: at.level, total: c.totalCost, result });
    }
  }
  return { bills, referrals, priced };
}

/**
 * Each settlement's bill scope from its priced fee items (R-BEN-3 exclusions and catalog classes of the FFS
 * policy), when the region has an FFS policy and the store has the items; only per-settlement sums are kept.
 */
async function billScopes(store: Store, o: CommunityYearOptions): Promise<Map<string, BillScope>> {
  const out = new Map<string, BillScope>();
  if (!o.policies.files.some((f) => f.kind === 'ffs' && f.region === o.region)) return out;
  const ffs = o.policies.resolve(ffsKind, o.region, `${o.year}-01-01`).values;
  for await (const batch of store.iterateFeeItems({ year: o.year }, 100_000)) {
    for (const p of priceItems(batch, ffs)) {
      const add = billScopeFromItems([p]);
      const s = out.get(p.item.setlId);
      if (!s) {
        out.set(p.item.setlId, add);
        continue;
      }
      s.total += add.total;
      s.ownPay += add.ownPay;
      s.classBSelfPay += add.classBSelfPay;
      s.inScope += add.inScope;
      for (const e of add.excluded) {
        const x = s.excluded.find((y) => y.reason === e.reason);
        if (x) x.amount += e.amount;
        else s.excluded.push(e);
      }
    }
  }
  return out;
}

function dayDiff(a: string, b: string): number {
  return Math.floor(
    (Date.parse(`${b.slice(0, 10)}T00:00:00Z`) - Date.parse(`${a.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
  );
}
