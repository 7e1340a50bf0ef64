/**
 * What both back-ends share of the DIP history keys (issue 9, model/history-keys.ts): the years checked, the
 * auxiliary bits as one SQL sum of CASEs (the same text on DuckDB and ClickHouse), and the quantile levels that
 * bound the trimmed ends of every group.
 */
import type { HistoryBit, HistoryStayRule, HistoryTrimPlan } from '../model/history-keys.ts';
import { StoreError } from './errors.ts';

/** The history years as given (their order is the trimming's second key); a year that is not one is an error. */
export function historyYearsChecked(years: readonly number[], location: string): number[] {
  for (const y of years) {
    if (!Number.isInteger(y) || y < 1900 || y > 9998)
      throw new StoreError('STORE_BAD_FILTER', location, `年份不合规: ${y}`, `bad year: ${y}`);
  }
  if (years.length === 0 || new Set(years).size !== years.length)
    throw new StoreError(
      'STORE_BAD_FILTER',
      location,
      '历史年度须不重复且至少一个',
      'history years: distinct, at least one',
    );
  return [...years];
}

/** Column expressions a back-end gives for the bits. */
export interface HistoryBitColumns {
  /** nwb_age (nullable), age (years), ICU days (NULL as 0), dscg_way. */
  ageDays: string;
  age: string;
  icu: string;
  way: string;
  lit: (text: string) => string;
}

const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new RangeError(`history bit bound: ${v}`);
  return String(v);
};

/**
 * The sum of the bits a case meets (0 when none): age in days is nwb_age when ≥ 0, else years × 365 from one year
 * on; ICU bands apply above 0 days (as `AuxMatcher.mask`).
 */
export function historyBitsSql(bits: readonly HistoryBit[], c: HistoryBitColumns): string {
  if (bits.length === 0) return '0';
  const days = `(CASE WHEN ${c.ageDays} >= 0 THEN ${c.ageDays} WHEN ${c.age} >= 1 THEN ${c.age} * 365 END)`;
  const terms = bits.map((b) => {
    if (!Number.isInteger(b.value) || b.value <= 0 || (b.value & (b.value - 1)) !== 0)
      throw new RangeError(`history bit value: ${b.value}`);
    let cond: string;
    if (b.of === 'death') cond = `${c.way} = ${c.lit(b.way)}`;
    else {
      const v = b.of === 'age-days' ? days : b.of === 'age-years' ? c.age : c.icu;
      const parts = [`${v} >= ${num(b.from)}`];
      if (b.to !== undefined && b.to !== Number.POSITIVE_INFINITY) parts.push(`${v} <= ${num(b.to)}`);
      if (b.of === 'icu-days') parts.unshift(`${v} > 0`);
      cond = parts.join(' AND ');
    }
    return `(CASE WHEN ${cond} THEN ${b.value} ELSE 0 END)`;
  });
  return `(${terms.join(' + ')})`;
}

/**
 * Quantile levels that bound each group's trimmed ends from outside: twice the largest share trimmed at that end
 * (an exact discrete quantile at that level leaves at least the trimmed cases at or beyond it), and how many
 * trimmed cases the plan asks for.
 */
export function historyTrimLevels(trim: HistoryTrimPlan): { low: number; high: number; expected: number } {
  let low = 0;
  let high = 0;
  let expected = 0;
  trim.cases.forEach((n, g) => {
    if (n <= 0) return;
    low = Math.max(low, trim.low[g]! / n);
    high = Math.max(high, trim.high[g]! / n);
    expected += trim.low[g]! + trim.high[g]!;
  });
  return { low: Math.min(1, 2 * low), high: Math.max(0, 1 - 2 * high), expected };
}

/** Column expressions and functions a back-end gives for the stay rules. */
export interface HistoryStayColumns {
  /** The principal diagnosis code (NULL or '' when none), the institution code, the length of stay in days. */
  principal: string;
  institution: string;
  los: string;
  /** The first `n` characters of a text. */
  prefix: (text: string, n: number) => string;
  lit: (text: string) => string;
}

/**
 * Whether exactly one rule takes the case (`matchCategory`'s one match), as an SQL boolean: a rule's prefixes are
 * tested by length, each length one IN list.
 */
export function historyExcludedSql(rules: readonly HistoryStayRule[], c: HistoryStayColumns): string {
  const terms = rules
    .filter((r) => r.principalPrefixes.length > 0 && r.institutions.length > 0)
    .map((r) => {
      if (!Number.isInteger(r.minLosDays)) throw new RangeError(`stay rule: minLosDays ${r.minLosDays}`);
      const byLength = new Map<number, string[]>();
      for (const p of r.principalPrefixes) byLength.set(p.length, [...(byLength.get(p.length) ?? []), p]);
      const dx = [...byLength]
        .sort(([a], [b]) => a - b)
        .map(([n, ps]) => (n === 0 ? 'true' : `${c.prefix(c.principal, n)} IN (${ps.map(c.lit).join(', ')})`))
        .join(' OR ');
      const inst = `${c.institution} IN (${r.institutions.map(c.lit).join(', ')})`;
      return `(CASE WHEN (${dx}) AND ${inst} AND ${c.los} >= ${r.minLosDays} THEN 1 ELSE 0 END)`;
    });
  if (terms.length === 0) return 'false';
  return `coalesce(${c.principal} <> '' AND (${terms.join(' + ')}) = 1, false)`;
}

/**
 * The trimmed cases read by `read(low, high)`: those beyond each group's quantile bounds at `levels`; when a bound left
 * too few cases beyond it (the levels are chosen so that it cannot; checked all the same), every case of the groups
 * ranked (`read(1, 0)`). Either must give the planned number, else the pass stops.
 */
export async function trimmedByLevels<T extends { n: number }>(
  levels: { low: number; high: number; expected: number },
  read: (low: number, high: number) => Promise<T>,
): Promise<T> {
  const tails = await read(levels.low, levels.high);
  if (tails.n === levels.expected) return tails;
  const all = await read(1, 0);
  if (all.n !== levels.expected)
    throw new Error(`history trimming: ${all.n} trimmed cases, ${levels.expected} planned`);
  return all;
}
