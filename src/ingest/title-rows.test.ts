/**
 * R-DATA-1 files from hospitals often have a title row or two above the header ("2025年住院结算清单", a blank
 * row, then the header). The header is the first of the first 20 rows that holds every required column of the
 * kind (by the names and aliases the reader accepts); the rows above it are skipped and reported, and rows keep
 * the numbers the editor or spreadsheet shows. Every file is made by hand, its lines counted in the comments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestFileError } from './errors.ts';
import { ingestFile } from './pipeline.ts';
import { memoryStore, type Row, tempDir, validCase } from './testing.ts';

const tmp = tempDir('yibao-title-rows-');
afterAll(() => tmp.remove());

const COLUMNS = Object.keys(validCase());
const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const line = (r: Row) => COLUMNS.map((c) => quote(r[c] ?? '')).join(',');
const HEADER = COLUMNS.join(',');
/** A row of commas: what a spreadsheet writes for a title or a blank row when it saves the sheet as CSV. */
const padded = (text: string) => `${text}${','.repeat(COLUMNS.length - 1)}`;

async function ingest(file: string) {
  const store = await memoryStore();
  const rejectsFile = `${file}.rejects.csv`;
  try {
    const report = await ingestFile(store, { kind: 'cases', file, rejectsFile });
    const lines = existsSync(rejectsFile)
      ? (parse(readFileSync(rejectsFile, 'utf8'), { columns: true, bom: true }) as Record<string, string>[])
      : [];
    const stored = (await store.connection.runAndReadAll('SELECT setl_id FROM cases ORDER BY setl_id'))
      .getRows()
      .map((r) => String(r[0]));
    return { report, lines, stored };
  } finally {
    await store.close();
  }
}

const failure = async (file: string) => {
  const store = await memoryStore();
  try {
    return (await ingestFile(store, { kind: 'cases', file }).catch((e: unknown) => e)) as IngestFileError;
  } finally {
    await store.close();
  }
};

describe('R-DATA-1 CSV: a title and a blank line above the header', () => {
  it('saved from a spreadsheet (title and blank line padded with commas): header line 3, the bad case line 5', async () => {
    // line 1 "2025年住院结算清单,,,…" · 2 ",,,…" (blank) · 3 header · 4 T1 · 5 T2 (sex 3: E_CODE_INVALID)
    const text = [
      padded('2025年住院结算清单'),
      padded(''),
      HEADER,
      line(validCase({ setl_id: 'T1' })),
      line(validCase({ setl_id: 'T2', gend: '3' })),
    ];
    const { report, lines, stored } = await ingest(tmp.file('title.csv', `${text.join('\r\n')}\r\n`));
    expect(report.reader).toBe('duckdb');
    expect([report.read, report.accepted, report.rejected]).toEqual([2, 1, 1]);
    expect(report.header).toEqual({ row: 3, above: [{ row: 1, text: '2025年住院结算清单' }] });
    expect(lines.map((l) => [l.qc_row, l.qc_setl_id, l.qc_code])).toEqual([['5', 'T2', 'E_CODE_INVALID']]);
    expect(report.rejectExamples.E_CODE_INVALID?.row).toBe(5);
    expect(stored).toEqual(['T1']);
  });

  it('a title with an unbalanced quote, a note and an empty line: Node reads from the header on, lines still count', async () => {
    // line 1 `"2025年 住院结算清单` (a quote never closed) · 2 "制表：医保办" · 3 empty · 4 header · 5 Q1 ·
    // 6–7 Q2 (diag_names over two lines) · 8 Q3 (age -1: E_RANGE) · 9 Q1 again (exact duplicate of line 5)
    const text = [
      '"2025年 住院结算清单',
      '制表：医保办',
      '',
      HEADER,
      line(validCase({ setl_id: 'Q1' })),
      line(validCase({ setl_id: 'Q2', diag_names: '急性阑尾炎\n（第二行）|高血压' })),
      line(validCase({ setl_id: 'Q3', age: '-1' })),
      line(validCase({ setl_id: 'Q1' })),
    ];
    const { report, lines, stored } = await ingest(tmp.file('quote-title.csv', `${text.join('\n')}\n`));
    expect(report.reader).toBe('node');
    expect(report.header).toEqual({
      row: 4,
      above: [
        { row: 1, text: '"2025年 住院结算清单' },
        { row: 2, text: '制表：医保办' },
      ],
    });
    expect([report.read, report.accepted, report.rejected]).toEqual([4, 2, 2]);
    expect([...new Set(lines.map((l) => `${l.qc_row} ${l.qc_setl_id}`))]).toEqual(['8 Q3', '9 Q1']);
    const dup = lines.find((l) => l.qc_code === 'E_DUPLICATE_IN_FILE')!;
    expect(dup.qc_message_zh).toBe('与第 5 行完全重复（结算ID Q1）');
    expect(stored).toEqual(['Q1', 'Q2']);
  });

  it('a header on line 1 is read as before (no rows skipped)', async () => {
    const text = [HEADER, line(validCase({ setl_id: 'H1' }))];
    const { report } = await ingest(tmp.file('plain.csv', `${text.join('\n')}\n`));
    expect([report.reader, report.accepted]).toEqual(['duckdb', 1]);
    expect(report.header).toEqual({ row: 1, above: [] });
  });
});

describe('R-DATA-1 XLSX: a title row and a blank row above the header', () => {
  it('title on row 1 (merged across), blank row 2, header row 3: the bad case on row 5 is row 5', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('结算清单');
    // row 1 title (merged A1:E1) · 2 empty · 3 header · 4 X1 · 5 X2 (sex 3)
    ws.getCell('A1').value = '2025年住院结算清单';
    ws.mergeCells('A1:E1');
    ws.getRow(3).values = COLUMNS;
    ws.getRow(4).values = COLUMNS.map((c) => validCase({ setl_id: 'X1' })[c]!);
    ws.getRow(5).values = COLUMNS.map((c) => validCase({ setl_id: 'X2', gend: '3' })[c]!);
    const file = `${tmp.path}/title.xlsx`;
    await wb.xlsx.writeFile(file);
    const { report, lines, stored } = await ingest(file);
    expect(report.header).toEqual({ row: 3, above: [{ row: 1, text: '2025年住院结算清单' }] });
    expect([report.read, report.accepted, report.rejected]).toEqual([2, 1, 1]);
    expect(lines.map((l) => [l.qc_row, l.qc_setl_id, l.qc_code])).toEqual([['5', 'X2', 'E_CODE_INVALID']]);
    expect(stored).toEqual(['X1']);
  });
});

describe('R-DATA-1 no row holds every required column: the closest row is named with what it lacks', () => {
  it('XLSX: title row 1, header row 2 without age (病人岁数 is not a name the reader knows)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    const cols = COLUMNS.map((c) => (c === 'age' ? '病人岁数' : c));
    ws.getCell('A1').value = '2025年住院结算清单';
    ws.getRow(2).values = cols;
    ws.getRow(3).values = COLUMNS.map((c) => validCase()[c]!);
    const file = `${tmp.path}/no-age.xlsx`;
    await wb.xlsx.writeFile(file);
    const err = await failure(file);
    expect(err.code).toBe('E_HEADER_MISSING');
    expect(err.zh).toBe(
      '前 20 行中没有含全部必填列的表头行；最接近的是第 2 行，缺少必填列：age（年龄(岁)）；' +
        '该行未识别（已忽略）的列："病人岁数"；可用 --columns 文件列名=age 对应',
    );
    expect(err.en).toBe(
      'no row among the first 20 holds every required column (the header); the closest, row 2, lacks: age (age in years); ' +
        'its unrecognised (ignored) columns: "病人岁数"; map one with --columns FILE_NAME=age',
    );
  });

  it('CSV: the header on line 21 is past the search — the closest of lines 1–20 is named', async () => {
    // lines 1–20: notes ("说明 1" … "说明 20"), the first two of them with setl_id and psn_no in a second cell
    // (2 required columns each; line 1 is the first of the closest) · 21 header · 22 a case
    const notes = Array.from({ length: 20 }, (_, i) => (i < 2 ? `说明 ${i + 1},setl_id,psn_no` : `说明 ${i + 1}`));
    const file = tmp.file('late.csv', `${[...notes, HEADER, line(validCase())].join('\n')}\n`);
    const err = await failure(file);
    expect(err.code).toBe('E_HEADER_MISSING');
    expect(err.zh).toMatch(/^前 20 行中没有含全部必填列的表头行；最接近的是第 1 行，缺少必填列：mdtrt_id（/);
    expect(err.zh).not.toContain('setl_id（');
  });

  it('CSV: twenty blank lines, the header on line 21 — no header found (not "the file is empty")', async () => {
    const file = tmp.file('late-blank.csv', `${'\n'.repeat(20)}${HEADER}\n${line(validCase())}\n`);
    const err = await failure(file);
    expect([err.code, err.en]).toEqual([
      'E_HEADER_MISSING',
      'the first 20 rows are blank, so no header was found; the header must be within the first 20 rows',
    ]);
  });

  it('XLSX: twenty blank rows, the header on row 21 — no header found', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.getRow(21).values = COLUMNS;
    ws.getRow(22).values = COLUMNS.map((c) => validCase()[c]!);
    const file = `${tmp.path}/late.xlsx`;
    await wb.xlsx.writeFile(file);
    const err = await failure(file);
    expect([err.code, err.zh]).toEqual(['E_HEADER_MISSING', '前 20 行都是空行，没有找到表头；表头应在前 20 行内']);
  });
});
