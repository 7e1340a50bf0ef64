/**
 * Explanation of one institution's settlement (`yibao explain settlement INSTITUTION --period …`): the pool's
 * budget and point value, then every line of the institution — advance, each month, year end, clearing — with
 * inputs, parameter values, R-ID and the policy clause. JSON-able (plain objects and strings). (R-DIP-6)
 *
 * 002 前言: "提高医疗服务透明度"; 四(三): "按照各医疗机构实际点数付费".
 */
import type { Explanation, TraceStep } from '../model/explain.ts';
import { SettlementError } from './errors.ts';
import type { PoolSettlement } from './settle.ts';

/** `period` is the year ("2025") for the whole year, or a month ("2025-03") for that month's pre-settlement. */
export function explainSettlement(pool: PoolSettlement, institutionCode: string, period?: string): Explanation {
  const inst = pool.institutions.find((i) => i.institutionCode === institutionCode);
  if (!inst) {
    throw new SettlementError(
      'UNKNOWN_INSTITUTION',
      `池 ${pool.poolId} 中没有机构 ${institutionCode}`,
      `no institution ${institutionCode} in pool ${pool.poolId}`,
    );
  }
  const p = period ?? String(pool.year);
  if (p.length === 7) {
    const month = pool.months.find((m) => m.month === p);
    const line = inst.monthly.find((l) => l.month === p);
    if (!month || !line) {
      throw new SettlementError(
        'NO_MONTH',
        `机构 ${institutionCode} 在 ${p} 没有月预结算`,
        `no pre-settlement for ${institutionCode} in ${p}`,
      );
    }
    return { subject: `settlement ${institutionCode} ${p} (${pool.poolId})`, steps: [...month.steps, ...line.steps] };
  }
  if (p !== String(pool.year)) {
    throw new SettlementError('BAD_PERIOD', `期间 ${p} 不属于 ${pool.year} 年度`, `period ${p} is not in ${pool.year}`);
  }
  const steps: TraceStep[] = [...pool.steps, ...inst.steps];
  return { subject: `settlement ${institutionCode} ${p} (${pool.poolId})`, steps };
}
