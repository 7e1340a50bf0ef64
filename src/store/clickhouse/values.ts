/** Value conversions of the ClickHouse back-end, exact in both directions (money fen ⇄ Decimal yuan, Int64 ⇄ text). */
import { fenLiteral, toSafeNumber } from '../duckdb/sql.ts';

const INT_TEXT = /^-?\d+$/;

/** A ClickHouse string literal: backslashes and single quotes escaped. */
export const chLit = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A 64-bit integer as ClickHouse's JSON gives it (quoted text, or a number for narrower types) → safe JS number. */
export function int(v: unknown, what: string): number {
  if (typeof v === 'string') {
    if (!INT_TEXT.test(v)) throw new RangeError(`${what}: ${v} is not an integer`);
    return toSafeNumber(BigInt(v), what);
  }
  return toSafeNumber(v, what);
}

export function intOrNull(v: unknown, what: string): number | null {
  return v === null || v === undefined ? null : int(v, what);
}

/** A 64-bit integer that may exceed 2^53: a number when safe, a bigint otherwise. */
export function int64(v: unknown, what: string): number | bigint {
  const b = typeof v === 'bigint' ? v : typeof v === 'string' && INT_TEXT.test(v) ? BigInt(v) : undefined;
  if (b === undefined) return toSafeNumber(v, what);
  const n = Number(b);
  return Number.isSafeInteger(n) ? n : b;
}

/** Integer fen → exact yuan text for a Decimal(18,2) column. */
export function yuan(fen: number | bigint, what: string): string {
  return fenLiteral(toSafeNumber(fen, what));
}

/** ISO date-time ("2025-01-02T03:04:05.678Z" or without zone) → ClickHouse DateTime64 text in UTC. */
export function stampText(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '');
}
