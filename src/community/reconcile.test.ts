import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../model/explain.ts';
import { type Ratio, ratio } from '../model/money.ts';
import type { CompensationEntry } from '../policy/kinds/medical-community.ts';
import type { CommunityBudget } from './budget.ts';
import type { PerformanceResult } from './indicators.ts';
import { type CommunityYearInput, monthlySettlement, settleCommunityYear } from './reconcile.ts';
import { templateCommunityPolicy } from './test-fixtures.ts';
import { aggregateMemberMonths, type MemberMonthResult } from './types.ts';

const policy = templateCommunityPolicy();
const MEMBERS = ['H1', 'H2', 'H3'];

function budget(amount: number, advance = Math.round(amount / 12)): CommunityBudget {
  return {
    communityId: 'MC1',
    fund: 'employee',
    year: 2025,
    perHeadBase: ratio(0n),
    factorGrowth: ratio(0n),
    growth: ratio(0n),
    perHeadStandard: 0,
    population: 0,
    byStandard: amount,
    budget: amount,
    keptLastYear: false,
    advance,
    steps: [],
  };
}

function performance(coefficient: Ratio, score = 100): PerformanceResult {
  return { indicators: [], score, maxScore: 100, coefficient, steps: [] };
}

/** What the methods paid: split over three members and two months. */
function paid(total: number): MemberMonthResult[] {
  const a = Math.floor(total / 2);
  const rows: [string, string, number][] = [
    ['H1', '2025-01', a - 1000],
    ['H2', '2025-01', 1000],
    ['H3', '2025-02', total - a],
  ];
  return rows.map(([institutionCode, month, fundPaid]) => ({
    institutionCode,
    month,
    fund: 'employee',
    method: 'dip',
    units: 1,
    fundPaid,
    points: 0,
    billed: fundPaid,
    patientPaid: 0,
  }));
}

function input(methodsPaid: number, extra: Partial<CommunityYearInput> = {}): CommunityYearInput {
  return {
    communityId: 'MC1',
    name: '示例县医共体',
    lead: 'H1',
    year: 2025,
    members: MEMBERS,
    budgets: [budget(100_000_000)], // 1,000,000.00 元; advance 8,333,333 fen
    memberMonths: paid(methodsPaid),
    populationSpending: [{ fund: 'employee', where: 'outside-county', amount: 5_000_000 }],
    compensations: [],
    performance: performance(ratio(1n)),
    ...extra,
  };
}

const compensation = (amount: number, cause: CompensationEntry['cause'] = 'capability-change'): CompensationEntry => ({
  year: 2025,
  fund: 'employee',
  cause,
  reason: '新建血液透析中心',
  amount,
  approver: '市医保事业中心',
  approvedOn: '2026-02-10',
});

describe('R-MC-3 year-end reconciliation against the budget (鲁医保发〔2024〕39号 二(三))', () => {
  it('under budget: the surplus is retained in full and counted outside-county spending is not paid twice', () => {
    // methods 90,000,000 + outside-county 5,000,000 = 95,000,000 < 100,000,000: surplus 5,000,000 kept (100 %).
    const r = settleCommunityYear(input(90_000_000), policy).funds[0]!;
    expect(r.methodsPaid).toBe(90_000_000);
    expect(r.actual).toBe(95_000_000);
    expect(r.sharing.surplus).toBe(5_000_000);
    expect(r.fundBears).toBe(100_000_000);
    expect(r.communityYear).toBe(95_000_000); // 100,000,000 − 5,000,000 paid outside the county
    expect(r.clearing).toBe(95_000_000 - 90_000_000 - 8_333_333);
  });

  it('over budget by 4 % (first band ≤ 5 %): the fund bears 50 % of the overspend', () => {
    const r = settleCommunityYear(input(99_000_000), policy).funds[0]!;
    expect(r.sharing.overspend).toBe(4_000_000);
    expect(r.sharing.fundPays).toBe(102_000_000);
    expect(r.sharing.institutionBears).toBe(2_000_000);
    expect(r.communityYear).toBe(97_000_000);
    expect(r.clearing).toBe(97_000_000 - 99_000_000 - 8_333_333);
  });

  it('over budget by 8 % (second band 5–10 %): 50 % of the first 5 %, 30 % of the next 3 %', () => {
    const r = settleCommunityYear(input(103_000_000), policy).funds[0]!;
    expect(r.sharing.lines.map((l) => l.shared)).toEqual([2_500_000, 900_000]);
    expect(r.sharing.fundPays).toBe(103_400_000);
    expect(r.sharing.institutionBears).toBe(4_600_000);
  });

  it('over budget by 15 % (beyond 10 %): the part above 10 % is the community’s alone', () => {
    const r = settleCommunityYear(input(110_000_000), policy).funds[0]!;
    expect(r.sharing.lines.map((l) => l.shared)).toEqual([2_500_000, 1_500_000, 0]);
    expect(r.sharing.fundPays).toBe(104_000_000);
    expect(r.sharing.institutionBears).toBe(11_000_000);
  });

  it('compensation for an objective cause (服务能力变化) is added with reason, amount and approver', () => {
    const r = settleCommunityYear(input(110_000_000, { compensations: [compensation(3_000_000)] }), policy).funds[0]!;
    expect(r.compensation).toBe(3_000_000);
    expect(r.fundBears).toBe(107_000_000);
    expect(r.communityYear).toBe(102_000_000);
    const step = r.steps.find((s) => s.zh.startsWith('客观因素'))!;
    expect(Object.keys(step.values!)[0]).toContain('市医保事业中心');
    // Never more than the overspend the community bears (11,000,000).
    const capped = settleCommunityYear(input(110_000_000, { compensations: [compensation(12_000_000)] }), policy);
    expect(capped.funds[0]!.compensation).toBe(11_000_000);
  });

  it('R-MC-3: the compensation step reads in English with --lang en (it printed 补偿1 … 全额补偿)', () => {
    const render = (amount: number, lang: 'zh' | 'en') => {
      const r = settleCommunityYear(input(110_000_000, { compensations: [compensation(amount)] }), policy).funds[0]!;
      const step = r.steps.find((s) => s.zh.startsWith('客观因素'))!;
      return renderExplanation({ subject: 'MC1', steps: [step] }, lang);
    };
    // 3,000,000 fen asked, within the 11,000,000 the community bears: paid in full.
    const en = render(3_000_000, 'en');
    expect(en).toContain(
      'compensation 1 (change in service capability): 新建血液透析中心 (市医保事业中心 2026-02-10, approved 30000.00) = paid in full: 30000.00',
    );
    // Only the policy's own words (reason, approver) and the clause stay Chinese.
    const words = en
      .split('\n')
      .slice(2)
      .join('\n')
      .replaceAll('新建血液透析中心', '')
      .replaceAll('市医保事业中心', '');
    expect(words).not.toMatch(/\p{Script=Han}/u);
    // 12,000,000 asked: capped at the 11,000,000 the community bears.
    expect(render(12_000_000, 'en')).toContain('= limited to the overspend the community bears: 110000.00');
    const zh = render(12_000_000, 'zh');
    expect(zh).toContain(
      '补偿1 服务能力变化 新建血液透析中心（市医保事业中心 2026-02-10，核定 120000.00） = 110000.00（补偿以医共体承担的超支为限）',
    );
    expect(zh).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('a cause the policy does not list is refused', () => {
    const narrow = {
      ...policy,
      compensationCauses: { ...policy.compensationCauses, value: ['policy-change' as const] },
    };
    const r = settleCommunityYear(input(110_000_000, { compensations: [compensation(3_000_000)] }), narrow).funds[0]!;
    expect(r.compensations[0]!.allowed).toBe(false);
    expect(r.compensation).toBe(0);
  });

  it('R-MC-5: a score of 60 (coefficient 0.8) lowers the shares: 40 % and 24 % instead of 50 % and 30 %', () => {
    const r = settleCommunityYear(input(103_000_000, { performance: performance(ratio(8n, 10n), 60) }), policy)
      .funds[0]!;
    expect(r.sharing.lines.map((l) => l.shared)).toEqual([2_000_000, 720_000]);
    expect(r.sharing.fundPays).toBe(102_720_000);
    const surplus = settleCommunityYear(input(90_000_000, { performance: performance(ratio(8n, 10n), 60) }), policy);
    expect(surplus.funds[0]!.sharing.fundPays).toBe(95_000_000 + 4_000_000); // 80 % of the 5,000,000 surplus
  });

  it('no separate surplus bonus for volume-based procurement (不再单独给予集采结余留用补偿)', () => {
    const r = settleCommunityYear(
      input(90_000_000, { vbpBonusClaims: [{ institutionCode: 'H2', fund: 'employee', amount: 250_000 }] }),
      policy,
    );
    expect(r.vbpClaims[0]!.paid).toBe(0);
    expect(r.total.communityYear).toBe(95_000_000);
    // The claim is named by institution and the fund's short word (glossary 险种: 职工 for 职工医保).
    expect(r.steps.find((s) => s.rule === 'R-MC-3')?.values).toEqual({ 'H2 职工': '2500.00' });
  });
});

describe('R-MC-2 monthly settlement with the lead hospital', () => {
  it('sums members’ method results by month, by member and by method', () => {
    const lines = monthlySettlement(paid(90_000_000), MEMBERS);
    expect(lines.map((l) => [l.month, l.total])).toEqual([
      ['2025-01', 45_000_000],
      ['2025-02', 45_000_000],
    ]);
    expect(lines[0]!.byMember).toEqual({ H1: 44_999_000, H2: 1000 });
  });

  it('refuses a result of an institution outside the community', () => {
    expect(() => monthlySettlement(paid(10), ['H1'])).toThrow(/not a member/);
  });

  it('aggregates stored unit results per member and month, skipping units paid by another method', () => {
    const rows = aggregateMemberMonths([
      {
        institutionCode: 'H1',
        month: '2025-01',
        fund: 'resident',
        method: 'dip',
        status: 'paid',
        fundPaid: 100,
        points: 5,
        billed: 150,
        patientPaid: 30,
      },
      {
        institutionCode: 'H1',
        month: '2025-01',
        fund: 'resident',
        method: 'dip',
        status: 'high-cost',
        fundPaid: 200,
        points: 9,
        billed: 260,
        patientPaid: 40,
      },
      {
        institutionCode: 'H1',
        month: '2025-01',
        fund: 'resident',
        method: 'dip',
        status: 'excluded',
        fundPaid: 999,
        points: 0,
        billed: 999,
        patientPaid: 0,
      },
    ]);
    expect(rows).toEqual([
      {
        institutionCode: 'H1',
        month: '2025-01',
        fund: 'resident',
        method: 'dip',
        units: 2,
        fundPaid: 300,
        points: 14,
        billed: 410,
        patientPaid: 70,
      },
    ]);
  });
});

describe('R-MC-3 balances to the fen (property)', () => {
  it('advance + monthly + clearing = the community’s year; the sharing adds up; for any amounts and coefficient', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 12_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        (b, methods, outside, tenths, comp) => {
          const r = settleCommunityYear(
            input(methods, {
              budgets: [budget(b)],
              populationSpending: [{ fund: 'employee', where: 'outside-county', amount: outside }],
              performance: performance(ratio(BigInt(tenths), 10n)),
              compensations: [compensation(comp)],
            }),
            policy,
          ).funds[0]!;
          const monthlyTotal = paid(methods).reduce((s, m) => s + m.fundPaid, 0);
          expect(r.methodsPaid).toBe(monthlyTotal);
          expect(r.advance + r.methodsPaid + r.clearing).toBe(r.communityYear);
          expect(r.communityYear + r.countedElsewhere).toBe(r.fundBears);
          const s = r.sharing;
          if (s.overspend === 0) expect(s.fundPays + s.fundRetains).toBe(b);
          else expect(s.fundPays + s.institutionBears).toBe(r.actual);
          expect(r.compensation).toBeLessThanOrEqual(s.institutionBears);
          expect(Number.isSafeInteger(r.clearing)).toBe(true);
        },
      ),
    );
  });
});
