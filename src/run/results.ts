/**
 * A settlement run's results (结算运行结果) — the one place that says what a run keeps and how it is read back.
 *
 * The store holds flat rows (src/store/settlement-runs.ts, migration 5): `settlement_runs` (record, inputs'
 * hashes, counts), `run_policies` (content snapshot of every policy file applied), `run_derived` (catalog,
 * weights, opening point value, last year's fund payment…), `run_units` (per case or head), `run_pools`,
 * `run_pool_months` (point values as exact ratios), `run_institution_months`, `run_institution_year` and
 * `run_groups`. This module converts the settlement layer's results to those rows and back, exactly: a
 * `PoolSettlement` rebuilt from a stored run equals the one that was settled, so statements and
 * `explain settlement` read the issued numbers and never settle a year again.
 */
import type { TraceStep } from '../model/explain.ts';
import type { InstitutionLevel } from '../model/institution.ts';
import type { Ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { HeadLine } from '../payment/capitation/index.ts';
import { pushTo } from '../payment/common/index-by.ts';
import { basisOf, batchBasis } from '../report/unit-rows.ts';
import {
  type MonthlyLine,
  type MonthResult,
  type NegativeMonthNotice,
  negativeMonthNotice,
} from '../settlement/monthly.ts';
import type { GroupLine, InstitutionSettlement, PoolSettlement, RegionSummary } from '../settlement/settle.ts';
import { formatPointValue } from '../settlement/value.ts';
import type {
  RatioText,
  RunGroupRow,
  RunInstitutionMonthRow,
  RunInstitutionYearRow,
  RunPoolMonthRow,
  RunPoolRow,
  RunResultsReader,
  RunUnitRow,
  SettlementRunRecord,
} from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';

export type {
  RatioText,
  RunDerived,
  RunGroupRow,
  RunInstitutionMonthRow,
  RunInstitutionYearRow,
  RunPolicySnapshot,
  RunPoolMonthRow,
  RunPoolRow,
  RunResultsReader,
  RunUnitRow,
  SettlementRunRecord,
  SettlementRunWriter,
} from '../store/settlement-runs.ts';

/**
 * The run's derived record of how each institution's amount was split over its cases (病例结算金额): the settlement
 * policy's `caseAmountRounding` as applied, `{ value, source }`, named by pool. A run without it was stored before.
 */
export const CASE_AMOUNT_ROUNDING_KIND = 'case-amount-rounding';

/** The run's `caseAmountRounding` as applied, by pool (`CASE_AMOUNT_ROUNDING_KIND`); empty for a run stored before. */
export async function caseAmountRoundings(
  reader: Pick<RunResultsReader, 'derived'>,
): Promise<Map<string, { value: string; source: string }>> {
  return new Map(
    (await reader.derived(CASE_AMOUNT_ROUNDING_KIND)).map(
      (d) => [d.name, fromJson<{ value: string; source: string }>(d.content)] as const,
    ),
  );
}

// ---- exact JSON (bigints survive as {"$bigint": "…"}) ----

const bigintAware = (_k: string, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v);

export function toJson(value: unknown): string {
  // Most values (every unit's trace) hold no bigint: JSON.stringify without a replacer is several times faster and
  // gives the same text; it throws a TypeError on a bigint, and then the bigint-aware form is written.
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(value, bigintAware);
  }
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_k, v) =>
    v !== null && typeof v === 'object' && typeof v.$bigint === 'string' && Object.keys(v).length === 1
      ? BigInt(v.$bigint)
      : v,
  ) as T;
}

export const ratioText = (r: Ratio): RatioText => ({ num: r.num.toString(), den: r.den.toString() });
/** Rebuilt exactly as stored (not reduced again), so a rebuilt result equals the settled one. */
export const ratioOf = (r: RatioText): Ratio => ({ num: BigInt(r.num), den: BigInt(r.den) });

// ---- settlement → rows ----

export interface PoolRows {
  pool: RunPoolRow;
  months: RunPoolMonthRow[];
  institutionMonths: RunInstitutionMonthRow[];
  institutionYear: RunInstitutionYearRow[];
  groups: RunGroupRow[];
}

/** The rows of one settled pool. */
export function poolRows(s: PoolSettlement): PoolRows {
  const poolId = s.poolId;
  return {
    pool: {
      poolId,
      fundFen: s.fund,
      pointValueRule: s.pointValue.rule,
      pointValue: ratioText(s.pointValue.pointValue),
      pointValueText: formatPointValue(s.pointValue.pointValue),
      floatingPointValue: s.pointValue.floatingPointValue ? ratioText(s.pointValue.floatingPointValue) : null,
      fundPaymentRatio: ratioText(s.fundPaymentRatio),
      openingPointValue: ratioText(s.openingPointValue),
      summary: toJson(s.summary),
      pointValueSteps: toJson(s.pointValue.steps),
      steps: toJson(s.steps),
    },
    months: s.months.map((m) => ({
      poolId,
      month: m.month,
      pointValue: ratioText(m.pointValue),
      pointValueText: formatPointValue(m.pointValue),
      quotaFen: m.quota,
      steps: toJson({ steps: m.steps, institutions: m.lines.map((l) => l.institutionCode) }),
    })),
    institutionMonths: s.institutions.flatMap((i) =>
      i.monthly.map((l) => ({
        poolId,
        institution: l.institutionCode,
        month: l.month,
        units: l.units,
        points: l.points,
        amountFen: l.amountClaims,
        pointValue: ratioText(l.pointValue),
        valueFen: l.value,
        patientPaidFen: l.patientPaid,
        grossFen: l.gross,
        prepayRatio: ratioText(l.prepayRatio),
        prepayFen: l.prepay,
        depositFen: l.deposit,
        deductionsFen: l.deductions,
        paymentFen: l.payment,
        steps: toJson(l.steps),
      })),
    ),
    institutionYear: s.institutions.map((i) => ({
      poolId,
      institution: i.institutionCode,
      level: i.level ?? null,
      units: i.units,
      points: i.points,
      amountFen: i.amountClaims,
      billedFen: i.billed,
      patientPaidFen: i.patientPaid,
      byStatus: toJson(i.byStatus),
      advanceFen: i.advance,
      monthlyPaidFen: i.monthlyPaid,
      depositHeldFen: i.depositHeld,
      valueFen: i.value,
      grossFen: i.gross,
      ffsFundFen: i.ffsFund,
      sharing: i.sharing ? toJson(i.sharing) : null,
      afterSharingFen: i.afterSharing,
      assessment: ratioText(i.assessment),
      afterAssessmentFen: i.afterAssessment,
      deductionsFen: i.deductions,
      yearEndFen: i.yearEnd,
      clearingFen: i.clearing,
      steps: toJson(i.steps),
    })),
    groups: s.groups.map((g) => ({
      poolId,
      method: g.method,
      group: g.group,
      units: g.units,
      points: g.points,
      amountFen: g.amountClaims,
      valueFen: g.value,
      billedFen: g.billed,
      differenceFen: g.difference,
    })),
  };
}

/**
 * One unit's row; `keepTrace` for methods whose trace is kept rather than recomputed on demand; `basis` encodes its
 * last step (`basisOf`, or a batch's `batchBasis` — see `unitRows`).
 */
export function unitRow(
  poolId: string,
  u: UnitResult,
  keepTrace: boolean,
  basis: (last: TraceStep | undefined) => string | null = basisOf,
): RunUnitRow {
  const last = u.explanation.at(-1);
  return {
    poolId,
    unitId: u.unitId,
    method: u.method,
    institution: u.institutionCode,
    month: u.month,
    group: u.group ?? null,
    status: u.status,
    points: u.claim.kind === 'points' ? u.claim.points : null,
    amountFen: u.claim.amount ?? null,
    billedFen: u.billed,
    patientPaidFen: u.patientPaid,
    basis: basis(last),
    trace: keepTrace && u.explanation.length > 0 ? toJson(u.explanation) : null,
  };
}

/** A batch of units as rows, the basis texts the batch shares made once (`batchBasis`). */
export function unitRows(
  poolId: string,
  units: readonly UnitResult[],
  keepTrace: (u: UnitResult) => boolean,
): RunUnitRow[] {
  const basis = batchBasis();
  return units.map((u) => unitRow(poolId, u, keepTrace(u), basis));
}

/**
 * A batch of capitation or family-doctor head lines as rows (no trace kept: `keepTrace` is false for both), the same
 * rows `unitRows` makes of their units; the basis texts the batch shares made once (`batchBasis`: a paid head's
 * words are its institution's).
 */
export function headLineRows(poolId: string, lines: readonly HeadLine[]): RunUnitRow[] {
  const basis = batchBasis();
  return lines.map((h) => ({
    poolId,
    unitId: h.unitId,
    method: h.method,
    institution: h.institutionCode,
    month: h.month,
    group: h.group,
    status: h.status,
    points: null,
    amountFen: h.amount,
    billedFen: h.billed,
    patientPaidFen: h.patientPaid,
    basis: basis(h.last),
    trace: null,
  }));
}

/** A stored unit as the payment layer's `UnitResult` (trace: the kept one, or empty). */
export function unitResultOf(r: RunUnitRow): UnitResult {
  return {
    unitId: r.unitId,
    institutionCode: r.institution,
    month: r.month,
    method: r.method as UnitResult['method'],
    ...(r.group !== null ? { group: r.group } : {}),
    status: r.status as UnitResult['status'],
    claim:
      r.points === null
        ? { kind: 'amount', amount: r.amountFen ?? 0 }
        : r.amountFen === null
          ? { kind: 'points', points: r.points }
          : { kind: 'points', points: r.points, amount: r.amountFen },
    billed: r.billedFen,
    patientPaid: r.patientPaidFen,
    explanation: r.trace ? fromJson<TraceStep[]>(r.trace) : [],
  };
}

// ---- rows → settlement ----

function monthlyLine(r: RunInstitutionMonthRow): MonthlyLine {
  return {
    institutionCode: r.institution,
    month: r.month,
    units: r.units,
    points: r.points,
    amountClaims: r.amountFen,
    pointValue: ratioOf(r.pointValue),
    value: r.valueFen,
    patientPaid: r.patientPaidFen,
    gross: r.grossFen,
    prepayRatio: ratioOf(r.prepayRatio),
    prepay: r.prepayFen,
    deposit: r.depositFen,
    deductions: r.deductionsFen,
    payment: r.paymentFen,
    steps: fromJson(r.steps),
  };
}

/** Rebuild a settled pool from its stored rows (all institutions, or only `institution`). */
export async function readPoolSettlement(
  reader: RunResultsReader,
  region: string,
  year: number,
  poolId: string,
  institution?: string,
): Promise<PoolSettlement> {
  const pool = (await reader.pools()).find((p) => p.poolId === poolId);
  if (!pool) throw new RangeError(`run ${reader.runId} has no pool ${poolId}`);
  const lines = withCarry((await reader.institutionMonths(poolId, institution)).map(monthlyLine));
  const byInstitution = new Map<string, MonthlyLine[]>();
  const byMonth = new Map<string, MonthlyLine[]>();
  for (const l of lines) pushTo(byInstitution, l.institutionCode, l);
  // Each institution's last month of the year: a negative month then has no later month to take its carry.
  const lastMonth = new Map<string, string>();
  for (const l of lines)
    if ((lastMonth.get(l.institutionCode) ?? '') < l.month) lastMonth.set(l.institutionCode, l.month);
  const noticesOf = (ls: readonly MonthlyLine[]): NegativeMonthNotice[] =>
    ls.flatMap((l) => {
      const due = l.prepay - l.deductions - (l.carriedIn ?? 0);
      const last = lastMonth.get(l.institutionCode) === l.month;
      return due < 0
        ? [negativeMonthNotice(l.institutionCode, l.month, due, l.carriedOut ?? 0, l.carriedIn ?? 0, last)]
        : [];
    });
  const months: MonthResult[] = (await reader.poolMonths(poolId)).map((m) => {
    const s = fromJson<{ steps: TraceStep[]; institutions: string[] }>(m.steps);
    const monthLines = new Map(lines.filter((l) => l.month === m.month).map((l) => [l.institutionCode, l] as const));
    const ordered = s.institutions.flatMap((code) => (monthLines.has(code) ? [monthLines.get(code)!] : []));
    byMonth.set(m.month, ordered);
    return {
      month: m.month,
      pointValue: ratioOf(m.pointValue),
      quota: m.quotaFen,
      steps: s.steps,
      lines: ordered,
      notices: noticesOf(ordered),
    };
  });
  const institutions: InstitutionSettlement[] = (await reader.institutionYear(poolId, institution)).map((y) => ({
    institutionCode: y.institution,
    ...(y.level !== null ? { level: y.level as InstitutionLevel } : {}),
    units: y.units,
    points: y.points,
    amountClaims: y.amountFen,
    billed: y.billedFen,
    patientPaid: y.patientPaidFen,
    byStatus: fromJson(y.byStatus),
    advance: y.advanceFen,
    monthly: byInstitution.get(y.institution) ?? [],
    monthlyPaid: y.monthlyPaidFen,
    depositHeld: y.depositHeldFen,
    value: y.valueFen,
    gross: y.grossFen,
    ffsFund: y.ffsFundFen,
    sharing: y.sharing === null ? null : fromJson(y.sharing),
    afterSharing: y.afterSharingFen,
    assessment: ratioOf(y.assessment),
    afterAssessment: y.afterAssessmentFen,
    deductions: y.deductionsFen,
    yearEnd: y.yearEndFen,
    clearing: y.clearingFen,
    steps: fromJson(y.steps),
  }));
  const groups: GroupLine[] = (await reader.groups(poolId)).map((g) => ({
    method: g.method as GroupLine['method'],
    group: g.group,
    units: g.units,
    points: g.points,
    amountClaims: g.amountFen,
    value: g.valueFen,
    billed: g.billedFen,
    difference: g.differenceFen,
    ...(g.settledFen !== null && g.settledFen !== undefined ? { settled: g.settledFen } : {}),
  }));
  return {
    poolId,
    region,
    year,
    fund: pool.fundFen,
    fundPaymentRatio: ratioOf(pool.fundPaymentRatio),
    pointValue: {
      rule: pool.pointValueRule as PoolSettlement['pointValue']['rule'],
      pointValue: ratioOf(pool.pointValue),
      floatingPointValue: pool.floatingPointValue ? ratioOf(pool.floatingPointValue) : null,
      steps: fromJson(pool.pointValueSteps),
    },
    openingPointValue: ratioOf(pool.openingPointValue),
    steps: fromJson(pool.steps),
    months,
    institutions,
    groups,
    summary: fromJson<RegionSummary>(pool.summary),
    notices: months.flatMap((m) => m.notices ?? []),
  };
}

/**
 * The carried amounts of stored monthly lines (clamp-and-carry), which follow from what is stored: a line carries
 * in what the institution's previous line carried out, and carries out what its payment exceeds its due
 * (prepay − deductions − carried in) by — 0 unless the month was negative and clamped.
 */
function withCarry(lines: readonly MonthlyLine[]): MonthlyLine[] {
  const sorted = [...lines].sort((a, b) =>
    a.institutionCode === b.institutionCode ? cmpText(a.month, b.month) : cmpText(a.institutionCode, b.institutionCode),
  );
  const carried = new Map<MonthlyLine, MonthlyLine>();
  let prev: MonthlyLine | undefined;
  for (const l of sorted) {
    const carriedIn = prev && prev.institutionCode === l.institutionCode ? (prev.carriedOut ?? 0) : 0;
    const carriedOut = l.payment - (l.prepay - l.deductions - carriedIn);
    const c = { ...l, carriedIn, carriedOut };
    carried.set(l, c);
    prev = c;
  }
  return lines.map((l) => carried.get(l)!);
}

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The run to read: `runId` when given, else the latest run of the region-year (or of the store). */
export async function findRun(
  store: Store,
  o: { runId?: string; region?: string; year?: number },
): Promise<SettlementRunRecord | undefined> {
  if (o.runId) return store.runResults(o.runId).record();
  const [latest] = await store.listSettlementRuns({
    ...(o.region !== undefined ? { region: o.region } : {}),
    ...(o.year !== undefined ? { year: o.year } : {}),
    limit: 1,
  });
  return latest;
}
