import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenText, type PatientShares, patientShares, splitFen, splitIntoFees } from './costs.ts';
import { FEE_MIX_WEIGHTS } from './params.ts';
import { Rng } from './prng.ts';

describe('money of a synthetic stay (integer fen)', () => {
  it('splits a total over weights so that the parts add up to the fen', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 14 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const out = new Array<number>(weights.length).fill(0);
          splitFen(total, weights, out);
          expect(out.reduce((a, b) => a + b, 0)).toBe(total);
          out.forEach((part, i) => {
            expect(Number.isInteger(part)).toBe(true);
            expect(part).toBeGreaterThanOrEqual(0);
            if (weights[i] === 0) expect(part).toBe(0);
          });
        },
      ),
    );
  });

  it('splits every cost structure into 14 charge categories adding up to the total', () => {
    const rng = new Rng(9);
    const fees = new Array<number>(14).fill(0);
    for (const mix of Object.values(FEE_MIX_WEIGHTS)) {
      for (const operated of [true, false]) {
        splitIntoFees(1_234_567, { mix, operated, tcmHospital: !operated, primary: operated }, rng, fees);
        expect(fees.reduce((a, b) => a + b, 0)).toBe(1_234_567);
        if (!operated) expect(fees[5]).toBe(0); // no surgery fee without an operation
      }
    }
  });

  it('keeps fund + self-pay + own-pay = total and account + cash = self-pay + own-pay', () => {
    const rng = new Rng(3);
    const out: PatientShares = { fund: 0, selfPay: 0, ownPay: 0, account: 0, cash: 0 };
    const fees = new Array<number>(14).fill(0);
    for (let i = 0; i < 400; i++) {
      const total = 30_000 + Math.floor(rng.next() * 50_000_000);
      splitIntoFees(
        total,
        { mix: FEE_MIX_WEIGHTS.surgical, operated: true, tcmHospital: false, primary: false },
        rng,
        fees,
      );
      const insurance = i % 2 === 0 ? 'employee' : 'resident';
      const level = (['3', '2', '1', 'primary'] as const)[i % 4]!;
      patientShares(total, fees, insurance, level, i % 7 === 0 ? 5 : 1, rng, out);
      expect(out.fund + out.selfPay + out.ownPay).toBe(total);
      expect(out.account + out.cash).toBe(out.selfPay + out.ownPay);
      for (const v of Object.values(out)) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
      if (insurance === 'resident') expect(out.account).toBe(0);
    }
  });

  it('writes fen as yuan text with two decimals', () => {
    expect(fenText(123456)).toBe('1234.56');
    expect(fenText(5)).toBe('0.05');
    expect(fenText(0)).toBe('0.00');
    expect(fenText(-1205)).toBe('-12.05');
    expect(fenText(9_007_199_254_740_991)).toBe('90071992547409.91');
  });
});
