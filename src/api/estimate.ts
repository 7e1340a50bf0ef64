import { drgTraceToExplanation } from '../grouping/drg/explain.ts';
import { type DrgKernel, drgInputFromCase, groupCase } from '../grouping/drg/index.ts';
import { estimateCase } from '../hospital/estimate.ts';
import { carveOutUnit } from '../hospital/estimate-carve-out.ts';
import type { CaseEstimate, HospitalParams, PathStep, SeverityNote } from '../hospital/types.ts';
import { HospitalError } from '../hospital/types.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Explanation, TraceStep } from '../model/explain.ts';
import type { Ratio } from '../model/money.ts';
import { explainCase } from '../payment/dip/explain.ts';
import { type DrgWeight, type DrgWeightTable, priceDrgCase, pricingFromPolicy } from '../payment/drg/index.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { hospitalCarveOutsOfRun } from '../run/carve-outs-of-run.ts';
import { dipEngineOfRun } from '../run/dip-engine-of-run.ts';
import { groupForPayment } from '../run/drg-pool.ts';
import { runDrgScheme, snapshotPolicies } from '../run/explain-run.ts';
import { fromJson, ratioOf } from '../run/results.ts';
import { formatPointValue } from '../settlement/value.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { ApiDb } from './db.ts';
import { ApiError } from './errors.ts';

export interface EstimatePricing {
  run: SettlementRunRecord;
  params: HospitalParams;
  pointValue: Ratio | null;
  fundPaymentRatio: Ratio;
  source: string;
}

export interface Estimate {
  run: string;
  method: CaseEstimate['method'];
  group: string | null;
  groupName: string | null;
  status: string;
  /** Where the cost stands against the deviating-case thresholds. */
  position: CaseEstimate['position'];
  /** Integer 1/10000 points (null for a fixed amount). */
  points: number | null;
  /**
   * A DIP case paid its cost (低倍率 / 未入组 under `costPaidCases: year-end`): the points that cost is worth at the
   * run's year-end point value (amount ÷ point value, 1/10000 points); null otherwise.
   */
  costPaidPoints: number | null;
  /** DRG relative weight as a decimal text (null for DIP). */
  weight: string | null;
  /** The group's standard payment (支付标准), fen. */
  standardPayment: number | null;
  /** Deviating-case thresholds in money, fen. */
  thresholds: { low: number; high: number } | null;
  /** Expected payment at the run's year-end point value (or base rate), fen. */
  expectedPayment: number;
  /** The fund's expected part, fen. */
  expectedFund: number | null;
  /** The run's year-end point value (yuan per point), "" when the run prices in money. */
  pointValue: string;
  cost: number;
  /** Expected payment − total medical cost (预测盈亏), fen. */
  profit: number;
  /** Why this group: the grouping path in words. */
  path: PathStep[];
  /** DRG: secondary diagnoses on the MCC/CC lists and whether they counted. */
  severity: SeverityNote[];
  /** Before-care prompts (事前提示). */
  prompts: { level: string; zh: string; en: string }[];
  explanation?: Explanation;
}

/** Builds (once per run) and caches the pricing of stored runs. */
export class Estimator {
  private readonly cache = new Map<string, Promise<EstimatePricing>>();

  /** `kernel` opens a CHS-DRG scheme's kernel (once per scheme) for DRG runs. */
  constructor(
    private readonly db: ApiDb,
    private readonly kernel: (scheme: string) => Promise<DrgKernel>,
  ) {}

  pricing(run: SettlementRunRecord): Promise<EstimatePricing> {
    let p = this.cache.get(run.id);
    if (!p) {
      p = this.build(run);
      this.cache.set(run.id, p);
      p.catch(() => this.cache.delete(run.id));
    }
    return p;
  }

  private build(run: SettlementRunRecord): Promise<EstimatePricing> {
    if (run.caseMethod !== 'dip' && run.caseMethod !== 'drg') {
      return Promise.reject(
        new ApiError(
          422,
          'ESTIMATE_METHOD',
          `结算运行 ${run.id} 按 ${run.caseMethod} 付费；单病例预测支持按病种分值付费（DIP）与按疾病诊断相关分组付费（DRG）的运行`,
          `run ${run.id} pays cases by ${run.caseMethod}; the single-case estimate supports DIP and DRG runs`,
        ),
      );
    }
    const kernel = run.caseMethod === 'drg' ? this.kernel(runDrgScheme(run)) : undefined;
    return this.db.use(async (store) => {
      const reader = store.runResults(run.id);
      const policies = snapshotPolicies(await reader.policies());
      const date = `${run.year}-01-01`;
      const [pool] = await reader.pools();
      if (!pool) throw new Error(`run ${run.id} has no pool`);
      const institutionList = await store.readInstitutions();
      const pv = ratioOf(pool.pointValue);
      const fpr = ratioOf(pool.fundPaymentRatio);
      const source = fromJson<TraceStep[]>(pool.steps).at(-1)?.clause ?? '';
      // The run's per-bed-day and single-disease carve-outs: such a case is estimated as the run paid it.
      const carveOuts = await hospitalCarveOutsOfRun({
        reader,
        region: run.region,
        year: run.year,
        caseMethod: run.caseMethod,
        poolId: pool.poolId,
        policies,
      });
      const common = {
        ...(carveOuts ? { carveOuts } : {}),
        institutions: new Map(institutionList.map((i) => [i.code, i] as const)),
        fundPaymentRatio: { value: fpr, source: `${pool.poolId} 基金支付比例 / fund payment ratio` },
        prompts: {},
        source: { id: run.id, version: '', title: `${run.region} ${run.year} ${run.id}` },
      };
      const published = {
        value: pv,
        basis: 'published' as const,
        source: `${pool.poolId} 年度点值 / year-end point value (${run.id})`,
      };
      if (run.caseMethod === 'dip') {
        const dip = policies.resolve(dipKind, run.region, date);
        const engine = await dipEngineOfRun(store, reader, dip.values, institutionList);
        if (!engine) throw new Error(`run ${run.id} kept no DIP catalog`);
        return {
          run,
          params: { ...common, pricing: { method: 'dip', engine, pointValue: published } },
          pointValue: pv,
          fundPaymentRatio: fpr,
          source,
        };
      }
      const drg = policies.resolve(drgKind, run.region, date);
      const [w] = await reader.derived('drg-weights');
      if (!w) throw new Error(`run ${run.id} kept no DRG weights`);
      const stored = fromJson<{ source: string; overallMean: number; weights: [string, DrgWeight][] }>(w.content);
      const table: DrgWeightTable = {
        source: stored.source,
        overallMean: stored.overallMean,
        weights: new Map(stored.weights),
      };
      const pricing = pricingFromPolicy(drg.values);
      const pointValue = pricing.mode === 'points' ? pv : null;
      return {
        run,
        params: {
          ...common,
          pricing: {
            method: 'drg',
            kernel: await kernel!,
            table,
            pricing,
            pointValue: pointValue ? published : null,
          },
        },
        pointValue,
        fundPaymentRatio: fpr,
        source,
      };
    });
  }
}

const decimal = (r: Ratio, digits: number): string => {
  const scale = 10n ** BigInt(digits);
  const n = (r.num * scale * 2n + r.den) / (2n * r.den);
  const s = n.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
};

/** Price one case (pure): `estimateCase` under the run's parameters; with the explanation when asked. */
export function estimate(p: EstimatePricing, c: InpatientCase, withExplanation: boolean): Estimate {
  let e: CaseEstimate;
  try {
    e = estimateCase(c, p.params);
  } catch (err) {
    if (err instanceof HospitalError) throw new ApiError(400, err.code, err.zh, err.en);
    throw err;
  }
  const expectedPayment = e.status === 'excluded' ? 0 : (e.expectedPayment ?? 0);
  const out: Estimate = {
    run: p.run.id,
    method: e.method,
    group: e.group,
    groupName: e.groupName,
    status: e.status,
    position: e.position,
    points: e.points,
    costPaidPoints: e.costPaidPoints,
    weight: e.weight ? decimal(e.weight, 4) : null,
    standardPayment: e.standardPayment,
    thresholds: e.thresholds,
    expectedPayment,
    expectedFund: e.expectedFund,
    pointValue: p.pointValue ? formatPointValue(p.pointValue) : '',
    cost: c.totalCost,
    profit: expectedPayment - c.totalCost,
    path: e.path,
    severity: e.severity,
    prompts: e.prompts.map((x) => ({ level: x.level, zh: x.zh, en: x.en })),
  };
  if (withExplanation) out.explanation = explain(p, c);
  return out;
}

/** The case's steps with their clauses: the DIP engine's explanation, or the DRG grouping trace and pricing. */
function explain(p: EstimatePricing, c: InpatientCase): Explanation {
  const pr = p.params.pricing;
  // A carved-out case (per-bed-day, single-disease) is explained by its method's own steps.
  const carved = p.params.carveOuts ? carveOutUnit(c, p.params.carveOuts, p.params.institutions) : null;
  if (carved) return { subject: c.setlId, steps: carved.explanation };
  if (pr.method === 'dip') {
    const r = pr.engine.evaluateCase(c);
    return explainCase(r, pr.engine, {
      pointValue: pr.pointValue.value,
      fundPaymentRatio: p.fundPaymentRatio,
      source: p.source,
    });
  }
  const levels = new Map([...p.params.institutions.values()].map((i) => [i.code, i.level] as const));
  const [dc] = groupForPayment(pr.kernel, [c], levels);
  const grouping = drgTraceToExplanation(c.setlId, groupCase(pr.kernel, drgInputFromCase(c), { trace: true }));
  const steps = [...grouping.steps, ...(dc ? priceDrgCase(dc, pr.table, pr.pricing).explanation : [])];
  return { subject: c.setlId, steps };
}
