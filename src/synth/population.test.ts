import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateTexts, dayNumber } from './calendar.ts';
import { Occupancy } from './choose.ts';
import { Population } from './population.ts';
import { COUNTIES } from './region.ts';

const calendar = new DateTexts(1925, 2026);
const make = (target: number, shard = 0, shards = 1) =>
  new Population(7, target, COUNTIES, 2025, dayNumber(2022, 1, 1), calendar, shard, shards);

describe('population shards: the persons of (county, sex, birth year) dealt out by index mod shards', () => {
  it('gives each shard the block’s indices ≡ shard (mod shards), ascending; together exactly the whole block (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5000, max: 9000 }), fc.integer({ min: 2, max: 7 }), (target, shards) => {
        const whole = make(target);
        const parts = Array.from({ length: shards }, (_, s) => make(target, s, shards));
        for (let county = 0; county < COUNTIES.length; county++) {
          for (const sex of ['1', '2'] as const) {
            for (let year = whole.minBirthYear; year <= whole.maxBirthYear; year += 7) {
              const n = whole.count(county, sex, year);
              const all = Array.from({ length: n }, (_, k) => whole.indexIn(county, sex, year, k));
              const dealt: number[] = [];
              parts.forEach((p, s) => {
                const mine = Array.from({ length: p.count(county, sex, year) }, (_, k) =>
                  p.indexIn(county, sex, year, k),
                );
                for (const [k, idx] of mine.entries()) {
                  expect(idx % shards).toBe(s);
                  if (k > 0) expect(idx).toBe(mine[k - 1]! + shards);
                }
                dealt.push(...mine);
              });
              expect(dealt.sort((a, b) => a - b)).toEqual(all);
            }
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('refuses a shard outside 0…shards−1', () => {
    expect(() => make(5000, 3, 3)).toThrow(RangeError);
    expect(() => make(5000, 0, 0)).toThrow(RangeError);
  });

  it('keeps one hospital-calendar slot per person of the shard: a stay or death of one never frees or blocks another', () => {
    const shards = 3;
    const occupancy = new Occupancy(10, shards);
    // persons 1, 4, 7 belong to shard 1
    occupancy.stay(1, 100);
    occupancy.die(4, 50);
    expect(occupancy.freeFrom(1)).toBe(100);
    expect(occupancy.isFree(1, 99)).toBe(false);
    expect(occupancy.isFree(4, 10_000)).toBe(false);
    expect(occupancy.isFree(7, 0)).toBe(true);
    expect(occupancy.deaths).toEqual(new Map([[4, 50]]));
  });
});
