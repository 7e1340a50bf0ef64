/** Small SQL helpers for the DuckDB back-end: quoting, and the few value conversions done in one place. */

/** A double-quoted identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted string literal. */
export function lit(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Lower-case identifiers that result tables and columns may use. */
export const SAFE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Fen (integer) → the SQL literal of its yuan DECIMAL(18,2), exact. */
export function fenLiteral(fen: number): string {
  const neg = fen < 0;
  const s = String(Math.abs(fen)).padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** A number or bigint read from DuckDB as a JS number; throws if it is not a safe integer. */
export function toSafeNumber(v: unknown, what: string): number {
  const n = typeof v === 'bigint' ? Number(v) : (v as number);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: ${String(v)} is not a safe integer`);
  return n;
}
