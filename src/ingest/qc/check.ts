/**
 * QC checks (结算清单质控, R-DATA-1) as set-based SQL. A check is a predicate that is true for a failing row,
 * with an error code, the field it blames and a message in Chinese and English built in SQL from the row's
 * values. Every check runs on the typed table `yb_typ` (built in one pass from the staging relation, see
 * typed.ts), which keeps the raw text of malformed values; only the readers' own problems (a record that could
 * not be split, an undecodable line) are read from the staging table `yb_stg`. The text checks of the code-list
 * import (`textChecks`) still run on its all-text staging table.
 */
import { allowedText, type CodeSet } from '../../model/code-words.ts';
import type { ColumnSpec } from '../../model/columns.ts';
import { lit } from '../../store/duckdb/sql.ts';
import { canBeMalformed, EXPECTED, malformed, malformedText, type TypedKind } from './typed.ts';

/** What a check needs loaded in the store; without it the check is skipped and reported as skipped. */
export type Requirement = 'icd10' | 'icd9' | 'institutions' | 'cases' | 'policy';

/** A statement a check prepares, run only when `onlyIf` (a count query) gives more than zero. */
export interface PreparedStatement {
  sql: string;
  onlyIf?: string;
}

export interface QcCheck {
  /** Short rule name, e.g. "sex-diagnosis". */
  rule: string;
  code: string;
  field: string;
  /** What the check verifies, for the skipped-checks report. */
  title: { zh: string; en: string };
  /** Predicate over `yb_typ` (alias t) that is true for a failing row… */
  where?: string;
  /** …with messages as SQL text expressions. */
  zh?: string;
  en?: string;
  /** The FROM clause the predicate and messages read (default: the checked table as t). */
  from?: string;
  /**
   * A cheaper predicate that is true whenever `where` may be (e.g. one test over the concatenation of all text
   * columns instead of one per column); checks that share a screen are tested once per row through it, and
   * `where` is evaluated only on the rows that pass.
   */
  screen?: string;
  /** Or a complete SELECT returning (_row, field, code, message_zh, message_en)… */
  select?: string;
  /**
   * …with statements run once, in order, before the first SELECT that names them (e.g. a temp table several
   * checks read; each must be idempotent: CREATE OR REPLACE). A statement with `onlyIf` runs only when that
   * count query gives more than zero.
   */
  prepare?: string | readonly (string | PreparedStatement)[];
  /**
   * A count query over prepared tables: when it gives zero the check cannot fail on any row and its SELECT is
   * not run (e.g. no code of the file is unknown, so no row needs to be read for it).
   */
  onlyIf?: string;
  requires?: Requirement;
  /** `reject` (default) refuses the row; `warn` keeps it and reports the finding (QC policy decides which). */
  severity?: 'reject' | 'warn';
}

/**
 * A message template as a SQL text expression: `{expr}` is replaced by the SQL expression's value
 * (a value the row left empty reads （未填） in a Chinese template, (blank) in an English one — not a symbol a
 * reader must guess), e.g. msg('入院时间 {adm_time} 晚于出院时间 {dscg_time}'). A date-time at midnight reads as its
 * date (2025-05-01, as the file said it, not 2025-05-01 00:00:00); a real time is kept (2025-05-01 09:30:00).
 */
export function msg(template: string): string {
  const blank = /\p{Script=Han}/u.test(template) ? '（未填）' : '(blank)';
  const parts = template.split(/(\{[^}]+\})/).filter((p) => p !== '');
  return parts
    .map((p) =>
      p.startsWith('{') && p.endsWith('}')
        ? `coalesce(regexp_replace(CAST((${p.slice(1, -1)}) AS VARCHAR), '^(\\d{4}-\\d{2}-\\d{2}) 00:00:00$', '\\1'), ${lit(blank)})`
        : lit(p),
    )
    .join(' || ');
}

export const q = (name: string) => `"${name}"`;

/** The SELECT of one check. */
export function checkSelect(c: QcCheck, table = 'yb_typ'): string {
  if (c.select) return c.select;
  return `SELECT t._row, ${lit(c.field)} AS field, ${lit(c.code)} AS code, ${c.zh} AS message_zh, ${c.en} AS message_en
          FROM ${c.from ?? `${table} t`} WHERE ${c.where}`;
}

/**
 * Checks on the raw text (table `yb_stg`) that every kind gets from its column contract: the row could be
 * read, text decodes, required fields are present, codes are in their allowed sets.
 */
export function textChecks(
  columns: readonly ColumnSpec[],
  present: ReadonlySet<string>,
  allowed: Readonly<Record<string, readonly string[]>>,
): QcCheck[] {
  const out: QcCheck[] = [
    {
      rule: 'source',
      code: '(source)',
      field: '',
      title: { zh: '行可读', en: 'row readable' },
      select: `SELECT _row, coalesce(_src_field, '') AS field, _src_code AS code, _src_zh AS message_zh,
                      _src_en AS message_en FROM yb_stg WHERE _src_code IS NOT NULL`,
    },
  ];
  for (const col of columns) {
    const r = q(col.name);
    const label = `${col.name}（${col.zh}）`;
    if (present.has(col.name)) {
      out.push({
        rule: 'encoding',
        code: 'E_ENCODING',
        field: col.name,
        title: { zh: '文本可解码', en: 'text decodable' },
        where: `contains(${r}, chr(65533))`,
        zh: msg(`${label} 含有无法解码的字符（文件编码错误、损坏或混用了编码）：{${r}}`),
        en: msg(`${col.name} has undecodable characters (wrong, damaged or mixed encoding): {${r}}`),
      });
    }
    if (col.required) {
      out.push({
        rule: 'required',
        code: 'E_REQUIRED',
        field: col.name,
        title: { zh: '必填项', en: 'required field' },
        where: `yb_txt(${r}) IS NULL`,
        zh: lit(`必填项 ${label} 为空`),
        en: lit(`required field ${col.name} (${col.en}) is empty`),
      });
    }
    const set = allowed[col.name];
    if (set && present.has(col.name)) {
      out.push({
        rule: 'code-set',
        code: 'E_CODE_INVALID',
        field: col.name,
        title: { zh: '代码取值', en: 'code value' },
        where: `yb_txt(${r}) IS NOT NULL AND yb_txt(${r}) NOT IN (${set.map(lit).join(', ')})`,
        zh: msg(`${label} 的值 "{${r}}" 不在允许的代码中（${set.join('/')}）`),
        en: msg(`${col.name} value "{${r}}" is not an allowed code (${set.join('/')})`),
      });
    }
  }
  return out;
}

/**
 * The readers' own problems of a row (unreadable record, undecodable line…), from the staging table. Readers of
 * typed files (Parquet) have none and skip this.
 */
export function sourceCheck(): QcCheck {
  return {
    rule: 'source',
    code: '(source)',
    field: '',
    title: { zh: '行可读', en: 'row readable' },
    select: `SELECT _row, coalesce(_src_field, '') AS field, _src_code AS code, _src_zh AS message_zh,
                    _src_en AS message_en FROM yb_stg WHERE _src_code IS NOT NULL`,
  };
}

/**
 * The checks of `textChecks` (encoding, required, code sets) on the typed table: a text or code value is the
 * trimmed text (so it fails exactly when its text fails), a list is its trimmed items, and a value of another
 * type that could not be read keeps its raw text in `_bad_<col>` (see typed.ts). Messages show the trimmed
 * value.
 */
export function typedTextChecks(
  columns: readonly ColumnSpec[],
  present: ReadonlySet<string>,
  allowed: Readonly<Record<string, readonly string[]>>,
  typeOf: (c: ColumnSpec) => TypedKind,
  codeSets: Readonly<Record<string, CodeSet>> = {},
): QcCheck[] {
  const out: QcCheck[] = [];
  const textOf = (col: ColumnSpec): string => {
    const type = typeOf(col);
    const v = `t.${q(col.name)}`;
    if (type === 'code-list' || type === 'text-list') return `array_to_string(${v}, '|')`;
    return canBeMalformed(type) ? `t.${q(`_bad_${col.name}`)}` : v;
  };
  const undecodable = `contains(concat(${columns
    .filter((c) => present.has(c.name))
    .map(textOf)
    .join(', ')}), chr(65533))`;
  for (const col of columns) {
    const type = typeOf(col);
    const v = `t.${q(col.name)}`;
    const label = `${col.name}（${col.zh}）`;
    const keepsBad = canBeMalformed(type) && type !== 'code-list';
    const text =
      type === 'code-list' || type === 'text-list'
        ? `array_to_string(${v}, '|')`
        : keepsBad
          ? `t.${q(`_bad_${col.name}`)}`
          : v;
    if (present.has(col.name)) {
      out.push({
        rule: 'encoding',
        code: 'E_ENCODING',
        field: col.name,
        title: { zh: '文本可解码', en: 'text decodable' },
        where: `contains(${text}, chr(65533))`,
        screen: undecodable,
        zh: msg(`${label} 含有无法解码的字符（文件编码错误、损坏或混用了编码）：{${text}}`),
        en: msg(`${col.name} has undecodable characters (wrong, damaged or mixed encoding): {${text}}`),
      });
    }
    if (col.required) {
      out.push({
        rule: 'required',
        code: 'E_REQUIRED',
        field: col.name,
        title: { zh: '必填项', en: 'required field' },
        where: keepsBad ? `${v} IS NULL AND t.${q(`_bad_${col.name}`)} IS NULL` : `${v} IS NULL`,
        zh: lit(`必填项 ${label} 为空`),
        en: lit(`required field ${col.name} (${col.en}) is empty`),
      });
    }
    const set = allowed[col.name];
    if (set && present.has(col.name)) {
      out.push({
        rule: 'code-set',
        code: 'E_CODE_INVALID',
        field: col.name,
        title: { zh: '代码取值', en: 'code value' },
        where: `${v} NOT IN (${set.map(lit).join(', ')})`,
        ...codeSetMessages(label, col, v, set, codeSets[col.name]),
      });
    }
  }
  return out;
}

/**
 * The messages of a value outside its code set: with words (a code set), the allowed words of each language —
 * zh lists zh words, never an English code — else the codes.
 */
function codeSetMessages(
  label: string,
  col: ColumnSpec,
  v: string,
  codes: readonly string[],
  words: CodeSet | undefined,
): { zh: string; en: string } {
  if (!words) {
    return {
      zh: msg(`${label} 的值 "{${v}}" 不在允许的代码中（${codes.join('/')}）`),
      en: msg(`${col.name} value "{${v}}" is not an allowed code (${codes.join('/')})`),
    };
  }
  return {
    zh: msg(`${label} 的值 "{${v}}" 不是允许的取值；应为 ${allowedText(words, 'zh')} 之一`),
    en: msg(`${col.name} value "{${v}}" is not allowed; use one of ${allowedText(words, 'en')}`),
  };
}

/**
 * Format checks (E_FORMAT) on `yb_typ`: a value whose text was present but could not be read keeps that text
 * in `_bad_<col>` (a code list: an empty item), so neither predicate nor message needs the raw row.
 */
export function formatChecks(
  columns: readonly ColumnSpec[],
  present: ReadonlySet<string>,
  typeOf: (c: ColumnSpec) => TypedKind,
): QcCheck[] {
  const out: QcCheck[] = [];
  for (const col of columns) {
    const type = typeOf(col);
    const bad = present.has(col.name) ? malformed(type, col.name) : undefined;
    if (!bad) continue;
    const label = `${col.name}（${col.zh}）`;
    const raw = malformedText(type, col.name);
    const expected = {
      zh: msg(`${label} 应为${EXPECTED[type].zh}，实际为 "{${raw}}"`),
      en: msg(`${col.name} should be ${EXPECTED[type].en}, got "{${raw}}"`),
    };
    out.push({
      rule: 'format',
      code: 'E_FORMAT',
      field: col.name,
      title: { zh: '格式', en: 'format' },
      where: bad,
      ...(type === 'date' || type === 'datetime' ? dateMessages(label, col.name, raw, expected) : expected),
    });
  }
  return out;
}

/**
 * The reason a date that could not be read was refused: written like a date but not one of the calendar
 * (2025-02-30, 2025-13-01) or read but outside the years 1900–2100 — "should be a date-time such as …" would
 * send the user looking for a format problem the value does not have; anything else, the expected form.
 */
function dateMessages(
  label: string,
  name: string,
  raw: string,
  expected: { zh: string; en: string },
): { zh: string; en: string } {
  const looksLikeDate = `regexp_matches(yb_fw(trim(${raw})), '^[0-9]{4}([-/.]|[ ]*年[ ]*)[0-9]{1,2}([-/.]|[ ]*月[ ]*)[0-9]{1,2}([ T日]|$)')`;
  const read = `yb_ts(${raw}) IS NOT NULL`;
  return {
    zh: `CASE WHEN ${read} THEN ${msg(`${label} 的日期 "{${raw}}" 不在 1900–2100 年之间`)}
              WHEN ${looksLikeDate} THEN ${msg(`${label} 的 "{${raw}}" 不是真实的日期（该月没有这一天，或月份不在 1–12）`)}
              ELSE ${expected.zh} END`,
    en: `CASE WHEN ${read} THEN ${msg(`${name}: date "{${raw}}" is not between the years 1900 and 2100`)}
              WHEN ${looksLikeDate} THEN ${msg(`${name}: "{${raw}}" is not a real calendar date (no such day in that month, or no such month)`)}
              ELSE ${expected.en} END`,
  };
}

/** `coalesce(col, 0)`: an optional money column counted as zero when empty. */
export const orZero = (c: string): string => `coalesce(${q(c)}, 0)`;

/**
 * One non-negative check per money column (R-DATA-1: amounts are never negative); the zh message names the column
 * by its Chinese label as every other check does (`medfee_sumamt（医疗费总额）`).
 */
export function nonNegative(columns: readonly Pick<ColumnSpec, 'name' | 'zh' | 'en'>[]): QcCheck[] {
  return columns.map((c) => ({
    rule: 'non-negative',
    code: 'E_NEGATIVE_AMOUNT',
    field: c.name,
    title: { zh: '金额非负', en: 'amounts not negative' },
    where: `${q(c.name)} < 0`,
    zh: msg(`${c.name}（${c.zh}） 金额为负数：{${q(c.name)}}`),
    en: msg(`${c.name} (${c.en}) is negative: {${q(c.name)}}`),
  }));
}

/** R-DATA-1 code validity: the institution in `col` is among the imported institutions (skipped when none are). */
export function institutionRegistered(col = 'fixmedins_code'): QcCheck {
  const [zh, en] =
    col === 'fixmedins_code' ? ['定点医药机构编号', 'institution'] : [`${col} 机构`, `${col} institution`];
  return {
    rule: 'institution',
    code: 'E_CODE_UNKNOWN',
    field: col,
    requires: 'institutions',
    title: { zh: '定点医疗机构已登记', en: 'institution registered' },
    where: `${q(col)} NOT IN (SELECT fixmedins_code FROM institutions)`,
    zh: msg(`${zh} {${col}} 不在已导入的机构名单中`),
    en: msg(`${en} {${col}} is not in the imported institutions`),
  };
}

/** A part of a total in a "components within the total" check; optional parts count as zero when empty. */
export interface TotalPart {
  col: string;
  zh: string;
  en: string;
  optional?: boolean;
}

/** R-DATA-1 "components not exceeding totals": Σ parts ≤ the total (medfee_sumamt by default). */
export function componentsWithinTotal(
  field: string,
  title: { zh: string; en: string },
  parts: readonly TotalPart[],
  total = 'medfee_sumamt',
): QcCheck {
  return {
    rule: 'components',
    code: 'E_COMPONENTS_EXCEED_TOTAL',
    field,
    title,
    where: `${parts.map((p) => (p.optional ? orZero(p.col) : q(p.col))).join(' + ')} > ${q(total)}`,
    zh: msg(`${parts.map((p) => `${p.zh} {${p.col}}`).join(' + ')} 超过医疗费总额 {${total}}`),
    en: msg(`${parts.map((p) => `${p.en} {${p.col}}`).join(' + ')} exceed the total {${total}}`),
  };
}

/**
 * Identifier-like columns (ids, codes, code lists): control characters there are refused (E_CONTROL_CHAR).
 * On the typed table (trimming removes spaces only, so a control character is still there).
 */
export function controlCharacterChecks(
  columns: readonly ColumnSpec[],
  present: ReadonlySet<string>,
  typeOf: (c: ColumnSpec) => TypedKind = (c) => c.type,
): QcCheck[] {
  const checked = columns.filter((c) => ['text', 'code', 'code-list'].includes(typeOf(c)) && present.has(c.name));
  const textOf = (col: ColumnSpec) =>
    typeOf(col) === 'code-list' ? `array_to_string(t.${q(col.name)}, '|')` : `t.${q(col.name)}`;
  const screen = `regexp_matches(concat(${checked.map(textOf).join(', ')}), '[\\x00-\\x1f\\x7f]')`;
  return checked.map((col) => {
    const r = textOf(col);
    return {
      screen,
      rule: 'control-character',
      code: 'E_CONTROL_CHAR',
      field: col.name,
      title: { zh: '编号中无控制字符', en: 'no control characters in identifiers' },
      where: `regexp_matches(${r}, '[\\x00-\\x1f\\x7f]')`,
      zh: msg(
        `${col.name}（${col.zh}）含有控制字符（如 NUL、制表符、换行），编号无法可靠比对：{regexp_replace(${r}, '[\\x00-\\x1f\\x7f]', '�', 'g')}`,
      ),
      en: msg(
        `${col.name} holds control characters (NUL, tab, line break …), so it cannot be matched reliably: {regexp_replace(${r}, '[\\x00-\\x1f\\x7f]', '�', 'g')}`,
      ),
    };
  });
}

/** Quote characters: ASCII, full-width and typographic, double and single. */
const QUOTE_CLASS = `["'\u201c\u201d\u2018\u2019\uff02\uff07]`;

/**
 * Code fields (codes, code lists): a quote character there is refused (E_CODE_QUOTE). The CSV reader takes a stray
 * quote inside a field as written (relaxed quotes: `K35"800`), and no code holds one, so the value is not the code the
 * row meant; free-text fields (names, ids) may keep quotes. The same on the typed table of every format.
 */
export function quoteCharacterChecks(
  columns: readonly ColumnSpec[],
  present: ReadonlySet<string>,
  typeOf: (c: ColumnSpec) => TypedKind = (c) => c.type,
): QcCheck[] {
  const checked = columns.filter((c) => ['code', 'code-list'].includes(typeOf(c)) && present.has(c.name));
  const textOf = (col: ColumnSpec) =>
    typeOf(col) === 'code-list' ? `array_to_string(t.${q(col.name)}, '|')` : `t.${q(col.name)}`;
  const pattern = lit(QUOTE_CLASS);
  const screen = `regexp_matches(concat(${checked.map(textOf).join(', ')}), ${pattern})`;
  return checked.map((col) => {
    const r = textOf(col);
    return {
      screen,
      rule: 'code-quote',
      code: 'E_CODE_QUOTE',
      field: col.name,
      title: { zh: '编码中无引号', en: 'no quote characters in codes' },
      where: `regexp_matches(${r}, ${pattern})`,
      zh: msg(`${col.name}（${col.zh}）含有引号，不是有效的编码（可能是 CSV 中错位的引号）：{${r}}`),
      en: msg(
        `${col.name} holds a quote character, so it is not a valid code (perhaps a stray quote in a CSV): {${r}}`,
      ),
    };
  });
}

/**
 * Dates of events that have happened (birth, admission, discharge, settlement) must not lie after the run's
 * as-of date (--as-of, default today): a 2030 discharge is a typo, not a case (E_DATE_FUTURE).
 */
export const EVENT_DATE_COLUMNS: readonly string[] = ['brdy', 'adm_time', 'dscg_time', 'setl_time', 'fee_ocur_time'];

export function futureDateChecks(columns: readonly ColumnSpec[], asOf: string): QcCheck[] {
  return columns
    .filter((c) => EVENT_DATE_COLUMNS.includes(c.name))
    .map((col) => ({
      rule: 'future-date',
      code: 'E_DATE_FUTURE',
      field: col.name,
      title: { zh: '日期不晚于运行日期', en: 'dates not after the as-of date' },
      where: `CAST(${q(col.name)} AS DATE) > DATE ${lit(asOf)}`,
      zh: msg(`${col.name}（${col.zh}）{${q(col.name)}} 晚于运行日期 ${asOf}（--as-of，默认今天）`),
      en: msg(`${col.name} {${q(col.name)}} is after the as-of date ${asOf} (--as-of, default today)`),
    }));
}
