/**
 * Test helpers (tests only): hand-made published parameters for DIP and DRG — a one-group DIP catalog and the mini
 * DRG pack with one weight — so estimates can be checked against numbers worked out by hand.
 */

import { compileDrgPack } from '../grouping/drg/compile.ts';
import { miniPack } from '../grouping/drg/mini-pack.ts';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import { DipEngine } from '../payment/dip/engine.ts';
import { testCatalog, testDipPolicy, testInstitution } from '../payment/dip/testing.ts';
import type { DrgPricing } from '../payment/drg/price.ts';
import type { DrgWeightTable } from '../payment/drg/types.ts';
import type { HospitalParams } from './types.ts';

export const HOSPITAL: Institution = { ...testInstitution('H1', '2'), name: '示范第一医院' };

/**
 * DIP: core group K35.8 + 47.0901 with a score of 1000 points; level-2 coefficient 0.9; reference point value
 * 10 元/点; low-cost below 0.5 × standard, high-cost above 2 × standard (excess paid at 100 %); a forecast point
 * value of 9.5 元/点.
 */
export function dipParams(): HospitalParams {
  const catalog = testCatalog(
    [
      { code: 'K35.8|47.0901', kind: 'core', dx: 'K35.8', procedures: ['47.0901'], points: 1000, name: '阑尾切除' },
      { code: 'J18.9|', kind: 'core', dx: 'J18.9', points: 500, name: '肺炎' },
    ],
    '1000/1',
  );
  const policy = testDipPolicy({
    institutionCoefficient:
      '{ value: { method: given, byLevel: { "3": 1, "2": 0.9, "1": 0.8, primary: 0.7 } }, source: "测试 等级系数" }',
  });
  const engine = new DipEngine({ catalog, policy, institutions: [HOSPITAL] });
  return {
    pricing: {
      method: 'dip',
      engine,
      pointValue: { value: ratio(950n), basis: 'forecast', source: '测试 预测点值 9.5 元/点' },
    },
    institutions: new Map([[HOSPITAL.code, HOSPITAL]]),
    prompts: { losToleranceDays: 1 },
    source: { id: 'test-published', version: '1', title: 'test' },
  };
}

/**
 * DRG: the mini pack (src/grouping/drg/mini-pack.ts); BR11 with RW 1.2 and a mean cost of 12,000 元; base rate
 * 10,000 元 per RW (employee), level-2 coefficient 0.9; low-cost below 0.4 × mean; high-cost above 2 × mean for
 * RW ≥ 1 (3 × below 1), the excess paid at 90 %.
 */
export function drgParams(mode: 'amount' | 'points' = 'amount'): HospitalParams {
  const table: DrgWeightTable = {
    source: 'test weights',
    overallMean: 1_000_000,
    weights: new Map([
      ['BR11', { drg: 'BR11', rw: ratio(12n, 10n), meanCost: 1_200_000, cases: 0, cv: 0 }],
      ['BR13', { drg: 'BR13', rw: ratio(8n, 10n), meanCost: 800_000, cases: 0, cv: 0 }],
    ]),
  };
  const pricing: DrgPricing = {
    mode,
    ...(mode === 'amount' ? { baseRate: { employee: 1_000_000, resident: 800_000 } } : {}),
    pointsPerRw: 100,
    levelCoefficients: { '3': ratio(1n), '2': ratio(9n, 10n), '1': ratio(8n, 10n), primary: ratio(7n, 10n) },
    lowRatio: ratio(4n, 10n),
    itemsInPointPool: 'amount',
    highTiers: [{ rwBelow: ratio(1n), multiple: ratio(3n) }, { multiple: ratio(2n) }],
    highVariant: 'standard-plus-excess',
    excessRate: ratio(9n, 10n),
    ungrouped: 'items',
    sources: { method: 'm', baseRate: 'b', level: 'l', low: 'lo', high: 'hi', ungrouped: 'u' },
  };
  return {
    pricing: {
      method: 'drg',
      kernel: compileDrgPack(miniPack()),
      table,
      pricing,
      pointValue:
        mode === 'points' ? { value: ratio(10_000n), basis: 'published', source: '测试 点值 100 元/点' } : null,
    },
    institutions: new Map([[HOSPITAL.code, HOSPITAL]]),
    prompts: { losToleranceDays: 1 },
    source: { id: 'test-published', version: '1', title: 'test' },
  };
}

/**
 * R-DIP-6 (002 四(三) 按照各医疗机构实际点数付费): the agency pays an institution its points × point value rounded once
 * and stores each case's share (病例结算金额: floors, the leftover fen to the largest remainders, ties by id). A hospital
 * that rounds every case half-up on its own is a fen off on some; those differ only by the split (分配尾差).
 *
 * Hand-computed, point value 1000/7 fen per point (≈ 1.428571 元/点), institution H1 with four cases:
 *   A  4 points → 4000/7  =  571 3/7 fen   half-up  571
 *   B 11 points → 11000/7 = 1571 3/7 fen   half-up 1571
 *   C 18 points → 18000/7 = 2571 3/7 fen   half-up 2571
 *   D 25 points → 25000/7 = 3571 3/7 fen   half-up 3571     Σ half-up 8284
 *   H1: 58 points → 58000/7 = 8285 5/7 fen → 8286 (rounded once). Floors 8284, 2 fen left; the remainders tie (3/7),
 *   so the lower ids A and B get one each: A 572, B 1572, C 2571, D 3571 (Σ 8286).
 * The hospital's view: A, B, C as it rounded them (5.71, 15.71, 25.71 元); D at 26 points (a coefficient it
 * expected), 26000/7 = 3714 2/7 → 37.14 元. Hospital Σ 84.27 元, agency Σ 82.86 元: the institution differs by −1.41 元.
 */
export const SPLIT_EXAMPLE = {
  pointValue: { num: '1000', den: '7' },
  points: { A: 40_000, B: 110_000, C: 180_000, D: 250_000 } as Record<string, number>,
  settled: { A: 572, B: 1572, C: 2571, D: 3571 } as Record<string, number>,
  institutionValueFen: 8286,
  view: [
    { setlId: 'A', points: 40_000, amount: 571 },
    { setlId: 'B', points: 110_000, amount: 1571 },
    { setlId: 'C', points: 180_000, amount: 2571 },
    { setlId: 'D', points: 260_000, amount: 3714 },
  ],
};
