/**
 * R-DATA-1 which sheet of a workbook is read (walk7 5). A workbook whose first sheet is a note (填表说明) used to
 * fail listing all 14 required columns as missing and suggesting --columns; the data sheet was never named, nor
 * --sheet. Now the sheet that holds the header is read and named; two sheets with a header, no sheet with one, or
 * a --sheet the workbook lacks stop the file, listing the sheets and naming --sheet.
 */
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { summarise } from '../cli/ingest-commands.ts';
import { IngestFileError } from './errors.ts';
import { ingestFile } from './pipeline.ts';
import { memoryStore, type Row, tempDir, validCase } from './testing.ts';

const tmp = tempDir('yibao-sheets-');
afterAll(() => tmp.remove());

const cases = [validCase({ setl_id: 'K1' }), validCase({ setl_id: 'K2' })];
const columns = Object.keys(cases[0]!);

/** A workbook of sheets: 'data' holds the cases under their header, a string[][] is written as it is. */
async function workbook(name: string, sheets: Record<string, 'data' | string[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, content] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheet);
    const rows = content === 'data' ? [columns, ...cases.map((r: Row) => columns.map((c) => r[c] ?? ''))] : content;
    for (const r of rows) ws.addRow(r);
  }
  const file = `${tmp.path}/${name}`;
  await wb.xlsx.writeFile(file);
  return file;
}

const NOTES = [['本表为2025年住院结算清单，金额单位：元'], ['填表人：张三']];
const ctx = (lang: 'zh' | 'en') => ({ lang, json: false, db: 'data/yibao.duckdb' }) as Parameters<typeof summarise>[1];

async function fileError(p: Promise<unknown>): Promise<IngestFileError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof IngestFileError) return e;
    throw e;
  }
  throw new Error('expected an IngestFileError');
}

describe('R-DATA-1 the sheet read from a workbook', () => {
  it('a notes sheet before the data: the sheet with the header is read, and the summary says which (zh, en)', async () => {
    const store = await memoryStore();
    const file = await workbook('notes-first.xlsx', { 填表说明: NOTES, 结算清单: 'data' });
    const r = await ingestFile(store, { kind: 'cases', file, dryRun: true });
    expect([r.read, r.accepted, r.sheet]).toEqual([2, 2, { name: '结算清单', others: ['填表说明'] }]);
    const zh = summarise(r, ctx('zh')).split('\n');
    expect(zh[0]).toBe(`质控结算清单：${file}（XLSX，工作表“结算清单”）`);
    expect(zh[1]).toBe('  未读取的工作表：“填表说明”（要读取其中一个，请用 --sheet 指定）');
    const en = summarise(r, ctx('en')).split('\n');
    expect(en[0]).toBe(`QC of settlement lists (cases): ${file} (XLSX, sheet "结算清单")`);
    expect(en[1]).toBe('  sheets not read: "填表说明" (to read one of them, name it with --sheet)');
    await store.close();
  });

  it('one sheet, or a notes sheet after the data: the sheet read is still named', async () => {
    const store = await memoryStore();
    const one = await ingestFile(store, {
      kind: 'cases',
      file: await workbook('one.xlsx', { Sheet1: 'data' }),
      dryRun: true,
    });
    expect(one.sheet).toEqual({ name: 'Sheet1', others: [] });
    expect(summarise(one, ctx('zh')).split('\n')[0]).toContain('（XLSX，工作表“Sheet1”）');
    const after = await ingestFile(store, {
      kind: 'cases',
      file: await workbook('notes-after.xlsx', { 结算清单: 'data', 汇总: [['合计', '2']] }),
      dryRun: true,
    });
    expect([after.accepted, after.sheet]).toEqual([2, { name: '结算清单', others: ['汇总'] }]);
    await store.close();
  });

  it('two sheets with a header: not clear which is the data — the sheets are listed and --sheet named; --sheet reads one', async () => {
    const store = await memoryStore();
    const file = await workbook('two.xlsx', { 一月: 'data', 二月: 'data' });
    const err = await fileError(ingestFile(store, { kind: 'cases', file, dryRun: true }));
    expect([err.code, err.zh, err.en]).toEqual([
      'E_SHEET_AMBIGUOUS',
      '工作簿中有 2 个工作表含表头（“一月”、“二月”），不清楚读取哪一个；每次导入一个工作表，请用 --sheet 指定，如 --sheet "一月"',
      '2 sheets of the workbook hold a header ("一月", "二月"), so which one to read is not clear; ingest one sheet at a time, naming it with --sheet, e.g. --sheet "一月"',
    ]);
    const r = await ingestFile(store, { kind: 'cases', file, sheet: '二月', dryRun: true });
    expect([r.accepted, r.sheet]).toEqual([2, { name: '二月', others: ['一月'] }]);
    await store.close();
  });

  it('a --sheet the workbook lacks lists the sheets; no sheet with a header lists them, says what the closest lacks and names --sheet', async () => {
    const store = await memoryStore();
    const file = await workbook('notes-first2.xlsx', { 填表说明: NOTES, 结算清单: 'data' });
    const missing = await fileError(ingestFile(store, { kind: 'cases', file, sheet: '清单', dryRun: true }));
    expect([missing.code, missing.zh, missing.en]).toEqual([
      'E_SHEET_MISSING',
      '没有名为 "清单" 的工作表；工作簿中的工作表：“填表说明”、“结算清单”；请用 --sheet 指定其中之一',
      'no worksheet named "清单"; the workbook\'s sheets: "填表说明", "结算清单"; name one of them with --sheet',
    ]);
    const none = await fileError(
      ingestFile(store, {
        kind: 'cases',
        file: await workbook('none.xlsx', { 填表说明: NOTES, 清单: [columns.slice(0, 5)] }),
        dryRun: true,
      }),
    );
    expect(none.code).toBe('E_HEADER_MISSING');
    expect(none.zh).toMatch(
      /^工作簿的 2 个工作表（“填表说明”、“清单”）都没有含全部必填列的表头；最接近的是工作表“清单”：前 20 行中没有含全部必填列的表头行；最接近的是第 1 行，缺少必填列：gend（性别 1男 2女 9未说明）、age（年龄\(岁\)）、.*。如数据在某个工作表中，请用 --sheet 工作表名 指定$/,
    );
    expect(none.en).toMatch(
      /^none of the workbook's 2 sheets \("填表说明", "清单"\) holds a header with every required column; the closest is sheet "清单": .*name it with --sheet SHEET$/,
    );
    const chosen = await fileError(ingestFile(store, { kind: 'cases', file, sheet: '填表说明', dryRun: true }));
    expect(chosen.zh).toMatch(
      /^工作表“填表说明”：前 20 行中没有含全部必填列的表头行；.*。工作簿中的其他工作表：“结算清单”$/,
    );
    await store.close();
  });
});
