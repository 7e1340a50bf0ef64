/**
 * Single-case estimate (单病例预测) for the API: a case as the hospital has it at discharge, priced under the
 * rules of a stored settlement run — the run's own policy snapshot, the DIP catalog it derived and its year-end
 * point value — so the answer is what that run would pay for the case. The engine is built once per run and
 * reused for every request (pure, in process).
 */
import type { Catalog } from '../grouping/dip/catalog.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Explanation, TraceStep } from '../model/explain.ts';
import type { Ratio } from '../model/money.ts';
import { DipEngine } from '../payment/dip/engine.ts';
import { explainCase } from '../payment/dip/explain.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { snapshotPolicies } from '../run/explain-run.ts';
import { procedureClassifier } from '../run/procedure-classifier.ts';
import { fromJson, type RatioText, ratioOf } from '../run/results.ts';
import { formatPointValue, valueOfPoints } from '../settlement/value.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { ApiDb } from './db.ts';
import { ApiError } from './errors.ts';

export interface EstimatePricing {
  run: SettlementRunRecord;
  engine: DipEngine;
  pointValue: Ratio;
  fundPaymentRatio: Ratio;
  source: string;
}

export interface Estimate {
  run: string;
  method: 'dip';
  group: string | null;
  status: string;
  /** Integer 1/10000 points (null for a fixed amount). */
  points: number | null;
  /** Expected payment at the run's year-end point value, fen. */
  expectedPayment: number;
  pointValue: string;
  cost: number;
  /** Expected payment − total medical cost (预测盈亏), fen. */
  profit: number;
  explanation?: Explanation;
}

/** Builds (once per run) and caches the pricing of stored runs. */
export class Estimator {
  private readonly cache = new Map<string, Promise<EstimatePricing>>();

  constructor(private readonly db: ApiDb) {}

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
    return this.db.use(async (store) => {
      if (run.caseMethod !== 'dip') {
        throw new ApiError(
          422,
          'ESTIMATE_METHOD',
          `结算运行 ${run.id} 按 ${run.caseMethod} 付费；单病例预测目前支持按病种分值付费（DIP）的运行`,
          `run ${run.id} pays cases by ${run.caseMethod}; the single-case estimate supports DIP runs for now`,
        );
      }
      const reader = store.runResults(run.id);
      const policies = snapshotPolicies(await reader.policies());
      const dip = policies.resolve(dipKind, run.region, `${run.year}-01-01`);
      const [cat] = await reader.derived('dip-catalog');
      const [ref] = await reader.derived('dip-reference-point-value');
      if (!cat) throw new Error(`run ${run.id} kept no DIP catalog`);
      const [pool] = await reader.pools();
      if (!pool) throw new Error(`run ${run.id} has no pool`);
      const engine = new DipEngine({
        catalog: fromJson<Catalog>(cat.content),
        policy: dip.values,
        institutions: await store.readInstitutions(),
        ...(ref ? { referencePointValue: ratioOf(fromJson<RatioText>(ref.content)) } : {}),
        classify: await procedureClassifier(store),
      });
      return {
        run,
        engine,
        pointValue: ratioOf(pool.pointValue),
        fundPaymentRatio: ratioOf(pool.fundPaymentRatio),
        source: fromJson<TraceStep[]>(pool.steps).at(-1)?.clause ?? '',
      };
    });
  }
}

/** Price one case (pure). */
export function estimate(p: EstimatePricing, c: InpatientCase, withExplanation: boolean): Estimate {
  const r = p.engine.evaluateCase(c);
  const excluded = r.status === 'excluded';
  const expectedPayment = excluded ? 0 : r.claim === 'amount' ? r.amount : valueOfPoints(r.points, p.pointValue);
  const out: Estimate = {
    run: p.run.id,
    method: 'dip',
    group: r.group,
    status: r.status,
    points: r.claim === 'points' ? r.points : null,
    expectedPayment,
    pointValue: formatPointValue(p.pointValue),
    cost: c.totalCost,
    profit: expectedPayment - c.totalCost,
  };
  if (withExplanation) {
    out.explanation = explainCase(r, p.engine, {
      pointValue: p.pointValue,
      fundPaymentRatio: p.fundPaymentRatio,
      source: p.source,
    });
  }
  return out;
}
