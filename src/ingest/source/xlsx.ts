/**
 * XLSX → staging table. exceljs's streaming reader (the workbook is never held in memory) reads the first
 * worksheet (or `--sheet`); the header is the first of its first 20 rows that holds every required column
 * (header.ts `HeaderSearch`), so title rows above it ("2025年住院结算清单", a blank row) are skipped and reported.
 * Cells become text: numbers by their shortest round-trip decimal (what the cell shows, e.g. 1234.56), dates as
 * ISO text, formulas by their result. `_row` is the row number of the sheet, as the spreadsheet shows it (the
 * header is usually row 1, so the first record is row 2; empty rows are skipped but keep their numbers).
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { ColumnSpec } from '../../model/columns.ts';
import { IngestFileError } from '../errors.ts';
import { scanFile } from './encoding.ts';
import { type FoundHeader, HeaderSearch } from './header.ts';
import { NormalisedCsvWriter, type SourceProblem } from './normalised-csv.ts';
import type { StageResult, StageTarget } from './stage.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The text of a cell value as exceljs reads it. */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) {
    // exceljs turns Excel date serials into Dates at UTC.
    const d = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const h = v.getUTCHours();
    const m = v.getUTCMinutes();
    const s = v.getUTCSeconds();
    return h || m || s ? `${d} ${pad(h)}:${pad(m)}:${pad(s)}` : d;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
    if ('formula' in o || 'sharedFormula' in o) return null;
  }
  return String(v);
}

/** Excel's column letters of a 1-based column number. */
function columnLetters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * A cell whose value cannot be trusted: a formula error (#DIV/0!, #N/A …) or a formula without a stored
 * result (E_XLSX_FORMULA), or an identifier already stored as a number beyond 2^53 — Excel keeps 15 significant
 * digits, so the id has been rounded and the true one cannot be recovered (E_ID_ROUNDED).
 */
export function cellProblem(v: unknown, col: ColumnSpec | undefined, address: string): SourceProblem | undefined {
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    const result = 'result' in o ? o.result : undefined;
    const error =
      'error' in o
        ? String(o.error)
        : result !== null && typeof result === 'object' && result !== undefined && 'error' in result
          ? String((result as { error: unknown }).error)
          : undefined;
    const formula = typeof o.formula === 'string' ? `=${o.formula}` : '';
    if (error !== undefined) {
      return {
        code: 'E_XLSX_FORMULA',
        field: col?.name ?? '',
        zh: `单元格 ${address} ${formula ? `的公式 ${formula} ` : ''}出错：${error}；请在表格中修正后重新导出`,
        en: `cell ${address}${formula ? ` (formula ${formula})` : ''} holds the error ${error}; fix it in the workbook`,
      };
    }
    if (('formula' in o || 'sharedFormula' in o) && (result === undefined || result === null)) {
      return {
        code: 'E_XLSX_FORMULA',
        field: col?.name ?? '',
        zh: `单元格 ${address} 的公式 ${formula} 没有保存的结果（公式出错或未计算）；请在表格中计算并保存，或粘贴为数值`,
        en: `cell ${address} has the formula ${formula} but no stored result (an error, or never calculated); recalculate and save, or paste as values`,
      };
    }
  }
  const isId = col !== undefined && (col.type === 'text' || col.type === 'code' || col.type === 'code-list');
  if (isId && typeof v === 'number' && Number.isFinite(v) && Math.abs(v) > Number.MAX_SAFE_INTEGER) {
    return {
      code: 'E_ID_ROUNDED',
      field: col.name,
      zh: `单元格 ${address} 的 ${col.name}（${col.zh}）以数字保存且超过 2^53（${String(v)}），已被表格软件舍入，无法还原；请将该列设为文本格式后重新导出`,
      en: `cell ${address}: ${col.name} is stored as a number beyond 2^53 (${String(v)}), so the spreadsheet has rounded it and the true id is lost; format the column as text and export again`,
    };
  }
  return undefined;
}

export async function stageXlsx(t: StageTarget): Promise<StageResult> {
  const scan = await scanFile(t.file);
  const names = t.columns.map((c) => c.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const out = new NormalisedCsvWriter(join(t.tmpDir, 'normalised.csv'), names);
  let match: FoundHeader | undefined;
  const search = new HeaderSearch(t.file, t.columns, t.aliases ?? {});
  let found = false;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(t.file, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
    });
    for await (const sheet of reader) {
      const ws = sheet as unknown as { name?: string } & AsyncIterable<ExcelJS.Row>;
      if (found || (t.sheet !== undefined && ws.name !== t.sheet)) {
        for await (const _ of ws) {
          // drain the sheets we do not read
        }
        continue;
      }
      found = true;
      for await (const row of ws) {
        const rawValues = (row.values as unknown[]).slice(1);
        const values = rawValues.map(cellText);
        if (values.every((v) => v === null || v.trim() === '')) continue;
        if (!match) {
          match = search.offer({ row: row.number, cells: values.map((v) => v ?? '') });
          continue;
        }
        const staged: (string | null)[] = names.map(() => null);
        let problem: SourceProblem | undefined;
        values.forEach((v, i) => {
          const name = match!.byPosition[i];
          if (name !== undefined) {
            staged[index.get(name)!] = v;
            problem ??= cellProblem(rawValues[i], byName.get(name), `${columnLetters(i + 1)}${row.number}`);
          }
        });
        await out.write(row.number, staged, problem);
      }
    }
  } catch (e) {
    await out.close();
    if (e instanceof IngestFileError) throw e;
    throw new IngestFileError(
      'E_XLSX',
      t.file,
      `无法读取 XLSX 文件：${(e as Error).message}`,
      `cannot read the XLSX file: ${(e as Error).message}`,
    );
  }
  await out.close();
  if (!match) {
    if (found) search.fail();
    throw new IngestFileError(
      'E_EMPTY_FILE',
      t.file,
      t.sheet && !found ? `没有名为 "${t.sheet}" 的工作表` : '工作表为空，没有表头',
      t.sheet && !found ? `no worksheet named "${t.sheet}"` : 'the worksheet is empty (no header row)',
    );
  }
  await t.conn.run(`CREATE TEMP TABLE ${t.table} AS SELECT * FROM ${NormalisedCsvWriter.readCsvSql(out.path, names)}`);
  return {
    rows: out.rows,
    format: 'xlsx',
    present: match.present,
    ignored: match.ignored,
    header: { row: match.row, above: match.above },
    reader: 'node',
    sha256: scan.sha256,
    bytes: scan.bytes,
  };
}
