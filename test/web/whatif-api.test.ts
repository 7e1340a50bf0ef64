/**
 * GET /api/what-if/{id} for a what-if settled from a copied policy folder (`yibao settle --what-if`, walk2 #8): its
 * record's command names a folder, not `parameter=value`; the changes are read from the two runs' policy snapshots.
 * It read `[{ parameter: 'whati', value: null }]`.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serveDemoWithWhatIf, type TestServer, TOKENS } from './fixture.ts';

let s: TestServer;
let whatIf = '';
beforeAll(async () => {
  ({ server: s, whatIf } = await serveDemoWithWhatIf());
}, 300_000);
afterAll(async () => {
  await s?.close();
});

describe('R-DIP-6 what-if of a copied policy folder, through the API', () => {
  it('the one number that differs, with the value in force and its clause; clearing moves as the year end', async () => {
    const r = await call(s, `/api/what-if/${whatIf}`, TOKENS.agency);
    expect(r.status).toBe(200);
    expect(r.body.changes).toEqual([
      expect.objectContaining({
        parameter: 'demo-dip-settlement-2025:budget.growthRate',
        value: 0.1,
        inForce: 0.05,
        key: 'budget.growthRate',
      }),
    ]);
    const rows = r.body.table.rows as { difference: number; clearingDifference: number }[];
    expect(rows.some((x) => x.difference !== 0)).toBe(true);
    for (const x of rows) expect(x.clearingDifference).toBe(x.difference);
    // In words, in the language asked for (walk7 #10/#11).
    expect(r.body.changes[0].text).toBe('区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）');
    const en = await call(s, `/api/what-if/${whatIf}?lang=en`, TOKENS.agency);
    expect(en.body.changes[0].text).toBe(
      'regional budget and settlement · fund budget · growth rate: 0.05 (5%) → 0.1 (10%)',
    );
    // The export sheet (the notice) is not in the JSON answer.
    expect(r.body.table.before).toBeUndefined();
  });

  // walk7 #2: the export had no not-issued sheet, named neither change nor issued run, its title was cut mid-id and
  // it had no 合计 row.
  it('the XLSX export opens on the 模拟测算（未发布） sheet naming the change and the issued run; titles fit; a 合计 row', async () => {
    const r = await call(s, `/api/what-if/${whatIf}`, TOKENS.agency);
    for (const lang of ['zh', 'en'] as const) {
      const xlsx = await call(s, `/api/what-if/${whatIf}?format=xlsx&lang=${lang}`, TOKENS.agency);
      expect(xlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body);
      const names = book.worksheets.map((w) => w.name);
      expect(names).toEqual(
        lang === 'zh'
          ? ['模拟测算（未发布）', '模拟测算（未发布）各机构对比（已发布与模拟）']
          : ['simulation, not issued', 'simulated vs issued'],
      );
      const notice: string[] = [];
      book.worksheets[0]!.eachRow((row) => notice.push(String(row.values)));
      const text = notice.join('\n');
      expect(text).toContain(r.body.base.id);
      expect(text).toContain(whatIf);
      expect(text).toContain(lang === 'zh' ? '增长率：0.05（5%） → 0.1（10%）' : 'growth rate: 0.05 (5%) → 0.1 (10%)');
      const sheet = book.worksheets[1]!;
      expect(sheet.rowCount).toBe(r.body.table.rows.length + 2);
      const last = sheet.getRow(sheet.rowCount);
      expect(String(last.values)).toContain(lang === 'zh' ? '合计' : 'Total');
      // The 合计 of 差额: the sum of the rows' differences, the API's total (yuan).
      const diffCol = (sheet.getRow(1).values as unknown[]).findIndex(
        (v) => v === (lang === 'zh' ? '差额' : 'difference'),
      );
      expect(Math.round(Number(last.getCell(diffCol).value) * 100)).toBe(r.body.total.difference);
    }
  });
});
