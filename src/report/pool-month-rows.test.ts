/**
 * R-DIP-6 (002 四(三) 月度预结算总额): the region workbook's 月度预结算点值 sheet — each month's stored point value and how
 * it was set, read from the run's stored steps (no settling again); figures as numbers of their kind.
 */
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { QUOTA_CAP_ZH } from '../settlement/monthly.ts';
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
  openingPointValue: ratio(11_133_336n, 10_000n),
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
  const col = (k: string) => t.columns.find((c) => c.key === k)!;
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
    });
    expect(rows[1]).toMatchObject({ pointValue: '9.500000', points: 15_000 });
    // a month without points sets no point value: blank, not 0.000000
    expect(rows[2]).toMatchObject({ pointValue: null, fromQuota: null, points: 0 });
  });
  it('年初点值 is the pool’s opening point value in every month, not only in a capped one (monthly-quota rule)', () => {
    expect(rows.map((r) => r.opening)).toEqual(['11.133336', '11.133336', '11.133336']);
  });
  it('按总额测算的点值 only where the cap took another value: February’s 9.500000 stands, so it is not repeated', () => {
    expect(rows.map((r) => r.fromQuota)).toEqual(['19.894636', null, null]);
    expect(col('fromQuota').zh).toBe('按总额测算的点值（元/点，按年初点值封顶前）');
  });
  it('确定方法 names the rule each month applied, capped or not; the formula and its clause are the 计算依据', () => {
    const how = (i: number, lang: 'zh' | 'en') => cellText(col('how'), rows[i]!.how!, lang);
    // February's step (as stored before it said the policy's cap) is at or below the opening value: the rule only.
    expect([how(0, 'zh'), how(1, 'zh'), how(2, 'zh')]).toEqual([
      '按年初点值 11.133336 元/点：按月度预结算总额测算为 19.894636 元/点，高于年初点值，按政策以年初点值封顶',
      '按月度预结算总额测算为 9.500000 元/点',
      '当月无点数，无预结算点值',
    ]);
    expect(how(0, 'en')).toBe(
      'the opening point value 11.133336 yuan/point: the monthly quota gave 19.894636 yuan/point, above the opening value, and the policy caps at it',
    );
    expect(how(1, 'en')).toBe('the monthly quota’s 9.500000 yuan/point');
    for (const r of rows) expect(String(r.how)).not.toMatch(/[=÷×]/);
    const basis = (i: number, lang: 'zh' | 'en') => cellText(col('basis'), rows[i]!.basis!, lang);
    expect(basis(0, 'zh')).toBe(
      `月度预结算总额 = 上年度统筹基金住院支付额 ÷ 12 × 比例；预结算点值不高于年初点值：按年初点值预结算 [${clause}]`,
    );
    expect(basis(1, 'en')).toBe(`monthly quota = last year’s fund payment ÷ 12 × ratio [${clause}]`);
    expect([col('how').zh, col('basis').zh, col('basis').en]).toEqual(['确定方法', '计算依据', 'basis']);
  });
  it('a policy without the cap: a quota value above the opening one stands, and 确定方法 says the policy sets no cap', () => {
    const [r] = poolMonthsTable({
      ...s,
      months: [
        {
          ...s.months[1]!,
          pointValue: ratio(1_250n, 1n),
          steps: [quotaStep('12.500000 元/点', { 月度预结算总额: '1000.00' })],
        },
      ],
    } as PoolSettlement).rows as Row[];
    expect(r).toMatchObject({ pointValue: '12.500000', fromQuota: null, opening: '11.133336' });
    expect(r!.how).toBe('按月度预结算总额测算为 12.500000 元/点：政策未规定按年初点值封顶，按测算值预结算');
  });
  // walk6 #4: a month below the opening value read "按月度预结算总额测算（不高于年初点值，未按年初点值封顶）" whatever the
  // policy said — a contradiction to a reader. The step now says the policy's cap, and 确定方法 which rule fixed it.
  it('the step says the policy’s cap: within the cap, the quota’s value stands; without one, the policy sets none', () => {
    const month = (capSaid: string) =>
      ({
        ...s.months[1]!,
        steps: [
          {
            ...quotaStep('9.500000 元/点', { 月度预结算总额: '1000.00', 当月总点数: '1.5000' }),
            zh: `月度预结算总额 = 上年度统筹基金住院支付额 ÷ 12 × 比例；${capSaid}`,
          },
        ],
      }) as PoolSettlement['months'][number];
    const t3 = poolMonthsTable({ ...s, months: [month(QUOTA_CAP_ZH.cap), month(QUOTA_CAP_ZH.none)] } as PoolSettlement);
    const rows3 = [...t3.rows] as Row[];
    const how = (i: number, lang: 'zh' | 'en') =>
      cellText(t3.columns.find((c) => c.key === 'how')!, rows3[i]!.how!, lang);
    expect([how(0, 'zh'), how(1, 'zh')]).toEqual([
      '按月度预结算总额测算为 9.500000 元/点：未超过年初点值 11.133336 元/点，按测算值预结算（政策规定超过年初点值时按年初点值）',
      '按月度预结算总额测算为 9.500000 元/点：政策未规定按年初点值封顶，按测算值预结算',
    ]);
    expect([how(0, 'en'), how(1, 'en')]).toEqual([
      'the monthly quota’s 9.500000 yuan/point: not above the opening point value 11.133336 yuan/point, so it stands (the policy takes the opening value only above it)',
      'the monthly quota’s 9.500000 yuan/point: the policy sets no cap at the opening point value, so it stands',
    ]);
    for (const i of [0, 1]) expect(how(i, 'zh')).not.toMatch(/不高于年初点值，未按年初点值封顶/);
  });
  it('the opening and fixed rules are named as such (取年初点值, 取政策规定值)', () => {
    const month = (zh: string) => ({
      month: '2025-01',
      pointValue: ratio(1_000n, 1n),
      quota: null,
      lines: [],
      steps: [{ rule: 'R-DIP-6', clause: 'c', zh, en: 'x', result: '10.000000 元/点' }],
    });
    const t2 = poolMonthsTable({
      ...s,
      months: [month('预结算点值取年初点值'), month('预结算点值取政策规定值')],
    } as unknown as PoolSettlement);
    const r2 = [...t2.rows] as Row[];
    expect(r2.map((r) => r.how)).toEqual(['取年初点值', '取政策规定值']);
    expect(r2.map((r) => cellText(t2.columns.find((c) => c.key === 'how')!, r.how!, 'en'))).toEqual([
      'the opening point value',
      'the value the policy sets',
    ]);
    expect(r2[0]).toMatchObject({ quota: null, fromQuota: null, opening: '11.133336' });
  });
  it('zh and en headers; money and points columns of their kind', () => {
    expect([t.zh, t.en]).toEqual(['月度预结算点值', 'monthly point values']);
    expect([col('quota').kind, col('points').kind, col('pointValue').kind]).toEqual(['money', 'points', 'decimal']);
    expect(col('pointValue').zh).toBe('预结算点值（元/点）');
  });
});
