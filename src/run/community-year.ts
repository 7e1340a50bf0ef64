/**
 * The medical communities' year from the store and a stored settlement run (R-MC-1…5, R-BUD-4/5, R-DIP-8,
 * R-BEN-1…4): the run's stored units of the members (`run_units`), valued at the run's year-end point value and fund
 * payment ratio (inpatient pool) or at their fixed amounts (capitation and family-doctor heads; capitation then
 * brought to what its stored year end pays, `storedCapitationYearEndAdjustments`), joined with the
 * unit's fund (the case's insutype, the head's person), become the communities' member-month results; the population's spending, history and indicators come from the stored cases
 * and outpatient settlements; the benefits policy is applied to the year's cases for the patient burden by level.
 *
 * Assumptions (stated in the report): the population served is the insured persons of the county by fund as stored
 * (one insurance type per person, the same heads every history year); spending elsewhere and history spending are
 * the settlement lists' pooled-fund payments (hifp_pay; for 门特 visits hifp_pay + outp_adj_fee); a referral inside a community is a discharge by transfer
 * (dscg_way 2/3) followed within a day by an admission at another member of the same community.
 */

import { billScopeFromItems } from '../benefits/bill.ts';
import { burdenByLevel } from '../benefits/burden.ts';
import { settleBill } from '../benefits/one-stop.ts';
import { type BenefitYearState, type BillScope, EMPTY_YEAR, type OneStopResult } from '../benefits/types.ts';
import { type BudgetInput, communityBudget, savedByControl } from '../community/budget.ts';
import { communityEligibility } from '../community/eligibility.ts';
import { assessPerformance, type IndicatorInputs } from '../community/indicators.ts';
import {
  type FundWeight,
  type MemberAdvance,
  type MemberOwnYearEnd,
  type MemberPayment,
  splitAdvancesByFund,
  splitPaymentsByFund,
} from '../community/paid.ts';
import { settleCommunityYear, type YearEndAdjustment } from '../community/reconcile.ts';
import { type AmountClaim, type PointClaim, regionPointTable } from '../community/region-points.ts';
import type { CommunityOutcome, CommunityRunResult } from '../community/run-result.ts';
import {
  aggregateMemberMonths,
  byMemberMonth,
  FUNDS,
  type Fund,
  type MemberMonthResult,
  type MemberUnitRow,
  type PopulationSpending,
} from '../community/types.ts';
import type { InpatientCase } from '../model/case.ts';
import { insuranceTypeWord } from '../model/code-words.ts';
import { type Institution, isPrimaryCare } from '../model/institution.ts';
import { allocateProportional, divRound, type Fen, type Ratio } from '../model/money.ts';
import { POINT_SCALE } from '../model/points.ts';
import type { MethodId } from '../model/unit-result.ts';
import {
  type CapitationPolicy,
  type CapitationYearEndLine,
  type HeadLine,
  type ReferralSum,
  settleCapitationYear,
} from '../payment/capitation/index.ts';
import { pushTo } from '../payment/common/index-by.ts';
import { priceItems } from '../payment/ffs/index.ts';
import { benefitsKind } from '../policy/kinds/benefits.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import { communityPaymentKind } from '../policy/kinds/community-payment.ts';
import { ffsKind } from '../policy/kinds/ffs.ts';
import { type MedicalCommunity, medicalCommunityKind } from '../policy/kinds/medical-community.ts';
import type { PolicySet } from '../policy/registry.ts';
import { SettlementError } from '../settlement/errors.ts';
import type { CommunityBudgetRecord, Store } from '../store/store.ts';
import { CAPITATION_HEADS_KIND, parseCapitationHeadsBasis } from './capitation-heads.ts';
import { snapshotPolicies } from './explain-run.ts';
import { type RunResultsReader, ratioOf, type SettlementRunRecord } from './results.ts';
import { readStoredCapitationYearEnd, type StoredCapitationYearEnd } from './stored-capitation-year-end.ts';

export interface CommunityYearOptions {
  region: string;
  year: number;
  /** Today's community, community-payment, benefits and FFS policies (the run's snapshot holds the methods'). */
  policies: PolicySet;
  /** The settlement run whose results the members were paid by. */
  run: { record: SettlementRunRecord; reader: RunResultsReader };
}

export type { CommunityOutcome, CommunityRunResult } from '../community/run-result.ts';

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

/**
 * A stored unit's valued fund payment: (points × point value + fixed amount) × fund payment ratio, half-up once per
 * unit (the same valuation as the pool's year end, before its largest-remainder split over institutions).
 */
export function valueClaim(
  claim: { points: number | null; amountFen: number | null },
  pointValue: Ratio,
  fpr: Ratio,
): Fen {
  const points = BigInt(claim.points ?? 0);
  const amount = BigInt(claim.amountFen ?? 0);
  const num = (points * pointValue.num + amount * pointValue.den * POINT_SCALE) * fpr.num;
  const den = pointValue.den * POINT_SCALE * fpr.den;
  return Number(divRound(num, den, 'half-up'));
}

/**
 * elsewhereSpendingBasis `run` (001 二(二) 县域外发生的医保基金支出): each case of the population elsewhere (outside
 * its county, or at an in-county non-member) that the run paid counts what the run paid instead of its list's
 * 统筹基金支付 — the difference, by the person's county, fund and where. A case the run did not pay keeps its list's.
 */
export function elsewhereAtRun(
  cases: readonly { setlId: string; psnNo: string; institutionCode: string; fundPay: Fen }[],
  runPaid: ReadonlyMap<string, Fen>,
  persons: ReadonlyMap<string, { county: string; fund: Fund }>,
  institutions: ReadonlyMap<string, { county: string }>,
  communities: readonly { county: string; members: readonly string[] }[],
): { county: string; fund: Fund; where: PopulationSpending['where']; delta: Fen }[] {
  const out: { county: string; fund: Fund; where: PopulationSpending['where']; delta: Fen }[] = [];
  for (const c of cases) {
    const run = runPaid.get(c.setlId);
    const person = persons.get(c.psnNo);
    const at = institutions.get(c.institutionCode);
    if (run === undefined || !person || !at || run === c.fundPay) continue;
    const community = communities.find((m) => m.county === person.county);
    const where =
      at.county !== person.county
        ? ('outside-county' as const)
        : community && !community.members.includes(c.institutionCode)
          ? ('in-county-non-members' as const)
          : null;
    if (where) out.push({ county: person.county, fund: person.fund, where, delta: run - c.fundPay });
  }
  return out;
}

export async function runCommunityYear(store: Store, o: CommunityYearOptions): Promise<CommunityRunResult> {
  const date = `${o.year}-01-01`;
  const registry = o.policies.resolve(medicalCommunityKind, o.region, date);
  const payment = o.policies.resolve(communityPaymentKind, o.region, date);
  const hasBenefits = o.policies.files.some((f) => f.kind === 'benefits' && f.region === o.region);
  const benefits = hasBenefits ? o.policies.resolve(benefitsKind, o.region, date) : undefined;
  const institutions = await store.readInstitutions();
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
  // A community of the policy whose county has no insured persons in the store (another region's data, or persons
  // not yet ingested) cannot have a per-head budget: say so instead of failing deep in the budget arithmetic.
  for (const c of communities) {
    if (FUNDS.some((fund) => (heads.get(`${c.county}|${fund}`) ?? 0) > 0)) continue;
    const file = registry.file;
    throw new SettlementError(
      'MC_NO_POPULATION',
      `医共体 ${c.id}（${file}）所在区县 ${c.county} 在存储中没有参保人：先导入参保人（yibao ingest --kind persons，admdvs 为区县编码），或在政策文件中写本统筹区的医共体`,
      `medical community ${c.id} (${file}) is in county ${c.county}, which has no insured persons in the store: ingest the persons first (yibao ingest --kind persons, admdvs = county code), or list your region's communities in the policy file`,
    );
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
      if (isPrimaryCare(at)) {
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
  // The year's cases, kept compact: the unit's fund and what the benefits need.
  const current: CaseLite[] = [];
  for (const y of years) {
    for await (const batch of store.iterateCases({ year: y }, 100_000))
      for (const c of batch) {
        add(y, c.psnNo, c.institutionCode, c.totalCost, c.fundPay, true);
        if (y === o.year)
          current.push({
            setlId: c.setlId,
            psnNo: c.psnNo,
            institutionCode: c.institutionCode,
            insuranceType: c.insuranceType,
            admissionTime: c.admissionTime,
            dischargeTime: c.dischargeTime,
            dischargeWay: c.dischargeWay,
            totalCost: c.totalCost,
            fundPay: c.fundPay,
            ownPay: c.ownPay,
          });
      }
    // The fund's outlay for a 门特 visit is 统筹支付 + 门诊调增费用 (outp_adj_fee is fund money on top of hifp_pay), as the
    // capitation standards and the store's `sumOutpatientFundPay` count it: the budget's history per head left it out.
    for await (const batch of store.iterateOutpatient({ year: y }, 100_000))
      for (const v of batch) add(y, v.psnNo, v.institutionCode, v.totalCost, v.fundPay + v.outpatientAdjustment, false);
  }

  // Last year's budgets as that year was reconciled (the floor after saving, R-BUD-4), and the year before's (its
  // spending, for the `below-last-year` reading of 支出降低).
  const budgetsOf = async (year: number) =>
    new Map(
      (await store.readCommunityBudgets({ region: o.region, year })).map(
        (b) => [`${b.communityId}|${b.fund}`, b] as const,
      ),
    );
  const lastYear = await budgetsOf(o.year - 1);
  const yearBefore = await budgetsOf(o.year - 2);

  // Members' unit results of the year, as the run stored them.
  const pools = await o.run.reader.pools();
  const pool = pools[0];
  if (!pool) throw new RangeError(`run ${o.run.record.id} has no pool`);
  const pv = ratioOf(pool.pointValue);
  const fpr = ratioOf(pool.fundPaymentRatio);
  const valued = new Set(pools.map((p) => p.poolId));
  const fundOfCase = new Map(current.map((c) => [c.setlId, c.insuranceType] as const));
  const rows: MemberUnitRow[] = [];
  const capitationHeads = new Map<string, CapitationHeadSums>();
  // Members' units of a pool valued case by case, by pool, institution, fund and method: brought to what the run
  // issued each institution (`poolYearEndAdjustments`).
  const poolValued = new Map<string, PoolValuedSum>();
  // The members' pool units by month and fund: the weights that split the pool's monthly payments over the funds.
  const poolWeights: FundWeight[] = [];
  const poolMethods = new Set<string>();
  const pointClaims: PointClaim[] = [];
  const amountClaims: AmountClaim[] = [];
  // elsewhereSpendingBasis `run`: what the run pays for a case at a non-member (points × year-end point value × fund
  // payment ratio), in place of its list's 统筹基金支付 in the spending elsewhere.
  const byRun = payment.values.elsewhereSpendingBasis.value === 'run';
  const runPaidElsewhere = new Map<string, Fen>();
  for await (const batch of o.run.reader.units(undefined, 100_000)) {
    for (const u of batch) {
      // FFS units are the item billing the case methods are compared with, not a payment of their own.
      if (u.status === 'excluded' || u.method === 'ffs') continue;
      const inPool = valued.has(u.poolId);
      const fundPaid = inPool ? valueClaim(u, pv, fpr) : (u.amountFen ?? 0);
      if (byRun && inPool && fundOfCase.has(u.unitId)) runPaidElsewhere.set(u.unitId, fundPaid);
      if (inPool && u.points !== null)
        pointClaims.push({ institutionCode: u.institution, method: u.method, points: u.points });
      else amountClaims.push({ institutionCode: u.institution, method: u.method, amount: fundPaid });
      if (!memberOf.has(u.institution)) continue;
      const fund = fundOfCase.get(u.unitId) ?? persons.get(u.unitId.split('/')[0]!)?.fund;
      if (!fund) continue;
      if (u.method === 'capitation' && u.status === 'paid')
        addCapitationHead(capitationHeads, u.institution, fund, u.amountFen ?? 0, u.billedFen, u.patientPaidFen);
      if (inPool) {
        addPoolValued(poolValued, u.poolId, u.institution, fund, u.method as MethodId, fundPaid);
        poolWeights.push({ institutionCode: u.institution, month: u.month, fund, amount: fundPaid });
        poolMethods.add(u.method);
      }
      rows.push({
        institutionCode: u.institution,
        month: u.month,
        fund,
        method: u.method as MemberUnitRow['method'],
        status: u.status,
        fundPaid,
        points: u.points ?? 0,
        billed: u.billedFen,
        patientPaid: u.patientPaidFen,
      });
    }
  }
  // Capitation at what the run's year end issued each member (stored with the run); a run stored before that was
  // kept: its year end again from the run's policy snapshot and referral fees, as it was issued.
  const storedCapitation = await readStoredCapitationYearEnd(o.run.reader);
  const capitationPolicy = storedCapitation ? undefined : await capitationPolicyOfRun(o.run);
  const yearEndAdjustments: YearEndAdjustment[] = storedCapitation
    ? storedCapitationYearEndAdjustments(capitationHeads, storedCapitation)
    : capitationPolicy
      ? capitationYearEndAdjustments(capitationHeads, capitationPolicy, o.year, await capitationReferralsOfRun(o.run))
      : [];
  const valuedSums = [...poolValued.values()];
  for (const poolId of [...new Set(valuedSums.map((v) => v.poolId))].sort()) {
    const issued = new Map(
      (await o.run.reader.institutionYear(poolId)).map((r) => [r.institution, r.yearEndFen] as const),
    );
    yearEndAdjustments.push(
      ...poolYearEndAdjustments(
        valuedSums.filter((v) => v.poolId === poolId),
        issued,
        POOL_YEAR_END_CLAUSE,
      ),
    );
  }
  const memberMonths = withYearEndAdjustments(aggregateMemberMonths(rows), yearEndAdjustments, o.year);
  const paid = await paidDuringYear(o.run.reader, pools, memberOf, poolWeights, poolMethods, memberMonths);
  const points = regionPointTable(pv, `${o.run.record.id} ${pool.poolId}`, pointClaims, amountClaims);

  // The spending elsewhere of the year at what the run paid (elsewhereSpendingBasis `run`), applied once to the
  // population's year: a case the run paid counts its run amount instead of its list's 统筹基金支付.
  let runElsewhereDone = false;
  const runElsewhereOnce = () => {
    if (runElsewhereDone) return;
    runElsewhereDone = true;
    for (const d of elsewhereAtRun(current, runPaidElsewhere, persons, inst, communities)) {
      const p = popOf(o.year, d.county, d.fund);
      p[d.where === 'outside-county' ? 'outside' : 'nonMembers'] += d.delta;
    }
  };
  const outcomes: CommunityOutcome[] = communities.map((community) => {
    const eligibility = communityEligibility(community, date, registry.values.communities.source);
    const budgets = budgetedFunds(community, heads, memberMonths, registry.file).map((fund) =>
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
          ...lastYearOf(lastYear.get(`${community.id}|${fund}`), yearBefore.get(`${community.id}|${fund}`)),
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
    if (byRun) runElsewhereOnce();
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
        yearEndAdjustments: yearEndAdjustments.filter((a) => members.has(a.institutionCode)),
        payments: paid.payments.filter((p) => members.has(p.institutionCode)),
        memberAdvances: paid.advances.filter((a) => members.has(a.institutionCode)),
        memberYearEnds: paid.yearEnds.filter((y) => members.has(y.institutionCode)),
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
    const split = applyBenefits(current, inst, memberOf, benefits.values, scopes);
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
    runId: o.run.record.id,
    policies: { registry: registry.id, payment: payment.id, ...(benefits ? { benefits: benefits.id } : {}) },
    communities: outcomes,
    institutions,
    points,
    burden,
    referrals,
    pricedBills,
  };
}

/** A member's paid capitation heads summed, as its capitation year end reads them (004 四(六)1), and by fund. */
export interface CapitationHeadSums {
  total: Fen;
  billed: Fen;
  patientPaid: Fen;
  byFund: Map<Fund, Fen>;
}

export function addCapitationHead(
  sums: Map<string, CapitationHeadSums>,
  institutionCode: string,
  fund: Fund,
  amount: Fen,
  billed: Fen,
  patientPaid: Fen,
): void {
  let s = sums.get(institutionCode);
  if (!s) {
    s = { total: 0, billed: 0, patientPaid: 0, byFund: new Map() };
    sums.set(institutionCode, s);
  }
  s.total += amount;
  s.billed += billed;
  s.patientPaid += patientPaid;
  s.byFund.set(fund, (s.byFund.get(fund) ?? 0) + amount);
}

/**
 * Capitation counted at what its year end pays (R-MC-3, 鲁医保发〔2024〕39号 二(三) "将县域医共体按各种付费方式计算获取的医保
 * 基金与县域医共体支出总额预算对账"): a member's heads add up to its total by actual heads (年度总额, 004 四(六)1); the fund
 * pays that total after 结余留用 / 超支分担 (四(六)2–3) — `settleCapitationYear` with the run's capitation policy, the same
 * year end the capitation statements issue. Counting the heads' total instead left out each member's surplus retained
 * or overspend shared. The difference is split over the funds in proportion to their heads' amounts (largest
 * remainder, ties to the fund listed first).
 */
export function capitationYearEndAdjustments(
  sums: ReadonlyMap<string, CapitationHeadSums>,
  policy: CapitationPolicy,
  year: number,
  /** The referral fees the run's year end charged (转诊费用, `referralFee`), by institution code; absent: none. */
  referrals?: ReadonlyMap<string, ReferralSum>,
): YearEndAdjustment[] {
  const codes = [...sums.keys()].sort();
  const lines: HeadLine[] = codes.map((code) => {
    const s = sums.get(code)!;
    return {
      unitId: code,
      institutionCode: code,
      month: `${year}-12`,
      method: 'capitation',
      group: '',
      status: 'paid',
      amount: s.total,
      billed: s.billed,
      patientPaid: s.patientPaid,
      last: undefined,
    };
  });
  const yearEnd = settleCapitationYear({
    year,
    policy,
    results: lines,
    prepayments: [],
    ...(referrals ? { referrals } : {}),
  });
  return splitCapitationYearEnd(sums, yearEnd.lines, policy.sharing.source);
}

/**
 * Capitation counted at what the run's stored year end pays each member (R-MC-3, 鲁医保发〔2024〕39号 二(三); 004 四(六)2–3):
 * the 基金应付 its capitation year-end sheet issued (`capitation-year-end`, with the referral fees it charged and the
 * policy options it applied), never settled again — so the community reads the issued figure even after the
 * capitation policy file is edited. Split over the member's funds as `capitationYearEndAdjustments` does.
 */
export function storedCapitationYearEndAdjustments(
  sums: ReadonlyMap<string, CapitationHeadSums>,
  stored: {
    lines: readonly Pick<CapitationYearEndLine, 'institutionCode' | 'fundPays'>[];
    options: Pick<StoredCapitationYearEnd['options'], 'sharing'>;
  },
): YearEndAdjustment[] {
  return splitCapitationYearEnd(sums, stored.lines, stored.options.sharing.source);
}

/**
 * Each member's capitation year end (what the fund pays) against its counted heads, split over the funds in proportion
 * to their heads' amounts (largest remainder, ties to the fund listed first).
 */
function splitCapitationYearEnd(
  sums: ReadonlyMap<string, CapitationHeadSums>,
  yearEndLines: readonly Pick<CapitationYearEndLine, 'institutionCode' | 'fundPays'>[],
  clause: string,
): YearEndAdjustment[] {
  const out: YearEndAdjustment[] = [];
  for (const line of [...yearEndLines].sort((a, b) => (a.institutionCode < b.institutionCode ? -1 : 1))) {
    const s = sums.get(line.institutionCode);
    if (!s) continue; // referral fees of an institution without paid heads: none (only counted heads are charged)
    const funds = FUNDS.filter((f) => s.byFund.has(f));
    const weights = funds.map((f) => BigInt(s.byFund.get(f)!));
    if (weights.every((w) => w === 0n)) continue;
    const parts = allocateProportional(line.fundPays, weights);
    funds.forEach((fund, k) => {
      out.push({
        institutionCode: line.institutionCode,
        fund,
        method: 'capitation',
        units: s.byFund.get(fund)!,
        yearEnd: parts[k]!,
        clause,
      });
    });
  }
  return out;
}

/** A member's units of one pool valued case by case (`valueClaim`), summed by fund and method. */
export interface PoolValuedSum {
  poolId: string;
  institutionCode: string;
  fund: Fund;
  method: MethodId;
  valued: Fen;
}

function addPoolValued(
  sums: Map<string, PoolValuedSum>,
  poolId: string,
  institutionCode: string,
  fund: Fund,
  method: MethodId,
  valued: Fen,
): void {
  const k = `${poolId}\u0000${institutionCode}\u0000${fund}\u0000${method}`;
  const s = sums.get(k);
  if (s) s.valued += valued;
  else sums.set(k, { poolId, institutionCode, fund, method, valued });
}

/** The clause of the inpatient pool's year-end adjustments (seed 001). */
export const POOL_YEAR_END_CLAUSE =
  '鲁医保发〔2024〕39号 二(三)：将县域医共体按各种付费方式计算获取的医保基金与县域医共体支出总额预算对账';

/**
 * The inpatient pool counted at what the run issued each member (R-MC-3, 鲁医保发〔2024〕39号 二(三) "将县域医共体按各种付费
 * 方式计算获取的医保基金与县域医共体支出总额预算对账"): a member's 年度清算额 as its statement issued it (`run_institution_year`:
 * the pool's budget split over institutions to the fen, then its 结余留用 / 超支分担, 考核系数 and 审核扣款). Valuing the
 * units case by case — (points × point value + fixed amount) × fund payment ratio, half-up each — left those out and
 * missed the issued amount by the rounding too (34,629.07 against the issued 34,629.08 on the demo). The issued amount
 * is split over the member's funds and methods in proportion to their case-by-case values (largest remainder, in the
 * order fund, method); a member whose units are all valued 0 is left as it is.
 */
export function poolYearEndAdjustments(
  sums: readonly PoolValuedSum[],
  issued: ReadonlyMap<string, Fen>,
  clause: string,
): YearEndAdjustment[] {
  const out: YearEndAdjustment[] = [];
  const codes = [...new Set(sums.map((s) => s.institutionCode))].sort();
  for (const code of codes) {
    const yearEnd = issued.get(code);
    if (yearEnd === undefined) continue;
    const mine = sums
      .filter((s) => s.institutionCode === code)
      .sort((a, b) => FUNDS.indexOf(a.fund) - FUNDS.indexOf(b.fund) || (a.method < b.method ? -1 : 1));
    const weights = mine.map((s) => BigInt(Math.max(0, s.valued)));
    if (weights.every((w) => w === 0n)) continue;
    const parts = allocateProportional(yearEnd, weights);
    mine.forEach((s, k) => {
      out.push({
        institutionCode: code,
        fund: s.fund,
        method: s.method,
        units: s.valued,
        yearEnd: parts[k]!,
        clause,
      });
    });
  }
  return out;
}

/** The adjustments added to the members' capitation results of the year's last month (a month line made if none). */
export function withYearEndAdjustments(
  months: readonly MemberMonthResult[],
  adjustments: readonly YearEndAdjustment[],
  year: number,
): MemberMonthResult[] {
  const out = months.map((m) => ({ ...m }));
  const month = `${year}-12`;
  for (const a of adjustments) {
    const delta = a.yearEnd - a.units;
    if (delta === 0) continue;
    let m = out.find(
      (x) => x.institutionCode === a.institutionCode && x.month === month && x.fund === a.fund && x.method === a.method,
    );
    if (!m) {
      m = {
        institutionCode: a.institutionCode,
        month,
        fund: a.fund,
        method: a.method,
        units: 0,
        fundPaid: 0,
        points: 0,
        billed: 0,
        patientPaid: 0,
      };
      out.push(m);
    }
    m.fundPaid += delta;
  }
  return out.sort(byMemberMonth);
}

/** The capitation policy the run applied (its snapshot, never today's file); undefined when it applied none. */
/** The referral fees the run's capitation year end charged, from its stored basis (absent: none). */
async function capitationReferralsOfRun(
  run: CommunityYearOptions['run'],
): Promise<ReadonlyMap<string, ReferralSum> | undefined> {
  const [basis] = await run.reader.derived(CAPITATION_HEADS_KIND);
  const referrals = basis ? parseCapitationHeadsBasis(basis.content).referrals : undefined;
  return referrals ? new Map(referrals) : undefined;
}

async function capitationPolicyOfRun(run: CommunityYearOptions['run']): Promise<CapitationPolicy | undefined> {
  const snapshots = (await run.reader.policies()).filter((p) => p.kind === capitationKind.kind);
  if (snapshots.length === 0) return undefined;
  return snapshotPolicies(snapshots).resolveYear(capitationKind, run.record.region, run.record.year).values;
}

/**
 * The funds a community is budgeted for (R-BUD-4, 鲁医保发〔2024〕39号 二(二) "合理测算各类人头预算标准，结合县域医共体服务人群"):
 * each fund with insured persons in the community's county. A fund with none has no per-head budget and nothing to
 * reconcile, so it is left out — unless the members were paid for that fund's patients, whom no budget would then
 * cover: a SettlementError saying what to ingest (it was a RangeError deep in the budget arithmetic, exit 70).
 */
export function budgetedFunds(
  community: Pick<MedicalCommunity, 'id' | 'county' | 'members'>,
  heads: ReadonlyMap<string, number>,
  memberMonths: readonly Pick<MemberMonthResult, 'institutionCode' | 'fund' | 'units'>[],
  file: string,
): Fund[] {
  const members = new Set(community.members);
  return FUNDS.filter((fund) => {
    if ((heads.get(`${community.county}|${fund}`) ?? 0) > 0) return true;
    const paid = memberMonths.some((m) => m.fund === fund && m.units > 0 && members.has(m.institutionCode));
    if (!paid) return false;
    const zhFund = insuranceTypeWord(fund, 'zh');
    const enFund = insuranceTypeWord(fund, 'en');
    throw new SettlementError(
      'MC_NO_FUND_POPULATION',
      `医共体 ${community.id}（${file}）所在区县 ${community.county} 在存储中没有${zhFund}参保人，但成员单位有${zhFund}的结算：无法按人头测算${zhFund}预算。先导入参保人（yibao ingest --kind persons，写明险种类型，参保地区县 admdvs 为区县编码）`,
      `medical community ${community.id} (${file}): county ${community.county} has no insured persons of ${enFund} in the store, but its members were paid for patients of ${enFund}, so no per-head budget of ${enFund} can be set: ingest the persons first (yibao ingest --kind persons, with their insurance type and admdvs = county code)`,
    );
  });
}

/**
 * What the fund paid the members during the year (R-MC-2), from the run's stored results: a point pool's monthly
 * payments per member (`run_institution_months`, the pre-settlement after the quality deposit) split over the funds
 * by the month's units (`splitPaymentsByFund`); every other method (capitation, family-doctor) at what its own year
 * end pays, as its statements issue it; the members' own pool advances and year ends (`run_institution_year`) — the
 * advances split over the funds by the member's year, deducted under `advanceBasis: members`; the year ends shown as
 * not paid inside the community (R-MC-3).
 */
export async function paidDuringYear(
  reader: RunResultsReader,
  pools: readonly { poolId: string }[],
  memberOf: ReadonlyMap<string, unknown>,
  poolWeights: readonly FundWeight[],
  poolMethods: ReadonlySet<string>,
  memberMonths: readonly MemberMonthResult[],
): Promise<{ payments: MemberPayment[]; advances: MemberAdvance[]; yearEnds: MemberOwnYearEnd[] }> {
  const monthRows: { institutionCode: string; month: string; paid: Fen }[] = [];
  const advanceRows: { institutionCode: string; amount: Fen }[] = [];
  const yearEnds: MemberOwnYearEnd[] = [];
  for (const pool of pools) {
    for (const m of await reader.institutionMonths(pool.poolId))
      if (memberOf.has(m.institution))
        monthRows.push({ institutionCode: m.institution, month: m.month, paid: m.paymentFen });
    for (const y of await reader.institutionYear(pool.poolId)) {
      if (!memberOf.has(y.institution)) continue;
      advanceRows.push({ institutionCode: y.institution, amount: y.advanceFen });
      yearEnds.push({
        institutionCode: y.institution,
        yearEnd: y.yearEndFen,
        monthlyPaid: y.monthlyPaidFen,
        advance: y.advanceFen,
        clearing: y.clearingFen,
      });
    }
  }
  const payments = splitPaymentsByFund(monthRows, poolWeights);
  for (const m of memberMonths)
    if (!poolMethods.has(m.method) && memberOf.has(m.institutionCode) && m.fundPaid !== 0)
      payments.push({
        institutionCode: m.institutionCode,
        month: m.month,
        fund: m.fund,
        method: m.method,
        paid: m.fundPaid,
      });
  return { payments, advances: splitAdvancesByFund(advanceRows, poolWeights), yearEnds };
}

/**
 * A stored budget of last year as the budget's input (an unreconciled year counts its budget as spent), with the year
 * before's counted spending when that year was reconciled.
 */
export function lastYearOf(
  b: CommunityBudgetRecord | undefined,
  before?: CommunityBudgetRecord,
): Pick<BudgetInput, 'lastYear'> {
  if (!b) return {};
  return {
    lastYear: {
      budget: b.budgetFen,
      actual: b.actualFen ?? b.budgetFen,
      savedByControl: b.savedByControl,
      previousActual: before?.actualFen ?? null,
    },
  };
}

/** What the store keeps of a community year: each community's budget by fund, with its year-end actual. */
export function communityBudgetRecords(r: CommunityRunResult): CommunityBudgetRecord[] {
  return r.communities.flatMap((c) =>
    c.budgets.map((b) => {
      const actual = c.result?.funds.find((f) => f.fund === b.fund)?.actual ?? null;
      return {
        region: r.region,
        year: r.year,
        communityId: c.community.id,
        fund: b.fund,
        budgetFen: b.budget,
        actualFen: actual,
        savedByControl: savedByControl({ budget: b.budget, actual }, c.performance),
        runId: r.runId,
      };
    }),
  );
}

/** Keep the year's budgets in the store, so that next year's budget reads them (`community settle`, the demo). */
export async function recordCommunityBudgets(store: Store, r: CommunityRunResult): Promise<void> {
  await store.saveCommunityBudgets(communityBudgetRecords(r));
}

interface SplitBill {
  psnNo: string;
  level: Institution['level'];
  total: Fen;
  /** The settlement list's pooled-fund payment (hifp_pay), shown beside the policy's split. */
  recordedFund: Fen;
  result: OneStopResult;
}

/** Each case's bill split in admission order per person; the deductible continues along referral chains. */
/** What the community year keeps of a case of the year. */
type CaseLite = Pick<
  InpatientCase,
  | 'setlId'
  | 'psnNo'
  | 'institutionCode'
  | 'insuranceType'
  | 'admissionTime'
  | 'dischargeTime'
  | 'dischargeWay'
  | 'totalCost'
  | 'fundPay'
  | 'ownPay'
>;

function applyBenefits(
  cases: readonly CaseLite[],
  inst: ReadonlyMap<string, Institution>,
  memberOf: ReadonlyMap<string, MedicalCommunity>,
  policy: Parameters<typeof settleBill>[3],
  scopes: ReadonlyMap<string, BillScope>,
): { bills: SplitBill[]; referrals: number; priced: number } {
  const byPerson = new Map<string, CaseLite[]>();
  for (const c of cases) pushTo(byPerson, c.psnNo, c);
  const bills: SplitBill[] = [];
  let referrals = 0;
  let priced = 0;
  for (const list of [...byPerson.values()]) {
    list.sort((a, b) => (a.admissionTime < b.admissionTime ? -1 : a.admissionTime > b.admissionTime ? 1 : 0));
    let state: BenefitYearState = EMPTY_YEAR;
    let prev: { c: CaseLite; chainPaid: Fen } | undefined;
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
      bills.push({ psnNo: c.psnNo, level: at.level, total: c.totalCost, recordedFund: c.fundPay, result });
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
