/**
 * Explanations of a stored settlement run (`yibao explain`): an institution's settlement is read from the run's
 * result tables as it was issued; a case's trace is recomputed for that one case only, from the run's own policy
 * snapshot and what it derived (catalog or weights), and checked against the stored claim. When today's policy
 * files differ from the run's snapshot, `policyChanges` names each changed or removed file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { drgTraceToExplanation } from '../grouping/drg/explain.ts';
import { type DrgKernel, drgInputFromCase, groupCase } from '../grouping/drg/index.ts';
import { DEFAULT_DRG_PACK, DRG_PACK_NAMES } from '../grouping/drg/pack-names.ts';
import type { Explanation, TraceStep } from '../model/explain.ts';
import { METHOD_EN, METHOD_ZH } from '../model/method-names.ts';
import { fenToYuan, formatRatio, ratio } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { aboveCapReason, applySpecialReview, explainCase, type SpecialReviewDecision } from '../payment/dip/index.ts';
import type { DrgWeight, DrgWeightTable } from '../payment/drg/index.ts';
import { priceDrgCase, pricingFromPolicy } from '../payment/drg/index.ts';
import { perDiemMiss } from '../payment/per-diem/index.ts';
import { pathwayExitSteps } from '../payment/single-disease/index.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import { parsePolicy } from '../policy/loader.ts';
import { PolicySet } from '../policy/registry.ts';
import { SETTLED_AMOUNT } from '../report/labels.ts';
import { basisOf } from '../report/unit-rows.ts';
import { explainSettlement, unknownInstitution } from '../settlement/explain.ts';
import type { RegionSummary } from '../settlement/settle.ts';
import { exactValueOfPoints, formatPointValue, valueOfPoints } from '../settlement/value.ts';
import type { RunPolicySnapshot, RunResultsReader, RunUnitRow, SettlementRunRecord } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import {
  CAPITATION_HEADS_KIND,
  explainCapitationHeadFromBasis,
  parseCapitationHeadsBasis,
} from './capitation-heads.ts';
import { explainCapitationHead } from './capitation-year.ts';
import { evaluateCarveOutCase } from './carve-outs-of-run.ts';
import { dipEngineOfRun } from './dip-engine-of-run.ts';
import { groupForPayment } from './drg-pool.ts';
import { methodEntry } from './methods.ts';
import { caseAmountRoundings, findRun, fromJson, ratioOf, readPoolSettlement, toJson } from './results.ts';

export interface PolicyChange {
  file: string;
  policyId: string;
  change: 'changed' | 'removed';
}

export interface RunExplanation extends Explanation {
  run: string;
  /** Today's policy files that differ from the run's snapshot (empty: the same). */
  policyChanges: PolicyChange[];
  /**
   * A case's 病例结算金额 in fen as the run stored it (its share of the institution's points × point value + fixed
   * amounts, to the fen); null when the run did not store one. Absent for a settlement's explanation.
   */
  settledFen?: number | null;
}

export class RunNotFound extends Error {}

/** Today's policy files compared with the snapshot a run applied. */
export function policyChanges(snapshots: readonly RunPolicySnapshot[]): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const s of snapshots) {
    if (!existsSync(s.file)) {
      out.push({ file: s.file, policyId: s.policyId, change: 'removed' });
      continue;
    }
    const now = createHash('sha256').update(readFileSync(s.file)).digest('hex');
    if (now !== s.sha256) out.push({ file: s.file, policyId: s.policyId, change: 'changed' });
  }
  return out;
}

/**
 * The run's policies as a set, parsed from the snapshot (never from today's files); with `kinds`, only the files of
 * those kinds (a snapshot that names no kind is parsed all the same).
 */
export function snapshotPolicies(snapshots: readonly RunPolicySnapshot[], kinds?: readonly string[]): PolicySet {
  const wanted = kinds ? snapshots.filter((s) => !s.kind || kinds.includes(s.kind)) : snapshots;
  return new PolicySet(wanted.map((s) => parsePolicy(s.content, s.file, POLICY_KINDS)));
}

export async function openRun(
  store: Store,
  o: { runId?: string; region?: string; year?: number },
): Promise<{ record: SettlementRunRecord; reader: RunResultsReader }> {
  const record = await findRun(store, o);
  if (!record) throw new RunNotFound(`no settlement run for ${o.region ?? ''} ${o.year ?? ''}`.trim());
  return { record, reader: store.runResults(record.id) };
}

/** An institution's monthly or year-end settlement as the run issued it. */
export async function explainRunSettlement(
  reader: RunResultsReader,
  record: SettlementRunRecord,
  institution: string,
  period?: string,
): Promise<RunExplanation> {
  const pool = (await reader.pools())[0];
  if (!pool) throw new RangeError(`run ${record.id} has no pool`);
  const s = await readPoolSettlement(reader, record.region, record.year, pool.poolId, institution);
  // The read is of this institution only: an unknown code names the pool's institutions (one row each).
  if (!s.institutions.some((i) => i.institutionCode === institution))
    throw unknownInstitution(
      pool.poolId,
      institution,
      (await reader.institutionYear(pool.poolId)).map((y) => y.institution),
      s.summary !== undefined && Number(s.summary.totalPoints) === 0,
    );
  const e = explainSettlement(s, institution, period);
  return {
    ...e,
    steps: poolRules(e.steps, record.caseMethod),
    run: record.id,
    policyChanges: policyChanges(await reader.policies()),
  };
}

/**
 * The shared settlement steps in a DRG pool tagged as DRG first. The settlement layer cites R-DIP-6 (总额控制、按月预付、
 * 月预结算、年度清算: domain.md has the rhythm under DIP and no method-neutral ID), so a DRG user read every step of
 * a DRG case or institution as DIP (walk3 #9). Read-time: a run stored before reads the same.
 */
export function poolRules(steps: TraceStep[], caseMethod: string): TraceStep[] {
  if (caseMethod !== 'drg') return steps;
  return steps.map((s) => (s.rule === 'R-DIP-6' ? { ...s, rule: 'R-PAY-DRG/R-DIP-6' } : s));
}

/** A claim as a run's unit row stores it. */
type StoredClaim = { points: number | null; amountFen: number | null };

const sameClaim = (a: StoredClaim, b: StoredClaim) => a.points === b.points && a.amountFen === b.amountFen;

/** A recomputed unit's claim as its row would store it. */
const claimOf = (u: UnitResult): StoredClaim =>
  u.claim.kind === 'points'
    ? { points: u.claim.points, amountFen: u.claim.amount ?? null }
    : { points: null, amountFen: u.claim.amount };

/**
 * The scheme a DRG run grouped by: the pack it recorded among its inputs (a scheme name or a path that still
 * exists), else the scheme of its policy snapshot, else the national default.
 */
/** The CHS-DRG scheme a DRG run grouped by: the pack it recorded, else its snapshot's `scheme`, else the default. */
export function runDrgScheme(record: SettlementRunRecord, snapshotScheme?: string): string {
  const recorded = record.inputs.find((i) => i.role === 'drg pack')?.path;
  if (recorded && (recorded.toLowerCase() in DRG_PACK_NAMES || existsSync(recorded))) return recorded;
  return snapshotScheme ?? DEFAULT_DRG_PACK;
}

/**
 * One case of the run: its stored result, with the trace recomputed from the run's snapshot (DIP: the stored
 * catalog; DRG: the stored weights and the pack `kernel`) or read from the run (methods that keep their traces).
 */
export async function explainRunCase(
  store: Store,
  reader: RunResultsReader,
  record: SettlementRunRecord,
  setlId: string,
  kernel?: (scheme: string) => Promise<DrgKernel>,
): Promise<RunExplanation | undefined> {
  const unit = await reader.unit(setlId);
  if (!unit) return undefined;
  const e = await explainStoredUnit(store, reader, record, setlId, unit, kernel);
  const settled = await settledAmountStep(reader, unit);
  const unpaid = await unpaidCaseStep(reader, unit);
  const steps = poolRules([...e.steps, ...(settled ? [settled] : []), ...(unpaid ? [unpaid] : [])], record.caseMethod);
  return { ...e, steps, settledFen: unit.settledFen ?? null };
}

/**
 * A case the pool paid nothing for (ungrouped, claiming nothing): what became of its patient's payment under the
 * settlement policy's `unpaidCases`, as the run applied it (read from the pool's stored summary; a run stored before it
 * was kept has no step).
 */
async function unpaidCaseStep(reader: RunResultsReader, unit: RunUnitRow): Promise<TraceStep | undefined> {
  if (unit.status !== 'ungrouped' || (unit.points ?? 0) !== 0 || (unit.amountFen ?? 0) !== 0) return undefined;
  const pool = (await reader.pools()).find((p) => p.poolId === unit.poolId);
  const how = pool ? fromJson<RegionSummary>(pool.summary).unpaidCases : undefined;
  if (!how) return undefined;
  const paid = fenToYuan(unit.patientPaidFen);
  return {
    rule: 'R-DIP-6',
    clause: how.source,
    zh:
      how.rule === 'outside'
        ? `未入组且不计点数：基金不予支付；本病例的患者负担 ${paid} 元由医疗机构留用，不冲抵 ${unit.month} 的月度预结算，不计入基金支付比例`
        : `未入组且不计点数：基金不予支付；本病例的患者负担 ${paid} 元仍冲抵本机构 ${unit.month} 的月度预结算，并计入基金支付比例`,
    en:
      how.rule === 'outside'
        ? `ungrouped and claiming no points: the fund pays nothing; this case's patient payment of ${paid} yuan stays with the institution, is not netted against its ${unit.month} pre-settlement and is left out of the fund payment ratio`
        : `ungrouped and claiming no points: the fund pays nothing; this case's patient payment of ${paid} yuan is still netted against the institution's ${unit.month} pre-settlement and counted in the fund payment ratio`,
    values: { 患者负担: paid },
  };
}

/**
 * The last step of a case's explanation: its 病例结算金额 as the run stored it (never split again), with how it
 * came about — points × point value rounded down to the fen, and the leftover fen it was given — under the clause
 * of the run's `caseAmountRounding`. A run stored before amounts were kept says so; `none`, an excluded unit or a
 * unit of another pool has no step.
 */
async function settledAmountStep(reader: RunResultsReader, unit: RunUnitRow): Promise<TraceStep | undefined> {
  if (unit.status === 'excluded') return undefined;
  const pool = (await reader.pools()).find((p) => p.poolId === unit.poolId);
  if (!pool) return undefined;
  // The unit's own pool's record; a run with no record at all was stored before amounts were kept, while a run with
  // records but none for this pool split no amounts over it.
  const roundings = await caseAmountRoundings(reader);
  const r = roundings.get(unit.poolId);
  if (roundings.size === 0)
    return {
      rule: 'R-DIP-6',
      zh: `${SETTLED_AMOUNT[0]}：本结算运行早于按病例存储结算金额，未存储（重新结算后可见）`,
      en: `${SETTLED_AMOUNT[1]}: not stored (the run was stored before settled amounts were kept; settle again to see it)`,
    };
  if (!r || r.value === 'none' || unit.settledFen === null || unit.settledFen === undefined) return undefined;
  const settled = unit.settledFen;
  if (unit.points === null)
    return {
      rule: 'R-DIP-6',
      clause: r.source,
      zh: `本病例的${SETTLED_AMOUNT[0]}，即病例结算明细所列金额 = 定额金额（定额病例不参与余分分配）`,
      en: `this case’s ${SETTLED_AMOUNT[1]}, as the per-case sheet lists it = the fixed amount (fixed-amount cases take no leftover fen)`,
      values: { 定额金额: fenToYuan(unit.amountFen ?? 0) },
      result: fenToYuan(settled),
    };
  const pv = ratioOf(pool.pointValue);
  const exact = exactValueOfPoints(unit.points, pv);
  const floor = valueOfPoints(unit.points, pv, 'floor');
  // A case holding a fixed amount beside its points (a DRG high-cost excess as money): its amount is added whole.
  const fixed = unit.amountFen ?? 0;
  if (fixed !== 0)
    return {
      rule: 'R-DIP-6',
      clause: r.source,
      zh: `本病例的${SETTLED_AMOUNT[0]}，即病例结算明细所列金额 = 病例点数 × 点值向下取整到分 + 分得余分 + 定额金额（高倍率病例按金额支付的超出部分；本机构剩余的分按点数余数从大到小逐一分给病例，余数相同按结算ID）`,
      en: `this case’s ${SETTLED_AMOUNT[1]}, as the per-case sheet lists it = points × point value rounded down to the fen + leftover fen + the fixed amount (a high-cost excess paid as money; the institution’s remaining fen go one each to the cases with the largest remainders of their points, ties by settlement id)`,
      values: {
        病例点数: formatPoints(unit.points),
        点值: formatPointValue(pv),
        '病例点数×点值': formatRatio(ratio(exact.num, exact.den * 100n), 6),
        向下取整到分: fenToYuan(floor),
        分得余分: fenToYuan(settled - floor - fixed),
        定额金额: fenToYuan(fixed),
      },
      result: fenToYuan(settled),
    };
  return {
    rule: 'R-DIP-6',
    clause: r.source,
    zh: `本病例的${SETTLED_AMOUNT[0]}，即病例结算明细所列金额 = 病例点数 × 点值向下取整到分 + 分得余分（本机构剩余的分按余数从大到小逐一分给病例，余数相同按结算ID；本机构各病例合计 = 点数金额+定额，故与单个病例四舍五入的点数金额可差 1 分）`,
    en: `this case’s ${SETTLED_AMOUNT[1]}, as the per-case sheet lists it = points × point value rounded down to the fen + leftover fen (the institution’s remaining fen go one each to the cases with the largest remainders, ties by settlement id; its cases add up to its points value + fixed amounts, so it may differ by a fen from the case’s points value rounded half-up)`,
    values: {
      病例点数: formatPoints(unit.points),
      点值: formatPointValue(pv),
      '病例点数×点值': formatRatio(ratio(exact.num, exact.den * 100n), 6),
      向下取整到分: fenToYuan(floor),
      分得余分: fenToYuan(settled - floor),
    },
    result: fenToYuan(settled),
  };
}

/** A unit's explanation from the run, without its settled amount (see `explainRunCase`). */
async function explainStoredUnit(
  store: Store,
  reader: RunResultsReader,
  record: SettlementRunRecord,
  setlId: string,
  unit: RunUnitRow,
  kernel?: (scheme: string) => Promise<DrgKernel>,
): Promise<RunExplanation> {
  const snapshots = await reader.policies();
  const base = { run: record.id, policyChanges: policyChanges(snapshots) };
  const subject = `${setlId} (${unit.method}, ${record.id})`;
  if (unit.trace) return { subject, steps: fromJson<TraceStep[]>(unit.trace), ...base };
  /** The recomputed claim must be the one the run stored. */
  const checkClaim = (got: StoredClaim) => {
    if (!sameClaim(got, unit))
      throw new Error(
        `case ${setlId}: recomputed claim (${got.points} points, ${got.amountFen} fen) differs from run ${record.id} (${unit.points} points, ${unit.amountFen} fen)`,
      );
  };
  if (unit.method === 'capitation' || unit.method === 'family-doctor') {
    // Heads keep no trace in the run. With the run's basis (standards, the institutions' splits) the head's person
    // alone is evaluated again from the snapshot; a run stored without it has the whole year evaluated again.
    const [basis] = await reader.derived(CAPITATION_HEADS_KIND);
    const args = {
      region: record.region,
      year: record.year,
      // Only the capitation policy is read (parsing every snapshot costs more than the head).
      policies: snapshotPolicies(snapshots, [capitationKind.kind]),
      unitId: setlId,
      method: unit.method as 'capitation' | 'family-doctor',
    };
    const u = basis
      ? await explainCapitationHeadFromBasis(store, { ...args, basis: parseCapitationHeadsBasis(basis.content) })
      : await explainCapitationHead(store, args);
    if (!u) throw new RangeError(`head ${setlId} of run ${record.id} is no longer in the store`);
    checkClaim(claimOf(u));
    // As a kept trace would read back (JSON), so the explanation is the same whichever way the run stored it.
    return { subject, steps: fromJson<TraceStep[]>(toJson(u.explanation)), ...base };
  }
  const [c] = await store.readCases([setlId]);
  if (!c) throw new RangeError(`case ${setlId} of run ${record.id} is no longer in the store`);
  if (unit.method === 'per-diem' || unit.method === 'single-disease') {
    // The carve-outs keep no trace in the run (a run stored before did, read above): the case is evaluated again
    // from the snapshot and the rates or standards the run kept, and must give the claim and basis it issued.
    const u = await evaluateCarveOutCase(
      {
        reader,
        region: record.region,
        year: record.year,
        caseMethod: record.caseMethod,
        poolId: unit.poolId,
        // Only the method's own policy is read (parsing every snapshot costs more than the case).
        policies: snapshotPolicies(snapshots, [methodEntry(unit.method).policyKind]),
        institutions: await store.readInstitutions(),
      },
      unit.method,
      c,
    );
    if (!u) throw new Error(`run ${record.id} kept neither the trace of ${setlId} nor its ${unit.method} table`);
    checkClaim(claimOf(u));
    if (basisOf(u.explanation.at(-1)) !== unit.basis)
      throw new Error(`case ${setlId}: recomputed basis differs from run ${record.id}`);
    // As a kept trace reads back (JSON), so the explanation is the same whichever way the run stored it.
    return { subject, steps: fromJson<TraceStep[]>(toJson(u.explanation)), ...base };
  }
  const policies = snapshotPolicies(snapshots);
  const date = `${record.year}-01-01`;
  // Why a case of a per-diem category or of a listed disease is paid by DIP/DRG, before its steps: the stay does not
  // qualify for per-bed-day payment (R-PAY-BEDDAY), or it left its single-disease pathway (出径, R-PAY-DISEASE).
  const caseMethod = unit.method === 'dip' || unit.method === 'drg' ? unit.method : undefined;
  const ran = (kind: string) => policies.files.some((f) => f.kind === kind && f.region === record.region);
  const exit: TraceStep[] = [];
  if (caseMethod && ran(perDiemKind.kind)) {
    const pd = policies.resolveYear(perDiemKind, record.region, record.year);
    const inst = (await store.readInstitutions()).find((i) => i.code === c.institutionCode);
    const miss = perDiemMiss(c, inst, pd.values.categories.value);
    if (miss)
      exit.push({
        rule: 'R-PAY-BEDDAY',
        clause: pd.values.categories.source,
        zh: miss.zh,
        en: miss.en,
        values: { losDays: c.losDays },
        result: `改为${METHOD_ZH[caseMethod]} / paid by ${METHOD_EN[caseMethod]}`,
      });
  }
  if (caseMethod && ran(singleDiseaseKind.kind))
    exit.push(
      ...(pathwayExitSteps(c, policies.resolveYear(singleDiseaseKind, record.region, record.year).values, caseMethod) ??
        []),
    );
  const pool = (await reader.pools()).find((p) => p.poolId === unit.poolId)!;
  const institutions = await store.readInstitutions();
  if (unit.method === 'dip') {
    const dip = policies.resolve(dipKind, record.region, date);
    const engine = await dipEngineOfRun(store, reader, dip.values, institutions);
    if (!engine) throw new Error(`run ${record.id} kept no DIP catalog`);
    const r = engine.evaluateCase(c);
    // A queued special-review case (特例单议) with the decision this run applied (not today's: a later decision is
    // the next run's). evaluateCase scores the case alone; the queue and its cap are the run's, read from its status.
    const [srd] = await reader.derived('special-review-decisions');
    const decision = srd ? fromJson<SpecialReviewDecision[]>(srd.content).find((d) => d.setlId === setlId) : undefined;
    if (r.specialCandidate && (unit.status === 'special-review' || decision?.approved === false))
      applySpecialReview(r, decision, engine.policy, engine.referencePointValue);
    // A candidate the run's cap left out says so, as the run's statement does (it read "特例单议：" and nothing more).
    else if (r.specialCandidate && record.counts.caseMethod !== undefined)
      r.reason = aboveCapReason(record.counts.caseMethod, engine.policy);
    checkClaim(r.claim === 'amount' ? { points: null, amountFen: r.amount } : { points: r.points, amountFen: null });
    const e = explainCase(r, engine, {
      pointValue: ratioOf(pool.pointValue),
      fundPaymentRatio: ratioOf(pool.fundPaymentRatio),
      source: fromJson<TraceStep[]>(pool.steps).at(-1)?.clause ?? '',
    });
    return { ...e, steps: [...exit, ...e.steps], subject, ...base };
  }
  if (unit.method === 'drg') {
    if (!kernel) throw new Error('DRG needs a grouping pack (--pack) / DRG 付费需要分组方案数据包');
    const drg = policies.resolve(drgKind, record.region, date);
    const k = await kernel(runDrgScheme(record, drg.values.scheme?.value));
    const [w] = await reader.derived('drg-weights');
    if (!w) throw new Error(`run ${record.id} kept no DRG weights`);
    const stored = fromJson<{ source: string; overallMean: number; weights: [string, DrgWeight][] }>(w.content);
    const table: DrgWeightTable = {
      source: stored.source,
      overallMean: stored.overallMean,
      weights: new Map(stored.weights),
    };
    const levels = new Map(institutions.map((i) => [i.code, i.level] as const));
    const [dc] = groupForPayment(k, [c], levels);
    if (!dc) throw new Error(`case ${setlId}: institution ${c.institutionCode} unknown`);
    const u = priceDrgCase(dc, table, pricingFromPolicy(drg.values));
    checkClaim(claimOf(u));
    const grouping = drgTraceToExplanation(setlId, groupCase(k, drgInputFromCase(c), { trace: true }));
    return { subject, steps: [...exit, ...grouping.steps, ...u.explanation], ...base };
  }
  return { subject, steps: unit.basis ? [{ rule: 'R-PAY', zh: unit.basis, en: unit.basis }] : [], ...base };
}
