/**
 * Hospital-side prediction for one case (医院端预分组与预测回款): group it with the kernel (with the trace), price it
 * with the weights and the policy in force, and return one explanation from diagnosis codes to payment. API-ready:
 * pure, one case in, one JSON-able result out. Under the point method the payment is shown at a given point value
 * (e.g. last year's or the opening-year value), since the year-end value is not known yet.
 */
import { drgTraceToExplanation } from '../../grouping/drg/explain.ts';
import { type DrgKernel, drgInputFromCase, groupCase } from '../../grouping/drg/index.ts';
import { type InpatientCase, isDeathDischarge } from '../../model/case.ts';
import type { Explanation } from '../../model/explain.ts';
import type { InstitutionLevel } from '../../model/institution.ts';
import { type Fen, fenToYuan, formatRatio, mulRatio, type Ratio, ratio } from '../../model/money.ts';
import { claimAmount, type UnitResult } from '../../model/unit-result.ts';
import { ungroupedAtOf } from './cases.ts';
import { type DrgPricing, priceDrgCase } from './price.ts';
import type { DrgWeightTable } from './types.ts';

export interface DrgPrediction {
  drg: string | null;
  status: string;
  result: UnitResult;
  /** Expected payment in fen (amount claims as they are; points × the given point value). */
  expectedPayment: Fen | null;
  explanation: Explanation;
}

export function predictDrgCase(
  kernel: DrgKernel,
  c: InpatientCase,
  level: InstitutionLevel,
  table: DrgWeightTable,
  pricing: DrgPricing,
  /** Fen per point, for the point method. */
  pointValue?: Ratio,
): DrgPrediction {
  const g = groupCase(kernel, drgInputFromCase(c), { trace: true });
  const grouped = g.status === 'SUCCESS' ? g.drg : null;
  const result = priceDrgCase(
    {
      setlId: c.setlId,
      institutionCode: c.institutionCode,
      level,
      insuranceType: c.insuranceType,
      month: c.dischargeTime.slice(0, 7),
      drg: grouped,
      groupStatus: g.status,
      ...(ungroupedAtOf(g) ? { ungroupedAt: ungroupedAtOf(g)! } : {}),
      losDays: c.losDays,
      died: isDeathDischarge(c.dischargeWay),
      cost: c.totalCost,
      patientPaid: c.totalCost - c.fundPay,
    },
    table,
    pricing,
  );
  const expectedPayment =
    result.claim.kind === 'amount'
      ? result.claim.amount
      : pointValue
        ? mulRatio(result.claim.points, ratio(pointValue.num, pointValue.den * 10_000n)) + claimAmount(result.claim)
        : null;
  const steps = [...drgTraceToExplanation(c.setlId, g).steps, ...result.explanation];
  if (result.claim.kind === 'points' && pointValue) {
    steps.push({
      rule: 'R-PAY-DRG',
      zh: '按给定点值预测回款 = 点数 × 点值',
      en: 'expected payment = points × the given point value',
      values: { pointValue: formatRatio(ratio(pointValue.num, pointValue.den * 100n), 6) },
      result: fenToYuan(expectedPayment!),
    });
  }
  return { drg: grouped, status: g.status, result, expectedPayment, explanation: { subject: c.setlId, steps } };
}
