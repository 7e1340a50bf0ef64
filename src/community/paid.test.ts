import { describe, expect, it } from 'vitest';
import { type FundWeight, splitAdvancesByFund, splitPaymentsByFund } from './paid.ts';

// walk7 #3 by hand: H1's DIP cases — employee in January, resident in March and May, each 7,500.00 at the year end;
// the pool paid H1 2,992.50 in each of those months and a start-of-year advance of 1,166.67.
const weights: FundWeight[] = [
  { institutionCode: 'H1', month: '2025-01', fund: 'employee', amount: 750_000 },
  { institutionCode: 'H1', month: '2025-03', fund: 'resident', amount: 750_000 },
  { institutionCode: 'H1', month: '2025-05', fund: 'resident', amount: 750_000 },
];

describe('R-MC-2: what the fund paid a member, by fund (a point pool pays per institution and month)', () => {
  it('a month’s payment goes to the funds of that month’s units: January employee, March resident', () => {
    expect(
      splitPaymentsByFund(
        [
          { institutionCode: 'H1', month: '2025-01', paid: 299_250 },
          { institutionCode: 'H1', month: '2025-03', paid: 299_250 },
        ],
        weights,
      ),
    ).toEqual([
      { institutionCode: 'H1', month: '2025-01', fund: 'employee', paid: 299_250 },
      { institutionCode: 'H1', month: '2025-03', fund: 'resident', paid: 299_250 },
    ]);
  });

  it('a mixed month splits by the units’ amounts, largest remainder (1,000.01 over 1:2 → 333.34 / 666.67)', () => {
    const mixed: FundWeight[] = [
      { institutionCode: 'H2', month: '2025-02', fund: 'employee', amount: 100 },
      { institutionCode: 'H2', month: '2025-02', fund: 'resident', amount: 200 },
    ];
    const parts = splitPaymentsByFund([{ institutionCode: 'H2', month: '2025-02', paid: 100_001 }], mixed);
    expect(parts.map((p) => [p.fund, p.paid])).toEqual([
      ['employee', 33_334],
      ['resident', 66_667],
    ]);
  });

  it('a month paid without units (a carried month) splits by the member’s year: 300.00 over 1:2', () => {
    const parts = splitPaymentsByFund([{ institutionCode: 'H1', month: '2025-12', paid: 30_000 }], weights);
    expect(parts.map((p) => [p.fund, p.paid])).toEqual([
      ['employee', 10_000],
      ['resident', 20_000],
    ]);
  });

  it('R-BUD-5: the member’s own advance splits by its year: 1,166.67 → 388.89 employee, 777.78 resident', () => {
    expect(splitAdvancesByFund([{ institutionCode: 'H1', amount: 116_667 }], weights)).toEqual([
      { institutionCode: 'H1', fund: 'employee', amount: 38_889 },
      { institutionCode: 'H1', fund: 'resident', amount: 77_778 },
    ]);
  });
});
