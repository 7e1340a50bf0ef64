/**
 * R-DATA-1 a two-row header (walk7 8): hospital sheets group columns under a merged cell (费用（元） over 医疗总费用,
 * 统筹基金支付, 个人自付, 现金支付 on the next row; the other columns merged down over both rows). Such a file stopped
 * with "required columns missing … --columns", which cannot help. The two rows are now read as one header: a
 * column's name is the lower row's cell, or the upper row's where the lower is empty; the summary says the header
 * spans two rows, and records are numbered from the row under it.
 */
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { summarise } from '../cli/ingest-commands.ts';
import { CASE_COLUMNS } from '../model/columns.ts';
import type { IngestFileError } from './errors.ts';
import { ingestFile } from './pipeline.ts';
import { HeaderSearch } from './source/header.ts';
import { memoryStore, tempDir } from './testing.ts';

const tmp = tempDir('yibao-two-row-header-');
afterAll(() => tmp.remove());

/** The upper row: names merged down over both rows, then the group cell over the four amounts (O1:R1). */
const UPPER = [
  '结算ID',
  '就诊ID',
  '人员编号',
  '医疗机构编码',
  '险种类型',
  '性别',
  '出生日期',
  '年龄',
  '入院日期',
  '出院日期',
  '住院天数',
  '离院方式',
  '主要诊断',
  '主要手术',
  '费用（元）',
  '',
  '',
  '',
];
const LOWER = [...Array(14).fill(''), '医疗总费用', '统筹基金支付', '个人自付', '现金支付'];
const RECORDS = [
  [
    'C001',
    'M001',
    'P001',
    'H1',
    '310',
    '1',
    '1980-01-01',
    '45',
    '2025-03-05',
    '2025-03-10',
    '5',
    '1',
    'K35.800',
    '47.0100',
    '10000.00',
    '7000.00',
    '3000.00',
    '3000.00',
  ],
  [
    'C002',
    'M002',
    'P002',
    'H1',
    '390',
    '2',
    '1970-06-01',
    '54',
    '2025-03-05',
    '2025-03-10',
    '5',
    '1',
    'K35.800',
    '47.0100',
    '8000.00',
    '5600.00',
    '2400.00',
    '2400.00',
  ],
];
const ctx = (lang: 'zh' | 'en') => ({ lang, json: false, db: 'data/yibao.duckdb' }) as Parameters<typeof summarise>[1];

describe('R-DATA-1 a two-row header', () => {
  it('HeaderSearch: neither row alone is the header, the two together are; the upper row is not a skipped title', () => {
    const search = new HeaderSearch('x.xlsx', CASE_COLUMNS);
    expect(search.offer({ row: 1, cells: ['2025年住院结算清单'] })).toBeUndefined();
    expect(search.offer({ row: 2, cells: UPPER })).toBeUndefined();
    const found = search.offer({ row: 3, cells: LOWER });
    expect([found?.top, found?.row, found?.above]).toEqual([2, 3, [{ row: 1, text: '2025年住院结算清单' }]]);
    expect(found?.byPosition).toEqual([
      'setl_id',
      'mdtrt_id',
      'psn_no',
      'fixmedins_code',
      'insutype',
      'gend',
      'brdy',
      'age',
      'adm_time',
      'dscg_time',
      'act_ipt_days',
      'dscg_way',
      'diag_codes',
      'oprn_oprt_codes',
      'medfee_sumamt',
      'hifp_pay',
      'psn_selfpay',
      'psn_cashpay',
    ]);
  });

  it('XLSX with merged cells: read, records numbered by the sheet (first record on row 3), the summary says the header spans rows 1–2 (zh, en)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('结算清单');
    ws.addRow(UPPER);
    ws.addRow(LOWER);
    for (let c = 1; c <= 14; c++) ws.mergeCells(1, c, 2, c);
    ws.mergeCells('O1:R1');
    for (const r of RECORDS) ws.addRow(r);
    // the second record with an amount that is not one: its row is the sheet's row 4
    ws.getCell('P4').value = 'abc';
    const file = `${tmp.path}/two-rows.xlsx`;
    await wb.xlsx.writeFile(file);
    const store = await memoryStore();
    const r = await ingestFile(store, { kind: 'cases', file, dryRun: true });
    expect([r.read, r.accepted, r.rejected, r.header]).toEqual([2, 1, 1, { row: 2, top: 1, above: [] }]);
    expect(r.rejectExamples.E_FORMAT?.row).toBe(4);
    expect(summarise(r, ctx('zh')).split('\n')[1]).toBe(
      '  表头占第 1–2 行（两行表头）：合并的分组单元格下的列名取第 2 行，其余列名取第 1 行',
    );
    expect(summarise(r, ctx('en')).split('\n')[1]).toBe(
      '  the header spans rows 1–2 (a two-row header): columns under a merged group cell are named by row 2, the others by row 1',
    );
    await store.close();
  });

  it('CSV saved from such a sheet (a title line above): the same cases, lines as the editor counts them', async () => {
    const csv = [
      `2025年住院结算清单${','.repeat(17)}`,
      UPPER.join(','),
      LOWER.join(','),
      ...RECORDS.map((r) => r.join(',')),
    ].join('\n');
    const store = await memoryStore();
    const r = await ingestFile(store, { kind: 'cases', file: tmp.file('two-rows.csv', `${csv}\n`) });
    expect([r.read, r.accepted, r.header]).toEqual([
      2,
      2,
      { row: 3, top: 2, above: [{ row: 1, text: '2025年住院结算清单' }] },
    ]);
    const stored = await store.connection.runAndReadAll(
      'SELECT setl_id, CAST(medfee_sumamt AS VARCHAR), CAST(hifp_pay AS VARCHAR) FROM cases ORDER BY setl_id',
    );
    expect(stored.getRows()).toEqual([
      ['C001', '10000.00', '7000.00'],
      ['C002', '8000.00', '5600.00'],
    ]);
    expect(summarise(r, ctx('zh')).split('\n').slice(1, 3)).toEqual([
      '  表头占第 2–3 行（两行表头）：合并的分组单元格下的列名取第 3 行，其余列名取第 2 行',
      '  其上的行已跳过：第 1 行“2025年住院结算清单”',
    ]);
    await store.close();
  });

  it('a two-row header that still lacks a column names both rows as the closest header, not one row and --columns alone', async () => {
    const lower = [...LOWER.slice(0, 15), '基金', '个人自付', '现金支付'];
    const csv = [UPPER.join(','), lower.join(','), RECORDS[0]!.join(',')].join('\n');
    const store = await memoryStore();
    let err: IngestFileError | undefined;
    try {
      await ingestFile(store, { kind: 'cases', file: tmp.file('two-rows-bad.csv', `${csv}\n`) });
    } catch (e) {
      err = e as IngestFileError;
    }
    expect(err?.zh).toBe(
      '前 20 行中没有含全部必填列的表头行；最接近的是第 1–2 行（两行表头），缺少必填列：hifp_pay（统筹基金支出）；这两行未识别（已忽略）的列："基金"；可用 --columns 文件列名=hifp_pay 对应',
    );
    expect(err?.en).toContain('the closest, rows 1–2 (a two-row header), lacks: hifp_pay (pooled-fund payment)');
    await store.close();
  });
});
