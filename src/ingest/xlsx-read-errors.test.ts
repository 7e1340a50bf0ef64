/**
 * R-DATA-1: an XLSX file that cannot be read says why in the user's language, naming the file. The zh text showed
 * exceljs's English (`无法读取 XLSX 文件：invalid signature: 0xa622c61`, `…：FILE_ENDED`); a zip holding no workbook
 * read as an empty sheet (`工作表为空，没有表头`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { xlsxProblem, xlsxProblemKind } from '../tables/xlsx-problem.ts';
import { IngestFileError } from './errors.ts';
import { ingestFile } from './pipeline.ts';
import { memoryStore, tempDir, validCase } from './testing.ts';

const tmp = tempDir('yibao-xlsx-errors-');
afterAll(() => tmp.remove());

/** A zip of one stored entry (no compression), with its central directory and end record when `end`. */
function zipOf(entry: string, content: string, end = true): Buffer {
  const name = Buffer.from(entry);
  const data = Buffer.from(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(1, 8);
  record.writeUInt16LE(1, 10);
  record.writeUInt32LE(46 + name.length, 12);
  record.writeUInt32LE(30 + name.length + data.length, 16);
  const body = Buffer.concat([local, name, data]);
  return end ? Buffer.concat([body, central, name, record]) : body;
}

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function goodWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const c = validCase({ setl_id: 'K1' });
  const ws = wb.addWorksheet('清单');
  ws.addRow(Object.keys(c));
  ws.addRow(Object.values(c));
  const file = `${tmp.path}/good.xlsx`;
  await wb.xlsx.writeFile(file);
  return readFileSync(file);
}

async function fileError(file: string): Promise<IngestFileError> {
  const store = await memoryStore();
  try {
    await ingestFile(store, { kind: 'cases', file, dryRun: true });
  } catch (e) {
    if (e instanceof IngestFileError) return e;
    throw e;
  }
  throw new Error('expected an IngestFileError');
}

describe('R-DATA-1 an XLSX file that cannot be read', () => {
  const cases: [string, () => Promise<Buffer> | Buffer, string, string][] = [
    [
      'csv.xlsx',
      () => Buffer.from('setl_id,psn_no\nK1,P1\n'),
      '文件 csv.xlsx 不是 XLSX 工作簿（XLSX 是 zip 压缩包，此文件不是）；若它是 CSV 等文本文件，请改用 .csv 扩展名',
      'csv.xlsx is not an XLSX workbook (an XLSX is a zip archive, this file is not); if it is a text file such as CSV, name it .csv',
    ],
    [
      'cut.xlsx',
      async () => (await goodWorkbook()).subarray(0, 2000),
      '文件 cut.xlsx 不完整（zip 压缩包缺少结尾），可能在下载或复制时中断；请重新取得完整的文件',
      'cut.xlsx is truncated (its zip archive has no end), perhaps cut off while downloading or copying; get the whole file again',
    ],
    [
      'other.xlsx',
      () => zipOf('readme.txt', 'hello'),
      '文件 other.xlsx 是 zip 压缩包，但其中没有 Excel 工作簿（xl/workbook.xml），不是 XLSX 文件',
      'other.xlsx is a zip archive but holds no Excel workbook (xl/workbook.xml), so it is not an XLSX file',
    ],
    [
      'locked.xlsx',
      () => Buffer.concat([OLE, Buffer.alloc(120), Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(384)]),
      '文件 locked.xlsx 已加密（设置了打开密码），无法读取；请在 Excel 中取消密码后另存为 .xlsx 再导入',
      'locked.xlsx is encrypted (it has an open password); remove the password in Excel, save it as .xlsx and try again',
    ],
    [
      'old.xlsx',
      () => Buffer.concat([OLE, Buffer.alloc(504)]),
      '文件 old.xlsx 是旧版 Excel 97-2003 工作簿（.xls），不是 XLSX；请在 Excel 中另存为 .xlsx 再导入',
      'old.xlsx is an old Excel 97-2003 workbook (.xls), not an XLSX; save it as .xlsx in Excel and try again',
    ],
    [
      'empty.xlsx',
      () => Buffer.alloc(0),
      '文件 empty.xlsx 是空文件（0 字节），不是 XLSX 工作簿',
      'empty.xlsx is empty (0 bytes), not an XLSX workbook',
    ],
  ];
  for (const [name, bytes, zh, en] of cases) {
    it(`${name}: a zh and an en sentence naming the file, no library English in zh`, async () => {
      const file = `${tmp.path}/${name}`;
      writeFileSync(file, await bytes());
      const err = await fileError(file);
      expect([err.code, err.zh, err.en]).toEqual(['E_XLSX', zh, en]);
      expect(err.zh).not.toMatch(/FILE_ENDED|signature|invalid|end of/);
    });
  }

  it('a cause not told apart: the zh sentence first, the library text only as a detail after it', () => {
    const p = xlsxProblem(
      '/x/good.xlsx',
      new Error('Unexpected end of stream'),
      zipOf('xl/workbook.xml', '<workbook/>'),
    );
    expect(p).toEqual({
      kind: 'unreadable',
      zh: '无法读取 XLSX 文件 good.xlsx：文件已损坏或格式不受支持；请在 Excel 中打开并另存为 .xlsx 再试（详情：Unexpected end of stream）',
      en: 'cannot read the XLSX file good.xlsx: it is damaged or in a format not supported; open it in Excel, save it as .xlsx and try again (Unexpected end of stream)',
    });
  });

  it('a good workbook is no problem', async () => {
    expect(xlsxProblemKind(await goodWorkbook())).toBeUndefined();
  });
});
