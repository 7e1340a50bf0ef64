/**
 * Matching a file's header to the column contract (src/model/columns.ts). A header cell matches a column by its
 * 4101 name (case-insensitive, so Oracle's SETL_ID works), by its Chinese label (结算ID) or the label's short form
 * (年龄), by an accepted alias of `COLUMN_ALIASES` (性别, 主要诊断 …), or by a mapping the user gives
 * (`--columns NAME=COLUMN`; `NAME=-` ignores a column). A header cell that resembles a column the file lacks (a
 * listed variant such as oprn_codes, or a name a typo away) stops the file with "did you mean", so no column is
 * dropped silently; other unknown columns are ignored and reported. A required column that is missing fails
 * the file, listing the headers that were ignored.
 */
import { acceptedNames, COLUMN_ALIASES, type ColumnSpec, isColumnUnit, splitUnit } from '../../model/columns.ts';
import { IngestFileError } from '../errors.ts';
import { isRejectsColumn } from '../rejects-columns.ts';

export interface HeaderMatch {
  /** For each header position, the contract column it fills, or undefined. */
  byPosition: (string | undefined)[];
  /** Contract columns present. */
  present: string[];
  /** Header cells that match no column. */
  ignored: string[];
  /** Each present contract column's header cell as the file writes it (统筹基金支付 for hifp_pay), for messages. */
  names: Record<string, string>;
}

/** A user's mapping of header names: file name → contract column, or '-' to ignore the column. */
export type ColumnMap = Readonly<Record<string, string>>;

/** The value of `--columns` that ignores a file's column. */
export const IGNORE_COLUMN = '-';

const norm = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** For resemblance: lower case, letters, digits and CJK only. */
const squash = (s: string) => norm(s).replace(/[^\p{L}\p{N}]/gu, '');

/** Levenshtein distance (small strings). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The column an unknown header cell most likely means, among `candidates`, or undefined. */
export function resembles(cell: string, candidates: readonly ColumnSpec[]): ColumnSpec | undefined {
  const s = squash(cell);
  if (s.length < 2) return undefined;
  let best: { col: ColumnSpec; d: number } | undefined;
  for (const col of candidates) {
    const names = [...acceptedNames(col), ...(COLUMN_ALIASES[col.name]?.resembles ?? [])];
    if ((COLUMN_ALIASES[col.name]?.resembles ?? []).some((r) => squash(r) === s)) return col;
    for (const n of names) {
      const t = squash(n);
      if (t.length < 2) continue;
      const d = editDistance(s, t);
      // A typo: one edit in a short name, two in a longer one (Chinese names are short: one edit).
      const allowed = /^[a-z0-9]+$/.test(t) ? (t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0) : t.length >= 3 ? 1 : 0;
      if (d <= allowed && (!best || d < best.d)) best = { col, d };
    }
  }
  return best?.col;
}

/** The contract column each header cell fills, by the column names and aliases (and the user's mapping); no checks. */
function headerTargets(
  header: readonly string[],
  columns: readonly ColumnSpec[],
  aliases: ColumnMap,
): { target: string | undefined; ignoredByUser: boolean }[] {
  const lookup = new Map<string, string>();
  const claim = (name: string, target: string) => {
    if (!lookup.has(norm(name))) lookup.set(norm(name), target);
  };
  // The contract's own names first, then Chinese labels, then short forms and aliases.
  for (const c of columns) claim(c.name, c.name);
  for (const c of columns) claim(c.zh, c.name);
  for (const c of columns) for (const n of acceptedNames(c)) claim(n, c.name);
  const userMap = new Map(Object.entries(aliases).map(([a, target]) => [norm(a), target]));
  const byName = new Map(columns.map((c) => [c.name, c]));
  /** A name with a unit suffix matches the column of the name alone when the unit is the column's (walk7 6). */
  const withUnit = (cell: string): string | undefined => {
    const split = splitUnit(cell);
    if (!split) return undefined;
    const target = lookup.get(split.base);
    return target !== undefined && isColumnUnit(byName.get(target)!, split.unit) ? target : undefined;
  };
  return header.map((cell) => {
    const mapped = userMap.get(norm(cell));
    if (mapped === IGNORE_COLUMN) return { target: undefined, ignoredByUser: true };
    return { target: mapped ?? lookup.get(norm(cell)) ?? withUnit(cell), ignoredByUser: false };
  });
}

/**
 * Where a header row was found, for the messages of `matchHeader`: its row (as the user numbers it) and, when no
 * row qualified, that this row is only the closest candidate of the search (see `HeaderSearch`).
 */
export interface HeaderPlace {
  row: number;
  closest?: boolean;
  /** A two-row header (group cells over sub-headers): its first row; `row` is its second. */
  top?: number;
}

export function matchHeader(
  file: string,
  header: readonly string[],
  columns: readonly ColumnSpec[],
  aliases: ColumnMap = {},
  place?: HeaderPlace,
): HeaderMatch {
  const byPosition: (string | undefined)[] = [];
  const present: string[] = [];
  const ignored: string[] = [];
  const names: Record<string, string> = {};
  const unknown: string[] = [];
  // A header found under title rows says where it is, so the user looks at the right row.
  const at =
    place?.top !== undefined
      ? {
          zh: `表头（第 ${place.top}–${place.row} 行，两行表头）：`,
          en: `header (rows ${place.top}–${place.row}, two rows): `,
        }
      : place && place.row > 1
        ? { zh: `表头（第 ${place.row} 行）：`, en: `header (row ${place.row}): ` }
        : undefined;
  const closestRows = place?.top !== undefined ? `第 ${place.top}–${place.row} 行（两行表头）` : `第 ${place?.row} 行`;
  const closestRowsEn =
    place?.top !== undefined ? `rows ${place.top}–${place.row} (a two-row header)` : `row ${place?.row}`;
  const targets = headerTargets(header, columns, aliases);
  header.forEach((cell, i) => {
    const { target, ignoredByUser } = targets[i]!;
    if (ignoredByUser) {
      ignored.push(cell);
      byPosition.push(undefined);
      return;
    }
    if (target === undefined) {
      ignored.push(cell);
      // The rejects file's own columns (qc_*, 行号、字段、拒收原因…): a corrected rejects file is ingested as it is.
      if (!isRejectsColumn(cell) && norm(cell) !== '') unknown.push(cell);
      byPosition.push(undefined);
      return;
    }
    if (present.includes(target)) {
      throw new IngestFileError(
        'E_HEADER_DUPLICATE',
        file,
        `${at?.zh ?? ''}表头第 ${i + 1} 列 "${cell}" 与前面的列重复（都对应 ${target}）；请删除其中一列，或用 --columns "${cell}=-" 忽略它`,
        `${at?.en ?? ''}header column ${i + 1} "${cell}" repeats an earlier column (both are ${target}); remove one, or ignore it with --columns "${cell}=-"`,
      );
    }
    present.push(target);
    byPosition.push(target);
    names[target] = cell.replace(/^\uFEFF/, '').trim();
  });
  // A column in another unit than the contract's (医疗总费用(万元)) is not mapped by a hint: its values would be read
  // as yuan.
  for (const cell of unknown) {
    const split = splitUnit(cell);
    const target = split ? headerTargets([split.base], columns, {})[0]!.target : undefined;
    const col = target === undefined ? undefined : columns.find((c) => c.name === target);
    if (!split || !col || col.type !== 'money') continue;
    throw new IngestFileError(
      'E_HEADER_UNIT',
      file,
      `${at?.zh ?? ''}列 "${cell}" 的单位是“${split.unit}”，而 ${col.name}（${col.zh}）以元为单位；请在表格中换算为元、列名写作 "${split.base}" 或 "${split.base}(元)" 后重新导出`,
      `${at?.en ?? ''}column "${cell}" is in "${split.unit}", but ${col.name} (${col.en}) is in yuan; convert the column to yuan and name it "${split.base}" or "${split.base}(元)", then export again`,
    );
  }
  const absent = columns.filter((c) => !present.includes(c.name));
  const similar = unknown.flatMap((cell) => {
    const col = resembles(cell, absent);
    return col ? [{ cell, col }] : [];
  });
  if (similar.length > 0) {
    throw new IngestFileError(
      'E_HEADER_SIMILAR',
      file,
      `${at?.zh ?? ''}未识别的列与已知列相近：${similar.map((s) => `"${s.cell}" 是否为 ${s.col.name}（${s.col.zh}）？`).join('；')}` +
        `请用 --columns 指定，例如 --columns "${similar.map((s) => `${s.cell}=${s.col.name}`).join(',')}"` +
        `（不是同一列时用 "${similar[0]!.cell}=-" 忽略）`,
      `${at?.en ?? ''}unknown columns resemble known ones: ${similar.map((s) => `"${s.cell}" — did you mean ${s.col.name} (${s.col.en})?`).join('; ')} ` +
        `Map them with --columns, e.g. --columns "${similar.map((s) => `${s.cell}=${s.col.name}`).join(',')}" ` +
        `(or "${similar[0]!.cell}=-" to ignore a column that is something else)`,
    );
  }
  const missing = columns.filter((c) => c.required && !present.includes(c.name));
  if (missing.length > 0) {
    const seen = ignored.length > 0 ? ignored.map((h) => `"${h}"`).join('、') : '';
    const missingZh = missing.map((c) => `${c.name}（${c.zh}）`).join('、');
    const missingEn = missing.map((c) => `${c.name} (${c.en})`).join(', ');
    throw new IngestFileError(
      'E_HEADER_MISSING',
      file,
      (place?.closest
        ? `前 ${HEADER_SEARCH_ROWS} 行中没有含全部必填列的表头行；最接近的是${closestRows}，缺少必填列：${missingZh}`
        : `${at?.zh ?? ''}缺少必填列：${missingZh}`) +
        (seen
          ? `；${place?.closest ? (place.top !== undefined ? '这两行' : '该行') : '文件中'}未识别（已忽略）的列：${seen}；可用 --columns 文件列名=${missing[0]!.name} 对应`
          : ''),
      (place?.closest
        ? `no row among the first ${HEADER_SEARCH_ROWS} holds every required column (the header); the closest, ${closestRowsEn}, lacks: ${missingEn}`
        : `${at?.en ?? ''}required columns missing: ${missingEn}`) +
        (seen
          ? `; ${place?.closest ? (place.top !== undefined ? 'their' : 'its') : "the file's"} unrecognised (ignored) columns: ${ignored.map((h) => `"${h}"`).join(', ')}; map one with --columns FILE_NAME=${missing[0]!.name}`
          : ''),
    );
  }
  return { byPosition, present, ignored, names };
}

/** How many rows from the top of a CSV or XLSX file may hold the header (title rows above it are skipped). */
export const HEADER_SEARCH_ROWS = 20;

/** A row of a CSV or XLSX file: its number as the editor or spreadsheet shows it, and its cells as text. */
export interface FileRow {
  row: number;
  cells: readonly string[];
}

/** A row above the header that was skipped (a title, a note), with its non-empty cells joined by spaces. */
export interface SkippedRow {
  row: number;
  text: string;
}

/**
 * The header found by `HeaderSearch`: the match, its row, and the non-empty rows above it (skipped). A two-row header
 * (group cells such as 费用（元） merged over sub-headers on the next row) has `top`, its first row; `row` is its second,
 * the row the records follow.
 */
export interface FoundHeader extends HeaderMatch {
  row: number;
  above: SkippedRow[];
  top?: number;
}

/**
 * A two-row header read as one row: each column's name is the lower row's cell (a sub-header under a merged group
 * cell), or the upper row's where the lower is empty (a cell merged down over both rows keeps its text in the upper).
 */
export function twoRowHeader(upper: readonly string[], lower: readonly string[]): string[] {
  return Array.from({ length: Math.max(upper.length, lower.length) }, (_, i) =>
    (lower[i] ?? '').trim() !== '' ? lower[i]! : (upper[i] ?? ''),
  );
}

/**
 * Finding the header of a CSV or XLSX file that may have a title row or two above it ("2025年住院结算清单", a
 * blank row, then the header): the header is the first row within the first HEADER_SEARCH_ROWS whose cells hold
 * every required column of the kind, by the names and aliases `matchHeader` accepts. Rows are offered in file
 * order; blank rows are passed over. When no row qualifies, the error is `matchHeader`'s for the closest row (the
 * most required columns, then the most recognised ones, then the most filled cells; the first of equals), so it
 * names the required columns that row lacks.
 */
export class HeaderSearch {
  private readonly above: SkippedRow[] = [];
  private best: { row: FileRow; score: number[]; top?: number } | undefined;
  /** The last row with text offered, for a header that spans it and the next row. */
  private previous: FileRow | undefined;
  private readonly required: ReadonlySet<string>;

  constructor(
    private readonly file: string,
    private readonly columns: readonly ColumnSpec[],
    private readonly aliases: ColumnMap = {},
  ) {
    this.required = new Set(columns.filter((c) => c.required).map((c) => c.name));
  }

  /**
   * The header, when `r` is it (may throw `matchHeader`'s errors for that row); undefined when `r` is above it.
   * A row past the search rows is never the header: then the closest row's error is thrown (`fail`), or, when
   * every row above was blank, that no header was found.
   */
  offer(r: FileRow): FoundHeader | undefined {
    if (r.row > HEADER_SEARCH_ROWS) {
      this.fail();
      throw new IngestFileError(
        'E_HEADER_MISSING',
        this.file,
        `前 ${HEADER_SEARCH_ROWS} 行都是空行，没有找到表头；表头应在前 ${HEADER_SEARCH_ROWS} 行内`,
        `the first ${HEADER_SEARCH_ROWS} rows are blank, so no header was found; the header must be within the first ${HEADER_SEARCH_ROWS} rows`,
      );
    }
    const text = r.cells
      .map((c) => c.trim())
      .filter((c) => c !== '')
      .join(' ');
    if (text === '') return undefined;
    const alone = this.score(r.cells);
    if (alone[0] === this.required.size) {
      const match = matchHeader(this.file, r.cells, this.columns, this.aliases, { row: r.row });
      return { ...match, row: r.row, above: this.above };
    }
    // A two-row header: group cells (费用（元）) merged over sub-headers on this row (walk7 8).
    const upper = this.previous?.row === r.row - 1 ? this.previous : undefined;
    const cells = upper ? twoRowHeader(upper.cells, r.cells) : undefined;
    const both = cells ? this.score(cells) : undefined;
    if (upper && cells && both && both[0] === this.required.size) {
      const match = matchHeader(this.file, cells, this.columns, this.aliases, { row: r.row, top: upper.row });
      return { ...match, row: r.row, top: upper.row, above: this.above.filter((a) => a.row !== upper.row) };
    }
    if (!this.best || isGreater(alone, this.best.score)) this.best = { row: r, score: alone };
    if (
      upper &&
      cells &&
      both &&
      both[0]! > alone[0]! &&
      both[0]! > this.score(upper.cells)[0]! &&
      isGreater(both, this.best.score)
    )
      this.best = { row: { row: r.row, cells }, score: both, top: upper.row };
    this.above.push({ row: r.row, text });
    this.previous = r;
    return undefined;
  }

  /** A row's score as a header: required columns, known columns, filled cells. */
  private score(cells: readonly string[]): number[] {
    const targets = headerTargets(cells, this.columns, this.aliases).map((t) => t.target);
    const found = new Set(targets.filter((t): t is string => t !== undefined));
    const requiredFound = [...this.required].filter((c) => found.has(c)).length;
    return [requiredFound, found.size, cells.filter((c) => c.trim() !== '').length];
  }

  /** The closest row's score so far (required columns, known columns, filled cells), undefined before any row. */
  get closestScore(): readonly number[] | undefined {
    return this.best?.score;
  }

  /**
   * No header: throws the closest row's E_HEADER_MISSING (or E_HEADER_SIMILAR, E_HEADER_DUPLICATE). Returns when
   * no row had text — the caller then says the file is empty.
   */
  fail(): void {
    if (this.best)
      matchHeader(this.file, this.best.row.cells, this.columns, this.aliases, {
        row: this.best.row.row,
        closest: true,
        ...(this.best.top !== undefined ? { top: this.best.top } : {}),
      });
  }
}

/** Lexicographic a > b. */
function isGreater(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/**
 * `--columns` as given: "NAME=COLUMN,NAME2=COLUMN2" or the path of a mapping file (one `NAME=COLUMN` or
 * `NAME,COLUMN` per line, `#` comments). COLUMN is a contract column of the kind, or '-' to ignore NAME.
 */
export function parseColumnMap(
  spec: string,
  columns: readonly ColumnSpec[],
  readFile?: (p: string) => string,
): ColumnMap {
  const text = readFile ? readFile(spec) : spec.replace(/,/g, '\n');
  const known = new Set(columns.map((c) => c.name));
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(.+?)\s*(?:=|,|\t)\s*(.+)$/.exec(line);
    if (!m) {
      throw new IngestFileError(
        'E_COLUMNS_OPTION',
        '--columns',
        `"${line}" 不是 文件列名=列名 的形式`,
        `"${line}" is not NAME=COLUMN`,
      );
    }
    const [, from, to] = m as unknown as [string, string, string];
    if (to !== IGNORE_COLUMN && !known.has(to)) {
      throw new IngestFileError(
        'E_COLUMNS_OPTION',
        '--columns',
        `"${to}" 不是该数据类型的列（${[...known].join('、')}）；忽略 "${from}" 请写 ${from}=${IGNORE_COLUMN}`,
        `"${to}" is not a column of this kind (${[...known].join(', ')}); to ignore "${from}" write ${from}=${IGNORE_COLUMN}`,
      );
    }
    out[from.trim()] = to;
  }
  return out;
}
