import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeeItem, InpatientCase } from '../model/case.ts';
import { mulDivHalfUp } from './arith.ts';
import { applyRule } from './check-case.ts';
import { emptyContext, mkCase, mkItem, mkRule, testKnowledge } from './testing.ts';
import type { RuleLogic } from './types.ts';

const k = testKnowledge();
const run = (logic: RuleLogic, items: FeeItem[], c: InpatientCase = mkCase()) =>
  applyRule(mkRule('R1', logic), { case: c, items, context: emptyContext() }, k);

describe('R-MON-2 fee-line edits (条例 第十五条)', () => {
  it('duplicate charge: a second line of the same item, quantity and price is at issue; another price is not', () => {
    const f = run({ detector: 'duplicate-charge' }, [
      mkItem('CT', '1', 25_000),
      mkItem('CT', '1', 25_000),
      mkItem('CT', '1', 30_000),
      mkItem('LAB', '2', 1_000),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ flagId: 'R1:S1:CT', amount: 25_000, evidence: { lines: 3, dupLines: 1 } });
    expect(run({ detector: 'duplicate-charge' }, [mkItem('CT', '1', 25_000), mkItem('CT', '2', 25_000)])).toEqual([]);
  });

  it('unbundling: a bundled component charged with its bundle; the component amount is at issue', () => {
    const logic: RuleLogic = { detector: 'code-pair', params: { relation: 'bundle' } };
    const f = run(logic, [mkItem('SURG', '1', 200_000), mkItem('TOOLS', '2', 5_000)]);
    expect(f).toEqual([
      expect.objectContaining({
        flagId: 'R1:S1:SURG+TOOLS',
        amount: 10_000,
        evidence: expect.objectContaining({ pairAmount: 10_000 }),
      }),
    ]);
    expect(run(logic, [mkItem('TOOLS', '2', 5_000)])).toEqual([]);
    // an exclusive pair is not a bundle
    expect(run(logic, [mkItem('WARD', '1', 4_500), mkItem('VIP', '1', 30_000)])).toEqual([]);
  });

  it('mutually exclusive items: both billed in one stay', () => {
    const logic: RuleLogic = { detector: 'code-pair', params: { relation: 'exclusive' } };
    expect(run(logic, [mkItem('WARD', '1', 4_500), mkItem('VIP', '1', 30_000)])[0]?.amount).toBe(30_000);
    expect(run(logic, [mkItem('WARD', '5', 4_500)])).toEqual([]);
  });

  it('over-standard quantity: 7 bed-days on a 5-day stay → excess 2/7 of 31,500 fen = 9,000 fen', () => {
    const f = run({ detector: 'over-quantity' }, [mkItem('BED', '7', 4_500)]);
    expect(f[0]).toMatchObject({ amount: 9_000, evidence: { quantity: '7', limit: '5', losDays: 5 } });
    expect(run({ detector: 'over-quantity' }, [mkItem('BED', '5', 4_500)])).toEqual([]);
  });

  it('over-standard quantity: the per-stay limit binds before the per-day one (3 of HBO on a 5-day stay)', () => {
    // 4 units at 150 yuan; limit min(1 × 5, 3) = 3 → 1/4 of 60,000 = 15,000
    expect(run({ detector: 'over-quantity' }, [mkItem('HBO', '4', 15_000)])[0]?.amount).toBe(15_000);
    // a same-day stay counts as one day
    const sameDay = mkCase({ losDays: 0 });
    expect(run({ detector: 'over-quantity' }, [mkItem('BED', '1', 4_500)], sameDay)).toEqual([]);
    expect(run({ detector: 'over-quantity' }, [mkItem('BED', '1.5', 4_500)], sameDay)[0]?.amount).toBe(2_250);
  });

  it('item substitution: wrong charge category → whole line; above catalog price → the excess', () => {
    const f = run({ detector: 'item-substitution' }, [
      mkItem('HBO', '2', 18_000, { chargeCategory: '05' }), // 36,000 − 2 × 15,000 = 6,000
      mkItem('CT', '1', 25_000, { chargeCategory: '09' }), // billed as a drug: 25,000
    ]);
    expect(f.map((x) => [x.flagId, x.amount])).toEqual([
      ['R1:S1:CT', 25_000],
      ['R1:S1:HBO', 6_000],
    ]);
    expect(
      run({ detector: 'item-substitution' }, [
        mkItem('HBO', '2', 15_000),
        mkItem('CT', '1', 99_000, { chargeCategory: '03' }),
      ]),
    ).toEqual([]);
  });

  it('sex-, age- and department-restricted items', () => {
    const sex: RuleLogic = { detector: 'restricted-item', params: { check: 'sex' } };
    expect(run(sex, [mkItem('PSA', '1', 6_000)], mkCase({ sex: '2' }))[0]).toMatchObject({
      amount: 6_000,
      evidence: { limit: '1', actual: '2' },
    });
    expect(run(sex, [mkItem('PSA', '1', 6_000)], mkCase({ sex: '1' }))).toEqual([]);
    const age: RuleLogic = { detector: 'restricted-item', params: { check: 'age' } };
    expect(run(age, [mkItem('KID', '1', 3_000)], mkCase({ ageYears: 15 }))).toHaveLength(1);
    expect(run(age, [mkItem('KID', '1', 3_000)], mkCase({ ageYears: 14 }))).toEqual([]);
    const dept: RuleLogic = { detector: 'restricted-item', params: { check: 'department' } };
    expect(run(dept, [mkItem('KID', '1', 3_000)], mkCase({ department: '03' }))).toHaveLength(1);
    expect(run(dept, [mkItem('KID', '1', 3_000)], mkCase({ department: '07' }))).toEqual([]);
  });

  it('phantom bed-days: bed charges beyond LOS + tolerance', () => {
    const logic: RuleLogic = { detector: 'phantom-bed-days', params: { bedItems: ['BED'], toleranceDays: 1 } };
    const beds = (q: string) => [mkItem('BED', q, 4_500, { chargeCategory: '01' })];
    expect(run(logic, beds('6'))).toEqual([]); // 5 days + 1
    expect(run(logic, beds('8'))[0]).toMatchObject({ amount: 9_000, evidence: { bedDays: '8', losDays: 5 } });
  });

  it('charges before admission / after discharge (条例 第四十条): stay 2025-03-01…03-06, by calendar day', () => {
    const logic = (toleranceDays: number): RuleLogic => ({
      detector: 'charge-outside-stay',
      params: { toleranceDays },
    });
    const at = (chargeTime: string) => ({ chargeTime });
    const items = [
      mkItem('LAB', '1', 2_500, at('2025-03-09T09:00:00')), // 3 days after discharge
      mkItem('LAB', '1', 2_500, at('2025-03-04T10:00:00')), // in the stay: not at issue
      mkItem('CT', '1', 25_000, at('2025-02-27T23:00:00')), // 2 days before admission
      mkItem('XR', '1', 9_000, at('2025-03-01T06:00:00')), // admission day, before the admission hour: same day
      mkItem('MRI', '1', 60_000), // no charge date: not judged
    ];
    const f = run(logic(0), items);
    expect(f.map((x) => [x.flagId, x.amount])).toEqual([
      ['R1:S1:CT', 25_000],
      ['R1:S1:LAB', 2_500],
    ]);
    expect(f[1]!.evidence).toEqual({
      itemCode: 'LAB',
      lines: 1,
      firstChargeDate: '2025-03-09',
      lastChargeDate: '2025-03-09',
      admissionDate: '2025-03-01',
      dischargeDate: '2025-03-06',
      daysOutside: 3,
      toleranceDays: 0,
    });
    expect(f[0]).toMatchObject({ severity: 'high', result: 'violation', evidence: { daysOutside: 2 } });
    // a tolerance of 2 days keeps the charge 2 days before admission, not the one 3 days after discharge
    expect(run(logic(2), items).map((x) => x.flagId)).toEqual(['R1:S1:LAB']);
    expect(run(logic(3), items)).toEqual([]);
    // the discharge day itself and the day after (at tolerance 1) are in
    expect(run(logic(0), [mkItem('LAB', '1', 2_500, at('2025-03-06T23:59:00'))])).toEqual([]);
    expect(run(logic(1), [mkItem('LAB', '1', 2_500, at('2025-03-07T08:00:00'))])).toEqual([]);
    expect(run(logic(0), [mkItem('LAB', '1', 2_500, at('2025-03-07T08:00:00'))])).toHaveLength(1);
  });

  it('declarative rule: surgery fee on a case without a procedure (AND of conditions)', () => {
    const logic: RuleLogic = {
      where: [
        { field: 'item.chargeCategory', op: 'eq', value: '06' },
        { field: 'case.procedureCount', op: 'eq', value: 0 },
      ],
    };
    const items = [mkItem('SURG', '1', 200_000, { chargeCategory: '06' }), mkItem('LAB', '1', 100)];
    expect(run(logic, items)[0]).toMatchObject({ flagId: 'R1:S1:SURG', amount: 200_000 });
    expect(run(logic, items, mkCase({ procedures: [{ code: '47.0900' }] }))).toEqual([]);
  });
});

describe('invariants (property)', () => {
  it('the excess share of an over-quantity line is never negative nor above the billed amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 60 }),
        (q, price, los) => {
          const f = run({ detector: 'over-quantity' }, [mkItem('HBO', String(q), price)], mkCase({ losDays: los }));
          const billed = q * price;
          return (
            f.every((x) => x.amount >= 0 && x.amount <= billed) &&
            (f.length === 0) === q <= Math.min(Math.max(1, los), 3)
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a charge inside the stay is never at issue; the amount at issue is the sum of the lines outside it', () => {
    const day0 = Date.UTC(2025, 2, 1) / 86_400_000; // admission 2025-03-01, discharge 2025-03-06
    const iso = (d: number) => `${new Date(d * 86_400_000).toISOString().slice(0, 10)}T12:00:00`;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: 1, max: 99_999 }))), (ls) => {
        const items = ls.map(([d, fen]) => mkItem('LAB', '1', fen, { chargeTime: iso(day0 + d) }));
        const f = run({ detector: 'charge-outside-stay', params: { toleranceDays: 0 } }, items);
        const outside = ls.filter(([d]) => d < 0 || d > 5);
        return (
          (f[0]?.amount ?? 0) === outside.reduce((s, [, fen]) => s + fen, 0) && f.length === (outside.length ? 1 : 0)
        );
      }),
    );
  });

  it('mulDivHalfUp is the half-up rounding of a × b / c', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.integer({ min: 1, max: 1_000_000 }), (a, b, c) => {
        const exact = (BigInt(a) * BigInt(b) * 2n + BigInt(c)) / (2n * BigInt(c));
        return BigInt(mulDivHalfUp(a, b, c)) === exact && Math.abs(mulDivHalfUp(a, b, c) - (a * b) / c) <= 0.5;
      }),
    );
  });
});
