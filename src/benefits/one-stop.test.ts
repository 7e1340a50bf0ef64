import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { priceItems } from '../payment/ffs/items.ts';
import { PolicyError } from '../policy/errors.ts';
import { billScopeFromItems } from './bill.ts';
import { burdenByLevel } from './burden.ts';
import { payAboveThreshold, settleBill } from './one-stop.ts';
import { benefitsPolicy, demoBenefitsText } from './test-fixtures.ts';
import { type BillScope, EMPTY_YEAR } from './types.ts';

const policy = benefitsPolicy();

// 20,000.00 元 at the county hospital: 500 元 own pay, 300 元 class-B self-pay, 19,200 元 in scope.
const countyBill: BillScope = {
  total: 2_000_000,
  ownPay: 50_000,
  excluded: [],
  classBSelfPay: 30_000,
  inScope: 1_920_000,
};

describe('R-BEN-2 deductible counted continuously for referrals inside a community (鲁医保发〔2024〕39号 三(一))', () => {
  it('a resident referred from the township health centre pays only the difference of the deductibles', () => {
    // Township (基层) deductible 100 元 paid; county hospital (二级) deductible 600 元 → 500 元 due.
    const referred = settleBill(
      countyBill,
      {
        fund: 'resident',
        service: 'inpatient',
        level: '2',
        referral: { communityId: 'MC990121', chainDeductiblePaid: 10_000 },
      },
      EMPTY_YEAR,
      policy,
    );
    expect(referred.deductible).toBe(50_000);
    // (19,200 − 500) × 72 % = 13,464.00 元.
    expect(referred.basicFund).toBe(1_346_400);
    expect(referred.patient).toBe(2_000_000 - 1_346_400);
    expect(referred.steps.some((s) => s.rule === 'R-BEN-2')).toBe(true);
    const direct = settleBill(countyBill, { fund: 'resident', service: 'inpatient', level: '2' }, EMPTY_YEAR, policy);
    expect(direct.deductible).toBe(60_000);
    expect(direct.basicFund).toBe(1_339_200); // (19,200 − 600) × 72 %
  });

  it('a referral to a level whose deductible was already covered pays none', () => {
    const r = settleBill(
      countyBill,
      {
        fund: 'resident',
        service: 'inpatient',
        level: 'primary',
        referral: { communityId: 'MC990121', chainDeductiblePaid: 60_000 },
      },
      EMPTY_YEAR,
      policy,
    );
    expect(r.deductible).toBe(0);
  });
});

describe('R-BEN-4 one bill split across basic fund, critical illness, medical assistance and patient', () => {
  it('a 300,000 元 resident stay at a level-3 hospital for a low-income person', () => {
    const bill: BillScope = {
      total: 30_000_000,
      ownPay: 1_000_000,
      excluded: [{ reason: 'wellness', zh: '养生保健', amount: 200_000, source: '资府办函〔2018〕52号 二(五)' }],
      classBSelfPay: 500_000,
      inScope: 28_500_000,
    };
    const r = settleBill(
      bill,
      { fund: 'resident', service: 'inpatient', level: '3', assistanceCategory: 'low-income' },
      EMPTY_YEAR,
      policy,
    );
    // Basic: (285,000 − 1,000) × 62 % = 176,080 元.
    expect(r.deductible).toBe(100_000);
    expect(r.basicFund).toBe(17_608_000);
    // Critical illness: in-scope left 108,920 元; above the 15,000 元 threshold 93,920 元 × 60 % (first band to 100,000) = 56,352 元.
    expect(r.criticalIllness).toBe(5_635_200);
    // Assistance: (108,920 − 56,352) = 52,568 元 × 70 % = 36,797.60 元, capped at 30,000 元 a year.
    expect(r.assistance).toBe(3_000_000);
    // Patient: 1,000 own pay (incl. 200 excluded) + 5,000 class B + 22,568 in scope = 37,568 元.
    expect(r.patient).toBe(3_756_800);
    expect(r.basicFund + r.criticalIllness + r.assistance + r.patient).toBe(bill.total);
    expect(r.steps.map((s) => s.rule)).toEqual(['R-BEN-3', 'R-BEN-1', 'R-BEN-1', 'R-BEN-4', 'R-BEN-4', 'R-BEN-4']);
    expect(r.steps.every((s) => s.clause)).toBe(true);
  });

  it('R-BEN-1: the annual cap stops the basic fund; outpatient deductible counts by year', () => {
    const capped = settleBill(
      countyBill,
      { fund: 'employee', service: 'inpatient', level: '2' },
      { ...EMPTY_YEAR, basicFundPaid: 39_900_000 },
      policy,
    );
    expect(capped.basicFund).toBe(100_000); // 400,000 元 cap − 399,000 元 used
    const visit: BillScope = { total: 50_000, ownPay: 0, excluded: [], classBSelfPay: 0, inScope: 50_000 };
    const out = settleBill(
      visit,
      { fund: 'resident', service: 'outpatient', level: 'primary' },
      { ...EMPTY_YEAR, outpatientDeductiblePaid: 20_000 },
      policy,
    );
    expect(out.deductible).toBe(10_000); // 300 元 a year − 200 元 already paid
    expect(out.basicFund).toBe(24_000); // (500 − 100) × 60 %
    expect(out.state.outpatientDeductiblePaid).toBe(30_000);
  });

  it('critical-illness bands apply to the amount accumulated over the year', () => {
    // Already 110,000 元 above nothing: threshold 15,000 → 95,000 above; adding 10,000 crosses the 100,000 band edge.
    const p = payAboveThreshold(11_000_000, 1_000_000, 1_500_000, [
      { upTo: 10_000_000, share: ratio(6n, 10n) },
      { share: ratio(7n, 10n) },
    ]);
    expect(p.segments.map((s) => [s.from, s.to, s.paid])).toEqual([
      [9_500_000, 10_000_000, 300_000],
      [10_000_000, 10_500_000, 350_000],
    ]);
  });

  it('the four parts always add up to the bill (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.constantFrom('3', '2', '1', 'primary') as fc.Arbitrary<'3' | '2' | '1' | 'primary'>,
        fc.constantFrom('employee', 'resident') as fc.Arbitrary<'employee' | 'resident'>,
        fc.constantFrom(undefined, 'low-income', 'special-hardship'),
        fc.integer({ min: 0, max: 50_000_000 }),
        (inScope, ownPay, classB, level, fund, cat, used) => {
          const bill: BillScope = {
            total: inScope + ownPay + classB,
            ownPay,
            excluded: [],
            classBSelfPay: classB,
            inScope,
          };
          const r = settleBill(
            bill,
            { fund, service: 'inpatient', level, ...(cat ? { assistanceCategory: cat } : {}) },
            { ...EMPTY_YEAR, basicFundPaid: used },
            policy,
          );
          expect(r.basicFund + r.criticalIllness + r.assistance + r.patient).toBe(bill.total);
          expect(Math.min(r.basicFund, r.criticalIllness, r.assistance, r.patientInScope)).toBeGreaterThanOrEqual(0);
          expect(r.patient).toBeGreaterThanOrEqual(ownPay + classB);
        },
      ),
    );
  });
});

describe('R-BEN-3 exclusions come from the priced items', () => {
  it('a wellness item is own pay whatever its catalog class; class B self-pays 10 %', () => {
    const ffs = {
      itemBilling: { value: 'price-times-quantity' as const, source: '按项目付费' },
      classBSelfPayShare: { value: ratio(1n, 10n), source: '乙类先行自付' },
      classBSelfPayOverrides: { value: [], source: 's' },
      exclusions: {
        value: [{ reason: 'wellness' as const, zh: '养生保健', itemCodePrefixes: ['WELL'], chargeCategories: [] }],
        source: '资府办函〔2018〕52号 二(五)',
      },
    };
    const item = (itemCode: string, catalogClass: 'A' | 'B' | 'C', unitPrice: number) => ({
      setlId: 'S1',
      itemCode,
      itemName: itemCode,
      catalogClass,
      quantity: '1',
      unitPrice,
      amount: unitPrice,
    });
    const scope = billScopeFromItems(
      priceItems(
        [item('A1', 'A', 10_000), item('B1', 'B', 5_000), item('WELL01', 'A', 2_000), item('C1', 'C', 1_000)],
        ffs,
      ),
    );
    expect(scope).toEqual({
      total: 18_000,
      ownPay: 3_000,
      excluded: [{ reason: 'wellness', zh: '养生保健', amount: 2_000, source: '资府办函〔2018〕52号 二(五)' }],
      classBSelfPay: 500,
      inScope: 14_500,
    });
  });
});

describe('R-BEN-1 policy check: township vs county hospital resident inpatient ratios ≥ 10 points apart (鲁医保发〔2024〕39号 三(一))', () => {
  const withPrimary = (v: string) =>
    demoBenefitsText().replace(
      'inpatient: { "3": 0.62, "2": 0.72, "1": 0.8, primary: 0.85 }',
      `inpatient: { "3": 0.62, "2": 0.72, "1": 0.8, primary: ${v} }`,
    );

  it('exactly 10 points passes', () => {
    expect(() => benefitsPolicy(withPrimary('0.82'))).not.toThrow();
  });

  it('9 points is refused, naming the field and the clause', () => {
    let err: unknown;
    try {
      benefitsPolicy(withPrimary('0.81'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    const pe = err as PolicyError;
    expect(pe.field).toBe('values.fundRatio');
    expect(pe.zh).toContain('相差 9 个百分点');
    expect(pe.zh).toContain('鲁医保发〔2024〕39号 三(一)');
  });
});

describe('patient burden by level', () => {
  it('adds the split by level and gives patient ÷ total', () => {
    const r1 = settleBill(countyBill, { fund: 'resident', service: 'inpatient', level: '2' }, EMPTY_YEAR, policy);
    // The lists recorded 13,400.00 and 13,380.00 of pooled-fund payment for the two bills: 26,780.00 beside the split.
    const rows = burdenByLevel([
      { level: '2', total: countyBill.total, recordedFund: 1_340_000, result: r1 },
      { level: '2', total: countyBill.total, recordedFund: 1_338_000, result: r1 },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.recordedFund).toBe(2_678_000);
    expect(rows[0]!.bills).toBe(2);
    expect(rows[0]!.patient).toBe(2 * (2_000_000 - 1_339_200));
    expect(rows[0]!.burden).toEqual(ratio(2n * 660_800n, 4_000_000n));
  });
});

describe('R-BEN-1…4 hand-computed bills (audit2, demo benefits 2025, before reading the engine)', () => {
  const bill = (total: number, ownPay: number, classBSelfPay: number): BillScope => ({
    total,
    ownPay,
    excluded: [],
    classBSelfPay,
    inScope: total - ownPay - classBSelfPay,
  });

  it('B1 employee, level 3: 20,000.00 = 1,000.00 own pay + 500.00 class-B self-pay + 18,500.00 in scope; deductible 1,200.00; (18,500 − 1,200) × 85 % = 14,705.00; patient 5,295.00', () => {
    const r = settleBill(
      bill(2_000_000, 100_000, 50_000),
      { fund: 'employee', service: 'inpatient', level: '3' },
      EMPTY_YEAR,
      policy,
    );
    expect([r.deductible, r.basicFund, r.criticalIllness, r.patient]).toEqual([120_000, 1_470_500, 0, 529_500]);
  });

  it('B2 resident, primary care: 1,000.00 in scope − 100.00 deductible = 900.00 × 85 % = 765.00; patient 235.00', () => {
    const r = settleBill(
      bill(100_000, 0, 0),
      { fund: 'resident', service: 'inpatient', level: 'primary' },
      EMPTY_YEAR,
      policy,
    );
    expect([r.deductible, r.basicFund, r.patient]).toEqual([10_000, 76_500, 23_500]);
  });

  it('B3 annual cap: 395,000.00 already paid this year, (20,000 − 1,200) × 85 % = 15,980.00 but 5,000.00 left → 5,000.00', () => {
    const year = { ...EMPTY_YEAR, basicFundPaid: 39_500_000 };
    const r = settleBill(bill(2_000_000, 0, 0), { fund: 'employee', service: 'inpatient', level: '3' }, year, policy);
    expect([r.basicFund, r.criticalIllness, r.patient]).toEqual([500_000, 0, 1_500_000]);
    // With 18,000.00 of in-scope self-pay earlier: 18,000 + 15,000 − 20,000 threshold = 13,000.00 × 80 % = 10,400.00.
    const later = settleBill(
      bill(2_000_000, 0, 0),
      { fund: 'employee', service: 'inpatient', level: '3' },
      { ...year, criticalIllnessBase: 1_800_000 },
      policy,
    );
    expect([later.basicFund, later.criticalIllness, later.patient]).toEqual([500_000, 1_040_000, 460_000]);
  });

  it('B4 resident critical illness by bands and low-income assistance: 200,000.00 in scope at level 3 (62 %, deductible 1,000.00)', () => {
    // basic (200,000 − 1,000) × 62 % = 123,380.00; self-pay 76,620.00 on top of 50,000.00 earlier: above the 15,000.00
    // threshold 35,000 → 111,620: 65,000.00 × 60 % = 39,000.00 + 11,620.00 × 70 % = 8,134.00 → 47,134.00;
    // assistance (低保) 29,486.00 × 70 % = 20,640.20; patient 200,000 − 123,380 − 47,134 − 20,640.20 = 8,845.80.
    const r = settleBill(
      bill(20_000_000, 0, 0),
      { fund: 'resident', service: 'inpatient', level: '3', assistanceCategory: 'low-income' },
      { ...EMPTY_YEAR, criticalIllnessBase: 5_000_000 },
      policy,
    );
    expect([r.basicFund, r.criticalIllness, r.assistance, r.patient]).toEqual([
      12_338_000, 4_713_400, 2_064_020, 884_580,
    ]);
  });

  it('B5 outpatient deductible by year: 300.00 for residents, 200.00 paid earlier → 100.00 now; (500 − 100) × 40 % at level 3 = 160.00', () => {
    const r = settleBill(
      bill(50_000, 0, 0),
      { fund: 'resident', service: 'outpatient', level: '3' },
      { ...EMPTY_YEAR, outpatientDeductiblePaid: 20_000 },
      policy,
    );
    expect([r.deductible, r.basicFund, r.state.outpatientDeductiblePaid]).toEqual([10_000, 16_000, 30_000]);
  });
});
