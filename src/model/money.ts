/**
 * Exact money (金额) and exact ratios.
 *
 * Every amount in a ledger is an integer number of fen (分). Ratios from policy files (0.95, 0.8, 12.3456 元/点)
 * are exact rationals of bigints, never binary floats. Every operation that can produce a fraction of a fen
 * names its rounding rule.
 */

/** Integer fen (分). 1 yuan = 100 fen. Always a safe integer. */
export type Fen = number;

/** An exact rational number num/den with den > 0, kept reduced. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/** How a fraction of a unit is rounded. `half-up` rounds .5 away from zero (四舍五入). */
export type Rounding = 'half-up' | 'floor' | 'ceil' | 'half-even';

export function assertFen(value: number, what = 'amount'): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of fen, got ${value}`);
  return value;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function ratio(num: bigint | number, den: bigint | number = 1n): Ratio {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new RangeError('ratio denominator is zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  return { num: n / g, den: d / g };
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parse a decimal text such as "0.95", "-12.3456" or "100" into an exact ratio. */
export function parseDecimal(text: string): Ratio {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new SyntaxError(`not a decimal number: "${text}"`);
  const frac = m[3] ?? '';
  const n = BigInt(`${m[2]}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return ratio(n, 10n ** BigInt(frac.length));
}

/**
 * A number from a policy file (YAML/JSON) as an exact ratio. The number's shortest decimal text is used,
 * so 0.95 becomes 95/100 exactly (not the binary float's expansion).
 */
export function ratioFromNumber(value: number): Ratio {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  if (/e/i.test(text)) {
    const [mant, exp] = text.toLowerCase().split('e') as [string, string];
    const base = parseDecimal(mant);
    const e = BigInt(exp);
    return e >= 0n ? ratio(base.num * 10n ** e, base.den) : ratio(base.num, base.den * 10n ** -e);
  }
  return parseDecimal(text);
}

/** Divide two bigints with an explicit rounding rule. */
export function divRound(num: bigint, den: bigint, rounding: Rounding = 'half-up'): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den; // truncates toward zero
  const r = num % den;
  if (r === 0n) return q;
  const neg = num < 0n;
  switch (rounding) {
    case 'floor':
      return neg ? q - 1n : q;
    case 'ceil':
      return neg ? q : q + 1n;
    case 'half-up': {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice >= den) return neg ? q - 1n : q + 1n;
      return q;
    }
    case 'half-even': {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > den || (twice === den && q % 2n !== 0n)) return neg ? q - 1n : q + 1n;
      return q;
    }
  }
}

/** fen × ratio, rounded to a whole fen by `rounding`. */
export function mulRatio(fen: Fen, r: Ratio, rounding: Rounding = 'half-up'): Fen {
  return Number(divRound(BigInt(fen) * r.num, r.den, rounding));
}

export function mulRatios(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}

export function divRatios(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den, a.den * b.num);
}

export function addRatios(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}

/**
 * An exact sum of many ratios without a gcd per addition: numerators are summed per denominator (a run's ratios
 * share few denominators — risk weights × days of the year), and the distinct denominators are combined once at the
 * end. `value()` equals the fold of `addRatios` over the same ratios (both are the reduced form of one rational).
 */
export class RatioSum {
  private readonly byDen = new Map<bigint, bigint>();
  add(r: Ratio): this {
    this.byDen.set(r.den, (this.byDen.get(r.den) ?? 0n) + r.num);
    return this;
  }
  value(): Ratio {
    let acc: Ratio = { num: 0n, den: 1n };
    for (const [den, num] of this.byDen) acc = addRatios(acc, { num, den });
    return acc;
  }
}

/** Exact sum of ratios (see `RatioSum`). */
export function sumRatios(parts: Iterable<Ratio>): Ratio {
  const s = new RatioSum();
  for (const p of parts) s.add(p);
  return s.value();
}

export function subRatios(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function compareRatios(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const ONE: Ratio = ratio(1n);
export const ZERO: Ratio = ratio(0n);

/** A ratio as decimal text with `places` decimals (half-up), e.g. for showing a point value. */
export function formatRatio(r: Ratio, places = 6): string {
  const scale = 10n ** BigInt(places);
  const scaled = divRound(r.num * scale, r.den, 'half-up');
  return formatScaled(scaled, places);
}

/** A ratio as a JS number, for display and statistics only, never for a ledger. */
export function ratioToNumber(r: Ratio): number {
  return Number(r.num) / Number(r.den);
}

function formatScaled(scaled: bigint, places: number): string {
  const neg = scaled < 0n;
  const abs = neg ? -scaled : scaled;
  const s = abs.toString().padStart(places + 1, '0');
  const body = places > 0 ? `${s.slice(0, -places)}.${s.slice(-places)}` : s;
  return neg ? `-${body}` : body;
}

/** Fen as yuan text with two decimals: 123456 → "1234.56". */
export function fenToYuan(fen: Fen): string {
  return formatScaled(BigInt(fen), 2);
}

/** Yuan text ("1234.56", "12", "0.5") to fen. More than two decimals is an error, not a silent rounding. */
export function yuanToFen(text: string): Fen {
  const r = parseDecimal(text);
  const fen = r.num * 100n;
  if (fen % r.den !== 0n) throw new RangeError(`amount "${text}" has more than two decimals (fen)`);
  return assertFen(Number(fen / r.den), `amount "${text}"`);
}

/**
 * Split `total` fen in proportion to non-negative integer `weights`, so that the parts add up to `total`
 * exactly (largest-remainder method, 最大余数法). Each part first gets floor(total × w / Σw); the fen left
 * over go one each to the largest remainders, ties to the lower index, so the result is deterministic and
 * depends only on the order of `weights` (callers sort by a stable key such as the institution code).
 */
export function allocateProportional(total: Fen, weights: readonly bigint[]): Fen[] {
  assertFen(total, 'total');
  const sum = weights.reduce((a, w) => {
    if (w < 0n) throw new RangeError('allocation weights must be non-negative');
    return a + w;
  }, 0n);
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over no weights');
    return [];
  }
  if (sum === 0n) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over zero weights');
    return weights.map(() => 0);
  }
  const t = BigInt(total);
  const sign = t < 0n ? -1n : 1n;
  const absT = t * sign;
  const parts: bigint[] = [];
  const rems: { i: number; r: bigint }[] = [];
  let given = 0n;
  weights.forEach((w, i) => {
    const p = (absT * w) / sum;
    parts.push(p);
    given += p;
    rems.push({ i, r: (absT * w) % sum });
  });
  let left = absT - given;
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) {
    const idx = rems[k]!.i;
    parts[idx] = parts[idx]! + 1n;
  }
  return parts.map((p) => Number(p * sign));
}

/**
 * Floors and largest remainders (病例结算金额, settlement policy `caseAmountRounding: largest-remainder`): exact parts
 * num / den fen (den > 0, num ≥ 0) are each rounded down to the fen, and the fen of `total` left over go one each to
 * the parts with the largest remainders, ties to the lower key (plain code-unit order): the parts add up to `total`
 * exactly, each its floor or one fen more. `total` must lie between Σ floors and Σ floors + the number of parts. The
 * stores compute the same rule in SQL (SettlementRunWriter.caseAmounts); this is its reference.
 */
export function floorsAndLargestRemainders(
  parts: readonly { key: string; num: bigint }[],
  den: bigint,
  total: Fen,
): Fen[] {
  assertFen(total, 'total');
  if (den <= 0n) throw new RangeError('the parts’ denominator must be positive');
  const floors = parts.map((p) => {
    if (p.num < 0n) throw new RangeError(`part ${p.key} is negative`);
    return p.num / den;
  });
  const left = BigInt(total) - floors.reduce((a, f) => a + f, 0n);
  if (left < 0n || left > BigInt(parts.length))
    throw new RangeError(`total ${total} is not within the parts’ floors and one fen each (${left} fen left)`);
  const order = parts
    .map((p, i) => ({ i, r: p.num % den, key: p.key }))
    .sort((a, b) => (a.r !== b.r ? (a.r > b.r ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = floors.map((f) => Number(f));
  for (let k = 0; k < Number(left); k++) out[order[k]!.i]!++;
  return out;
}

/** Sum fen exactly (throws if the sum leaves the safe-integer range). */
export function sumFen(values: Iterable<Fen>): Fen {
  let s = 0;
  for (const v of values) s += v;
  return assertFen(s, 'sum');
}

/**
 * Round a sum of exact non-negative amounts once and split the rounded total back over its parts (largest
 * remainder, `allocateProportional`): the total is `rounding`(Σ parts) — the one place money is rounded — and the
 * parts add up to it exactly, each within one fen of its exact amount.
 */
export function roundOnceAndSplit(parts: readonly Ratio[], rounding: Rounding): { total: Fen; parts: Fen[] } {
  if (parts.length === 0) return { total: 0, parts: [] };
  let den = 1n;
  for (const p of parts) den = (den / gcd(den, p.den)) * p.den;
  const scaled = parts.map((p) => {
    if (p.num < 0n) throw new RangeError('roundOnceAndSplit takes non-negative amounts');
    return p.num * (den / p.den);
  });
  const sum = scaled.reduce((a, b) => a + b, 0n);
  const total = assertFen(Number(divRound(sum, den, rounding)), 'total');
  return { total, parts: allocateProportional(total, scaled) };
}
