/**
 * R-DATA-1 `codes import` names the sheet it read, as ingest does (tidy4 4): a workbook whose first sheet is a note
 * (填表说明) is read from the sheet that holds the header, and the summary said nothing of which sheet that was.
 */
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing.ts';
import { main } from './main.ts';

const tmp = tempDir('yibao-codes-cli-');
afterAll(() => tmp.remove());

async function run(args: string[]): Promise<string> {
  let out = '';
  const saved = { write: process.stdout.write, err: process.stderr.write, code: process.exitCode };
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as never;
  process.stderr.write = (() => true) as never;
  try {
    await main(['node', 'yibao', ...args]);
  } finally {
    process.stdout.write = saved.write;
    process.stderr.write = saved.err;
    process.exitCode = saved.code;
  }
  return out;
}

describe('R-DATA-1 codes import: the sheet read', () => {
  it('a notes sheet before the list: the summary names the sheet read and the sheets not read (zh, en)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填表说明').addRow(['本表为医保版诊断编码，第二个工作表为编码']);
    const ws = wb.addWorksheet('诊断编码');
    ws.addRow(['诊断编码', '诊断名称']);
    ws.addRow(['K35.800', '急性阑尾炎，其他未特指']);
    ws.addRow(['J18.900', '肺炎']);
    const file = `${tmp.path}/icd10.xlsx`;
    await wb.xlsx.writeFile(file);
    const zh = await run(['--db', `${tmp.path}/zh.duckdb`, 'codes', 'import', '--kind', 'icd10', file]);
    expect(zh.split('\n').slice(0, 2)).toEqual([
      'ICD-10 编码库（工作表“诊断编码”）：读取 2 行 = 导入 2 + 拒收 0（替换原有 0 条）',
      '  未读取的工作表：“填表说明”（要读取其中一个，请用 --sheet 指定）',
    ]);
    const en = await run(['--lang', 'en', '--db', `${tmp.path}/en.duckdb`, 'codes', 'import', '--kind', 'icd10', file]);
    expect(en.split('\n').slice(0, 2)).toEqual([
      'ICD-10 code list (sheet "诊断编码"): read 2 rows = imported 2 + rejected 0 (replacing 0 earlier entries)',
      '  sheets not read: "填表说明" (to read one of them, name it with --sheet)',
    ]);
  });

  it('a CSV names no sheet', async () => {
    const file = tmp.file('icd10.csv', 'code,name\nK35.800,急性阑尾炎\n');
    const zh = await run(['--db', `${tmp.path}/csv.duckdb`, 'codes', 'import', '--kind', 'icd10', file]);
    expect(zh.split('\n')[0]).toBe('ICD-10 编码库：读取 1 行 = 导入 1 + 拒收 0（替换原有 0 条）');
  });
});
