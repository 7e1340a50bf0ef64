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
    expect(r.methodsAmount).toBe(90_000_000);
    expect(r.paidMonthly).toBe(90_000_000); // no payments given: the amounts were paid in their months
    expect(r.actual).toBe(95_000_000);
    expect(r.sharing.surplus).toBe(5_000_000);
    expect(r.fundBears).toBe(100_000_000);
    expect(r.communityYear).toBe(95_000_000); // 100,000,000 − 5,000,000 paid outside the county
    expect(r.clearing).toBe(95_000_000 - 90_000_000 - 8_333_333);
    // 001 二(二) 县域外发生的医保基金支出: the step names the yardstick of each part (walk8 #3) — the members at what
    // their methods pay at the year end, elsewhere at the lists' 统筹基金支付 (50,000.00 as given).
    const actual = r.steps.find((s) => s.zh.includes('纳入预算的实际支出 ='))!;
    expect(actual.values).toMatchObject({ '县域外基金支出（纳入）': '50000.00' });
    expect(actual.zh).toContain('（县域外等按结算清单的统筹基金支付计，不按就医机构点数池的年终所得）');
    expect(actual.en).toContain('(elsewhere at the settlement lists’ pooled-fund payment, not at what the point pool');
    expect(r.elsewhereBasis).toBe('list');
    // elsewhereSpendingBasis: run — the amounts given are the run's for the cases it paid, and the step says so.
    const byRun = { ...policy, elsewhereSpendingBasis: { ...policy.elsewhereSpendingBasis, value: 'run' as const } };
    const run = settleCommunityYear(input(90_000_000), byRun).funds[0]!;
    const step = run.steps.find((s) => s.zh.includes('纳入预算的实际支出 ='))!;
    expect(step.zh).toContain(
      '县域外等：结算运行已付的病例按其年终所得计，即病例点数 × 年度点值 × 基金支付比例；其余按结算清单的统筹基金支付计',
    );
    expect(step.en).toContain('a case the settlement run paid at what it paid at the year end');
    expect(run.elsewhereBasis).toBe('run');
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
    const step = r.steps.find((s) => s.zh.includes('客观因素'))!;
    expect(Object.keys(step.values!)[0]).toContain('市医保事业中心');
    // Never more than the overspend the community bears (11,000,000).
    const capped = settleCommunityYear(input(110_000_000, { compensations: [compensation(12_000_000)] }), policy);
    expect(capped.funds[0]!.compensation).toBe(11_000_000);
  });

  it('R-MC-3: the compensation step reads in English with --lang en (it printed 补偿1 … 全额补偿)', () => {
    const render = (amount: number, lang: 'zh' | 'en') => {
      const r = settleCommunityYear(input(110_000_000, { compensations: [compensation(amount)] }), policy).funds[0]!;
      const step = r.steps.find((s) => s.zh.includes('客观因素'))!;
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
          expect(r.methodsAmount).toBe(monthlyTotal);
          expect(r.advance + r.paidMonthly + r.clearing).toBe(r.communityYear);
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

/**
 * walk7 #3, computed by hand: 东山 with H1 (lead) and H3; employee and resident budgets 14,490.00 each (7,245.00 × 2
 * heads), the community's advance 1,207.50 each (1 month, 二(四)); assessment coefficient 0.8 (score 60).
 * DIP, one pool, year-end 7,500.00 per case (1000 points × 10.714286 × 0.7); monthly pre-settlement 2,992.50 per
 * case ((1000 × 6.15 − 3,000.00) × 0.95). Cases: employee A1 at H1 in January; resident B1 at H1 in March and May,
 * B2 at H3 in July; employee A2 outside the county 7,000.00.
 *   employee: actual 7,500.00 + 7,000.00 = 14,500.00, overspend 10.00 × 0.5 × 0.8 = 4.00 → fund bears 14,494.00;
 *             the community's year 14,494.00 − 7,000.00 = 7,494.00; clearing 7,494.00 − 2,992.50 − 1,207.50 = 3,294.00
 *   resident: actual 22,500.00, overspend 8,010.00: 724.50 × 0.4 = 289.80, 724.50 × 0.24 = 173.88 → 14,953.68;
 *             clearing 14,953.68 − 3 × 2,992.50 − 1,207.50 = 4,768.68
 *   together 22,447.68 − 11,970.00 − 2,415.00 = 8,062.68 (it deducted the year-end amounts 30,000.00 as "paid
 *   monthly": −9,967.32). The members' own DIP clearings (H1 22,500.00 − 8,977.50 − 1,166.67 = 12,355.83; H3
 *   7,500.00 − 2,992.50 − 583.33 = 3,924.17) are not paid: the community's clearing takes their place.
 * Under advanceBasis: members the members' own advances are deducted instead (H1's 1,166.67 split 1:2 over
 * employee and resident by its year-end amounts: 388.89 / 777.78; H3's 583.33 resident): employee 7,494.00 −
 * 2,992.50 − 388.89 = 4,112.61; resident 14,953.68 − 8,977.50 − 1,361.11 = 4,615.07.
 */
describe('R-MC-3 / R-BUD-5: the clearing deducts what the fund paid during the year and one advance (walk7 #3)', () => {
  const unit = (institutionCode: string, month: string, fund: 'employee' | 'resident'): MemberMonthResult => ({
    institutionCode,
    month,
    fund,
    method: 'dip',
    units: 1,
    fundPaid: 750_000,
    points: 10_000_000,
    billed: 1_000_000,
    patientPaid: 300_000,
  });
  const months = [
    unit('H1', '2025-01', 'employee'),
    unit('H1', '2025-03', 'resident'),
    unit('H1', '2025-05', 'resident'),
    unit('H3', '2025-07', 'resident'),
  ];
  const payments = months.map((m) => ({
    institutionCode: m.institutionCode,
    month: m.month,
    fund: m.fund,
    paid: 299_250,
  }));
  const fundBudget = (fund: 'employee' | 'resident'): CommunityBudget => ({ ...budget(1_449_000, 120_750), fund });
  const walk7 = (extra: Partial<CommunityYearInput> = {}): CommunityYearInput => ({
    ...input(0),
    members: ['H1', 'H3'],
    budgets: [fundBudget('employee'), fundBudget('resident')],
    memberMonths: months,
    populationSpending: [{ fund: 'employee', where: 'outside-county', amount: 700_000 }],
    performance: performance(ratio(4n, 5n), 60),
    payments,
    memberAdvances: [
      { institutionCode: 'H1', fund: 'employee', amount: 38_889 },
      { institutionCode: 'H1', fund: 'resident', amount: 77_778 },
      { institutionCode: 'H3', fund: 'resident', amount: 58_333 },
    ],
    memberYearEnds: [
      { institutionCode: 'H1', yearEnd: 2_250_000, monthlyPaid: 897_750, advance: 116_667, clearing: 1_235_583 },
      { institutionCode: 'H3', yearEnd: 750_000, monthlyPaid: 299_250, advance: 58_333, clearing: 392_417 },
    ],
    ...extra,
  });

  it('default (advanceBasis: community): monthly pre-settlements and the community’s advance, 3,294.00 + 4,768.68', () => {
    const r = settleCommunityYear(walk7(), policy);
    const [e, res] = r.funds;
    expect([e!.methodsAmount, e!.paidMonthly, e!.advance, e!.fundBears, e!.communityYear, e!.clearing]).toEqual([
      750_000, 299_250, 120_750, 1_449_400, 749_400, 329_400,
    ]);
    expect([res!.methodsAmount, res!.paidMonthly, res!.advance, res!.fundBears, res!.clearing]).toEqual([
      2_250_000, 897_750, 120_750, 1_495_368, 476_868,
    ]);
    expect(r.total).toMatchObject({
      methodsAmount: 3_000_000,
      paidMonthly: 1_197_000,
      advance: 241_500,
      communityYear: 2_244_768,
      clearing: 806_268,
    });
    // The month lines carry both figures: January's unit comes to 7,500.00 at the year end, 2,992.50 was paid.
    expect(r.monthly[0]).toMatchObject({ month: '2025-01', fund: 'employee', total: 750_000, paid: 299_250 });
    // The members' own DIP clearings are shown as not paid (the community's takes their place).
    const own = r.steps.find((s) => s.zh.includes('不另行支付'))!;
    expect(own.values).toEqual({
      'H1 年度清算额 − 月度已支付 − 年初预付': '22500.00 − 8977.50 − 1166.67 = 12355.83',
      'H3 年度清算额 − 月度已支付 − 年初预付': '7500.00 − 2992.50 − 583.33 = 3924.17',
    });
    const clearing = e!.steps.at(-1)!;
    expect(clearing.values).toMatchObject({ 月度已支付: '2992.50', '年初预付（医共体）': '1207.50' });
    // R-BUD-5 under `community`: the community's advance (1,207.50 a fund) is deducted; the members' own advances
    // (1,166.67, 583.33) were never paid, and the step says so rather than "deducted by the community's clearing".
    expect(own.zh).toContain('已支付的月度预结算由医共体清算扣减；年初预付只有医共体按预算预付的一笔');
    expect(own.zh).toContain('下列成员单位按现行支付方式的年初预付不予支付');
    expect(own.zh).not.toContain('月度预结算和年初预付由医共体清算扣减');
    expect(own.en).toContain('the members’ own advances under their methods shown here are not paid');
    expect(own.clause).toContain(policy.advanceBasis.source);
  });

  it('advanceBasis: members — the members’ own advances instead of the community’s, never both: 4,112.61 + 4,615.07', () => {
    const members = { ...policy, advanceBasis: { ...policy.advanceBasis, value: 'members' as const } };
    const r = settleCommunityYear(walk7(), members);
    expect(r.funds.map((f) => [f.advance, f.clearing])).toEqual([
      [38_889, 411_261],
      [136_111, 461_507],
    ]);
    expect(r.funds[0]!.steps.at(-1)!.values).toMatchObject({ '年初预付（成员单位按现行支付方式）': '388.89' });
    for (const f of r.funds) expect(f.advance + f.paidMonthly + f.clearing).toBe(f.communityYear);
    // The members' own advances (1,166.67 + 583.33 = 388.89 + 777.78 + 583.33) are the ones deducted, and said so.
    const own = r.steps.find((s) => s.zh.includes('不另行支付'))!;
    expect(own.zh).toContain(
      '已支付的月度预结算和下列成员单位按现行支付方式已付的年初预付由医共体清算扣减（医共体不另行预付）',
    );
    expect(own.en).toContain('the community pays no advance of its own');
  });

  it('R-MC-2 / R-BUD-4: every step names its fund (职工/居民 steps read the same otherwise: walk7 #4)', () => {
    const r = settleCommunityYear(walk7(), policy);
    expect(
      r.funds[0]!.steps.every((s) => s.zh.startsWith('职工医保：') && s.en.startsWith('employee insurance: ')),
    ).toBe(true);
    expect(
      r.funds[1]!.steps.every((s) => s.zh.startsWith('居民医保：') && s.en.startsWith('resident insurance: ')),
    ).toBe(true);
  });
});
