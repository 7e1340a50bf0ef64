import { describe, expect, it } from 'vitest';
import { cellWords } from '../payment/capitation/risk.ts';
import { capitationHeadsTable, capitationSummaryText, capitationYearEndTable } from './capitation-reports.ts';
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
      totals: { total: 100_000, fundSpending: 90_000, referral: 0, fundPays: 98_000, prepaid: 95_000, clearing: 3_000 },
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

// walk3: `--lang en demo` printed "family-doctor contracts 2235" beside family-doctor.csv's mid-year contracts summing to
// 2146, and the served 2190 — three counts, two of them unexplained (R-CAP-4; 攀枝花 四(五)1 年中预付, 四(六)1 签约并提供服务).
describe('R-CAP-4: the family-doctor counts of the summary, each named', () => {
  // Hand-made year: P1 at H1 all year, P2 at H1 from 2025-08-01 (not in force on 06-30), P3 at H2 all year, not served.
  // Mid-year: H1 1 × 100.00 × 50 % = 50.00, H2 1 × 50.00; year end: H1 2 served × 100.00 = 200.00, H2 none.
  const summary = {
    region: 'demo',
    year: 2025,
    policy: { id: 'demo-capitation-2025', version: '2025.1' },
    caps: { employee: 0, resident: 0 },
    heads: { enrolled: 3, planned: 3, counted: 0, notCounted: 0, unresolved: 0 },
    counts: { visits: 0, unattributedVisits: 0 },
    yearEnd: { lines: [], totals: { total: 0, fundSpending: 0, referral: 0, fundPays: 0, prepaid: 0, clearing: 0 } },
    familyDoctor: {
      contractCount: 3,
      midYear: [
        { institutionCode: 'H1', date: '2025-06-30', heads: 1, prepay: 5_000, steps: [] },
        { institutionCode: 'H2', date: '2025-06-30', heads: 1, prepay: 5_000, steps: [] },
      ],
      yearEnd: [
        { institutionCode: 'H1', servedHeads: 2, entitlement: 20_000, prepaid: 5_000, balance: 15_000, steps: [] },
        { institutionCode: 'H2', servedHeads: 0, entitlement: 0, prepaid: 5_000, balance: -5_000, steps: [] },
      ],
    },
  };
  it('zh: 本年签约 3 份 = 服务 2 + 未服务 1；2025-06-30 在约 2 人（the mid-year prepayment’s count）', () => {
    expect(capitationSummaryText(summary as never, 'zh')).toContain(
      '  家庭医生签约：本年签约 3 份 = 年终签约并提供服务 2 份 + 未提供服务 1 份；2025-06-30 在约 2 人，年中预付 100.00 元；结合考核应付 200.00 元',
    );
  });
  it('en: the same three counts in words', () => {
    expect(capitationSummaryText(summary as never, 'en')).toContain(
      '  family-doctor contracts of the year 3 = signed and served at year end 2 + not served 1; in force on 2025-06-30 2, mid-year prepayment 100.00 yuan; due after assessment 200.00 yuan',
    );
  });
});
