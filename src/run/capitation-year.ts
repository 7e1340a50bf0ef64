/**
 * The capitation year of a region from the store (按病种结合人头付费 + 家庭医生签约服务费, seed 004, R-CAP-1…6), in
 * the order of src/payment/capitation/README.md: calibrate → plan (annual totals) → 12 monthly prepayments at 95 %
 * → family-doctor contracts and the mid-year prepayment → year end by actual heads with the sharing bands →
 * family-doctor year end.
 *
 * Read from the store: enrolments, persons, institutions, outpatient special-disease settlements of the base
 * years (history heads) and of the year (spending), and — only when neither caps nor budgets are given — the
 * previous year's pooled-fund spending as the fund budgets. Where the data has nothing to say, the run states the
 * reading it takes (`assumptions`, zh/en) rather than inventing a number.
 */
import type { InsuranceType } from '../model/case.ts';
import type { Institution, InsuredPerson, SpecialDiseaseEnrolment } from '../model/institution.ts';
import { type Fen, ONE } from '../model/money.ts';
import type { OutpatientSettlement } from '../model/outpatient.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { Assumption, CapitationHeads, CapitationYearResult } from '../payment/capitation/index.ts';
import {
  attributeSpending,
  type CapitationCaps,
  type CapitationHistoryGroup,
  type CapitationPolicy,
  type CapitationSpending,
  calibrateCapitation,
  capitationCaps,
  capitationPlanTotals,
  capitationPrepayments,
  chargesReferrals,
  enrolmentUnitId,
  evaluateCapitationHeads,
  evaluateFamilyDoctorHeads,
  type FamilyDoctorAssessment,
  type FamilyDoctorContract,
  familyDoctorContracts,
  familyDoctorMidYear,
  familyDoctorYearEnd,
  headIndex,
  headLines,
  headUnits,
  historyGroupsOf,
  personIndex,
  policyFixesCaps,
  referralNotCounted,
  type SegmentSpending,
  type SegmentSums,
  type SpendingSummary,
  settleCapitationYear,
  summariseAttribution,
  type UnattributedVisit,
  unattributedVisit,
} from '../payment/capitation/index.ts';
import { pushTo } from '../payment/common/index-by.ts';
import { byCode, yearPeriod } from '../payment/common/period.ts';
import type { TraceOption } from '../payment/common/trace.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { Store } from '../store/store.ts';
import {
  collectBatches,
  historyHeads,
  otherClassDiseases,
  personYearsOf,
  plannedEnrolment,
  visitFundAmount,
  yearSpending,
} from './capitation-inputs.ts';

export interface CapitationYearOptions {
  region: string;
  year: number;
  policies: PolicySet;
  /** The capitation caps (总控额度) by fund, when the budget fixes them. */
  caps?: CapitationCaps;
  /** The funds' spending budgets (基金支出总预算), when the policy takes a share of them. */
  fundBudgets?: Record<InsuranceType, Fen>;
  /** Base years of the standards (default: the three years before `year`). */
  historyYears?: readonly number[];
  /** Family-doctor annual assessment scores (default: 1 for every institution with contracts). */
  assessments?: readonly FamilyDoctorAssessment[];
  /**
   * Which heads (plan, year end, family doctor) carry their whole trace; default none: each unit keeps its last
   * step (its basis), and `explain` asks for the one head it shows (`explainCapitationHead`).
   */
  trace?: TraceOption;
}

export {
  type Assumption,
  type CapitationHeads,
  type CapitationYearResult,
  type CapitationYearSummary,
  summariseCapitationYear,
} from '../payment/capitation/index.ts';

/** Everything the pure part needs, as read from the store. */
export interface CapitationYearInputs {
  enrolments: readonly SpecialDiseaseEnrolment[];
  /** At least the persons of the enrolment rows (risk factors). */
  persons: readonly InsuredPerson[];
  institutions: Institution[];
  /**
   * Settlements as objects: the year's (when `yearVisits` is absent) and, when `history` is absent, the base years'
   * (summed into history). The store path gives `history` and `yearVisits` instead and leaves this empty.
   */
  visits: readonly OutpatientSettlement[];
  /** The year's settlements already matched to head segments and summed (set-based in the store); wins over `visits`. */
  yearVisits?: YearVisits;
  /**
   * The base years' history heads (one per person × fund × disease × year with a settlement) grouped set-based in
   * the store by what calibration reads (`Store.outpatientHistoryGroups`): the groups of known persons, the heads
   * and visits of persons not in the persons table, and the count of settlements in the base years; absent: summed
   * from `visits`.
   */
  history?: {
    groups: readonly CapitationHistoryGroup[];
    heads: number;
    unknownPersonVisits: number;
    visits: number;
  };
  /**
   * The disease codes of the other special-disease class as the period's rows class them (sorted); absent: as
   * `enrolments` class them.
   */
  otherClassDiseases?: readonly string[];
  /** The year's family-doctor contracts and conflicts, as `familyDoctorContracts` makes them from the year's rows. */
  familyDoctor?: { contracts: FamilyDoctorContract[]; conflicts: string[] };
  /** Persons enrolled or settled in the period read (the count the run reports); absent: `persons.length`. */
  personCount?: number;
  /** Pooled-fund spending of the year before, by fund (only used when no caps or budgets are given). */
  previousYearFundSpending?: Record<InsuranceType, Fen>;
}

/** The settlement year's visits as the year end reads them, matched and summed (see `yearVisitsFromStore`). */
export interface YearVisits {
  /** Settled visits of the year. */
  visits: number;
  /** Of which of another special-disease class (paid outside the scheme). */
  otherClassVisits: number;
  /** The capitated visits attributed to head segments and summed per segment; the rest listed with the reason. */
  attribution: SpendingSummary;
  /** Indexes (in `familyDoctorContracts` order) of the contracts with a settled visit during the contract. */
  servedContracts: ReadonlySet<number>;
}

const defaultHistoryYears = (year: number) => [year - 3, year - 2, year - 1];

/**
 * The year's visits matched to the head segments and family-doctor contracts in the store (R-CAP-3, set-based): the
 * segments are the year's enrolment rows of the capitated class; a visit of another class is counted, not matched;
 * only visits that fit no segment come back as rows. Same figures as `yearSpending` + `attributeSpending` over the
 * visit objects (src/run/capitation-sql.test.ts).
 */
export async function yearVisitsFromStore(
  store: Store,
  o: {
    year: number;
    policy: CapitationPolicy;
    enrolments: readonly SpecialDiseaseEnrolment[];
    /** The other class's disease codes (default: as `enrolments` class them). */
    excludeDiseases?: readonly string[];
    /** Only this person's visits (`explain` of one head: its enrolment rows are the person's). */
    psnNo?: string;
    /** The year's family-doctor contracts (default: made from `enrolments`, `familyDoctorContracts`). */
    familyDoctor?: { contracts: readonly FamilyDoctorContract[] };
  },
): Promise<YearVisits> {
  const { year, policy } = o;
  const capClass = policy.capitatedDiseaseClass.value;
  const yearFrom = `${year}-01-01`;
  const yearTo = `${year}-12-31`;
  const actual = o.enrolments.filter((r) => r.from <= yearTo && yearFrom <= r.to);
  const excludeDiseases = o.excludeDiseases ?? otherClassDiseases(o.enrolments, capClass);
  const segmentRows = actual.filter((r) => r.diseaseClass === capClass);
  const segments = segmentRows.map((r) => ({
    id: enrolmentUnitId(r),
    psnNo: r.psnNo,
    diseaseCode: r.diseaseCode,
    institution: r.treatingInstitution,
    from: r.from,
    to: r.to,
  }));
  const periods = (o.familyDoctor ?? familyDoctorContracts(actual, year, capClass)).contracts.map((c, id) => ({
    id,
    psnNo: c.psnNo,
    from: c.from,
    to: c.to,
  }));
  const filter = o.psnNo === undefined ? { year } : { year, psnNo: o.psnNo };
  const m = await store.matchOutpatientToSegments(filter, { segments, excludeDiseases, periods });
  // The sums by segment position (the year end reads them so, `SpendingSummary.bySegment`); by unit id only if asked.
  const n = segmentRows.length;
  const bySegment: SegmentSums = {
    rows: segmentRows,
    visits: new Float64Array(n),
    billed: new Float64Array(n),
    fundPayable: new Float64Array(n),
  };
  for (const g of m.bySegment) {
    bySegment.visits[g.segment] = g.visits;
    bySegment.billed[g.segment] = g.totalCost;
    bySegment.fundPayable[g.segment] = visitFundAmount(g, policy);
  }
  // A referral fee (转诊费用, `referralFee`): a visit at another institution than its head's goes to the head's segment
  // (the first that fits that day) as a referral sum — not a visit of the head, and no longer listed.
  const referral = chargesReferrals(policy) ? new Float64Array(n) : undefined;
  if (referral) bySegment.referral = referral;
  const referred = (u: (typeof m.unmatched)[number]) =>
    referral !== undefined && u.atInstitution === 0 && u.candidates > 0 && u.firstSegment !== null;
  let byUnit: Map<string, SegmentSpending> | undefined;
  const byUnitOf = () => {
    if (!byUnit) {
      byUnit = new Map();
      for (let k = 0; k < n; k++)
        if (bySegment.visits[k]! > 0 || (referral?.[k] ?? 0) > 0)
          byUnit.set(enrolmentUnitId(segmentRows[k]!), {
            visits: bySegment.visits[k]!,
            billed: bySegment.billed[k]!,
            fundPayable: bySegment.fundPayable[k]!,
            ...(referral ? { referral: referral[k]! } : {}),
          });
    }
    return byUnit;
  };
  const unattributed: UnattributedVisit[] = [];
  const referredVisits = new Map<string, CapitationSpending[]>();
  for (const u of m.unmatched) {
    const spending: CapitationSpending = {
      setlId: u.setlId,
      psnNo: u.psnNo,
      institutionCode: u.institutionCode,
      date: u.day,
      diseaseCode: u.diseaseCode,
      totalCost: u.totalCost,
      fundPayable: visitFundAmount(u, policy),
    };
    if (referred(u)) {
      referral![u.firstSegment!]! += spending.fundPayable;
      pushTo(referredVisits, enrolmentUnitId(segmentRows[u.firstSegment!]!), spending);
      continue;
    }
    unattributed.push(
      unattributedVisit(
        spending,
        u.atInstitution > 1
          ? { code: 'ambiguous' }
          : u.candidates > 0
            ? { code: 'other-institution', treatingInstitution: u.firstInstitution ?? '' }
            : { code: 'no-entitlement' },
      ),
    );
  }
  return {
    visits: m.visits,
    otherClassVisits: m.excludedVisits,
    attribution: {
      get byUnit() {
        return byUnitOf();
      },
      unattributed,
      bySegment,
      ...(referral ? { referred: referredVisits } : {}),
    },
    servedContracts: new Set(m.periodsWithVisit),
  };
}

/**
 * Reads set-based where the data is large: the base years' visits come summed per person-year (GROUP BY in the
 * store), the settlement year's visits matched to head segments and summed per segment in the store (the visit's
 * day picks the segment: a range join in SQL; only visits that fit no segment come back as rows), the previous
 * year's fund spending as two sums, persons only those enrolled.
 */
export async function runCapitationYear(
  store: Store,
  o: CapitationYearOptions,
  seconds: CapitationSeconds = {},
): Promise<CapitationYearResult> {
  let at = performance.now();
  /** Wall seconds of the part since the last lap (the bench prints them: what a province's year costs where). */
  const lap = (part: keyof CapitationSeconds) => {
    const now = performance.now();
    seconds[part] = (seconds[part] ?? 0) + (now - at) / 1000;
    at = now;
  };
  const historyYears = [...(o.historyYears ?? defaultHistoryYears(o.year))].sort((a, b) => a - b);
  const first = Math.min(historyYears[0] ?? o.year, o.year - 1);
  const period = { from: `${first}-01-01`, to: `${o.year}-12-31` };
  const policy = o.policies.resolveYear(capitationKind, o.region, o.year).values;
  const capClass = policy.capitatedDiseaseClass.value;
  // The diseases' classes as the period's rows give them (SQL); only the settlement year's rows and their persons
  // are read as objects — the base years are grouped in the store (issue 9: a province's four years of rows).
  const classes = await store.enrolmentDiseaseClasses(period);
  const ofClass = (keep: (c: 1 | 2) => boolean) =>
    classes
      .filter((c) => keep(c.diseaseClass))
      .map((c) => c.code)
      .sort(byCode);
  const otherClass = ofClass((c) => c !== capClass);
  const enrolments = await store.readEnrolments(yearPeriod(o.year));
  lap('enrolments');
  // The rows read are the year's: the contracts are made once, for the matching and for the year.
  const familyDoctor = familyDoctorContracts(enrolments, o.year, capClass);
  const yearVisits = await yearVisitsFromStore(store, {
    year: o.year,
    policy,
    enrolments,
    excludeDiseases: otherClass,
    familyDoctor,
  });
  lap('match');
  const persons = await collectBatches(store.iteratePersons(undefined, { enrolled: yearPeriod(o.year) }));
  lap('persons');
  const personCount = await store.countPersons({ enrolled: period, visited: period });
  const baseYears = historyYears.filter((y) => y >= first && y <= o.year);
  const history = await historyFromStore(store, {
    years: baseYears,
    diseaseCodes: ofClass((c) => c === capClass),
    policy,
  });
  let historyVisits = 0;
  for (const y of baseYears) historyVisits += await store.countOutpatient({ year: y });
  const institutions = await store.readInstitutions();
  let previousYearFundSpending: Record<InsuranceType, Fen> | undefined;
  if (!o.caps && !o.fundBudgets) {
    const prev = o.year - 1;
    const cases = await store.sumCaseFundPay({ year: prev });
    const outpatient = await store.sumOutpatientFundPay({ year: prev });
    previousYearFundSpending = {
      employee: cases.employee + outpatient.employee,
      resident: cases.resident + outpatient.resident,
    };
  }
  lap('history');
  const year = capitationYear(o, {
    enrolments,
    persons,
    institutions,
    visits: [],
    yearVisits,
    history: { ...history, visits: historyVisits },
    otherClassDiseases: otherClass,
    familyDoctor,
    personCount,
    ...(previousYearFundSpending ? { previousYearFundSpending } : {}),
  });
  lap('evaluate');
  return year;
}

/**
 * Wall seconds of `runCapitationYear`'s parts (filled in when the caller passes the record): the year's enrolment rows read (and the diseases' classes), the year's
 * visits matched to head segments in the store, the persons read, the person count and the grouped history (with the
 * previous year's spending), and the pure year (calibrate, plan, year end, family doctor).
 */
export type CapitationSeconds = Partial<Record<'enrolments' | 'match' | 'persons' | 'history' | 'evaluate', number>>;

/** The pure part: the whole capitation year from its inputs. */
export function capitationYear(o: CapitationYearOptions, input: CapitationYearInputs): CapitationYearResult {
  const { year } = o;
  const resolved = o.policies.resolveYear(capitationKind, o.region, year);
  const policy: CapitationPolicy = resolved.values;
  const capClass = policy.capitatedDiseaseClass.value;
  const historyYears = [...(o.historyYears ?? defaultHistoryYears(year))].sort((a, b) => a - b);
  const assumptions: Assumption[] = [];
  // R-CAP-1: the history heads (grouped) and the cap.
  const history = input.history ?? historyOfVisits(input, historyYears, policy);
  let budget: CapitationYearResult['budget'];
  let caps: CapitationCaps;
  if (o.caps) {
    budget = { basis: 'caps' };
    caps = o.caps; // given with the annual budget (四(三)1), whatever share the policy states
  } else if (policyFixesCaps(policy)) {
    budget = { basis: 'policy' };
    caps = capitationCaps(policy, {});
  } else if (o.fundBudgets) {
    budget = { basis: 'fund-budgets', fundBudgets: o.fundBudgets };
    caps = capitationCaps(policy, { fundBudgets: o.fundBudgets });
  } else {
    const prev = input.previousYearFundSpending;
    if (!prev)
      throw new RangeError(
        'capitation needs caps, fund budgets or the previous year’s fund spending / 须给出总控额度、基金支出预算或上年基金支出',
      );
    budget = { basis: 'previous-year-spending', fundBudgets: prev };
    caps = capitationCaps(policy, { fundBudgets: prev });
    assumptions.push({
      zh: `未给出 ${year} 年基金支出总预算：以 ${year - 1} 年实际统筹基金支出（住院 + 门特）代替（以收定支）`,
      en: `no ${year} fund spending budget given: the ${year - 1} pooled-fund spending (inpatient + special-disease outpatient) stands in for it`,
    });
  }

  // The year's enrolment: the plan (1 January snapshot) and the rows as they happened.
  const yearFrom = `${year}-01-01`;
  const yearTo = `${year}-12-31`;
  const actual = input.enrolments.filter((r) => r.from <= yearTo && yearFrom <= r.to);
  if (!o.historyYears) {
    assumptions.push({
      zh: `病种人头标准的基期取 ${historyYears.join('、')} 年的门特结算数据（政策未定基期）`,
      en: `the standards' base period is ${historyYears.join(', ')} (the policy names none)`,
    });
  }
  assumptions.push({
    zh: '年度总额按 1 月 1 日在约的人头全年测算；年中新增、变更按实际人头在年终清算',
    en: 'annual totals are planned on the heads enrolled on 1 January for the whole year; entries and switches settle at year end',
  });

  // One person index for every pass; one head index each for the 1 January rows (calibration and plan) and the year's.
  // The 1 January rows and their index live in `planYear` only: they are gone before the year end (issue 9).
  let persons: ReadonlyMap<string, InsuredPerson> | undefined = personIndex(input.persons);
  const { standards, prepayments } = planYear({ year, policy, caps, history, actual, persons, input });
  const trace = o.trace ?? false;

  // Mid-year: family-doctor contracts and the 50 % prepayment.
  const fd = input.familyDoctor ?? familyDoctorContracts(actual, year, capClass);
  const midYear = familyDoctorMidYear(fd.contracts, policy, year);

  // Year end by actual heads: the year's visits matched to head segments (by the store, or here from objects).
  const yearVisits =
    input.yearVisits ?? yearVisitsOf(input.visits, input.enrolments, actual, fd.contracts, policy, year);
  const attribution = yearVisits.attribution;
  // The heads keep their status and last step; their units are made in batches when read (the year end here, the
  // run's writer after), never all at once (issue 9).
  const yearEndHeads = evaluateCapitationHeads(actual, {
    year,
    policy,
    standards,
    persons: input.persons,
    index: headIndex(actual, { year, policy, persons }),
    spending: [],
    attributed: attribution,
    mode: 'year-end',
    trace,
  });
  // A referral visit of a head not counted at year end is charged to no one: listed with the unattributed.
  const unattributed = referralNotCounted(attribution, yearEndHeads.referralsNotCounted);
  persons = undefined; // not read again: released before the family-doctor year and the run's writer
  const capitationSplits = yearEndHeads.splits;
  const yearEnd = settleCapitationYear({
    year,
    policy,
    results: headLines(yearEndHeads),
    prepayments,
    unattributed,
    referrals: yearEndHeads.referrals,
  });

  // Family-doctor year end: served = the contracted person had a settled special-disease visit during the
  // contract (no package service records exist yet); assessment scores as given, else 1.
  const served = fd.contracts
    .filter((_, i) => yearVisits.servedContracts.has(i))
    .map((c) => ({ psnNo: c.psnNo, institutionCode: c.institutionCode }));
  assumptions.push({
    zh: '家庭医生“提供服务”以签约期内有门特就诊结算代替（尚无服务包记录）',
    en: 'family-doctor "served" = a settled special-disease visit during the contract (no package service records yet)',
  });
  let assessments = o.assessments;
  if (!assessments) {
    assessments = [...new Set(fd.contracts.map((c) => c.institutionCode))].sort().map((code) => ({
      institutionCode: code,
      score: ONE,
    }));
    assumptions.push({
      zh: '未给出家庭医生年度考核结果：各机构考核得分率按 100% 计',
      en: 'no family-doctor assessment results given: every institution scores 100 %',
    });
  }
  const fdHeads = evaluateFamilyDoctorHeads(fd.contracts, {
    year,
    policy,
    served,
    assessments,
    trace,
  });
  const familyDoctorSplits = fdHeads.splits;
  const fdYearEnd = familyDoctorYearEnd(headLines(fdHeads), midYear, policy);

  const heads: CapitationHeads = {
    enrolled: actual.filter((r) => r.diseaseClass === capClass).length,
    planned: prepayments.reduce((s, p) => s + p.heads, 0),
    counted: yearEnd.lines.reduce((s, l) => s + l.heads, 0),
    notCounted: yearEnd.lines.reduce((s, l) => s + l.notCounted, 0),
    unresolved: yearEnd.lines.reduce((s, l) => s + l.unresolved, 0),
  };
  return {
    region: o.region,
    year,
    policy: { id: resolved.id, version: resolved.version },
    counts: {
      enrolmentRows: actual.length,
      persons: input.personCount ?? input.persons.length,
      historyYears,
      historyHeads: history.heads,
      historyVisits: history.visits,
      visits: yearVisits.visits,
      capitatedVisits: yearVisits.visits - yearVisits.otherClassVisits,
      otherClassVisits: yearVisits.otherClassVisits,
      unattributedVisits: unattributed.length,
      unknownPersonVisits: history.unknownPersonVisits,
    },
    heads,
    budget,
    caps,
    standards,
    prepayments,
    yearEndHeads,
    yearEnd,
    familyDoctor: { contracts: fd.contracts, conflicts: fd.conflicts, midYear, heads: fdHeads, yearEnd: fdYearEnd },
    institutions: input.institutions,
    assumptions,
    issued: {
      capitation: capitationSplits,
      familyDoctor: familyDoctorSplits,
      assessments: [...assessments],
      otherClassDiseases: input.otherClassDiseases
        ? [...input.otherClassDiseases]
        : otherClassDiseases(input.enrolments, capClass),
    },
  };
}

/**
 * Calibration (R-CAP-1, R-CAP-2) and the plan's prepayments (R-CAP-4) on the heads enrolled on 1 January, planned for
 * the whole year: the standards and the prepayments, without the planned rows or their head index (issue 9).
 */
function planYear(o: {
  year: number;
  policy: CapitationPolicy;
  caps: CapitationCaps;
  history: { groups: readonly CapitationHistoryGroup[] };
  actual: readonly SpecialDiseaseEnrolment[];
  persons: ReadonlyMap<string, InsuredPerson>;
  input: Pick<CapitationYearInputs, 'persons'>;
}) {
  const { year, policy, caps } = o;
  const planned = plannedEnrolment(o.actual, year);
  const plannedIndex = headIndex(planned, { year, policy, persons: o.persons });
  const standards = calibrateCapitation({
    year,
    policy,
    history: { groups: o.history.groups },
    planned,
    persons: o.input.persons,
    index: plannedIndex,
    caps,
  });
  // The plan feeds the prepayments only: its institutions' totals, without the heads' units (issue 9).
  const prepayments = capitationPrepayments(
    capitationPlanTotals(planned, {
      year,
      policy,
      standards,
      persons: o.input.persons,
      spending: [],
      index: plannedIndex,
    }),
    policy,
    year,
  );
  return { standards, prepayments };
}

/**
 * The base years' history heads grouped in the store (R-CAP-1, R-CAP-2; issue 9: a province's person-years never
 * leave it as rows): the groups of persons in the persons table, and the heads and visits of those not in it (they
 * cannot be aged, so the standards leave them out, as `historyHeads` does).
 */
export async function historyFromStore(
  store: Store,
  o: { years: readonly number[]; diseaseCodes: readonly string[]; policy: CapitationPolicy },
): Promise<{ groups: CapitationHistoryGroup[]; heads: number; unknownPersonVisits: number }> {
  const rows = await store.outpatientHistoryGroups({
    years: o.years,
    diseaseCodes: o.diseaseCodes,
    ageThreshold: o.policy.riskAgeThreshold.value,
    // 1 January for `segment-start` too: history has no segments (as `historyHeads`).
    ageOn: o.policy.riskAgeAsOf.value === 'year-end' ? 'year-end' : 'year-start',
  });
  const groups: CapitationHistoryGroup[] = [];
  let heads = 0;
  let unknownPersonVisits = 0;
  for (const r of rows) {
    if (!r.personKnown) {
      unknownPersonVisits += r.visits;
      continue;
    }
    heads += r.heads;
    groups.push({
      insuranceType: r.insuranceType,
      diseaseCode: r.diseaseCode,
      overAge: r.overAge,
      hasClass1: r.hasClass1,
      heads: r.heads,
      fundPay: r.fundPay,
      outpatientAdjustment: r.outpatientAdjustment,
    });
  }
  return { groups, heads, unknownPersonVisits };
}

/** The history from visit objects (`input.visits`): person-years summed, heads made and grouped in memory. */
function historyOfVisits(
  input: CapitationYearInputs,
  historyYears: readonly number[],
  policy: CapitationPolicy,
): NonNullable<CapitationYearInputs['history']> {
  const visits = input.visits.filter((v) => historyYears.includes(Number(v.settleTime.slice(0, 4))));
  const personYears = personYearsOf(visits, new Map(input.persons.map((p) => [p.psnNo, p])));
  const h = historyHeads({ personYears, years: historyYears, enrolments: input.enrolments, policy });
  return {
    groups: historyGroupsOf(h.heads, policy),
    heads: h.heads.length,
    unknownPersonVisits: h.unknownPersonVisits,
    visits: visits.length,
  };
}

/** The year's visits from visit objects: the same matching as the store's (`yearVisitsFromStore`), in memory. */
function yearVisitsOf(
  visits: readonly OutpatientSettlement[],
  enrolments: readonly SpecialDiseaseEnrolment[],
  actual: readonly SpecialDiseaseEnrolment[],
  contracts: readonly FamilyDoctorContract[],
  policy: CapitationPolicy,
  year: number,
): YearVisits {
  const ofYear = visits.filter((v) => v.settleTime.startsWith(`${year}-`));
  const { spending, otherClassVisits } = yearSpending(ofYear, enrolments, policy);
  const visitDays = new Map<string, string[]>();
  for (const v of ofYear) pushTo(visitDays, v.psnNo, v.settleTime.slice(0, 10));
  const servedContracts = new Set<number>();
  contracts.forEach((c, i) => {
    if ((visitDays.get(c.psnNo) ?? []).some((d) => c.from <= d && d <= c.to)) servedContracts.add(i);
  });
  return {
    visits: ofYear.length,
    otherClassVisits,
    attribution: summariseAttribution(
      attributeSpending(spending, actual, policy.capitatedDiseaseClass.value, chargesReferrals(policy)),
    ),
    servedContracts,
  };
}

/**
 * One head of a stored run with its whole trace (`explain case` of a capitation or family-doctor unit): the run keeps
 * no per-head trace, so the year is evaluated again from the store with the run's policy snapshot (`policies`) and
 * the options the run used, tracing only the head asked. Its institution's total needs every head of the year, so
 * the whole year is evaluated, without the other heads' traces. Undefined when the year has no such unit.
 */
export async function explainCapitationHead(
  store: Store,
  o: CapitationYearOptions & { unitId: string; method: 'capitation' | 'family-doctor' },
): Promise<UnitResult | undefined> {
  const { unitId, method, ...options } = o;
  const year = await runCapitationYear(store, { ...options, trace: (id) => id === unitId });
  const units = headUnits(method === 'capitation' ? year.yearEndHeads : year.familyDoctor.heads);
  for (const u of units) if (u.unitId === unitId) return u;
  return undefined;
}
