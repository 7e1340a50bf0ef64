import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { communityBudget } from '../community/budget.ts';
import { communityEligibility } from '../community/eligibility.ts';
import { assessPerformance, type IndicatorInputs } from '../community/indicators.ts';
import { settleCommunityYear } from '../community/reconcile.ts';
import { regionPointTable } from '../community/region-points.ts';
import { templateCommunity, templateCommunityPolicy } from '../community/test-fixtures.ts';
import { ratio } from '../model/money.ts';
import type { CommunityRunResult } from '../run/community-year.ts';
import { reconciliationTable, writeCommunityWorkbook } from './community-reports.ts';

function sample(): CommunityRunResult {
  const policy = templateCommunityPolicy();
  const community = templateCommunity();
  const history = [2022, 2023, 2024].map((year) => ({ year, fundSpending: 50_000_000, population: 5_000 }));
  const budgets = (['employee', 'resident'] as const).map((fund) =>
    communityBudget({ communityId: community.id, fund, year: 2025, history, population: 5_000 }, policy),
  );
  const x: IndicatorInputs = {
    medicalCost: 1,
    lastYearMedicalCost: 1,
    fundPaid: 1,
    inCountyFundPaid: 1,
    primaryFundPaid: 1,
    visits: 1,
    primaryVisits: 1,
    admissions: 1,
    outsideCountyAdmissions: 0,
  };
  const performance = assessPerformance(x, policy);
  const row = (fund: 'employee' | 'resident', month: string, fundPaid: number) => ({
    institutionCode: 'H0002',
    month,
    fund,
    method: 'dip' as const,
    units: 1,
    fundPaid,
    points: 0,
    billed: 0,
    patientPaid: 0,
  });
  const result = settleCommunityYear(
    {
      communityId: community.id,
      name: community.name,
      lead: community.lead,
      year: 2025,
      members: community.members,
      budgets,
      memberMonths: [row('employee', '2025-01', 20_000_000), row('resident', '2025-02', 33_000_000)],
      populationSpending: [{ fund: 'resident', where: 'outside-county', amount: 10_000_000 }],
      compensations: [],
      performance,
    },
    policy,
  );
  return {
    region: 'sd-template',
    runId: 'RUN-TEST',
    year: 2025,
    policies: { registry: 'r', payment: 'p' },
    communities: [
      {
        community,
        eligibility: communityEligibility(community, '2025-01-01', 's'),
        budgets,
        indicatorInputs: x,
        performance,
        result,
      },
    ],
    institutions: [{ code: 'H0002', name: '示例镇卫生院', level: 'primary', type: 'primary', county: '370000' }],
    points: regionPointTable(ratio(1000n), 's', [], [{ institutionCode: 'H0002', method: 'ffs', amount: 100_000 }]),
    burden: [],
    referrals: 0,
    pricedBills: 0,
  };
}

describe('community workbook (医共体结算工作簿)', () => {
  it('the 合计 row of the year-end sheet adds up the funds', () => {
    const t = reconciliationTable(sample());
    const rows = [...t.rows];
    const funds = rows.filter((r) => r.fund !== '');
    const total = rows.at(-1)!;
    expect(total.community).toBe('合计');
    for (const k of ['budget', 'methods', 'actual', 'fundBears', 'clearing'])
      expect(total[k]).toBe(funds.reduce((s, r) => s + (r[k] as number), 0));
  });

  it('writes numbers as numbers in yuan, with names and sheet titles in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-community-'));
    const file = await writeCommunityWorkbook(sample(), dir);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toContain('年度清算对账');
    const ws = wb.getWorksheet('总额预算测算')!;
    // 10,000 fen per head × (1 + 3.5 %) = 103.50 元 per head; × 5,000 heads = 517,500.00 元.
    const employee = ws.getRow(2).values as unknown[];
    expect(employee[2]).toBe('职工');
    expect(employee[5]).toBe(103.5);
    expect(employee[8]).toBe(517_500);
    const members = wb.getWorksheet('成员单位与支付方式')!;
    expect((members.getRow(2).values as unknown[])[4]).toBe('示例镇卫生院');
  });
});
