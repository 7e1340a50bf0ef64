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

/**
 * An institution the pool does not hold, with the ones it does (the first 10): the message read
 * 池 … 中没有机构 H9 and left the reader guessing the code. A pool that pays no points (a fixed 费率, R-PAY-DRG) is
 * named a 结算池 / settlement pool, as its explanation's heading names it.
 */
export function unknownInstitution(
  poolId: string,
  institutionCode: string,
  codes: readonly string[],
  pointFree = false,
): SettlementError {
  const [zhPool, enPool] = pointFree ? ['结算池', 'settlement pool'] : ['点数池', 'point pool'];
  const shown = codes.slice(0, 10);
  const more = codes.length - shown.length;
  const none = shown.length === 0;
  return new SettlementError(
    'UNKNOWN_INSTITUTION',
    `${zhPool} ${poolId} 中没有机构 ${institutionCode}；本年度结算的机构：${none ? '无' : shown.join('、')}${more > 0 ? ` 等 ${codes.length} 家` : ''}（检查机构编码）`,
    `no institution ${institutionCode} in ${enPool} ${poolId}; institutions settled this year: ${none ? 'none' : shown.join(', ')}${more > 0 ? ` and ${more} more` : ''} (check the institution code)`,
  );
}

/** A period that is neither the year (`YYYY`) nor one of its months (`YYYY-MM`). */
export function badPeriod(year: number, p: string): SettlementError {
  return new SettlementError(
    'BAD_PERIOD',
    `期间 ${p} 不属于 ${year} 年度：写 ${year}（全年）或 ${year}-MM（某月）`,
    `period ${p} is not in ${year}: write ${year} (the year) or ${year}-MM (a month)`,
  );
}

/** `period` is the year ("2025") for the whole year, or a month ("2025-03") for that month's pre-settlement. */
export function explainSettlement(pool: PoolSettlement, institutionCode: string, period?: string): Explanation {
  // A pool that pays no points (a fixed 费率) is a settlement pool, not a point pool: the heading says so.
  const noPoints = pool.summary !== undefined && Number(pool.summary.totalPoints) === 0;
  const pointFree = noPoints ? { pointFree: true } : {};
  const inst = pool.institutions.find((i) => i.institutionCode === institutionCode);
  if (!inst)
    throw unknownInstitution(
      pool.poolId,
      institutionCode,
      pool.institutions.map((i) => i.institutionCode),
      noPoints,
    );
  const p = period ?? String(pool.year);
  if (p.length === 7) {
    const month = pool.months.find((m) => m.month === p);
    const line = inst.monthly.find((l) => l.month === p);
    if (!month || !line) {
      const months = inst.monthly.map((l) => l.month);
      throw new SettlementError(
        'NO_MONTH',
        `机构 ${institutionCode} 在 ${p} 没有月度预结算（当月无出院病例）；有月度预结算的月份：${months.join('、') || '无'}；全年用 --period ${pool.year}`,
        `no monthly pre-settlement for ${institutionCode} in ${p} (no discharges that month); months with one: ${months.join(', ') || 'none'}; the whole year: --period ${pool.year}`,
      );
    }
    return {
      subject: `settlement ${institutionCode} ${p} (${pool.poolId})`,
      ...pointFree,
      steps: [...month.steps, ...line.steps],
    };
  }
  if (p !== String(pool.year)) throw badPeriod(pool.year, p);
  return {
    subject: `settlement ${institutionCode} ${p} (${pool.poolId})`,
    ...pointFree,
    steps: [...pool.steps, ...withMonths(pool, inst.steps)],
  };
}

/**
 * An institution's year with each month's pre-settlement point value: before its first line of a month, how the
 * pool set that month's point value (the month's quota and points, or the policy's or opening value, and the cap) —
 * the steps the run stored for the month, each headed by its month. The year read 预结算点值 = 11.767343 in June
 * and 9.884984 in November with nothing saying where either came from. Read, never computed again.
 */
function withMonths(pool: PoolSettlement, steps: readonly TraceStep[]): TraceStep[] {
  const byMonth = new Map(pool.months.map((m) => [m.month, m.steps] as const));
  const shown = new Set<string>();
  return steps.flatMap((st) => {
    const month = st.values?.月份;
    if (typeof month !== 'string' || shown.has(month) || !byMonth.has(month)) return [st];
    shown.add(month);
    const head = byMonth.get(month)!.map((m) => ({ ...m, values: { 月份: month, ...m.values } }));
    return [...head, st];
  });
}
