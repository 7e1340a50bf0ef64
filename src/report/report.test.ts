import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { generateRegion } from '../payment/dip/synth.ts';
import { testDipPolicy, testSettlementPolicy } from '../payment/dip/testing.ts';
import { runDip } from '../run/dip-pool.ts';
import { toCsv } from './csv.ts';
import { writeDipReports } from './dip-reports.ts';
import { dipCaseTable } from './dip-rows.ts';
import { annualTable, groupTable, monthlyTable, regionTable } from './settlement-rows.ts';
import { poolSummaryText } from './summary.ts';
import { asciiPunctuationInZh } from './zh-punctuation.ts';

const region = generateRegion({
  seed: 3,
  institutions: 5,
  diagnoses: 20,
  casesPerYear: { 2022: 300, 2023: 300, 2024: 300, 2025: 300 },
});
const run = runDip({
  region: 'test',
  year: 2025,
  history: [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!),
  current: region.byYear.get(2025)!,
  institutions: region.institutions,
  dip: {
    policy: testDipPolicy({ referencePointValue: '{ value: opening, source: "技术规范 年初点值" }' }),
    id: 't',
    version: '1',
  },
  settlement: testSettlementPolicy({ budget: '{ value: { method: growth, growthRate: 0.05 }, source: "002 四(一)" }' }),
});

describe('reports (R-DIP-6, R-DATA-2)', () => {
  it('annual statement CSV has Chinese headers and exact yuan that add up to the fund', () => {
    const csv = toCsv(annualTable(run.settlement));
    const [head, ...rows] = csv.trim().split('\r\n');
    expect(head).toContain('年度清算额');
    const idx = head!.split(',').indexOf('年度清算额');
    const total = rows.reduce((s, l) => s + Math.round(Number(l.split(',')[idx]) * 100), 0);
    expect(total).toBe(run.settlement.fund);
    expect(toCsv(regionTable(run.settlement))).toContain('年度点值（元/点）');
    expect(poolSummaryText(run.settlement)).toContain('年度点值');
  });

  it('walk2 #19: the summary’s point values carry the statements’ 6 decimals (it read 13.6967 beside 13.696726)', async () => {
    const { formatPointValue } = await import('../settlement/value.ts');
    const s = run.settlement;
    const shown = `${formatPointValue(s.openingPointValue)} 元/点 / ${formatPointValue(s.pointValue.pointValue)} 元/点`;
    expect(shown).toMatch(/^\d+\.\d{6} 元\/点 \/ \d+\.\d{6} 元\/点$/);
    expect(poolSummaryText(s, 'zh')).toContain(`年初点值 / 年度点值：${shown}`);
  });

  it('statement column labels: zh with full-width （） (it read 年度点值(元/点), 结余(+)/超支(−)), en without Chinese', () => {
    const tables = [monthlyTable(run.settlement), annualTable(run.settlement), regionTable(run.settlement)];
    const labels = tables.flatMap((t) => t.columns.map((c) => [c.zh, c.en] as const));
    expect(labels.filter(([zh]) => /[()]/.test(zh))).toEqual([]);
    expect(labels.filter(([, en]) => /\p{Script=Han}/u.test(en))).toEqual([]);
    expect(annualTable(run.settlement).columns.map((c) => c.zh)).toContain('年度点值（元/点）');
    // The region sheet's items are labels too.
    const items = [...regionTable(run.settlement).rows].map((r) => String(r.item ?? ''));
    expect(items.filter((x) => /[()]/.test(x))).toEqual([]);
  });

  it('the groups sheet and the DIP per-case sheet: zh labels with full-width （） (病种付费额(点数×点值+定额)), en without Chinese', () => {
    const pv = { pointValue: run.settlement.pointValue.pointValue, fundPaymentRatio: run.settlement.fundPaymentRatio };
    const tables = [groupTable(run.settlement), dipCaseTable(run.evaluation.results, run.engine, pv)];
    const labels = tables.flatMap((t) => t.columns.map((c) => [c.zh, c.en] as const));
    expect(labels.filter(([zh]) => /[()]/.test(zh))).toEqual([]);
    expect(labels.filter(([, en]) => /\p{Script=Han}/u.test(en))).toEqual([]);
    expect(labels.map(([zh]) => zh)).toContain('病种付费额（分值×点值）');
  });

  it('the zh summary takes full-width （）：； (it read "病例: 1200 = … (高倍率病例 1，正常病例 8)" and "合计: …; 年初预付")', () => {
    const zh = poolSummaryText(run.settlement, 'zh');
    expect(asciiPunctuationInZh(zh)).toEqual([]);
    expect(zh).toContain(`  病例：${run.settlement.summary.units} = `);
    // Every money figure carries 元 (the budget had it, the year-end figures did not).
    expect(zh).toMatch(
      / {2}年度清算额合计：-?\d+\.\d{2} 元；年初预付 -?\d+\.\d{2} 元；月度已支付 -?\d+\.\d{2} 元；清算支付额 -?\d+\.\d{2} 元\n/,
    );
    expect(zh).toMatch(/ {2}基金结余（\+）\/超支（−）：-?\d+\.\d{2} 元；/);
    // Institutions paid more than their items' fund share are 结余机构: 结余留用 (glossary: surplus retention) is the
    // sharing rule, which a pool with sharing: none does not apply; the line read 结余留用机构 1/3 all the same.
    expect(zh).toMatch(/；结余机构 \d+\/\d+\n/);
    expect(zh).not.toContain('结余留用机构');
    const items = [...regionTable(run.settlement).rows].map((r) => String(r.item ?? ''));
    expect(items).toContain('结余机构数');
  });

  it('the en summary uses the glossary words: cases, fund budget, start-of-year advance', () => {
    const en = poolSummaryText(run.settlement, 'en');
    const s = run.settlement.summary;
    expect(en).toContain(`  cases: ${s.units} = `);
    expect(en).toMatch(/ {2}fund budget: \d+\.\d{2} yuan/);
    expect(en).toMatch(
      / {2}year-end total: -?\d+\.\d{2} yuan; start-of-year advance -?\d+\.\d{2} yuan; paid monthly -?\d+\.\d{2} yuan; clearing payment -?\d+\.\d{2} yuan\n/,
    );
    expect(en).toMatch(/ {2}fund balance: -?\d+\.\d{2} yuan; /);
    expect(en).not.toMatch(/units:|advances|fund:/);
    // Counts of case types: the count first, plural nouns (it read "high-cost case 24").
    const status = /\(([^()]*)\)$/.exec(en.split('\n')[1]!)![1]!;
    expect(status).toMatch(/^(\d+ [a-z -]+(, |$))+$/);
    expect(status).not.toMatch(/[a-z] \d/);
    for (const t of [monthlyTable(run.settlement), groupTable(run.settlement)])
      expect(t.columns.find((c) => c.key === 'units')?.en).toBe('cases');
  });

  it('the group statement names the ungrouped cases’ line 未入组 (zh) / ungrouped (en), not an empty cell', () => {
    const g = run.settlement.groups[0]!;
    const s = { ...run.settlement, groups: [{ ...g, group: '' }, g] };
    const [, ungrouped, other] = toCsv(groupTable(s)).trim().split('\r\n');
    expect(ungrouped!.split(',')[1]).toBe('（未入组）');
    expect(other!.split(',')[1]).not.toBe('（未入组）');
    expect(toCsv(groupTable(s), 'en').trim().split('\r\n')[1]!.split(',')[1]).toBe('(ungrouped)');
  });

  it('writes CSV, JSON and XLSX files; the XLSX has the statements as sheets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-dip-'));
    const files = await writeDipReports(run, dir);
    expect(files.some((f) => f.endsWith('-annual.csv'))).toBe(true);
    const json = JSON.parse(readFileSync(files.find((f) => f.endsWith('.json'))!, 'utf8'));
    expect(json.tables.map((t: { zh: string }) => t.zh)).toContain('年度清算单');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(files.find((f) => f.endsWith('.xlsx'))!);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '统筹区汇总',
      '年度清算单',
      '月度预结算单',
      '月度预结算点值',
      '病种结余超支',
      '病例分值明细',
      '病种分值目录',
    ]);
    // R-DIP-6: the pool's monthly point values as numbers with a format (元/点 to 6 places, money, points).
    const pv = wb.getWorksheet('月度预结算点值')!;
    expect(pv.getRow(1).values).toContain('预结算点值（元/点）');
    expect(pv.getRow(2).getCell(2).numFmt).toBe('0.000000');
    expect(typeof pv.getRow(2).getCell(2).value).toBe('number');
    expect(pv.getRow(2).getCell(4).numFmt).toBe('#,##0.0000');
    const lines = readFileSync(files.find((f) => f.endsWith('-cases.jsonl'))!, 'utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBe(300);
  });

  // Fault 2: the DIP per-case sheet (病例分值明细) wrote the status, match step and deviation values (ungrouped, none,
  // exact, high) and both halves of a reason into a zh-headed sheet; a sheet's words follow its headers' language.
  it('the DIP per-case sheet has its case types, match steps, deviations and reasons in the sheet language', () => {
    const results = run.evaluation.results;
    const table = dipCaseTable(results, run.engine);
    const ENUMS =
      /^(paid|high-cost|low-cost|special-review|ungrouped|excluded|none|exact|most-shared|main-procedure|comprehensive|low|high)$/;
    const zh = toCsv(dipCaseTable(results, run.engine), 'zh').trim().split('\r\n');
    expect(zh[0]).toContain('病例类型');
    const cells = zh.slice(1).flatMap((l) => l.split(','));
    expect(cells.filter((c) => ENUMS.test(c))).toEqual([]);
    expect(cells.filter((c) => /[a-z]{3,} [a-z]{3,}/.test(c))).toEqual([]);
    const en = toCsv(table, 'en').trim().split('\r\n');
    expect(
      en
        .slice(1)
        .flatMap((l) => l.split(','))
        .filter((c) => /\p{Script=Han}/u.test(c)),
    ).toEqual([]);
    expect(new Set(zh.slice(1).map((l) => l.split(',')[3]))).toContain('正常病例');
  });
});
