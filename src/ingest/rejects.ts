/** Rejected rows: collecting them from checks, keeping them in the store, and the rejects file. */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { lit } from '../store/duckdb/sql.ts';
import { QC_ERROR_CODES } from './error-codes.ts';
import { checkSelect, type QcCheck, q } from './qc/check.ts';
import { REJECTS_COLUMNS } from './rejects-columns.ts';
import { type RowUnit, rowColumn } from './row-place.ts';

/**
 * Columns of the temp table of one run's rejects (one row per row × error). `_row` is the staging relation's:
 * where the record is in the file, as the user counts (row-place.ts).
 */
export const REJECTS_TEMP_DDL =
  'CREATE TEMP TABLE yb_rej (_row BIGINT, field VARCHAR, code VARCHAR, message_zh VARCHAR, message_en VARCHAR)';

/**
 * Predicate checks tested in one scan of their table (a settlement list's ~160 checks fit in one: each scan of a
 * typed view reads and types the file again).
 */
const CHECKS_PER_SCAN = 256;

/**
 * Insert the failing rows of `checks` into yb_rej. Predicate checks on the same table are evaluated in one
 * scan (a list of the row's failures, unnested); a row is first tested by each check's screen (or predicate),
 * so checks sharing a screen cost one test per row. Checks written as a full SELECT run as they are.
 */
export async function insertRejects(
  exec: (sql: string) => Promise<unknown>,
  checks: readonly QcCheck[],
  table: string,
  /** The temp table the findings go to: yb_rej (rejects) or yb_warn (warnings, rows kept). */
  target = 'yb_rej',
  /**
   * `count` evaluates the checks' `onlyIf` queries (without it every check runs); `prepared` remembers the
   * prepared statements already run, so calls that share it (rejects, then warnings) prepare each once.
   */
  run: { count?: (sql: string) => Promise<number>; prepared?: Set<string> } = {},
) {
  const groups = new Map<string, QcCheck[]>();
  for (const c of checks) {
    if (c.select) continue;
    const from = c.from ?? `${table} t`;
    groups.set(from, [...(groups.get(from) ?? []), c]);
  }
  for (const [from, unsorted] of groups) {
    // Checks sharing a screen side by side, so a chunk tests each screen once.
    const group = [...unsorted].sort((a, b) => (a.screen ?? '\uffff').localeCompare(b.screen ?? '\uffff'));
    for (let i = 0; i < group.length; i += CHECKS_PER_SCAN) {
      const part = group.slice(i, i + CHECKS_PER_SCAN);
      const items = part.map(
        (c) =>
          `CASE WHEN ${c.where} THEN {'field': ${lit(c.field)}, 'code': ${lit(c.code)}, 'zh': ${c.zh}, 'en': ${c.en}} END`,
      );
      const tests = [...new Set(part.map((c) => c.screen ?? c.where))];
      const any = tests.map((w) => `coalesce(${w}, false)`).join(' OR ');
      // The filter keeps only failing rows (usually few), so messages are built for them alone.
      await exec(`INSERT INTO ${target} SELECT _row, e.field, e.code, e.zh, e.en FROM (
        SELECT t._row, unnest(list_filter([${items.join(',\n')}], lambda x: x IS NOT NULL)) AS e FROM ${from}
        WHERE ${any})`);
    }
  }
  const prepared = run.prepared ?? new Set<string>();
  const counts = new Map<string, number>();
  const passes = async (onlyIf: string | undefined): Promise<boolean> => {
    if (!onlyIf || !run.count) return true;
    if (!counts.has(onlyIf)) counts.set(onlyIf, await run.count(onlyIf));
    return (counts.get(onlyIf) ?? 0) > 0;
  };
  for (const c of checks) {
    if (!c.select) continue;
    const statements = typeof c.prepare === 'string' ? [c.prepare] : (c.prepare ?? []);
    for (const p of statements) {
      const { sql, onlyIf } = typeof p === 'string' ? { sql: p, onlyIf: undefined } : p;
      if (prepared.has(sql) || !(await passes(onlyIf))) continue;
      await exec(sql);
      prepared.add(sql);
    }
    if (!(await passes(c.onlyIf))) continue;
    await exec(`INSERT INTO ${target} ${checkSelect(c, table)}`);
  }
}

/**
 * Keep the rejects of a run in the store's `rejects` table, with the row as read (JSON of its text values, from
 * `raw`: the rejected rows of the staging relation as text), in the order of the rejects file (row, code, field).
 * `row_no` is where the record is in the file, `row_unit` what it counts (a CSV's or sheet's row, or a record).
 */
export async function storeRejects(
  store: DuckDbStore,
  run: { runId: string; kind: string; file: string; unit: RowUnit },
  present: readonly string[],
  keyExpr: string,
  rawTable = 'yb_raw',
): Promise<void> {
  const raw = `CASE WHEN s._src_raw IS NOT NULL THEN to_json(struct_pack(_raw := s._src_raw))
    ELSE to_json(struct_pack(${present.map((c) => `${q(c)} := s.${q(c)}`).join(', ')})) END`;
  await store.connection.run(
    `INSERT INTO rejects (run_id, kind, source, row_no, record_key, field, code, message_zh, message_en, raw, row_unit)
     SELECT ${lit(run.runId)}, ${lit(run.kind)}, ${lit(run.file)}, r._row, ${keyExpr}, r.field,
       r.code, r.message_zh, r.message_en, CAST(${raw} AS VARCHAR), ${lit(run.unit)}
     FROM yb_rej r JOIN ${rawTable} s USING (_row) ORDER BY r._row, r.code, r.field`,
  );
}

/**
 * The rejects file: one line per (row, error) — in the reader's language (`lang`, REJECTS_COLUMNS): 行号 / 记录序号,
 * 记录编号, 字段, 拒收原因 (the error code's words), 说明 (the message), 原文 (the raw text of a record the reader
 * could not split, e.g. after an unbalanced quote; with `rawOnlyWhenAny`, as ingest and codes import ask, the column is
 * there only when some rejected row has it); without `lang` qc_row (CSV, XLSX: the line /
 * sheet row, 1 = the header) or qc_record (Parquet, JSON: the record number), qc_<key>, qc_field, qc_code,
 * qc_message_zh, qc_message_en, qc_raw — followed by the row as read, under its own column names, so a corrected
 * file can be ingested again as it is (the rejects file's own columns are ignored). UTF-8 with a BOM, so
 * spreadsheet programs show Chinese correctly.
 */
export async function writeRejectsFile(
  store: DuckDbStore,
  path: string,
  keyLabel: string,
  present: readonly string[],
  keyExpr: string,
  tmp: string,
  unit: RowUnit,
  raw = 'yb_raw',
  lang?: 'zh' | 'en',
  /** The field's words beside its name in `lang` (column → label): medfee_sumamt（医疗费总额）. */
  fieldLabels: ReadonlyMap<string, string> = new Map(),
  /**
   * `rawOnlyWhenAny`: the reader's file (`lang`) has the 原文 column only when some rejected row has raw text;
   * `fieldTexts`: a field's whole text in `lang` where the user's file names it otherwise (统筹基金支付（hifp_pay）),
   * instead of name（label）; `columnNames`: the row's columns under the file's own headers (contract name → header).
   */
  o: {
    rawOnlyWhenAny?: boolean;
    fieldTexts?: ReadonlyMap<string, string>;
    columnNames?: Readonly<Record<string, string>>;
  } = {},
) {
  const body = join(tmp, 'rejects-body.csv');
  const withRaw =
    !lang ||
    !o.rawOnlyWhenAny ||
    Number(
      await store.scalar(`SELECT count(*) FROM yb_rej r JOIN ${raw} s USING (_row) WHERE s._src_raw IS NOT NULL`),
    ) > 0;
  const own = lang
    ? ownColumns(lang, unit, keyExpr, fieldLabels, withRaw, o.fieldTexts)
    : codeColumns(unit, keyLabel, keyExpr);
  const asRead = (c: string) => {
    const header = o.columnNames?.[c];
    return header === undefined ? `s.${q(c)}` : `s.${q(c)} AS "${header.replaceAll('"', '""')}"`;
  };
  await store.connection.run(
    `COPY (SELECT ${own}, ${present.map(asRead).join(', ')}
           FROM yb_rej r JOIN ${raw} s USING (_row) ORDER BY r._row, r.code, r.field)
     TO ${lit(body)} (FORMAT csv, HEADER true)`,
  );
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  out.write('\uFEFF');
  for await (const chunk of createReadStream(body)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The rejects file's own columns for programs: qc_* names, the error code and both messages. */
function codeColumns(unit: RowUnit, keyLabel: string, keyExpr: string): string {
  return `r._row AS ${rowColumn(unit)}, ${keyExpr} AS ${q(`qc_${keyLabel}`)}, r.field AS qc_field, r.code AS qc_code,
    r.message_zh AS qc_message_zh, r.message_en AS qc_message_en, s._src_raw AS qc_raw`;
}

/** The rejects file's own columns for a reader: headers, reason words and message in `lang`, no error code. */
function ownColumns(
  lang: 'zh' | 'en',
  unit: RowUnit,
  keyExpr: string,
  fieldLabels: ReadonlyMap<string, string>,
  withRaw = true,
  fieldTexts: ReadonlyMap<string, string> = new Map(),
): string {
  const h = (c: keyof typeof REJECTS_COLUMNS) => q(REJECTS_COLUMNS[c][lang]);
  const reason = `CASE r.code ${Object.entries(QC_ERROR_CODES)
    .map(([code, w]) => `WHEN ${lit(code)} THEN ${lit(w[lang])}`)
    .join(' ')} ELSE r.code END`;
  const labelled = [...fieldLabels]
    .filter(([name, label]) => label !== '' && label !== name)
    .map(([name, label]) => [name, lang === 'zh' ? `${name}（${label}）` : `${name} (${label})`] as const);
  const texts = new Map([...labelled, ...fieldTexts]);
  const field =
    texts.size === 0
      ? 'r.field'
      : `CASE r.field ${[...texts].map(([name, text]) => `WHEN ${lit(name)} THEN ${lit(text)}`).join(' ')} ELSE r.field END`;
  return `r._row AS ${h(unit === 'row' ? 'row' : 'record')}, ${keyExpr} AS ${h('key')}, ${field} AS ${h('field')},
    ${reason} AS ${h('reason')}, r.message_${lang} AS ${h('message')}${withRaw ? `, s._src_raw AS ${h('raw')}` : ''}`;
}
