/**
 * The generator's only source of randomness: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 * No `Math.random` anywhere in `src/synth`: the same seed gives the same region, byte for byte.
 *
 * Each case, person and institution draws from its own stream, keyed by (seed, stream, index), so a change in
 * one part of the generator (say, an extra draw for fee items) does not shift every later case.
 */

/** 32-bit FNV-1a of a text, used to turn a user's seed (number or text) into a 32-bit key. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 finaliser: a well-mixed 32-bit value from a 32-bit input. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A 32-bit key from several 32-bit parts (order matters). */
export function streamKey(...parts: number[]): number {
  let h = 0x6a09e667;
  for (const p of parts) h = mix32(h ^ mix32(p >>> 0));
  return h;
}

/** Named streams, so that two purposes never share a sequence. */
export const STREAM = {
  region: 1,
  person: 2,
  case: 3,
  feeItems: 4,
  enrolment: 5,
  anomaly: 6,
  misbehaviour: 7,
  outpatient: 8,
} as const;

const TWO_POW_32 = 4294967296;

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Second normal deviate of the last Box–Muller pair (NaN when none is kept). */
  private spare = Number.NaN;

  constructor(key = 0) {
    this.reseed(key);
  }

  /** Restart the stream from a 32-bit key (cheap: four splitmix32 steps). */
  reseed(key: number): this {
    let s = key >>> 0;
    s = (s + 0x9e3779b9) >>> 0;
    this.a = mix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.b = mix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.c = mix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.d = mix32(s) | 1; // never the all-zero state
    this.spare = Number.NaN;
    return this;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal deviate (Box–Muller, the pair's second value kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    let u = this.next();
    if (u < 1e-12) u = 1e-12;
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal factor with mean exactly 1 and log-sd `sigma`: exp(σZ − σ²/2). */
  lognormalFactor(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** Triangular distribution on [min, max] with the given mode. */
  triangular(min: number, mode: number, max: number): number {
    if (max <= min) return min;
    const u = this.next();
    const f = (mode - min) / (max - min);
    return u < f
      ? min + Math.sqrt(u * (max - min) * (mode - min))
      : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
  }

  /** An element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index drawn from cumulative weights (`cum[i]` = w0 + … + wi, last > 0). */
  pickCumulative(cum: Float64Array | readonly number[]): number {
    const total = cum[cum.length - 1]!;
    const x = this.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Cumulative sums of weights, for `Rng.pickCumulative`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => {
    s += w;
    out[i] = s;
  });
  return out;
}

/** The seed a user gives (number or text) as the 32-bit root key; `42` and `'42'` give the same region. */
export function rootKey(seed: string | number): number {
  return mix32(hashText(String(seed)));
}
