/**
 * A policy what-if's statements say they are a simulation, not issued (a new user found what-if workbooks and CSVs
 * that read like the agency's statements): every sheet title and CSV name, and a first sheet saying what it is.
 */
import { describe, expect, it } from 'vitest';
import { SIMULATION, simulationNoticeTable, simulationTable } from './simulation.ts';
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
  it('en: "simulation - " first; a title too long for a sheet name is shortened with …, the mark kept whole', () => {
    expect(simulationTable(table('c', '病例结算明细', 'cases')).en).toBe('simulation - cases');
    const long = simulationTable(table('p', '年度总额与月度预付', 'annual totals and prepayment')).en!;
    expect(long).toBe('simulation - annual totals and…');
    expect(long.length).toBeLessThanOrEqual(31);
    // Excel's sheet name: as it is (no cut by the writer).
    expect(uniqueSheetName(long, new Set())).toBe(long);
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
});
