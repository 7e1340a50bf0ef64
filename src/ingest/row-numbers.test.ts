/**
 * R-DATA-1 a reject names the row where the user finds it. CSV: the line of the file as an editor numbers it (the
 * header is line 1; blank lines and the lines of a quoted field that spans lines count). XLSX: the sheet's row.
 * Parquet and JSON have no header line: the record number, said 第 N 条记录 / record N. Every file here is made by
 * hand and its lines counted in the comments; the rejects file, the store's rejects (readRejects), the report's
 * examples and the duplicate messages all give the same number.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { type IngestReport, ingestFile } from './pipeline.ts';
import { memoryStore, type Row, tempDir, validCase } from './testing.ts';

const tmp = tempDir('yibao-rows-');
afterAll(() => tmp.remove());

const COLUMNS = Object.keys(validCase());
const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const line = (r: Row) => COLUMNS.map((c) => quote(r[c] ?? '')).join(',');
const HEADER = COLUMNS.join(',');

/** Ingest `file` with a rejects file; the report, the rejects file's lines and the store's rejects of `key`. */
async function ingest(file: string, key: string) {
  const store = await memoryStore();
  const rejectsFile = `${file}.rejects.csv`;
  const report = await ingestFile(store, { kind: 'cases', file, rejectsFile });
  const lines = parse(readFileSync(rejectsFile, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  const stored = await store.readRejects('cases', key);
  await store.close();
  return { report, lines, stored };
}

/** The distinct (row, key) pairs of the rejects file's lines, in file order (a row failing several checks once). */
const rowsOf = (lines: readonly Record<string, string>[], column = 'qc_row') => [
  ...new Map(lines.map((l) => [`${l[column]}|${l.qc_setl_id}`, [l[column], l.qc_setl_id]])).values(),
];

const places = (r: IngestReport) =>
  Object.fromEntries(Object.entries(r.rejectExamples).map(([code, ex]) => [code, ex.row]));

describe('R-DATA-1 CSV: the row is the editor’s line (header = line 1)', () => {
  for (const [name, nl] of [
    ['LF', '\n'],
    ['CR LF', '\r\n'],
  ] as const) {
    it(`${name}, one record per line (DuckDB’s reader): the third case is line 4`, async () => {
      // line 1 header · 2 A1 · 3 A2 · 4 A3 (sex 3: E_CODE_INVALID) · trailing blank lines do not matter
      const rows = [
        HEADER,
        line(validCase({ setl_id: 'A1' })),
        line(validCase({ setl_id: 'A2' })),
        line(validCase({ setl_id: 'A3', gend: '3' })),
      ];
      const file = tmp.file(`one-per-line-${name.replace(' ', '')}.csv`, `${rows.join(nl)}${nl}${nl}${nl}`);
      const { report, lines, stored } = await ingest(file, 'A3');
      expect(report.reader).toBe('duckdb');
      expect(report.rowUnit).toBe('row');
      expect(lines.map((l) => [l.qc_row, l.qc_setl_id, l.qc_code])).toEqual([['4', 'A3', 'E_CODE_INVALID']]);
      expect(places(report)).toEqual({ E_CODE_INVALID: 4 });
      expect(stored.map((s) => [s.row, s.unit, s.code])).toEqual([[4, 'row', 'E_CODE_INVALID']]);
    });
  }

  for (const [name, nl] of [
    ['LF', '\n'],
    ['CR LF', '\r\n'],
  ] as const) {
    it(`${name}: a blank line and a quoted field over two lines count as lines (Node’s reader)`, async () => {
      // line 1 header · 2 B1 · 3 blank · 4–5 B2 (diag_names spans two lines) · 6 B3 (sex 3) · 7 blank ·
      // 8–9 B4 (principal diagnosis name over two lines, age -1) · 10 B5 = B1 again (exact duplicate of line 2)
      const text = [
        HEADER,
        line(validCase({ setl_id: 'B1' })),
        '',
        line(validCase({ setl_id: 'B2', diag_names: `急性阑尾炎${nl}（第二行）|高血压` })),
        line(validCase({ setl_id: 'B3', gend: '3' })),
        '',
        line(validCase({ setl_id: 'B4', age: '-1', diag_names: `阑尾炎${nl}续|高血压` })),
        line(validCase({ setl_id: 'B1' })),
      ].join(nl);
      const { report, lines, stored } = await ingest(
        tmp.file(`multi-${name}.csv`.replace(' ', ''), `${text}${nl}`),
        'B3',
      );
      expect(report.reader).toBe('node');
      expect([report.read, report.accepted, report.rejected]).toEqual([5, 2, 3]);
      expect(rowsOf(lines)).toEqual([
        ['6', 'B3'],
        ['8', 'B4'],
        ['10', 'B1'],
      ]);
      const dup = lines.find((l) => l.qc_code === 'E_DUPLICATE_IN_FILE')!;
      expect([dup.qc_row, dup.qc_message_zh]).toEqual(['10', '与第 2 行完全重复（结算ID B1）']);
      expect(dup.qc_message_en).toBe('exact duplicate of row 2 (setl_id B1)');
      expect(places(report)).toMatchObject({ E_CODE_INVALID: 6, E_RANGE: 8, E_DUPLICATE_IN_FILE: 10 });
      expect(stored.map((s) => [s.row, s.unit])).toEqual([[6, 'row']]);
    });
  }

  it('a record the reader cannot split (unbalanced quote) is at the line it starts on', async () => {
    // line 1 header · 2 C1 · 3 C2 cut short (E_CSV_SHAPE) · 4 C3 (age 200: E_RANGE)
    const cut = line(validCase({ setl_id: 'C2' }))
      .split(',')
      .slice(0, 3)
      .join(',');
    const text = [HEADER, line(validCase({ setl_id: 'C1' })), cut, line(validCase({ setl_id: 'C3', age: '200' }))];
    const { report, lines } = await ingest(tmp.file('cut.csv', `${text.join('\r\n')}\r\n`), 'C2');
    expect(report.reader).toBe('node');
    expect(rowsOf(lines)).toEqual([
      ['3', 'C2'],
      ['4', 'C3'],
    ]);
    expect(places(report)).toMatchObject({ E_CSV_SHAPE: 3, E_RANGE: 4 });
  });

  it('GBK: the line is counted the same (decoded to UTF-8 first)', async () => {
    // line 1 header · 2 G1 · 3 G2 (sex 3) — then the same with a blank line 3 (G2 on line 4)
    const rows = [HEADER, line(validCase({ setl_id: 'G1' })), line(validCase({ setl_id: 'G2', gend: '3' }))];
    const plain = await ingest(tmp.file('gbk.csv', iconv.encode(`${rows.join('\n')}\n`, 'gbk')), 'G2');
    expect([plain.report.encoding, plain.report.reader]).toEqual(['gb18030', 'duckdb']);
    expect(plain.lines.map((l) => [l.qc_row, l.qc_setl_id])).toEqual([['3', 'G2']]);
    const spaced = [rows[0], rows[1], '', rows[2]].join('\r\n');
    const gap = await ingest(tmp.file('gbk-gap.csv', iconv.encode(`${spaced}\r\n`, 'gbk')), 'G2');
    expect([gap.report.encoding, gap.report.reader]).toEqual(['gb18030', 'node']);
    expect(gap.lines.map((l) => [l.qc_row, l.qc_setl_id])).toEqual([['4', 'G2']]);
    expect(gap.stored.map((s) => [s.row, s.unit])).toEqual([[4, 'row']]);
  });
});

describe('R-DATA-1 XLSX: the row is the sheet’s row', () => {
  it('the header on row 2 under an empty row 1, an empty row 4: the bad case on row 5 is row 5', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('结算清单');
    // row 1: empty (a spreadsheet may leave space above the table) · 2 header · 3 X1 · 4 empty · 5 X2 (sex 3)
    ws.getRow(2).values = COLUMNS;
    ws.getRow(3).values = COLUMNS.map((c) => validCase({ setl_id: 'X1' })[c]!);
    ws.getRow(5).values = COLUMNS.map((c) => validCase({ setl_id: 'X2', gend: '3' })[c]!);
    const file = `${tmp.path}/sheet.xlsx`;
    await wb.xlsx.writeFile(file);
    const { report, lines, stored } = await ingest(file, 'X2');
    expect(report.rowUnit).toBe('row');
    expect(lines.map((l) => [l.qc_row, l.qc_setl_id, l.qc_code])).toEqual([['5', 'X2', 'E_CODE_INVALID']]);
    expect(stored.map((s) => [s.row, s.unit])).toEqual([[5, 'row']]);
  });
});

describe('R-DATA-1 Parquet: the record number (no header line)', () => {
  it('the third record is record 3, said 第 3 条记录 / record 3, in the column qc_record', async () => {
    const store = await memoryStore();
    const csv = tmp.file(
      'pq-src.csv',
      `${[HEADER, line(validCase({ setl_id: 'P1' })), line(validCase({ setl_id: 'P2', gend: '3' })), line(validCase({ setl_id: 'P1' }))].join('\n')}\n`,
    );
    const file = `${tmp.path}/records.parquet`;
    await store.connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${file}' (FORMAT parquet)`,
    );
    await store.close();
    // record 1 P1 · 2 P2 (sex 3) · 3 P1 again (exact duplicate of record 1)
    const { report, lines, stored } = await ingest(file, 'P2');
    expect(report.rowUnit).toBe('record');
    expect(lines.map((l) => [l.qc_record, l.qc_setl_id, l.qc_code])).toEqual([
      ['2', 'P2', 'E_CODE_INVALID'],
      ['3', 'P1', 'E_DUPLICATE_IN_FILE'],
    ]);
    expect(lines[0]!.qc_row).toBeUndefined();
    expect(lines[1]!.qc_message_zh).toBe('与第 1 条记录完全重复（结算ID P1）');
    expect(lines[1]!.qc_message_en).toBe('exact duplicate of record 1 (setl_id P1)');
    expect(places(report)).toEqual({ E_CODE_INVALID: 2, E_DUPLICATE_IN_FILE: 3 });
    expect(stored.map((s) => [s.row, s.unit])).toEqual([[2, 'record']]);
  });
});
