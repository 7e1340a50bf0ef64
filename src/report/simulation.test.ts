/**
 * A policy what-if's statements say they are a simulation, not issued (a new user found what-if workbooks and CSVs
 * that read like the agency's statements): every sheet title and CSV name, and a first sheet saying what it is.
 */
import { describe, expect, it } from 'vitest';
import { SIMULATION, simulationNoticeTable, simulationSheetTitleEn, simulationTable } from './simulation.ts';
import { cellText, col, type Row, type Table } from './table.ts';
import { uniqueSheetName } from './xlsx.ts';

const table = (name: string, zh: string, en: string): Table => ({
  name,
  zh,
  en,
  columns: [col('a', 'text', '甲', 'a')],
  rows: [{ a: 'x' }],
});

describe('what-if statements: marked as a simulation, not issued', () => {
  it('zh sheet title begins with 模拟测算（未发布）; the CSV file name ends with -simulation; rows unchanged', () => {
    const t = simulationTable(table('city01-dip-2025-annual', '年度清算单', 'year-end settlement'));
    expect([t.zh, t.name]).toEqual(['模拟测算（未发布）年度清算单', 'city01-dip-2025-annual-simulation']);
    expect(t.rows).toEqual([{ a: 'x' }]);
    expect(SIMULATION).toEqual(['模拟测算（未发布）', 'simulation, not issued']);
  });
  it('en: "simulated " first; a title too long for a sheet name goes by a shorter name, never cut mid-word (walk7 #12)', () => {
    expect(simulationTable(table('c', '病例结算明细', 'cases')).en).toBe('simulated cases');
    expect(simulationTable(table('a', '年度清算单', 'year-end settlement')).en).toBe('simulated year-end settlement');
    const long = simulationTable(table('p', '年度总额与月度预付', 'annual totals and prepayment')).en!;
    expect(long).toBe('simulated totals and prepayment');
    expect(simulationTable(table('r', '统筹区汇总', 'pooling region summary')).en).toBe('simulated region summary');
    // A long title not listed: cut after a whole word, with …
    expect(simulationSheetTitleEn('reconciliation of institutions by month')).toBe('simulated reconciliation of…');
    for (const t of [
      'pooling region summary',
      'year-end settlement',
      'monthly pre-settlement',
      'monthly point values',
      'group surplus and overspend',
      'annual totals and prepayment',
      'visits fitting no head',
      'monthly prepayments',
    ]) {
      const name = simulationSheetTitleEn(t);
      expect(name.length, name).toBeLessThanOrEqual(31);
      expect(name, name).not.toMatch(/…/);
      // Excel's sheet name: as it is (no cut by the writer).
      expect(uniqueSheetName(name, new Set())).toBe(name);
    }
  });
  it('the first sheet: what it is, the what-if run and the issued run it was compared with, zh and en', () => {
    const n = simulationNoticeTable({ runId: 'W1', baseRunId: 'R1', region: 'city01', year: 2025 });
    expect([n.zh, n.en]).toEqual(['模拟测算（未发布）', 'simulation, not issued']);
    const rows = [...n.rows] as Row[];
    const [item, text] = n.columns;
    const shown = (lang: 'zh' | 'en') =>
      rows.map((r) => [cellText(item!, r.item!, lang), cellText(text!, r.text!, lang)]);
    expect(shown('zh')[0]![1]).toMatch(/^政策模拟测算（未发布）：.*不是经办机构发出的结算单，不作为结算、拨付依据$/);
    expect(shown('zh').slice(1)).toEqual([
      ['模拟运行', 'W1'],
      ['对比的已发布结算运行（仍在用）', 'R1'],
      ['统筹区', 'city01'],
      ['年度', '2025'],
    ]);
    expect(shown('en')[0]![1]).toMatch(/^a policy simulation, not issued: /);
    expect(shown('en')[2]).toEqual(['compared with the issued run (still in force)', 'R1']);
    expect(JSON.stringify(shown('en'))).not.toMatch(/\p{Script=Han}/u);
  });
  it('the first sheet names each change, the value in force → the simulated one, and its clause (walk7 #11)', () => {
    const n = simulationNoticeTable({
      runId: 'W1',
      baseRunId: 'R1',
      region: 'city01',
      year: 2025,
      changes: [
        {
          zh: '区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）',
          en: 'regional budget and settlement · fund budget · growth rate: 0.05 (5%) → 0.1 (10%)',
          source: '示范细则 第十条',
        },
      ],
    });
    const [item, text] = n.columns;
    const shown = (lang: 'zh' | 'en') =>
      ([...n.rows] as Row[]).map((r) => [cellText(item!, r.item!, lang), cellText(text!, r.text!, lang)]);
    expect(shown('zh').slice(1, 4)).toEqual([
      ['政策改动', '区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）'],
      ['改动的条款（现行）', '示范细则 第十条'],
      ['模拟运行', 'W1'],
    ]);
    expect(shown('en')[1]).toEqual([
      'policy change',
      'regional budget and settlement · fund budget · growth rate: 0.05 (5%) → 0.1 (10%)',
    ]);
  });
});
