/**
 * The carve-outs (per-bed-day R-PAY-BEDDAY, single-disease R-PAY-DISEASE) as a stored run applied them, so that
 * `explain case` recomputes one carved-out case's trace exactly as the run priced it, instead of the run keeping
 * every such unit's trace (at 1M cases those traces were most of the bytes a run wrote; ARCHITECTURE "traces on
 * demand"). What the run derived is kept with it (`run_derived`, small tables): the per-bed-day rates and the
 * single-disease standards, as calibrated from history or taken from the policy. The policy values are the run's
 * snapshot, never today's files.
 */
import type { HospitalCarveOuts } from '../hospital/estimate-carve-out.ts';
import type { SettledCase } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { type DailyRate, evaluatePerDiemCase, perDiemPolicyInPool, type RateTable } from '../payment/per-diem/index.ts';
import {
  type DiseaseStandard,
  type SingleDiseasePolicy,
  type StandardTable,
  singleDiseaseMethod,
} from '../payment/single-disease/index.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { RunDerived, RunResultsReader } from '../store/settlement-runs.ts';
import { fromJson, toJson } from './results.ts';

/** `run_derived` kind of the per-bed-day rate table a run applied (named by pool). */
export const PER_DIEM_RATES_KIND = 'per-diem-rates';
/** `run_derived` kind of the single-disease standards a run applied (named by pool). */
export const SINGLE_DISEASE_STANDARDS_KIND = 'single-disease-standards';

// The per-bed-day policy as a pool applies it lives with the method (the hospital side applies it too).
export { perDiemPolicyInPool } from '../payment/per-diem/index.ts';

/** The run's derived rows for the carve-outs it applied (bigints and ratios kept exactly: `toJson`). */
export function carveOutDerived(
  poolId: string,
  tables: { perDiemRates?: RateTable; standards?: StandardTable },
): RunDerived[] {
  const sorted = <V>(m: ReadonlyMap<string, V>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: RunDerived[] = [];
  if (tables.perDiemRates)
    out.push({ kind: PER_DIEM_RATES_KIND, name: poolId, content: toJson(sorted(tables.perDiemRates)) });
  if (tables.standards)
    out.push({ kind: SINGLE_DISEASE_STANDARDS_KIND, name: poolId, content: toJson(sorted(tables.standards)) });
  return out;
}

/** The derived table of `kind` for `poolId`, or undefined when the run kept none (a run stored before). */
async function derivedTable<V>(
  reader: Pick<RunResultsReader, 'derived'>,
  kind: string,
  poolId: string,
): Promise<Map<string, V> | undefined> {
  const d = (await reader.derived(kind)).find((x) => x.name === poolId);
  return d ? new Map(fromJson<[string, V][]>(d.content)) : undefined;
}

export interface CarveOutRun {
  reader: Pick<RunResultsReader, 'derived'>;
  region: string;
  year: number;
  /** The run's inpatient case method (dip | drg): a DRG pool takes per-bed-day stays as amounts. */
  caseMethod: string;
  poolId: string;
  /** The run's policy snapshot. */
  policies: PolicySet;
  institutions: readonly Institution[];
}

/**
 * One carved-out case evaluated again as the run evaluated it: per-bed-day from the snapshot's policy and the run's
 * rate table, single-disease from the snapshot's policy and the run's standards. Undefined when the run kept no
 * table for the method (it was stored before the tables were kept, with the traces).
 */
export async function evaluateCarveOutCase(
  run: CarveOutRun,
  method: 'per-diem' | 'single-disease',
  c: SettledCase,
): Promise<UnitResult | undefined> {
  if (method === 'per-diem') {
    const rates = await derivedTable<DailyRate>(run.reader, PER_DIEM_RATES_KIND, run.poolId);
    if (!rates) return undefined;
    const pd = run.policies.resolveYear(perDiemKind, run.region, run.year);
    const institution = run.institutions.find((i) => i.code === c.institutionCode);
    return evaluatePerDiemCase(c, institution, {
      policy: perDiemPolicyInPool(pd.values, run.caseMethod),
      institutions: run.institutions,
      rates,
    });
  }
  const standards = await derivedTable<DiseaseStandard>(run.reader, SINGLE_DISEASE_STANDARDS_KIND, run.poolId);
  if (!standards) return undefined;
  const sd = run.policies.resolveYear(singleDiseaseKind, run.region, run.year);
  const policy: SingleDiseasePolicy = sd.values;
  // The run kept only the cases that stay in a pathway as single-disease units (those leaving it are the case
  // method's units): a stored single-disease unit leaving the pathway now would not be the unit the run issued.
  const fallback = {
    method: policy.fallbackTo.value,
    evaluate: (): UnitResult[] => {
      throw new Error(`case ${c.setlId}: leaves the pathway when evaluated again, but the run paid it single-disease`);
    },
  };
  const [u] = singleDiseaseMethod.evaluate([c], { policy, institutions: run.institutions, standards, fallback });
  return u;
}

/**
 * The carve-outs a stored run applied, for the hospital side's estimate under that run (R-PAY-BEDDAY, R-PAY-DISEASE):
 * the snapshot's per-bed-day and single-disease policies with the rates and standards the run kept. Undefined when
 * the run applied neither (or kept no table: a run stored before the tables were kept).
 */
export async function hospitalCarveOutsOfRun(
  run: Omit<CarveOutRun, 'institutions'>,
): Promise<HospitalCarveOuts | undefined> {
  const out: HospitalCarveOuts = {};
  const has = (kind: string) => run.policies.files.some((f) => f.kind === kind && f.region === run.region);
  const pd = has(perDiemKind.kind) ? run.policies.resolveYear(perDiemKind, run.region, run.year) : undefined;
  const rates = await derivedTable<DailyRate>(run.reader, PER_DIEM_RATES_KIND, run.poolId);
  if (pd && rates) out.perDiem = { policy: perDiemPolicyInPool(pd.values, run.caseMethod), rates, id: pd.id };
  const sd = has(singleDiseaseKind.kind)
    ? run.policies.resolveYear(singleDiseaseKind, run.region, run.year)
    : undefined;
  const standards = await derivedTable<DiseaseStandard>(run.reader, SINGLE_DISEASE_STANDARDS_KIND, run.poolId);
  if (sd && standards) out.singleDisease = { policy: sd.values, standards, id: sd.id };
  return out.perDiem || out.singleDisease ? out : undefined;
}
