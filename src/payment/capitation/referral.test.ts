/**
 * Referral fees (转诊费用, R-PAY-CAP; seed 000 二(七) "患者需向上级医院转诊的，由基层医疗卫生机构或家庭医生团队支付一定的转诊
 * 费用"): with `referralFee: visit-fund-spending`, a capitated head's visit at another institution is charged to the
 * head's institution at year end; with the default `none` it is listed and charged to no one (seed 004 says nothing).
 *
 * By hand, on the worked year of test-fixtures.ts: v12 is p1's visit at H2 (fund 300.00) while p1's treating
 * institution is H1. Charged: H1 spending 20,000.00 + 300.00 = 20,300.00 against the total 23,612.67 → surplus
 * 3,312.67 × 80 % = 2,650.136 → 2,650.14 (half-up) → fund pays 20,300.00 + 2,650.14 = 22,950.14 (was 22,890.14),
 * clearing 22,950.14 − 23,868.75 = −918.61 (was −978.61). H2 is as before (v12 is not one of its heads' visits);
 * only v13 (p9, no entitlement for D2) is left unattributed.
 */
import { describe, expect, it } from 'vitest';
import { capitationKind } from '../../policy/kinds/capitation.ts';
import {
  attributeSpending,
  calibrateCapitation,
  capitationPlanTotals,
  capitationPrepayments,
  enrolmentUnitId,
  evaluateCapitationHeads,
  headLines,
  headUnits,
  referralNotCounted,
  settleCapitationYear,
  summariseAttribution,
} from './index.ts';
import { actual, CAP, history, persons, planned, policy, spending, YEAR } from './test-fixtures.ts';
import type { CapitationPolicy } from './types.ts';

const caps = { employee: CAP, resident: 0 };
const standards = calibrateCapitation({ year: YEAR, policy, history, planned, persons, caps });
const prepayments = capitationPrepayments(
  capitationPlanTotals(planned, { year: YEAR, policy, standards, persons, spending: [] }),
  policy,
  YEAR,
);
const charging: CapitationPolicy = {
  ...policy,
  referralFee: { value: { method: 'visit-fund-spending' }, source: '示范市 转诊费用条款' },
};

function yearOf(p: CapitationPolicy, trace = false) {
  const charge = p.referralFee.value.method !== 'none';
  const summary = summariseAttribution(attributeSpending(spending, actual, 2, charge));
  const heads = evaluateCapitationHeads(actual, {
    year: YEAR,
    policy: p,
    standards,
    persons,
    spending: [],
    attributed: summary,
    mode: 'year-end',
    trace,
  });
  const yearEnd = settleCapitationYear({
    year: YEAR,
    policy: p,
    results: headLines(heads),
    prepayments,
    unattributed: summary.unattributed,
    referrals: heads.referrals,
  });
  return { summary, heads, yearEnd, line: (code: string) => yearEnd.lines.find((l) => l.institutionCode === code)! };
}

describe('R-PAY-CAP referral fees (转诊费用, seed 000 二(七))', () => {
  it('the shipped Panzhihua policy charges none (004 says nothing of referral fees)', () => {
    expect(policy.referralFee.value).toEqual({ method: 'none' });
  });

  it('the policy value: none or visit-fund-spending, nothing else, no unknown key', () => {
    const referralFee = capitationKind.values.shape.referralFee;
    const ok = (value: unknown) => referralFee.safeParse({ value, source: '示范市 转诊费用条款' }).success;
    expect([ok({ method: 'none' }), ok({ method: 'visit-fund-spending' })]).toEqual([true, true]);
    expect([ok({ method: 'visit-cost' }), ok({ method: 'visit-fund-spending', share: 0.5 }), ok('none')]).toEqual([
      false,
      false,
      false,
    ]);
    // Absent: the default, said to be yibao's.
    expect(referralFee.parse(undefined)).toEqual([
      { value: { method: 'none' }, source: expect.stringContaining('yibao default') },
    ]);
  });

  it('none: p1’s visit at H2 is listed, charged to no one; H1 as before (spending 20,000.00, fund pays 22,890.14)', () => {
    const y = yearOf(policy);
    expect(y.yearEnd.unattributed.map((u) => u.visit.setlId)).toEqual(['v12', 'v13']);
    expect(y.heads.referrals.size).toBe(0);
    const h1 = y.line('H1');
    expect([h1.referral, h1.fundSpending, h1.fundPays, h1.clearing]).toEqual([0, 2_000_000, 2_289_014, -97_861]);
    expect(h1.steps.some((s) => s.clause === policy.referralFee.source)).toBe(false);
    expect(y.yearEnd.totals.referral).toBe(0);
  });

  it('visit-fund-spending: v12 (300.00) charged to H1 → spending 20,300.00, fund pays 22,950.14, clearing −918.61', () => {
    const y = yearOf(charging);
    expect(y.yearEnd.unattributed.map((u) => u.visit.setlId)).toEqual(['v13']);
    expect(y.summary.byUnit.get('p1/D1/2021-01-01')).toMatchObject({
      visits: 1,
      fundPayable: 500_000,
      referral: 30_000,
    });
    expect([...y.heads.referrals]).toEqual([['H1', { amount: 30_000, heads: 1 }]]);
    const h1 = y.line('H1');
    expect([h1.heads, h1.total, h1.referral, h1.fundSpending]).toEqual([5, 2_361_267, 30_000, 2_030_000]);
    expect([h1.sharing.surplus, h1.fundPays, h1.clearing]).toEqual([331_267, 2_295_014, -91_861]);
    const step = h1.steps.find((s) => s.clause === '示范市 转诊费用条款')!;
    expect([step.rule, step.zh, step.result]).toEqual([
      'R-PAY-CAP',
      '转诊费用：1 个人头在其他机构就诊，统筹基金支付 300.00 元由本机构承担，计入基金支出',
      '20300.00',
    ]);
    // H2 is not charged for a visit it treated; the totals add up.
    expect(y.line('H2').referral).toBe(0);
    expect(y.line('H2').fundPays).toBe(yearOf(policy).line('H2').fundPays);
    expect(y.yearEnd.totals.referral).toBe(30_000);
  });

  it('a referral is not a visit: a head with only visits elsewhere is still not an actual head (四(六)1), and its visit is listed', () => {
    // p9 (H2, D1) gets one visit at H3 for D1: p9 stays excluded, so the visit is charged to no one and listed.
    const extra = [
      ...spending,
      {
        setlId: 'v14',
        psnNo: 'p9',
        institutionCode: 'H3',
        date: '2021-09-09',
        diseaseCode: 'D1',
        totalCost: 20_000,
        fundPayable: 15_000,
      },
    ];
    const summary = summariseAttribution(attributeSpending(extra, actual, 2, true));
    const p9 = actual.find((r) => r.psnNo === 'p9' && r.diseaseCode === 'D1')!;
    expect(summary.byUnit.get(enrolmentUnitId(p9))).toEqual({ visits: 0, billed: 0, fundPayable: 0, referral: 15_000 });
    const heads = evaluateCapitationHeads(actual, {
      year: YEAR,
      policy: charging,
      standards,
      persons,
      spending: [],
      attributed: summary,
      mode: 'year-end',
      trace: false,
    });
    const unit = [...headUnits(heads)].find((u) => u.unitId === enrolmentUnitId(p9))!;
    expect(unit.status).toBe('excluded');
    expect([...heads.referrals]).toEqual([['H1', { amount: 30_000, heads: 1 }]]);
    // … and the visit is listed, not dropped: charged to no one, with the reason.
    expect(heads.referralsNotCounted).toEqual([{ unitId: enrolmentUnitId(p9), institutionCode: 'H2' }]);
    expect(referralNotCounted(summary, heads.referralsNotCounted).map((u) => [u.visit.setlId, u.zh])).toEqual([
      ['v13', '当日无病种 D2 的二类门特待遇'],
      ['v14', '就诊机构 H3 不是当日选定的治疗机构 H2；该人头未计入年终清算，不收取转诊费用'],
    ]);
  });

  it('explain of a head shows the referral step with its clause (zh/en)', () => {
    const y = yearOf(charging, true);
    const p1 = [...headUnits(y.heads)].find((u) => u.unitId === 'p1/D1/2021-01-01')!;
    const step = p1.explanation.find((s) => s.rule === 'R-PAY-CAP')!;
    expect([step.clause, step.result]).toEqual(['示范市 转诊费用条款', '300.00']);
    expect(step.en).toContain('Referral fee');
  });
});
