import { describe, expect, it } from 'vitest';
import type { FeeItem } from '../../model/case.ts';
import { ffsKind } from '../../policy/kinds/ffs.ts';
import { runPaymentContract } from '../contract.ts';
import { resolvePolicyFile } from '../testing.ts';
import { type FfsSettlement, ffsMethod, priceItem, priceItems } from './index.ts';

const policy = resolvePolicyFile(ffsKind, 'policies/demo/ffs-2025.yaml', '2025-06-30');

const item = (
  p: Partial<FeeItem> & Pick<FeeItem, 'itemCode' | 'catalogClass' | 'unitPrice' | 'quantity'>,
): FeeItem => ({
  setlId: 'S1',
  itemName: p.itemCode,
  amount: 0,
  ...p,
});

// Hand-computed (demo policy: 乙 self-pay 10 %, 乙 consumables "C…" 20 %, "YS…" wellness excluded):
//   X001 甲 12.34 × 2.5    = 30.85             in scope 30.85
//   X002 乙 19.99 × 3      = 59.97  self-pay 10 % = 5.997 → 6.00 (half-up)   in scope 53.97
//   C100 乙 100.00 × 1     = 100.00 self-pay 20 % = 20.00                    in scope 80.00
//   Z999 丙 3.33 × 0.333   = 1.10889 → 1.11 own pay
//   YS01 甲 50.00 × 1      = 50.00 excluded (wellness) → own pay
//   billed 241.93; own pay 51.11; self pay 26.00; in scope 164.82; cost sharing 10.00 → patient 87.11, fund 154.82
const items: FeeItem[] = [
  item({ itemCode: 'X001', catalogClass: 'A', unitPrice: 1234, quantity: '2.5', amount: 3080 }),
  item({ itemCode: 'X002', catalogClass: 'B', unitPrice: 1999, quantity: '3', amount: 5997 }),
  item({ itemCode: 'C100', catalogClass: 'B', unitPrice: 10_000, quantity: '1', amount: 10_000 }),
  item({ itemCode: 'Z999', catalogClass: 'C', unitPrice: 333, quantity: '0.333', amount: 111 }),
  item({ itemCode: 'YS01', catalogClass: 'A', unitPrice: 5000, quantity: '1', amount: 5000 }),
];
const s1: FfsSettlement = { setlId: 'S1', institutionCode: 'H1', date: '2025-03-10', items, patientCostSharing: 1000 };

describe('R-PAY-FFS fee-for-service (资府办函〔2018〕52号 二(五))', () => {
  it('R-PAY-FFS: price × decimal quantity is exact and rounds half-up once per item (3.33 × 0.333 → 1.11)', () => {
    expect(priceItem(items[0]!)).toBe(3085);
    expect(priceItem(items[3]!)).toBe(111);
    expect(priceItem(item({ itemCode: 'X', catalogClass: 'A', unitPrice: 1, quantity: '0.4999' }))).toBe(0);
    expect(priceItem(item({ itemCode: 'X', catalogClass: 'A', unitPrice: 1, quantity: '0.5' }))).toBe(1);
  });

  it('R-PAY-FFS: 乙 pays its self-pay share first (10 %, 20 % for the longer "C" prefix), 丙 is own pay', () => {
    const p = priceItems(items, policy);
    expect(p.map((x) => [x.amount, x.ownPay, x.selfPay, x.inScope])).toEqual([
      [3085, 0, 0, 3085],
      [5997, 0, 600, 5397],
      [10_000, 0, 2000, 8000],
      [111, 111, 0, 0],
      [5000, 5000, 0, 0],
    ]);
  });

  it('R-BEN-3: a wellness item is outside the fund whatever its catalog class', () => {
    const p = priceItems([items[4]!], policy)[0]!;
    expect(p.scope).toMatchObject({ kind: 'excluded', reason: 'wellness' });
  });

  it('R-PAY-FFS: claim 241.93 = billed; patient 51.11 + 26.00 + 10.00 = 87.11; the listed 30.80 is not trusted', () => {
    const [r] = ffsMethod.evaluate([s1], { policy });
    expect(r).toMatchObject({ unitId: 'S1', month: '2025-03', status: 'paid', billed: 24_193, patientPaid: 8711 });
    expect(r!.claim).toEqual({ kind: 'amount', amount: 24_193 });
    expect(r!.explanation[0]!.values).toMatchObject({ listedAmountDiffers: 1 });
    expect(r!.explanation.at(-1)!.values).toMatchObject({ fundPart: '154.82' });
  });

  it('R-PAY-FFS: without cost sharing given, the patient part is own pay + self-pay only and no fund part is shown', () => {
    // The same items, no deductible or coinsurance: 51.11 + 26.00 = 77.11; 164.82 in scope left to the benefit rules.
    const { patientCostSharing: _, ...bare } = s1;
    const [r] = ffsMethod.evaluate([bare], { policy });
    expect(r).toMatchObject({ billed: 24_193, patientPaid: 7711 });
    const last = r!.explanation.at(-1)!;
    expect(last.values).toEqual({ ownPay: '51.11', selfPay: '26.00', inScope: '164.82' });
    expect(last.zh).toContain('未给出起付线及共付');
  });

  it('R-BEN-3: a settlement of excluded services only is `excluded`, the patient pays all of it', () => {
    const [r] = ffsMethod.evaluate([{ setlId: 'S2', institutionCode: 'H1', date: '2025-04-01', items: [items[4]!] }], {
      policy,
    });
    expect(r).toMatchObject({ status: 'excluded', billed: 5000, patientPaid: 5000 });
  });

  it('R-PAY-FFS: cost sharing above the in-scope amount is capped at it (and shown)', () => {
    const [r] = ffsMethod.evaluate(
      [{ setlId: 'S3', institutionCode: 'H1', date: '2025-04-01', items: [items[0]!], patientCostSharing: 99_999 }],
      { policy },
    );
    expect(r).toMatchObject({ billed: 3085, patientPaid: 3085 });
    expect(r!.explanation.at(-1)!.values).toMatchObject({ costSharingAsked: '999.99', costSharing: '30.85' });
  });
});

runPaymentContract(
  'ffs',
  () => ffsMethod,
  () => [
    { label: 'empty batch', units: [], context: { policy } },
    {
      label: 'mixed settlements',
      units: [
        s1,
        { setlId: 'S2', institutionCode: 'H2', date: '2025-12-31', items: [items[4]!] },
        { setlId: 'S0', institutionCode: 'H1', date: '2025-01-01', items: [] },
        { setlId: 'S4', institutionCode: 'H2', date: '2025-07-15', items: items.slice(0, 3), patientCostSharing: 500 },
      ],
      context: { policy },
    },
  ],
  {
    unitIdOf: (s) => s.setlId,
    balances: (f, results) => [
      {
        what: 'Σ claims = Σ price × quantity over every item of the batch',
        expected: f.units.flatMap((s) => s.items).reduce((t, i) => t + priceItem(i), 0),
        actual: results.reduce((t, r) => t + (r.claim.kind === 'amount' ? r.claim.amount : 0), 0),
      },
    ],
  },
);
