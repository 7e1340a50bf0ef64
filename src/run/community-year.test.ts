import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { policy as capPolicy } from '../payment/capitation/test-fixtures.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { BUNDLED_POLICY_DIR, loadPolicyDir } from '../policy/registry.ts';
import { SettlementError } from '../settlement/errors.ts';
import { openStore } from '../store/index.ts';
import {
  addCapitationHead,
  budgetedFunds,
  type CapitationHeadSums,
  type CommunityYearOptions,
  capitationYearEndAdjustments,
  elsewhereAtRun,
  POOL_YEAR_END_CLAUSE,
  type PoolValuedSum,
  paidDuringYear,
  poolYearEndAdjustments,
  runCommunityYear,
  storedCapitationYearEndAdjustments,
  valueClaim,
  withYearEndAdjustments,
} from './community-year.ts';

describe('R-MC-2 a stored unit valued for the community (points × point value × fund payment ratio)', () => {
  it('points: 123.4567 points × 12.345678 元/点 × 0.9, half-up to the fen', () => {
    // 123.4567 × 1234.5678 fen × 0.9 = 137,174.0999… fen → 137,174 fen.
    const v = valueClaim({ points: 1_234_567, amountFen: null }, ratio(12_345_678n, 10_000n), ratio(9n, 10n));
    expect(v).toBe(137_174);
  });

  it('a fixed amount × fund payment ratio: 1,000.05 元 × 0.9 = 900.045 → 900.05 元', () => {
    expect(valueClaim({ points: null, amountFen: 100_005 }, ratio(1000n), ratio(9n, 10n))).toBe(90_005);
  });
});

describe('R-MC-2 a community of the policy with no insured persons in the store', () => {
  it('is a SettlementError naming the community, its county and the persons ingest (not a RangeError)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-community-empty-'));
    const store = await openStore(join(dir, 'empty.duckdb'));
    try {
      const policies = loadPolicyDir(BUNDLED_POLICY_DIR, POLICY_KINDS);
      // The check runs before the run's results are read, so an unused run stands in.
      const run = {} as CommunityYearOptions['run'];
      const err = await runCommunityYear(store, { region: 'demo', year: 2025, policies, run }).catch((e) => e);
      expect(err).toBeInstanceOf(SettlementError);
      expect(err.code).toBe('MC_NO_POPULATION');
      expect(err.zh).toContain('yibao ingest --kind persons');
      expect(err.en).toMatch(/medical community \S+ .* has no insured persons/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("R-BUD-4 a fund without insured persons in the community's county (鲁医保发〔2024〕39号 二(二) 人头预算标准 × 服务人群)", () => {
  const community = { id: 'MC01', county: '990101', members: ['H1', 'H2'] };
  const employeesOnly = new Map([['990101|employee', 6]]);

  it('is left out when no member was paid for that fund (an employees-only county: was RangeError, exit 70)', () => {
    const months = [{ institutionCode: 'H1', fund: 'employee' as const, units: 3 }];
    expect(budgetedFunds(community, employeesOnly, months, 'mc.yaml')).toEqual(['employee']);
  });

  it('is a SettlementError naming the fund and the persons ingest when members were paid for its patients', () => {
    const months = [
      { institutionCode: 'H1', fund: 'employee' as const, units: 3 },
      { institutionCode: 'H2', fund: 'resident' as const, units: 1 },
    ];
    let err: unknown;
    try {
      budgetedFunds(community, employeesOnly, months, 'mc.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SettlementError);
    const e = err as SettlementError;
    expect(e.code).toBe('MC_NO_FUND_POPULATION');
    expect(e.zh).toContain('没有居民医保参保人');
    expect(e.zh).toContain('yibao ingest --kind persons');
    expect(e.en).toContain('no insured persons of resident insurance');
  });

  it('a non-member paid for that fund does not matter', () => {
    const months = [{ institutionCode: 'H9', fund: 'resident' as const, units: 1 }];
    expect(budgetedFunds(community, employeesOnly, months, 'mc.yaml')).toEqual(['employee']);
  });
});

describe('R-MC-3 capitation counted in the community at what its year end pays (鲁医保发〔2024〕39号 二(三) "按各种付费方式计算获取的医保基金"; 004 四(六)2–3)', () => {
  // Hand-computed (audit2): corrected rates D1 1,800.00, D2 3,600.00; weights 1.25 / 0.75 / 0.875.
  // H1: heads 2,250.00 + 1,350.00 + 680.547… + 906.164… → total 5,186.71; fund-payable spending 1,700 + 1,200 + 800 + 750
  //     = 4,450.00; surplus 736.71, 80 % kept = 589.37 (half-up of 589.368) → fund pays 4,450.00 + 589.37 = 5,039.37.
  // H2: heads 3,150.00 + 443.835… → total 3,593.83; spending 4,000 + 700 = 4,700.00; overspend 1,106.17, edge 10 % =
  //     359.38 (half-up of 359.383), fund bears 40 % of it = 143.75 (half-up of 143.752) → 3,593.83 + 143.75 = 3,737.58.
  const sums = new Map<string, CapitationHeadSums>();
  // billed − patientPaid is the fund-payable spending (统筹支付 + 门诊调增费用).
  addCapitationHead(sums, 'H1', 'employee', 518_671, 550_000, 105_000);
  addCapitationHead(sums, 'H2', 'employee', 359_383, 600_000, 130_000);

  it('bands (the default reading): H1 5,186.71 → 5,039.37 (80 % of the surplus kept), H2 3,593.83 → 3,737.58', () => {
    const adj = capitationYearEndAdjustments(sums, capPolicy, 2025);
    expect(adj.map((a) => [a.institutionCode, a.fund, a.units, a.yearEnd])).toEqual([
      ['H1', 'employee', 518_671, 503_937],
      ['H2', 'employee', 359_383, 373_758],
    ]);
  });

  it('cliff reading: H2 is 30.8 % over, at or beyond 10 % → the institution bears it all: 3,593.83', () => {
    const cliff = { ...capPolicy, overspendReading: { ...capPolicy.overspendReading, value: 'cliff' as const } };
    const adj = capitationYearEndAdjustments(sums, cliff, 2025);
    expect(adj.find((a) => a.institutionCode === 'H2')!.yearEnd).toBe(359_383);
  });

  it('two funds: the year end split in proportion to the heads of each fund (largest remainder)', () => {
    const two = new Map<string, CapitationHeadSums>();
    // 1,000.00 + 500.00 of heads, 1,000.00 of spending: surplus 500.00, 80 % kept → fund pays 1,400.00 = 933.33 + 466.67.
    addCapitationHead(two, 'H1', 'employee', 100_000, 60_000, 0);
    addCapitationHead(two, 'H1', 'resident', 50_000, 40_000, 0);
    const adj = capitationYearEndAdjustments(two, capPolicy, 2025);
    expect(adj.map((a) => [a.fund, a.units, a.yearEnd])).toEqual([
      ['employee', 100_000, 93_333],
      ['resident', 50_000, 46_667],
    ]);
  });

  it('the run’s stored year end (its 年终清算 sheet) is what counts, never settled again: H1 5,039.37, H2 3,737.58 as issued', () => {
    // The sheet the run issued under the bands reading; the same heads settled today under a cliff reading would give
    // H2 3,593.83 — the community must still count the issued 3,737.58.
    const clause = '004 四(六)2–3';
    const stored = {
      lines: [
        { institutionCode: 'H2', fundPays: 373_758 },
        { institutionCode: 'H1', fundPays: 503_937 },
        { institutionCode: 'H9', fundPays: 10_000 }, // not a member with counted heads: nothing to adjust
      ],
      options: { sharing: { value: 'bands', source: clause } },
    };
    const adj = storedCapitationYearEndAdjustments(sums, stored);
    expect(adj.map((a) => [a.institutionCode, a.fund, a.units, a.yearEnd, a.clause])).toEqual([
      ['H1', 'employee', 518_671, 503_937, clause],
      ['H2', 'employee', 359_383, 373_758, clause],
    ]);
    // The same figures as the year end settled from the policy the run applied (bands).
    expect(adj.map((a) => a.yearEnd)).toEqual(
      capitationYearEndAdjustments(sums, capPolicy, 2025).map((a) => a.yearEnd),
    );
  });

  it('the difference goes into the last month of the members’ capitation lines (a line made when none exists)', () => {
    const months = withYearEndAdjustments(
      [
        {
          institutionCode: 'H1',
          month: '2025-12',
          fund: 'employee',
          method: 'capitation',
          units: 4,
          fundPaid: 518_671,
          points: 0,
          billed: 550_000,
          patientPaid: 105_000,
        },
      ],
      capitationYearEndAdjustments(sums, capPolicy, 2025),
      2025,
    );
    expect(months.map((m) => [m.institutionCode, m.units, m.fundPaid])).toEqual([
      ['H1', 4, 503_937],
      ['H2', 0, 373_758 - 359_383],
    ]);
  });
});

describe('R-MC-3 the inpatient pool counted in the community at what the run issued each member (鲁医保发〔2024〕39号 二(三) "按各种付费方式计算获取的医保基金")', () => {
  const sum = (
    institutionCode: string,
    fund: 'employee' | 'resident',
    method: PoolValuedSum['method'],
    valued: number,
  ) => ({ poolId: 'p', institutionCode, fund, method, valued }) as PoolValuedSum;

  it('the fen of the split: valued case by case 20,000.03 + 14,629.04 = 34,629.07, issued 34,629.08 → employee 20,000.04, resident 14,629.04', () => {
    // Quotas of 34,629.08 in proportion to 2,000,003 : 1,462,904 fen: 2,000,003.5776 and 1,462,904.4224 → floors
    // 2,000,003 + 1,462,904 = 3,462,907, the one fen left to the larger remainder (0.5776, employee).
    const adj = poolYearEndAdjustments(
      [sum('H1', 'resident', 'dip', 1_462_904), sum('H1', 'employee', 'dip', 2_000_003)],
      new Map([['H1', 3_462_908]]),
      POOL_YEAR_END_CLAUSE,
    );
    expect(adj.map((a) => [a.fund, a.method, a.units, a.yearEnd])).toEqual([
      ['employee', 'dip', 2_000_003, 2_000_004],
      ['resident', 'dip', 1_462_904, 1_462_904],
    ]);
  });

  it('sharing and deductions of the pool: issued 36,629.08 (2,000.01 of surplus kept) split over funds and methods by their case values', () => {
    // 36,629.08 × (2,000,003 : 1,000,000 : 462,904) ÷ 3,462,907 = 2,115,513.6389 / 1,057,755.2328 / 489,639.1283 fen;
    // floors 3,662,907, one fen left → the largest remainder (0.6389, employee DIP): 21,155.14 + 10,577.55 + 4,896.39.
    const adj = poolYearEndAdjustments(
      [
        sum('H1', 'employee', 'dip', 2_000_003),
        sum('H1', 'employee', 'single-disease', 1_000_000),
        sum('H1', 'resident', 'dip', 462_904),
      ],
      new Map([['H1', 3_662_908]]),
      POOL_YEAR_END_CLAUSE,
    );
    expect(adj.map((a) => [a.fund, a.method, a.yearEnd])).toEqual([
      ['employee', 'dip', 2_115_514],
      ['employee', 'single-disease', 1_057_755],
      ['resident', 'dip', 489_639],
    ]);
    expect(adj.reduce((s, a) => s + a.yearEnd, 0)).toBe(3_662_908);
  });

  it('a member the run issued nothing for, or whose units are all valued 0, is left as it is', () => {
    const adj = poolYearEndAdjustments(
      [sum('H1', 'employee', 'dip', 100), sum('H2', 'employee', 'per-diem', 0)],
      new Map([['H2', 500]]),
      POOL_YEAR_END_CLAUSE,
    );
    expect(adj).toEqual([]);
  });

  it('the difference goes into December of each fund and method (withYearEndAdjustments), so Σ = the issued amount', () => {
    const adj = poolYearEndAdjustments(
      [sum('H1', 'employee', 'dip', 2_000_003), sum('H1', 'resident', 'dip', 1_462_904)],
      new Map([['H1', 3_462_908]]),
      POOL_YEAR_END_CLAUSE,
    );
    const line = (month: string, fund: 'employee' | 'resident', fundPaid: number) => ({
      institutionCode: 'H1',
      month,
      fund,
      method: 'dip' as const,
      units: 1,
      fundPaid,
      points: 0,
      billed: 0,
      patientPaid: 0,
    });
    const months = withYearEndAdjustments(
      [line('2025-03', 'employee', 2_000_003), line('2025-12', 'resident', 1_462_904)],
      adj,
      2025,
    );
    expect(months.map((m) => [m.month, m.fund, m.fundPaid])).toEqual([
      ['2025-03', 'employee', 2_000_003],
      ['2025-12', 'employee', 1],
      ['2025-12', 'resident', 1_462_904],
    ]);
    expect(months.reduce((s, m) => s + m.fundPaid, 0)).toBe(3_462_908);
  });
});

describe('R-MC-2 what the fund paid the members during the year, read from the run (walk7 #3)', () => {
  // A reader with the pool's stored rows only: H1 (member) paid 2,992.50 in January (employee case) and March
  // (resident case), advance 1,166.67, year end 15,000.00 → clearing 7,848.33; H2 is not a member.
  const im = (institution: string, month: string, paymentFen: number) => ({ institution, month, paymentFen });
  const reader = {
    institutionMonths: async () => [im('H1', '2025-01', 299_250), im('H1', '2025-03', 299_250), im('H2', '2025-01', 5)],
    institutionYear: async () => [
      { institution: 'H1', advanceFen: 116_667, monthlyPaidFen: 598_500, yearEndFen: 1_500_000, clearingFen: 784_833 },
      { institution: 'H2', advanceFen: 1, monthlyPaidFen: 5, yearEndFen: 9, clearingFen: 3 },
    ],
  } as unknown as Parameters<typeof paidDuringYear>[0];
  const weights = [
    { institutionCode: 'H1', month: '2025-01', fund: 'employee' as const, amount: 750_000 },
    { institutionCode: 'H1', month: '2025-03', fund: 'resident' as const, amount: 750_000 },
  ];
  const capitation = {
    institutionCode: 'H1',
    month: '2025-12',
    fund: 'resident' as const,
    method: 'capitation' as const,
    units: 2,
    fundPaid: 20_000,
    points: 0,
    billed: 0,
    patientPaid: 0,
  };

  it('the pool’s monthly pre-settlements by fund, capitation at its amounts, the own advance split 1:1, the year end kept', async () => {
    const r = await paidDuringYear(reader, [{ poolId: 'P' }], new Map([['H1', {}]]), weights, new Set(['dip']), [
      capitation,
    ]);
    expect(r.payments).toEqual([
      { institutionCode: 'H1', month: '2025-01', fund: 'employee', paid: 299_250 },
      { institutionCode: 'H1', month: '2025-03', fund: 'resident', paid: 299_250 },
      { institutionCode: 'H1', month: '2025-12', fund: 'resident', method: 'capitation', paid: 20_000 },
    ]);
    // 1,166.67 over 1:1 → 583.34 employee (the odd fen to the fund listed first), 583.33 resident.
    expect(r.advances).toEqual([
      { institutionCode: 'H1', fund: 'employee', amount: 58_334 },
      { institutionCode: 'H1', fund: 'resident', amount: 58_333 },
    ]);
    expect(r.yearEnds).toEqual([
      { institutionCode: 'H1', yearEnd: 1_500_000, monthlyPaid: 598_500, advance: 116_667, clearing: 784_833 },
    ]);
  });
});

describe('001 二(二) 县域外发生的医保基金支出 at what the run paid (elsewhereSpendingBasis: run, walk8 #3)', () => {
  // County C1 with community members H1, H2; H3 in county C2 (the region's DIP pool); H4 in C1, not a member.
  const persons = new Map([
    ['P1', { county: 'C1', fund: 'resident' as const }],
    ['P2', { county: 'C1', fund: 'employee' as const }],
  ]);
  const institutions = new Map([
    ['H1', { county: 'C1' }],
    ['H2', { county: 'C1' }],
    ['H3', { county: 'C2' }],
    ['H4', { county: 'C1' }],
  ]);
  const communities = [{ county: 'C1', members: ['H1', 'H2'] }];
  const cases = [
    // At H3, outside the county: the list says 7,000.00; the run paid 1,000 points × 11.428571 × 0.7 = 8,000.00.
    { setlId: 'S1', psnNo: 'P1', institutionCode: 'H3', fundPay: 700_000 },
    // At H1, a member: counted at its method's amount already, not here.
    { setlId: 'S2', psnNo: 'P1', institutionCode: 'H1', fundPay: 700_000 },
    // At H4, an in-county non-member the run paid 5,500.00 for a list's 6,000.00.
    { setlId: 'S3', psnNo: 'P2', institutionCode: 'H4', fundPay: 600_000 },
    // Outside the county but not paid by the run (another region's institution): its list's amount stays.
    { setlId: 'S4', psnNo: 'P2', institutionCode: 'H3', fundPay: 300_000 },
  ];
  const runPaid = new Map([
    ['S1', 800_000],
    ['S2', 800_000],
    ['S3', 550_000],
  ]);

  it('the case at H3 counts 8,000.00 instead of 7,000.00 (+1,000.00 outside the county); H4 −500.00; S2, S4 unchanged', () => {
    expect(elsewhereAtRun(cases, runPaid, persons, institutions, communities)).toEqual([
      { county: 'C1', fund: 'resident', where: 'outside-county', delta: 100_000 },
      { county: 'C1', fund: 'employee', where: 'in-county-non-members', delta: -50_000 },
    ]);
  });
  it('the default (list) reads no run amounts: nothing changes', () => {
    expect(elsewhereAtRun(cases, new Map(), persons, institutions, communities)).toEqual([]);
  });
});
