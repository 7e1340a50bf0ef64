/**
 * XLSX → staging table. exceljs's streaming reader (the workbook is never held in memory) reads the sheet that
 * holds the header (or `--sheet`; see `stageXlsx`); the header is the first of its first 20 rows that holds every required column
 * (header.ts `HeaderSearch`), so title rows above it ("2025年住院结算清单", a blank row) are skipped and reported.
 * Cells become text: numbers by their shortest round-trip decimal (what the cell shows, e.g. 1234.56), dates as
 * ISO text, formulas by their result. `_row` is the row number of the sheet, as the spreadsheet shows it (the
 * header is usually row 1, so the first record is row 2; empty rows are skipped but keep their numbers).
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { ColumnSpec } from '../../model/columns.ts';
import { xlsxProblem, xlsxProblemKind } from '../../tables/xlsx-problem.ts';
import { IngestFileError } from '../errors.ts';
import { scanFile } from './encoding.ts';
import { type FoundHeader, HEADER_SEARCH_ROWS, HeaderSearch } from './header.ts';
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

/** A worksheet as exceljs's streaming reader gives it: its name and its rows. */
type SheetRows = { name?: string } & AsyncIterable<ExcelJS.Row>;

/** A row's cells as text (cellText), and whether all of them are empty. */
function rowCells(row: ExcelJS.Row): { raw: unknown[]; values: (string | null)[]; empty: boolean } {
  const raw = (row.values as unknown[]).slice(1);
  const values = raw.map(cellText);
  return { raw, values, empty: values.every((v) => v === null || v.trim() === '') };
}

/**
 * Whether a sheet after the one read also holds a header (a row with every required column among its first
 * HEADER_SEARCH_ROWS rows): then which sheet holds the data is not clear. Reads the whole sheet (the stream must be
 * drained).
 */
async function alsoHasHeader(ws: SheetRows, t: StageTarget): Promise<boolean> {
  const search = new HeaderSearch(t.file, t.columns, t.aliases ?? {});
  let found = false;
  for await (const row of ws) {
    if (found || row.number > HEADER_SEARCH_ROWS) continue;
    const { values, empty } = rowCells(row);
    if (empty) continue;
    try {
      found = search.offer({ row: row.number, cells: values.map((v) => v ?? '') }) !== undefined;
    } catch {
      // A row with every required column whose header has a problem: a header all the same.
      found = true;
    }
  }
  return found;
}

const quoteList = (names: readonly string[], lang: 'zh' | 'en') =>
  names.map((n) => (lang === 'zh' ? `“${n}”` : `"${n}"`)).join(lang === 'zh' ? '、' : ', ');

/**
 * XLSX → staging table. The sheet read is `--sheet`, or else the first sheet whose first HEADER_SEARCH_ROWS rows
 * hold the header (every required column): a notes sheet before the data (填表说明) is passed over (walk7 5). When a
 * later sheet holds a header too, which one is the data is not clear: the file stops, listing the sheets and
 * naming --sheet; so does a workbook where no sheet holds the header (with what the closest sheet lacks) and a
 * --sheet the workbook does not have. The sheet read is reported (`sheet`), with the sheets not read.
 */
export async function stageXlsx(t: StageTarget): Promise<StageResult> {
  // A file that is no workbook at all (a CSV renamed, a .xls, encrypted, cut short) is said so before exceljs reads it.
  if (xlsxProblemKind(t.file) !== undefined) {
    const p = xlsxProblem(t.file);
    throw new IngestFileError('E_XLSX', t.file, p.zh, p.en);
  }
  const scan = await scanFile(t.file);
  const names = t.columns.map((c) => c.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const out = new NormalisedCsvWriter(join(t.tmpDir, 'normalised.csv'), names);
  let match: FoundHeader | undefined;
  /** Every sheet's name, in workbook order; the one read; sheets searched without a header; later ones with one. */
  const sheets: string[] = [];
  let chosen: string | undefined;
  const searched: SearchedSheet[] = [];
  const alsoHeader: string[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(t.file, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
    });
    for await (const sheet of reader) {
      const ws = sheet as unknown as SheetRows;
      const name = ws.name ?? `Sheet${sheets.length + 1}`;
      sheets.push(name);
      if (chosen !== undefined && t.sheet === undefined) {
        if (await alsoHasHeader(ws, t)) alsoHeader.push(name);
        continue;
      }
      if (chosen !== undefined || (t.sheet !== undefined && name !== t.sheet)) {
        for await (const _ of ws) {
          // drain the sheets we do not read
        }
        continue;
      }
      const search = new HeaderSearch(t.file, t.columns, t.aliases ?? {});
      let late: IngestFileError | undefined;
      for await (const row of ws) {
        const { raw: rawValues, values, empty } = rowCells(row);
        if (empty) continue;
        if (!match) {
          // Past the search rows without a header: this sheet is not the data (the rest is drained). The search
          // says why (the closest row, or that the rows above were blank).
          if (row.number > HEADER_SEARCH_ROWS) {
            if (!late) late = refusal(() => search.offer({ row: row.number, cells: [] }));
            continue;
          }
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
      if (match) chosen = name;
      else searched.push({ name, search, ...(late ? { late } : {}) });
    }
  } catch (e) {
    await out.close();
    if (e instanceof IngestFileError) throw inSheet(e, sheets);
    const p = xlsxProblem(t.file, e);
    throw new IngestFileError('E_XLSX', t.file, p.zh, p.en);
  }
  await out.close();
  if (t.sheet !== undefined && !sheets.includes(t.sheet)) {
    throw new IngestFileError(
      'E_SHEET_MISSING',
      t.file,
      `没有名为 "${t.sheet}" 的工作表；工作簿中的工作表：${quoteList(sheets, 'zh')}；请用 --sheet 指定其中之一`,
      `no worksheet named "${t.sheet}"; the workbook's sheets: ${quoteList(sheets, 'en')}; name one of them with --sheet`,
    );
  }
  if (!match || chosen === undefined) throw noHeader(t, sheets, searched);
  if (alsoHeader.length > 0) {
    const both = [chosen, ...alsoHeader];
    throw new IngestFileError(
      'E_SHEET_AMBIGUOUS',
      t.file,
      `工作簿中有 ${both.length} 个工作表含表头（${quoteList(both, 'zh')}），不清楚读取哪一个；每次导入一个工作表，请用 --sheet 指定，如 --sheet "${chosen}"`,
      `${both.length} sheets of the workbook hold a header (${quoteList(both, 'en')}), so which one to read is not clear; ingest one sheet at a time, naming it with --sheet, e.g. --sheet "${chosen}"`,
    );
  }
  await t.conn.run(`CREATE TEMP TABLE ${t.table} AS SELECT * FROM ${NormalisedCsvWriter.readCsvSql(out.path, names)}`);
  return {
    rows: out.rows,
    format: 'xlsx',
    present: match.present,
    ignored: match.ignored,
    names: match.names,
    header: { row: match.row, above: match.above, ...(match.top !== undefined ? { top: match.top } : {}) },
    sheet: { name: chosen, others: sheets.filter((n) => n !== chosen) },
    reader: 'node',
    sha256: scan.sha256,
    bytes: scan.bytes,
  };
}

/** A header problem of the sheet being read, in a workbook of several sheets: the message names the sheet. */
function inSheet(e: IngestFileError, sheets: readonly string[]): IngestFileError {
  const name = sheets[sheets.length - 1];
  if (sheets.length < 2 || name === undefined || !e.code.startsWith('E_HEADER')) return e;
  return new IngestFileError(e.code, e.file, `工作表“${name}”：${e.zh}`, `sheet "${name}": ${e.en}`);
}

/**
 * No sheet holds the header: with one sheet (or --sheet), that sheet's closest row and what it lacks (HeaderSearch);
 * with several, the sheets are listed, the closest sheet says what it lacks, and --sheet is named.
 */
/** A sheet searched for the header without finding it; `late`: why, when rows past the search rows were met. */
interface SearchedSheet {
  name: string;
  search: HeaderSearch;
  late?: IngestFileError;
}

/** The IngestFileError `f` throws, or undefined when it returns. */
function refusal(f: () => unknown): IngestFileError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof IngestFileError) return e;
    throw e;
  }
  return undefined;
}

function noHeader(t: StageTarget, sheets: readonly string[], searched: readonly SearchedSheet[]): IngestFileError {
  const empty = new IngestFileError(
    'E_EMPTY_FILE',
    t.file,
    sheets.length > 1 ? `工作簿的工作表（${quoteList(sheets, 'zh')}）都是空的，没有表头` : '工作表为空，没有表头',
    sheets.length > 1
      ? `every sheet of the workbook (${quoteList(sheets, 'en')}) is empty (no header row)`
      : 'the worksheet is empty (no header row)',
  );
  const closest = [...searched]
    .filter((s) => s.search.closestScore !== undefined || s.late)
    .sort((a, b) => compareScores(b.search.closestScore ?? [], a.search.closestScore ?? []))[0];
  if (!closest) return empty;
  const reason = closest.late ?? refusal(() => closest.search.fail());
  if (!reason) return empty;
  if (sheets.length < 2) return reason;
  if (t.sheet !== undefined) {
    const others = sheets.filter((n) => n !== t.sheet);
    return new IngestFileError(
      reason.code,
      t.file,
      `工作表“${t.sheet}”：${reason.zh}。工作簿中的其他工作表：${quoteList(others, 'zh')}`,
      `sheet "${t.sheet}": ${reason.en}. The workbook's other sheets: ${quoteList(others, 'en')}`,
    );
  }
  return new IngestFileError(
    reason.code,
    t.file,
    `工作簿的 ${sheets.length} 个工作表（${quoteList(sheets, 'zh')}）都没有含全部必填列的表头；最接近的是工作表“${closest.name}”：${reason.zh}。如数据在某个工作表中，请用 --sheet 工作表名 指定`,
    `none of the workbook's ${sheets.length} sheets (${quoteList(sheets, 'en')}) holds a header with every required column; the closest is sheet "${closest.name}": ${reason.en}. If the data is on one of the sheets, name it with --sheet SHEET`,
  );
}

/** Lexicographic comparison of two header scores (HeaderSearch.closestScore). */
function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
