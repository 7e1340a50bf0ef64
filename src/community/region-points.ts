/**
 * One point system for the region (R-DIP-8): outpatient capitation, fee-for-service and medical-community totals
 * expressed in points at the region's point value, beside the inpatient points, by institution and method.
 *
 * 内蒙古 DIP 工作方案 四(七) (seed 002 §4.7, as digested in domain.md R-DIP-8): 门诊按人头、按项目及医共体总额付费
 * 折算为与住院可比的点数，全统筹区形成统一的点数体系。
 *
 * Rounding rule: points = amount (fen) ÷ point value (fen per point), rounded half-up once to 0.0001 point.
 */
import type { TraceStep } from '../model/explain.ts';
import type { Ratio } from '../model/money.ts';
import { divRound, type Fen, fenToYuan } from '../model/money.ts';
import { formatPoints, POINT_SCALE, type Points } from '../model/points.ts';
import { formatPointValue } from '../settlement/value.ts';

/** An amount paid by a method that claims money (capitation, FFS, a community total…). */
export interface AmountClaim {
  institutionCode: string;
  /** Method or total: 'capitation', 'family-doctor', 'ffs', 'per-diem', 'single-disease', 'community'… */
  method: string;
  amount: Fen;
}

/** Points claimed directly (DIP, or DRG / per-diem units valued in points). */
export interface PointClaim {
  institutionCode: string;
  method: string;
  points: Points;
}

export interface RegionPointRow {
  institutionCode: string;
  method: string;
  /** `points` claimed as points; `converted` from an amount. */
  origin: 'points' | 'converted';
  amount: Fen | null;
  points: Points;
}

export interface RegionPointTable {
  pointValue: Ratio;
  rows: RegionPointRow[];
  byInstitution: { institutionCode: string; points: Points }[];
  byMethod: { method: string; points: Points }[];
  total: Points;
  steps: TraceStep[];
}

/** amount ÷ point value (fen per point) → points, half-up to 0.0001. */
export function amountToPoints(amount: Fen, pointValue: Ratio): Points {
  if (pointValue.num <= 0n) throw new RangeError('the point value must be > 0');
  return Number(divRound(BigInt(amount) * POINT_SCALE * pointValue.den, pointValue.num, 'half-up'));
}

export function regionPointTable(
  pointValue: Ratio,
  pointValueSource: string,
  points: readonly PointClaim[],
  amounts: readonly AmountClaim[],
): RegionPointTable {
  const map = new Map<string, RegionPointRow>();
  const add = (code: string, method: string, origin: RegionPointRow['origin'], amount: Fen | null, p: Points) => {
    const key = `${code}|${method}|${origin}`;
    const row = map.get(key);
    if (row) {
      row.points += p;
      if (amount !== null) row.amount = (row.amount ?? 0) + amount;
    } else map.set(key, { institutionCode: code, method, origin, amount, points: p });
  };
  for (const p of points) add(p.institutionCode, p.method, 'points', null, p.points);
  // A pool without a point value (DRG at a fixed 费率, or no points paid) has nothing to convert amounts with: the
  // table holds the points claimed (none under a fixed 费率) and says so, rather than inventing a value.
  if (pointValue.num <= 0n) return unconvertedTable([...map.values()], pointValueSource);
  // Convert each institution-method total once (one rounding per row, not per unit).
  const sums = new Map<string, AmountClaim>();
  for (const a of amounts) {
    const key = `${a.institutionCode}|${a.method}`;
    const s = sums.get(key);
    if (s) s.amount += a.amount;
    else sums.set(key, { ...a });
  }
  for (const a of sums.values())
    add(a.institutionCode, a.method, 'converted', a.amount, amountToPoints(a.amount, pointValue));
  const rows = [...map.values()].sort((a, b) =>
    a.institutionCode === b.institutionCode
      ? a.method < b.method
        ? -1
        : a.method > b.method
          ? 1
          : 0
      : a.institutionCode < b.institutionCode
        ? -1
        : 1,
  );
  const group = (key: (r: RegionPointRow) => string) => {
    const m = new Map<string, Points>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.points);
    return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  const byInstitution = group((r) => r.institutionCode).map(([institutionCode, p]) => ({ institutionCode, points: p }));
  const byMethod = group((r) => r.method).map(([method, p]) => ({ method, points: p }));
  const total = rows.reduce((s, r) => s + r.points, 0);
  const converted = [...sums.values()].reduce((s, a) => s + a.amount, 0);
  const steps: TraceStep[] = [
    {
      rule: 'R-DIP-8',
      clause: pointValueSource,
      zh: '门诊按人头、按项目及医共体总额按统筹区点值折算为点数（金额 ÷ 点值，四舍五入到 0.0001 点）',
      en: 'capitation, FFS and community totals in points at the region’s point value (amount ÷ point value, half-up)',
      values: {
        点值: formatPointValue(pointValue),
        折算金额: fenToYuan(converted),
        ...Object.fromEntries(byMethod.map((m) => [m.method, formatPoints(m.points)])),
      },
      result: formatPoints(total),
    },
  ];
  return { pointValue, rows, byInstitution, byMethod, total, steps };
}

/** The region's points of a pool without a point value: only the points claimed, and a step saying why. */
function unconvertedTable(rows: RegionPointRow[], pointValueSource: string): RegionPointTable {
  const total = rows.reduce((s, r) => s + r.points, 0);
  const steps: TraceStep[] = [
    {
      rule: 'R-DIP-8',
      clause: pointValueSource,
      zh: '本结算池没有点值（费率法或当年无点数）：门诊按人头、按项目及医共体总额不折算为点数',
      en: 'this settlement pool has no point value (a fixed base rate, or no points this year): capitation, FFS and community totals are not converted to points',
      result: formatPoints(total),
    },
  ];
  const byInstitution = [...new Map(rows.map((r) => [r.institutionCode, 0] as const)).keys()]
    .sort()
    .map((institutionCode) => ({
      institutionCode,
      points: rows.filter((r) => r.institutionCode === institutionCode).reduce((s, r) => s + r.points, 0),
    }));
  const byMethod = [...new Set(rows.map((r) => r.method))]
    .sort()
    .map((method) => ({ method, points: rows.filter((r) => r.method === method).reduce((s, r) => s + r.points, 0) }));
  return { pointValue: { num: 0n, den: 1n }, rows, byInstitution, byMethod, total, steps };
}
