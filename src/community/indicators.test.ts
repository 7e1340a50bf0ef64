import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { communityEligibility } from './eligibility.ts';
import { assessPerformance, type IndicatorInputs } from './indicators.ts';
import { amountToPoints, regionPointTable } from './region-points.ts';
import { templateCommunity, templateCommunityPolicy } from './test-fixtures.ts';

const policy = templateCommunityPolicy();

const year: IndicatorInputs = {
  medicalCost: 105_000_000,
  lastYearMedicalCost: 100_000_000, // +5 % ≤ 6 % target → 20
  fundPaid: 63_000_000, // 60 % ≥ 60 % → 20
  inCountyFundPaid: 50_400_000, // 80 % ≥ 80 % → 20
  primaryFundPaid: 9_072_000, // 18 % of in-county < 20 % → 0 (no warning: ≥ 15 %)
  visits: 10_000,
  primaryVisits: 6_000, // 60 % < 65 % → 0 (warning threshold 60 %: not below)
  admissions: 1_000,
  outsideCountyAdmissions: 300, // 30 % > 25 % warning, weight 0
};

describe('R-MC-4/5 indicators, warnings and the assessment coefficient (鲁医保发〔2024〕39号 二(四))', () => {
  it('scores 60 of 100 and sets the coefficient 0.8 from the 60-point band', () => {
    const p = assessPerformance(year, policy);
    const byId = Object.fromEntries(p.indicators.map((i) => [i.id, i]));
    expect(byId['cost-growth']!.value).toEqual(ratio(5n, 100n));
    expect(byId['cost-growth']!.met).toBe(true);
    expect(byId['reimbursement-ratio']!.met).toBe(true);
    expect(byId['in-county-fund-share']!.met).toBe(true);
    expect(byId['primary-fund-share']!.value).toEqual(ratio(18n, 100n));
    expect(byId['primary-fund-share']!.met).toBe(false);
    expect(byId['primary-fund-share']!.warning).toBe(false);
    expect(byId['primary-visit-rate']!.met).toBe(false);
    expect(byId['outside-county-referral-rate']!.warning).toBe(true);
    expect(p.score).toBe(60);
    expect(p.coefficient).toEqual(ratio(8n, 10n));
  });

  it('all targets met → 100 points → coefficient 1', () => {
    const p = assessPerformance({ ...year, primaryFundPaid: 10_080_000, primaryVisits: 6_500 }, policy);
    expect(p.score).toBe(100);
    expect(p.coefficient).toEqual(ratio(1n));
  });

  it('an indicator with no denominator is not met and warns', () => {
    const p = assessPerformance({ ...year, visits: 0, primaryVisits: 0 }, policy);
    const v = p.indicators.find((i) => i.id === 'primary-visit-rate')!;
    expect(v.value).toBeNull();
    expect(v.warning).toBe(true);
  });
});

describe('R-MC-1 eligibility (六统一、联合会审、设区市确定、牵头医院签订协议)', () => {
  it('an assessed, reviewed, approved community with the lead’s agreement is paid by one budget', () => {
    const e = communityEligibility(templateCommunity(), '2025-01-01', '鲁医保发〔2024〕39号 二(一)');
    expect(e.eligible).toBe(true);
    expect(e.reasons).toEqual([]);
  });

  it('a failed unification and no city approval → settled member by member, with the reasons', () => {
    const c = templateCommunity();
    const bad = {
      ...c,
      assessment: {
        ...c.assessment,
        items: c.assessment.items.map((i) => (i.item === 'finance' ? { ...i, passed: false } : i)),
      },
      approval: undefined,
    };
    const e = communityEligibility(bad, '2025-01-01', '鲁医保发〔2024〕39号 二(一)');
    expect(e.eligible).toBe(false);
    expect(e.reasons.map((r) => r.code)).toEqual(['six-unification-failed', 'not-approved']);
    expect(e.reasons[0]!.zh).toContain('财务管理');
    expect(e.steps[0]!.zh).toContain('分别结算');
  });

  it('an approval effective after the period start does not cover the year', () => {
    const c = templateCommunity();
    const late = { ...c, approval: { ...c.approval!, effectiveFrom: '2025-07-01' } };
    expect(communityEligibility(late, '2025-01-01', 's').reasons.map((r) => r.code)).toEqual(['approved-later']);
  });
});

describe('R-DIP-8 one point system (门诊按人头、按项目与医共体总额折算点数)', () => {
  it('amount ÷ point value, half-up to 0.0001 point', () => {
    // 12.50 元/点 = 1250 fen per point: 10,000.00 元 → 800 points; 1.00 元 → 0.08 points.
    expect(amountToPoints(1_000_000, ratio(1250n))).toBe(8_000_000);
    expect(amountToPoints(100, ratio(1250n))).toBe(800);
    // 3 fen per point: 1 fen = 0.33333… → 0.3333.
    expect(amountToPoints(1, ratio(3n))).toBe(3333);
  });

  it('puts converted amounts beside inpatient points, by institution and method', () => {
    const t = regionPointTable(
      ratio(1250n),
      '002 四(七)',
      [{ institutionCode: 'H1', method: 'dip', points: 1_234_5678 }],
      [
        { institutionCode: 'H1', method: 'ffs', amount: 600_000 },
        { institutionCode: 'H1', method: 'ffs', amount: 400_000 },
        { institutionCode: 'H2', method: 'capitation', amount: 125_000 },
      ],
    );
    expect(t.rows).toEqual([
      { institutionCode: 'H1', method: 'dip', origin: 'points', amount: null, points: 1_234_5678 },
      { institutionCode: 'H1', method: 'ffs', origin: 'converted', amount: 1_000_000, points: 8_000_000 },
      { institutionCode: 'H2', method: 'capitation', origin: 'converted', amount: 125_000, points: 1_000_000 },
    ]);
    expect(t.total).toBe(1_234_5678 + 8_000_000 + 1_000_000);
    expect(t.byInstitution).toEqual([
      { institutionCode: 'H1', points: 1_234_5678 + 8_000_000 },
      { institutionCode: 'H2', points: 1_000_000 },
    ]);
  });

  it('a pool without a point value (DRG at a fixed 费率): no conversion and no crash (demo --inpatient drg stopped here)', () => {
    const t = regionPointTable(
      ratio(0n),
      '示范细则 第八条',
      [],
      [{ institutionCode: 'H1', method: 'drg', amount: 1_000_000 }],
    );
    expect([t.rows, t.total, t.byMethod]).toEqual([[], 0, []]);
    expect(t.steps[0]!.zh).toContain('本结算池没有点值');
    expect(t.steps[0]!.en).toContain('not converted to points');
  });
});
