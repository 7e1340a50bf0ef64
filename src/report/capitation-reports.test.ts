import { describe, expect, it } from 'vitest';
import { capitationYearEndTable } from './capitation-reports.ts';
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
