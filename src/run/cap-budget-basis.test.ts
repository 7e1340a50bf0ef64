/**
 * The capitation summary named its caps (总控额度：职工 …，居民 …) but not where they come from. Now one line — and a
 * 总控额度 sheet — says which fund and which year's spending the cap is drawn from, the share the policy names, that no
 * growth rate is added, and the clause, from the run's summary and its policy snapshot (nothing computed again).
 * (R-CAP-1; 攀枝花 二类门特按病种结合人头付费试行办法 四(三)1)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { capitationBudgetBasisText, capitationCapsTable } from '../report/capitation-reports.ts';
import { toCsv } from '../report/csv.ts';
import { capBudgetPolicyOfRun } from './cap-budget-basis.ts';
import type { CapitationYearSummary } from './capitation-year.ts';

const reader = {
  policies: async () => [
    {
      policyId: 'demo-capitation-2025',
      kind: 'capitation',
      region: 'demo',
      version: '2025.1',
      file: 'policies/demo/capitation-2025.yaml',
      sha256: '',
      content: readFileSync('policies/demo/capitation-2025.yaml', 'utf8'),
    },
  ],
};
const source = '攀枝花医保 二类门特按病种结合人头付费试行办法 四(三)1';

// The demo year: no 2025 spending budget given, the 2024 spending stands in: employee 39,358,512.90 × 3.6% =
// 1,416,906.4644 → 1,416,906.46 (rounded down, as the run did); resident 40,156,642.60 × 3.6% = 1,445,639.13.
const year = {
  year: 2025,
  budget: {
    basis: 'previous-year-spending' as const,
    fundBudgets: { employee: 3_935_851_290, resident: 4_015_664_260 },
  },
  caps: { employee: 141_690_646, resident: 144_563_913 },
} as unknown as CapitationYearSummary;

describe('R-CAP-1: the cap’s budget basis, from the run’s policy snapshot (hand-computed)', () => {
  it('the policy the run applied: a 3.6% share of each fund, its clause', async () => {
    const p = await capBudgetPolicyOfRun(reader, { region: 'demo', year: 2025 });
    expect(p).toEqual({
      share: { employee: ratio(36n, 1000n), resident: ratio(36n, 1000n) },
      shareSource: source,
      amountSource: source,
    });
    expect(await capBudgetPolicyOfRun({ policies: async () => [] }, { region: 'demo', year: 2025 })).toBeUndefined();
  });

  it('one line, zh and en: which year’s spending of which fund, the share, no growth rate added, the clause', async () => {
    const p = (await capBudgetPolicyOfRun(reader, { region: 'demo', year: 2025 }))!;
    expect(capitationBudgetBasisText(year, p, 'zh')).toBe(
      `  总控额度依据：未给出 2025 年基金支出总预算，以 2024 年实际统筹基金支出（住院 + 门特；职工 39358512.90 元、居民 40156642.60 元）代替，× 提取比例 3.6%，不另加增长率（依据：${source}）`,
    );
    expect(capitationBudgetBasisText(year, p, 'en')).toBe(
      `  cap basis: no 2025 fund spending budget given, so the 2024 pooled-fund spending (inpatient + special-disease outpatient; employee 39358512.90 yuan, resident 40156642.60 yuan) stands in, × the share 3.6%, no growth rate added (source: ${source})`,
    );
    const given = { ...year, budget: { basis: 'fund-budgets' as const, fundBudgets: year.budget.fundBudgets } };
    expect(capitationBudgetBasisText(given, p, 'zh')).toContain(
      '2025 年基本医保统筹基金支出总预算（职工 39358512.90 元、居民 40156642.60 元）× 提取比例 3.6%',
    );
  });

  it('the 总控额度 sheet: one row per fund with the spending, the share and the cap (numbers as numbers)', async () => {
    const p = (await capBudgetPolicyOfRun(reader, { region: 'demo', year: 2025 }))!;
    const zh = toCsv(capitationCapsTable(year, p, 'zh'), 'zh');
    expect(zh.split(/\r?\n/).slice(0, 3)).toEqual([
      '险种,预算依据,基金支出（元）,提取比例,总控额度（元）,依据',
      `职工,2024 年实际统筹基金支出（未给出 2025 年预算）,39358512.90,0.036000,1416906.46,${source}`,
      `居民,2024 年实际统筹基金支出（未给出 2025 年预算）,40156642.60,0.036000,1445639.13,${source}`,
    ]);
    expect(toCsv(capitationCapsTable(year, p, 'en'), 'en').split(/\r?\n/)[0]).toBe(
      'fund,budget basis,fund spending (yuan),share,cap (yuan),source',
    );
  });
});
