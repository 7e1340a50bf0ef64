/**
 * R-DIP-6 (002 四(三) 月度预结算总额): the region workbook's 月度预结算点值 sheet — each month's stored point value and how
 * it was set, read from the run's stored steps (no settling again); figures as numbers of their kind.
 */
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { poolMonthsTable } from './pool-month-rows.ts';
import { cellText, type Row } from './table.ts';

const clause = '002 四(三) 月度预结算总额（示范细则 第十一条：90%）';
const quotaStep = (result: string, values: Record<string, string>) => ({
  rule: 'R-DIP-6',
  clause,
  zh: '月度预结算总额 = 上年度统筹基金住院支付额 ÷ 12 × 比例',
  en: 'monthly quota = last year’s fund payment ÷ 12 × ratio',
  values,
  result,
});
// Hand-set: January's quota gives 19.894636 元/点, capped at the opening 11.133336; February's 9.5 stands; March has
// no points (no point value). Point values are kept in fen per point (1113.3336 fen = 11.133336 元).
const s = {
  poolId: 'p',
  months: [
    {
      month: '2025-01',
      pointValue: ratio(11_133_336n, 10_000n),
      quota: 540_658_197,
      lines: [],
      steps: [
        quotaStep('19.894636 元/点', {
          月度预结算总额: '5406581.97',
          患者负担: '2842452.14',
          当月定额金额: '2071689.89',
          当月总点数: '310503.0070',
        }),
        {
          rule: 'R-DIP-6',
          clause,
          zh: '预结算点值不高于年初点值：按年初点值预结算',
          en: 'capped at the opening-year point value',
          values: { 按总额测算的点值: '19.894636', 年初点值: '11.133336' },
          result: '11.133336 元/点',
        },
      ],
    },
    {
      month: '2025-02',
      pointValue: ratio(950n, 1n),
      quota: 100_000,
      lines: [],
      steps: [quotaStep('9.500000 元/点', { 月度预结算总额: '1000.00', 当月总点数: '1.5000' })],
    },
    {
      month: '2025-03',
      pointValue: ratio(0n, 1n),
      quota: 100_000,
      lines: [],
      steps: [quotaStep('—', { 月度预结算总额: '1000.00', 当月总点数: '0.0000' })],
    },
  ],
} as unknown as PoolSettlement;

describe('R-DIP-6 the pool’s monthly point values sheet', () => {
  const t = poolMonthsTable(s);
  const rows = [...t.rows] as Row[];
  it('stored values as numbers: point value, quota (fen), points (0.0001), the quota’s value before the cap', () => {
    expect(rows[0]).toMatchObject({
      month: '2025-01',
      pointValue: '11.133336',
      quota: 540_658_197,
      points: 3_105_030_070,
      patientPaid: 284_245_214,
      amounts: 207_168_989,
      byItems: null,
      fromQuota: '19.894636',
      opening: '11.133336',
      // cited in brackets as a basis cites its clause (en workbooks quote the policy's words only so)
      clause: `[${clause}]`,
    });
    expect(rows[1]).toMatchObject({ pointValue: '9.500000', fromQuota: '9.500000', opening: null, points: 15_000 });
    // a month without points sets no point value: blank, not 0.000000
    expect(rows[2]).toMatchObject({ pointValue: null, fromQuota: null, points: 0 });
  });
  it('zh and en headers, the rule applied in the reader’s language; money and points columns of their kind', () => {
    expect([t.zh, t.en]).toEqual(['月度预结算点值', 'monthly point values']);
    const col = (k: string) => t.columns.find((c) => c.key === k)!;
    expect([col('quota').kind, col('points').kind, col('pointValue').kind]).toEqual(['money', 'points', 'decimal']);
    expect(col('pointValue').zh).toBe('预结算点值（元/点）');
    expect(cellText(col('how'), rows[0]!.how!, 'zh')).toContain('预结算点值不高于年初点值：按年初点值预结算');
    expect(cellText(col('how'), rows[0]!.how!, 'en')).toBe(
      'monthly quota = last year’s fund payment ÷ 12 × ratio; capped at the opening-year point value',
    );
  });
});
