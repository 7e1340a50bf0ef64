import { describe, expect, it } from 'vitest';
import { cumulative, Rng, rootKey, streamKey } from './prng.ts';

describe('seeded PRNG (xoshiro128**)', () => {
  it('gives the same sequence for the same key and a different one for another key', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const seqA = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(seqA);
  });

  it('maps the seed 42 and the text "42" to the same root key', () => {
    expect(rootKey(42)).toBe(rootKey('42'));
    expect(rootKey('42')).not.toBe(rootKey('43'));
  });

  it('keys streams by every part, in order', () => {
    expect(streamKey(1, 2, 3)).toBe(streamKey(1, 2, 3));
    expect(streamKey(1, 2, 3)).not.toBe(streamKey(1, 3, 2));
  });

  it('draws uniform numbers in [0, 1), lognormal factors with mean 1, and bounded triangular values', () => {
    const r = new Rng(123);
    let sum = 0;
    let logSum = 0;
    let [uMin, uMax, tMin, tMax] = [1, 0, 9, 2];
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      uMin = Math.min(uMin, u);
      uMax = Math.max(uMax, u);
      sum += u;
      logSum += r.lognormalFactor(0.4);
      const t = r.triangular(2, 5, 9);
      tMin = Math.min(tMin, t);
      tMax = Math.max(tMax, t);
    }
    expect(uMin).toBeGreaterThanOrEqual(0);
    expect(uMax).toBeLessThan(1);
    expect(tMin).toBeGreaterThanOrEqual(2);
    expect(tMax).toBeLessThanOrEqual(9);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(logSum / n).toBeCloseTo(1, 1);
  });

  it('picks by cumulative weights and never picks a zero weight', () => {
    const r = new Rng(5);
    const cum = cumulative([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.pickCumulative(cum)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
  });
});
