/**
 * The one pipeline of a region-year (一次结算运行): every face — `demo`, `settle`, `dip settle`, later the API —
 * settles through `settleRegionYear`, and every view (statements, `explain`, `runs`) reads what it stored.
 *
 * Order: the methods of the registry (methods.ts) that the region has a policy for → the inpatient pool (carve-outs
 * first: per-bed-day, single-disease; then the case method DIP or DRG; one budget) → fee-for-service item billing →
 * capitation and the family-doctor fee → one stored run: record with inputs' hashes, the content of every policy
 * file applied, what was derived (catalog, weights, opening point value, last year's fund payment) and the results
 * per unit, institution-month, institution year-end, pool, pool-month and group (src/run/results.ts).
 *
 * Procedures are classified one way for the whole run: the store's ICD-9-CM-3 list, the chapter default for codes
 * it lacks (procedure-classifier.ts), the same as `dip calibrate`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Catalog } from '../grouping/dip/index.ts';
import type { DrgKernel } from '../grouping/drg/index.ts';
import type { Ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { SpecialReviewDecision } from '../payment/dip/index.ts';
import type { DrgWeightTable } from '../payment/drg/index.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { PolicySet } from '../policy/registry.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { newRunId } from '../store/runs.ts';
import type { RunDerived, RunPolicySnapshot, SettlementRunRecord } from '../store/settlement-runs.ts';
import type { RunInput, Store } from '../store/store.ts';
import { CAPITATION_HEADS_KIND, capitationHeadsBasis, capitationPoolId } from './capitation-heads.ts';
import {
  type CapitationSeconds,
  type CapitationYearSummary,
  runCapitationYear,
  summariseCapitationYear,
} from './capitation-year.ts';
import { carveOutDerived } from './carve-outs-of-run.ts';
import { WHAT_IF_FILE } from './command-label.ts';
import { type FfsYear, runFfsYear } from './ffs-year.ts';
import {
  type CaseMethod,
  caseMethodFor,
  historyYears,
  type InpatientYear,
  runInpatientYear,
} from './inpatient-year.ts';
import { METHODS, methodEntry } from './methods.ts';
import { procedureClassifier } from './procedure-classifier.ts';
import { CASE_AMOUNT_ROUNDING_KIND, headLineRows, poolRows, ratioText, toJson, unitRows } from './results.ts';
import { inpatientYearWarnings, runWarningsDerived } from './run-warnings.ts';
import { capitationYearEndDerived } from './stored-capitation-year-end.ts';
import { storedYearEndInputs } from './year-end-inputs.ts';

export interface SettleRegionYearOptions {
  region: string;
  year: number;
  policies: PolicySet;
  /** The inpatient case method; absent: the region's payment-mix policy says it. */
  method?: CaseMethod;
  /** The CHS-DRG kernel (required for DRG) and where it was read from (hashed into the run's inputs). */
  kernel?: DrgKernel;
  pack?: string;
  /** What started the run, as `runs` and `runs --settlements` both name it (default `settle <method> <year>`; the demo `demo settle …`). */
  command?: string;
  /** An imported DIP catalog instead of calibrating from history. */
  catalog?: Catalog;
  /**
   * The opening point value derived with `catalog` when it is a run's calibration (a what-if reuses its base run's
   * catalog and opening value); absent, the history cases are evaluated against the catalog (an imported one).
   */
  catalogOpeningPointValue?: Ratio;
  /**
   * Published DRG weights already read (a what-if reuses its base run's table); absent: the DRG policy's `weights`
   * says where they come from (a file beside the policy, or calibration from history).
   */
  drgWeights?: DrgWeightTable;
  /** Leave these methods out even when the region has their policies. */
  skip?: readonly ('per-diem' | 'single-disease' | 'ffs' | 'capitation')[];
  /**
   * Year-end inputs: audit deductions, assessment coefficients, special-review decisions and the inputs they came
   * from (hashed into the run's inputs). Default: those stored for the year (run/year-end-inputs.ts).
   */
  yearEnd?: YearEndInputs;
  onStage?: (stage: string) => void;
  /** Record the run as a what-if beside this issued run (never the run in force; see whatif.ts). */
  whatIfOf?: string;
  /**
   * The path to record for a policy file read from elsewhere (a what-if's temporary copies: the base run's path, the
   * changed file's marked `what-if:`); the file as read otherwise.
   */
  policyFileNames?: ReadonlyMap<string, string>;
}

/**
 * An input that differs from the previous issued run of the same region and year (a year-end input corrected with
 * `ingest --replace`, a policy file edited, cases added): the previous run keeps what it read; this one names it.
 */
export interface ChangedInput {
  path: string;
  role: string;
  /** `moved`: the same content read from another path (a copy of the policy folder), `beforePath`. */
  change: 'changed' | 'added' | 'removed' | 'moved';
  /** The path the previous run read this input from, when it was another (a policy file of another folder). */
  beforePath?: string;
  /** The previous run's hash and row count or bytes (absent when added). */
  before?: { sha256: string; bytes: number };
  after?: { sha256: string; bytes: number };
}

export interface RegionYearRun {
  record: SettlementRunRecord;
  /** The previous issued run of the region-year this run is compared with, and the inputs that differ from it. */
  previous?: { runId: string; changedInputs: ChangedInput[] };
  inpatient: InpatientYear;
  ffs?: FfsYear;
  /** The capitation year without its heads: they are in the run (`storedCapitationHeads`), not kept (issue 9). */
  capitation?: CapitationYearSummary;
  /** Seconds per stage. */
  seconds: Record<string, number>;
}

export interface YearEndInputs {
  deductions?: readonly AuditDeduction[];
  assessments?: readonly AssessmentResult[];
  decisions?: readonly SpecialReviewDecision[];
  files?: readonly RunInput[];
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The policy files a run applied, with their content (the snapshot) and its hash. */
export function policySnapshots(set: PolicySet, applied: readonly string[]): RunPolicySnapshot[] {
  return set.files
    .filter((f) => applied.includes(f.id))
    .map((f) => {
      const bytes = readFileSync(f.file);
      return {
        policyId: f.id,
        kind: f.kind,
        region: f.region,
        version: f.version,
        file: f.file,
        sha256: sha256(bytes),
        content: bytes.toString('utf8'),
      };
    });
}

/** Fingerprint of the cases of a year in the store: count and control total, hashed (cheap SQL aggregates). */
async function casesInput(store: Store, year: number): Promise<RunInput> {
  const n = await store.countCases({ year });
  const cost = await store.sumCaseCost({ year });
  return { path: `store:cases/${year}`, sha256: sha256(`${n}:${cost}`), bytes: n, role: 'cases' };
}

function packInput(kernel: DrgKernel, pack: string | undefined): RunInput {
  const path = pack ?? `${kernel.scheme} ${kernel.version}`;
  let hash = sha256(`${kernel.scheme}\n${kernel.version}`);
  let bytes = 0;
  if (pack) {
    try {
      const st = statSync(pack);
      if (st.isFile()) {
        const b = readFileSync(pack);
        hash = sha256(b);
        bytes = b.length;
      }
    } catch {
      // a kernel opened from elsewhere: identified by scheme and version
    }
  }
  return { path, sha256: hash, bytes, role: 'drg pack' };
}

export async function settleRegionYear(store: Store, o: SettleRegionYearOptions): Promise<RegionYearRun> {
  const started = new Date();
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    o.onStage?.(name);
    const t0 = performance.now();
    const v = await fn();
    seconds[name] = (performance.now() - t0) / 1000;
    return v;
  };
  const method = caseMethodFor(o.policies, o.region, o.year, o.method);
  // One name for the run in the settlement runs and in the run log (`runs` and `runs --settlements` said 结算 DIP
  // 2025 and 示范 for the demo's one run).
  const command = o.command ?? `settle ${method} ${o.year}`;
  const skipped = new Set<string>(o.skip ?? []);
  const policies = skipped.size > 0 ? new PolicySet(o.policies.files.filter((f) => !skipped.has(f.kind))) : o.policies;
  if (method === 'drg' && !o.kernel) throw new Error('DRG needs a grouping pack (--pack) / DRG 付费需要分组方案数据包');
  const has = (kind: string) => policies.files.some((f) => f.kind === kind && f.region === o.region);
  const classify = await procedureClassifier(store);
  const yearEnd = o.yearEnd ?? (await storedYearEndInputs(store, o.year));
  // The run writer is opened first: the year's units are written batch by batch while the year streams (the year
  // is read once), the pool's rows once it is settled, and the record last, so a failed run leaves nothing.
  const provisional: SettlementRunRecord = {
    id: newRunId(started),
    region: o.region,
    year: o.year,
    command,
    caseMethod: method,
    methods: [method],
    inputs: [],
    counts: {},
    startedAt: started.toISOString(),
    finishedAt: started.toISOString(),
    status: 'ok',
  };
  let inpatient: InpatientYear | undefined;
  let ffs: FfsYear | undefined;
  let capitation: CapitationYearSummary | undefined;
  let capitationBasis: string | undefined;
  let issued: { record: SettlementRunRecord; snapshots: RunPolicySnapshot[]; finished: Date } | undefined;
  let recordFrom = 0;
  let writtenAt = 0;
  let previous: RegionYearRun['previous'];
  await store.saveSettlementRun(provisional, async (w) => {
    const keep = (u: UnitResult) => methodEntry(u.method).keepTrace;
    const write = async (pool: string, units: readonly UnitResult[]) => {
      for (let i = 0; i < units.length; i += 50_000) {
        const part = i === 0 && units.length <= 50_000 ? units : units.slice(i, i + 50_000);
        await w.units(unitRows(pool, part, keep));
      }
    };
    const year = await timed(method, () =>
      runInpatientYear(
        store,
        {
          region: o.region,
          year: o.year,
          policies,
          method,
          classify,
          ...(o.catalog ? { catalog: o.catalog } : {}),
          ...(o.catalog && o.catalogOpeningPointValue ? { catalogOpeningPointValue: o.catalogOpeningPointValue } : {}),
          ...(o.drgWeights ? { drgWeights: o.drgWeights } : {}),
          ...(o.kernel ? { kernel: o.kernel } : {}),
          yearEnd,
        },
        write,
      ),
    );
    inpatient = year;
    // Each method's units are written as soon as they are made (in the order DIP/DRG, FFS, capitation), so the
    // record stage holds no second copy of them as rows.
    if (has('ffs')) {
      ffs = await timed('ffs', async () => {
        const f = await runFfsYear(store, { region: o.region, year: o.year, policies: o.policies });
        await write(`${o.region}-ffs-${o.year}`, f.units);
        return f;
      });
    }
    if (has('capitation')) {
      capitation = await timed('capitation', async () => {
        const parts: CapitationSeconds = {};
        const c = await runCapitationYear(store, { region: o.region, year: o.year, policies: o.policies }, parts);
        for (const [part, s] of Object.entries(parts)) seconds[`capitation ${part}`] = s;
        const pool = capitationPoolId(o.region, o.year);
        const at = performance.now();
        // The heads' rows from their lines (no unit or step made per head; no trace kept for either method).
        if (methodEntry('capitation').keepTrace || methodEntry('family-doctor').keepTrace)
          throw new Error('capitation heads keep no trace: their rows are written from head lines');
        for (const b of c.yearEndHeads.lines(50_000)) await w.units(headLineRows(pool, b));
        for (const b of c.familyDoctor.heads.lines(50_000)) await w.units(headLineRows(pool, b));
        seconds['capitation write'] = (performance.now() - at) / 1000;
        capitationBasis = capitationHeadsBasis(c);
        // The heads are in the run now: only the summary is kept (a province's heads, issue 9).
        return summariseCapitationYear(c);
      });
    }
    o.onStage?.('record');
    recordFrom = performance.now();
    const applied = [
      ...Object.values(year.policies),
      ...(ffs ? [ffs.policy] : []),
      ...(capitation ? [capitation.policy.id] : []),
    ];
    // A what-if reads copies of the base run's policy files: they are recorded by the base run's paths (the copies are
    // deleted), the changed one marked (run/whatif.ts).
    // The snapshot keeps the base run's path (its content is the changed one); the input is marked.
    const recordedAs = new Map<string, string>();
    const snapshots = policySnapshots(o.policies, applied).map((s) => {
      const name = o.policyFileNames?.get(s.file) ?? s.file;
      const file = name.startsWith(WHAT_IF_FILE) ? name.slice(WHAT_IF_FILE.length) : name;
      recordedAs.set(file, name);
      return { ...s, file };
    });
    const dip = year.dip;
    const drg = year.drg;
    const history = historyYears({ method, policies: o.policies, region: o.region, year: o.year });
    const inputsFrom = performance.now();
    const inputs: RunInput[] = [
      ...snapshots.map((s) => ({
        path: recordedAs.get(s.file) ?? s.file,
        sha256: s.sha256,
        bytes: Buffer.byteLength(s.content),
        role: `policy ${s.kind}`,
      })),
      ...(o.kernel ? [packInput(o.kernel, o.pack)] : []),
      ...(await Promise.all([...history, o.year].map((y) => casesInput(store, y)))),
      ...(yearEnd.files ?? []),
    ];
    seconds['record inputs'] = (performance.now() - inputsFrom) / 1000;
    const poolId = year.settlement.poolId;
    const methods = new Set<string>([method]);
    if (year.counts.perDiem > 0) methods.add('per-diem');
    if (year.counts.singleDisease > 0) methods.add('single-disease');
    if (ffs) methods.add('ffs');
    if (capitation) {
      methods.add('capitation');
      if (capitation.units.familyDoctor > 0) methods.add('family-doctor');
    }
    const counts: Record<string, number> = {
      ...year.counts,
      ...(ffs ? { ffsSettlements: ffs.settlements } : {}),
      ...(capitation ? { capitationHeads: capitation.heads.enrolled } : {}),
    };
    const derived: RunDerived[] = [
      { kind: 'opening-point-value', name: poolId, content: toJson(ratioText(year.settlement.openingPointValue)) },
      {
        kind: 'last-year-fund-paid',
        name: poolId,
        content: toJson(Object.fromEntries(sortedEntries((dip ?? drg)!.lastYearFundPaid))),
      },
      { kind: 'classification', name: 'procedures', content: toJson({ source: 'store icd9 list, chapter default' }) },
    ];
    if (dip) {
      derived.push({ kind: 'dip-catalog', name: dip.catalog.id, content: toJson(dip.catalog) });
      // The previous year's group × level means the deviating cases were judged by, so a case is explained alike.
      if (dip.groupMeans)
        derived.push({
          kind: 'dip-group-means',
          name: dip.catalog.id,
          content: toJson([...dip.groupMeans].map(([k, v]) => [k, ratioText(v)])),
        });
      // The special-review decisions the run read (特例单议结果), so a case is explained with the decision it was paid by.
      if (yearEnd.decisions && yearEnd.decisions.length > 0)
        derived.push({ kind: 'special-review-decisions', name: poolId, content: toJson(yearEnd.decisions) });
      if (dip.calibration) {
        derived.push({
          kind: 'dip-reference-point-value',
          name: dip.catalog.id,
          content: toJson(ratioText(dip.calibration.referencePointValue)),
        });
      }
    }
    if (drg) {
      derived.push({
        kind: 'drg-weights',
        name: poolId,
        content: toJson({
          source: drg.weights.source,
          overallMean: drg.weights.overallMean,
          weights: [...drg.weights.weights.entries()],
        }),
      });
      derived.push({ kind: 'drg-indicators', name: 'institution', content: toJson(drg.indicators) });
      derived.push({ kind: 'drg-indicators', name: 'department', content: toJson(drg.departmentIndicators) });
    }
    if (capitation) {
      // What one head's explanation needs beyond its own rows (standards, the institutions' splits): explain reads
      // this and the head's person only, never the whole year again.
      if (capitationBasis)
        derived.push({ kind: CAPITATION_HEADS_KIND, name: `${o.region}-${o.year}`, content: capitationBasis });
      // The year end per institution as issued (prepayments, sharing, clearing, family-doctor fee): `explain
      // settlement` reads it and never settles the capitation year again.
      derived.push(capitationYearEndDerived(o.region, capitation, o.policies));
    }
    // The carve-outs' rates and standards: a carved-out case's trace is recomputed from them (explain case).
    derived.push(...carveOutDerived(poolId, year));
    // 病例结算金额: how the institutions' amounts are split over their cases (settlement policy caseAmountRounding).
    const rounding = policies.resolveYear(dipSettlementKind, o.region, o.year).values.caseAmountRounding;
    derived.push({ kind: CASE_AMOUNT_ROUNDING_KIND, name: poolId, content: toJson(rounding) });
    // The warnings settle prints (a history year without cases, an implausible budget), kept with the run.
    derived.push(...runWarningsDerived(poolId, inpatientYearWarnings(year)));
    const rows = poolRows(year.settlement);
    await w.policies(snapshots);
    await w.derived(derived);
    await w.pools([rows.pool]);
    await w.poolMonths(rows.months);
    await w.institutionMonths(rows.institutionMonths);
    await w.institutionYear(rows.institutionYear);
    await w.groups(rows.groups);
    const splitFrom = performance.now();
    if (rounding.value === 'largest-remainder') await w.caseAmounts(poolId, rows.pool.pointValue);
    seconds['record split'] = (performance.now() - splitFrom) / 1000;
    // An issued run is compared with the previous issued run; a what-if with the run it is compared with.
    const before =
      o.whatIfOf === undefined
        ? await store.listSettlementRuns({ region: o.region, year: o.year, limit: 1 })
        : (await store.listSettlementRuns({ region: o.region, year: o.year })).filter((r) => r.id === o.whatIfOf);
    if (before[0]) previous = { runId: before[0].id, changedInputs: changedInputs(before[0].inputs, inputs) };
    const finished = new Date();
    const record: SettlementRunRecord = {
      ...provisional,
      methods: [...methods].sort(),
      inputs,
      counts,
      finishedAt: finished.toISOString(),
      message: snapshots.map((s) => `${s.policyId} v${s.version}`).join(', '),
      ...(o.whatIfOf !== undefined ? { kind: 'what-if' as const, baseRunId: o.whatIfOf } : {}),
    };
    issued = { record, snapshots, finished };
    writtenAt = performance.now();
    return record;
  });
  // The writer's close (units flushed) and the transaction's commit, timed apart from the rows made above.
  seconds['record commit'] = (performance.now() - writtenAt) / 1000;
  const { record, snapshots, finished } = issued!;
  // The store's run log (运行记录) keeps the same run among ingests and imports, with the policy files it applied.
  await store.recordRun({
    id: record.id,
    command,
    inputs: record.inputs.filter((i) => i.role?.startsWith('policy ')),
    ...(snapshots.length
      ? {
          policy: {
            id: snapshots.at(-1)!.policyId,
            version: snapshots.at(-1)!.version,
            file: snapshots.at(-1)!.file,
          },
        }
      : {}),
    counts: record.counts,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    durationMs: finished.getTime() - started.getTime(),
    status: 'ok',
    ...(record.message ? { message: record.message } : {}),
  });
  seconds.record = (performance.now() - recordFrom) / 1000;
  return {
    record,
    ...(previous ? { previous } : {}),
    inpatient: inpatient!,
    ...(ffs ? { ffs } : {}),
    ...(capitation ? { capitation } : {}),
    seconds,
  };
}

/**
 * The inputs of `now` that differ from `before`: another hash, new, or gone (in `now`'s order, then gone). Inputs
 * are matched by path; a policy file read from another folder is matched by its role (`policy dip-settlement`, one
 * file of a kind per run) when the role is the only one of its kind on both sides, so a copy of the policy folder
 * with one value changed reads as that one file changed (`beforePath` the file it replaced), and the files of the
 * copy with the same content as `moved`, not as every file added and removed.
 */
export function changedInputs(before: readonly RunInput[], now: readonly RunInput[]): ChangedInput[] {
  const nowPaths = new Set(now.map((i) => i.path));
  const beforePaths = new Set(before.map((i) => i.path));
  const isPolicy = (i: RunInput) => i.role?.startsWith('policy ') === true;
  const countRoles = (xs: readonly RunInput[]) => {
    const m = new Map<string, number>();
    for (const i of xs) if (isPolicy(i)) m.set(i.role!, (m.get(i.role!) ?? 0) + 1);
    return m;
  };
  const rolesBefore = countRoles(before);
  const rolesNow = countRoles(now);
  const unique = (i: RunInput) => rolesBefore.get(i.role!) === 1 && rolesNow.get(i.role!) === 1;
  // A path unmatched on both sides, paired by its (unique) policy role.
  const pairedBefore = new Map<string, RunInput>();
  for (const b of before) {
    if (nowPaths.has(b.path) || !isPolicy(b) || !unique(b)) continue;
    const i = now.find((n) => n.role === b.role);
    if (i && !beforePaths.has(i.path)) pairedBefore.set(i.path, b);
  }
  const paired = new Set([...pairedBefore.values()].map((b) => b.path));
  const was = new Map(before.map((i) => [i.path, i]));
  const out: ChangedInput[] = [];
  const hb = (i: RunInput) => ({ sha256: i.sha256, bytes: i.bytes });
  for (const i of now) {
    const moved = pairedBefore.get(i.path);
    const b = was.get(i.path) ?? moved;
    const from = moved ? { beforePath: moved.path } : {};
    if (!b) out.push({ path: i.path, role: i.role ?? '', change: 'added', after: hb(i) });
    else if (b.sha256 !== i.sha256)
      out.push({ path: i.path, role: i.role ?? '', change: 'changed', ...from, before: hb(b), after: hb(i) });
    else if (moved)
      out.push({ path: i.path, role: i.role ?? '', change: 'moved', ...from, before: hb(b), after: hb(i) });
  }
  for (const b of before)
    if (!nowPaths.has(b.path) && !paired.has(b.path))
      out.push({ path: b.path, role: b.role ?? '', change: 'removed', before: hb(b) });
  return out;
}

function sortedEntries(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Methods of the registry the region has a policy file for (in registry order). */
export function methodsOfRegion(policies: PolicySet, region: string): string[] {
  return METHODS.filter((m) => policies.files.some((f) => f.kind === m.policyKind && f.region === region)).map(
    (m) => m.id,
  );
}
