import { describe, expect, it } from 'vitest';
import { cellWords } from '../payment/capitation/risk.ts';
import { capitationHeadsTable, capitationYearEndTable } from './capitation-reports.ts';
import { ENUM_VALUE } from './readable-explanation.ts';
import { cellText } from './table.ts';

// `yibao --lang en demo --cases 3000`: capitation-2025.xlsx (year-end clearing) and capitation-year-end.csv ended
// with a row labelled 合计 in the English statement (R-CAP-5 year end; glossary: 合计 = total).
describe('capitation year-end statement: the total row in the reader’s language', () => {
  const line = {
    institutionCode: 'H1',
    heads: 2,
    notCounted: 0,
    unresolved: 0,
    total: 100_000,
    fundSpending: 90_000,
    sharing: { surplus: 10_000, overspend: 0, lines: [{ shared: 8_000 }], fundRetains: 2_000, institutionBears: 0 },
    fundPays: 98_000,
    prepaid: 95_000,
    clearing: 3_000,
  };
  const summary = {
    institutions: [{ code: 'H1', name: '市第一人民医院' }],
    heads: { counted: 2, notCounted: 0, unresolved: 0 },
    yearEnd: {
      lines: [line],
      totals: { total: 100_000, fundSpending: 90_000, fundPays: 98_000, prepaid: 95_000, clearing: 3_000 },
    },
  };
  const table = capitationYearEndTable(summary as never);
  const rows = [...table.rows];
  const inst = table.columns.find((c) => c.key === 'institution')!;
  const total = rows.at(-1)!;

  it('zh says 合计, en says Total; an institution code stays as it is', () => {
    expect(cellText(inst, total.institution!, 'zh')).toBe('合计');
    expect(cellText(inst, total.institution!, 'en')).toBe('Total');
    expect(cellText(inst, rows[0]!.institution!, 'en')).toBe('H1');
  });

  it('the total row adds up the institutions: 1000.00 total, 980.00 fund pays, 30.00 clearing', () => {
    const money = (key: string) => cellText(table.columns.find((c) => c.key === key)!, total[key]!, 'en');
    expect([money('total'), money('fundPays'), money('clearing'), money('shared')]).toEqual([
      '1000.00',
      '980.00',
      '30.00',
      '80.00',
    ]);
  });
});

// nu14's walk: the heads sheet called a head's status 正常病例 / 除外 under 病例类型 (a head is no case); the risk
// cell read `age<65/no-class1` in a zh explanation (R-CAP-2, R-CAP-3, R-CAP-5).
describe('the heads sheet and a head’s explanation in words', () => {
  it('heads sheet: 人头状态 计入人头 / 不计人头 / 待更正，暂不支付 (en counted / not counted / not paid until corrected)', async () => {
    const view = (unitId: string, status: string) => ({
      unitId,
      institution: 'H1',
      month: '2025-12',
      method: 'capitation',
      group: 'M03900',
      status,
      points: null,
      amountFen: status === 'paid' ? 12_345 : 0,
      billedFen: 0,
      patientPaidFen: 0,
      basis: null,
    });
    const heads = async function* () {
      yield [
        view('P1/M03900/2025-01-01', 'paid'),
        view('P2/M03900/2025-01-01', 'excluded'),
        view('P3/M03900/2025-01-01', 'ungrouped'),
      ];
    };
    const t = capitationHeadsTable({ institutions: [{ code: 'H1', name: '市第一人民医院' }] } as never, heads);
    const status = t.columns.find((c) => c.key === 'status')!;
    expect([status.zh, status.en]).toEqual(['人头状态', 'head status']);
    const rows: Record<string, unknown>[] = [];
    for await (const r of t.rows) rows.push(r);
    expect(rows.map((r) => cellText(status, r.status as never, 'zh'))).toEqual([
      '计入人头',
      '不计人头',
      '待更正，暂不支付',
    ]);
    expect(rows.map((r) => cellText(status, r.status as never, 'en'))).toEqual([
      'counted',
      'not counted',
      'not paid until corrected',
    ]);
  });

  it('risk cells in words: zh 65 岁以下、无一类门特, en under 65, without a class-1 disease; other texts as they are', () => {
    expect(cellWords('age<65/no-class1', 'zh')).toBe('65 岁以下、无一类门特');
    expect(cellWords('age65+/class1', 'zh')).toBe('65 岁及以上、有一类门特');
    expect(cellWords('age65+/no-class1', 'en')).toBe('65 and over, without a class-1 disease');
    expect(cellWords('linear', 'zh')).toBe('linear');
    expect(ENUM_VALUE.风险分组!('age<65/class1', 'zh')).toBe('65 岁以下、有一类门特');
  });

  // R-CAP-2: the cell is named age65+ whatever the policy's riskAgeThreshold; its words take the threshold (said 65).
  it('R-CAP-2: risk cells in words with the policy’s age threshold (70: 70 岁及以上 / under 70)', () => {
    expect(cellWords('age65+/no-class1', 'zh', 70)).toBe('70 岁及以上、无一类门特');
    expect(cellWords('age<65/class1', 'en', 70)).toBe('under 70, with a class-1 disease');
  });
});
