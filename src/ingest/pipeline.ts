/**
 * Ingest with quality control (数据导入与结算清单质控, R-DATA-1). One file, one transaction:
 *
 *   read    the file into a staging table, every column VARCHAR (source/*.ts); a Parquet file is not copied:
 *           the staging relation is a view over it in its own types
 *   check   the typed table in one pass (columns that already have their declared type taken as they are,
 *           the others parsed from text, qc/typed.ts), then every check on it: readable, encoding, required,
 *           format, code sets, and the checks of meaning (codes in the code lists, sex and age vs diagnoses,
 *           dates, length of stay, amounts)
 *   dedupe  within the file and against the store by key; content compared only where keys meet (README)
 *   store   accepted rows into the store table in one INSERT, rejects into `rejects`, the run into `runs`
 *
 * Every input row ends as exactly one of accepted, rejected or already present, and
 * read = accepted + rejected + alreadyPresent is checked before commit. If anything throws, the transaction
 * is rolled back: the store's data is unchanged and only a `failed` entry is added to `runs`.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { normaliseCode } from '../codes/icd10-classification.ts';
import { inputWords } from '../model/code-words.ts';
import type { ColumnSpec } from '../model/columns.ts';
import { publishFile } from '../report/atomic.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { lit } from '../store/duckdb/sql.ts';
import { errorRunMessage } from '../store/run-message.ts';
import { newRunId } from '../store/runs.ts';
import type { RunRecord, RunStatus } from '../store/store.ts';
import { IngestFileError } from './errors.ts';
import { columnLabel, type IngestKind, KINDS, type KindSpec } from './kinds/index.ts';
import { allowedCodes, typeOf } from './kinds/kind.ts';
import {
  controlCharacterChecks,
  formatChecks,
  futureDateChecks,
  type QcCheck,
  q,
  quoteCharacterChecks,
  type Requirement,
  sourceCheck,
  typedTextChecks,
} from './qc/check.ts';
import { loadQcSettings, type QcSettings } from './qc/settings.ts';
import { contentHash, nativeRead, TYPED_MACROS, type TypedSource, typedTableSql } from './qc/typed.ts';
import { insertRejects, REJECTS_TEMP_DDL, storeRejects, writeRejectsFile } from './rejects.ts';
import { type RowUnit, rowPlaceSql, rowUnitOf } from './row-place.ts';
import type { EncodingOption } from './source/encoding.ts';
import type { ColumnMap } from './source/header.ts';
import { formatOf, type SourceFormat, type StageResult, stageFile } from './source/index.ts';
import { parquetText } from './source/parquet.ts';
import { type RenamedColumn, renamedColumns, userFieldText, userNamesUpdate } from './user-names.ts';

export type IngestStage = 'read' | 'check' | 'dedupe' | 'store' | 'rejects' | 'commit' | 'done';
export const INGEST_STAGES: readonly IngestStage[] = ['read', 'check', 'dedupe', 'store', 'rejects', 'commit', 'done'];

export interface IngestOptions {
  kind: IngestKind;
  file: string;
  format?: SourceFormat;
  encoding?: EncodingOption;
  /** XLSX worksheet (default: the sheet that holds the header). */
  sheet?: string;
  /** The user's header mapping (`--columns`): file name → contract column, '-' to ignore. */
  columns?: ColumnMap;
  /** Write the rejected rows here (CSV, UTF-8 with BOM); nothing is written when no row is rejected. */
  rejectsFile?: string;
  /**
   * The reader's language (`--lang`): the rejects file's own columns, its reasons and messages in it (行号、字段、
   * 拒收原因…); absent: the qc_* columns with the error code and both messages, for programs (rejects.ts).
   */
  lang?: 'zh' | 'en';
  /** QC settings (default: the shipped demo qc policy). */
  qc?: QcSettings;
  /**
   * Values of columns the file lacks (e.g. the year of an assessments file, `ingest assessments --year`): such a
   * column is not required in the header and every row takes the value, as if the file had the column.
   */
  defaults?: Readonly<Record<string, string>>;
  /**
   * Replace stored rows (`ingest --replace`, kinds marked `replaceable`: the year-end inputs): a row whose key is
   * stored with other content replaces the stored row instead of being refused; the report and the run log name
   * every replaced key with its old → new values. Rows stored identically stay already present.
   */
  replace?: boolean;
  /** Check only: run every check, write the rejects file, store nothing (works on a read-only store). */
  dryRun?: boolean;
  /** Called when a stage starts (progress bars; a throw here aborts the import like any failure). */
  onStage?: (stage: IngestStage) => void;
}

export interface SkippedCheck {
  rule: string;
  zh: string;
  en: string;
}

/** A stored row replaced by the file's version (`replace`): its key, the run that stored it, what changed. */
export interface ReplacedRow {
  /** The key's values joined by `|` (as in the rejects file). */
  key: string;
  /** The ingest run that had stored the old row. */
  run: string;
  /** The columns whose value changed, as text (null: empty). */
  changes: { column: string; old: string | null; new: string | null }[];
}

export interface IngestReport {
  runId: string;
  kind: IngestKind;
  file: string;
  format: SourceFormat;
  encoding?: string;
  encodingNote?: StageResult['encodingNote'];
  reader: StageResult['reader'];
  sha256: string;
  bytes: number;
  read: number;
  accepted: number;
  rejected: number;
  alreadyPresent: number;
  /** Stored rows replaced by the file's version (`replace`; counted among the accepted rows), in key order. */
  replaced: ReplacedRow[];
  /** Rejected rows per error code (a row with several errors counts under each). */
  rejectsByCode: Record<string, number>;
  /**
   * What the rows of this file's rejects count (row-place.ts): 'row' — CSV and XLSX, the line / sheet row the user
   * sees, 1 = the header; 'record' — Parquet and JSON, the 1-based record number.
   */
  rowUnit: RowUnit;
  /** The first rejected row of each error code (row as in the rejects file, field, message), to show beside the count. */
  rejectExamples: Record<string, { row: number; field: string; zh: string; en: string }>;
  /** Rows kept with a QC warning (a check the QC policy made warn-only), by code. */
  warningsByCode: Record<string, number>;
  /** The first warned row of each code with its message, to show beside the count (as `rejectExamples`). */
  warningExamples?: Record<string, { row: number; field: string; zh: string; en: string }>;
  skippedChecks: SkippedCheck[];
  /** Codes translated through the local → national maps (编码对照), per column, over the accepted rows. */
  translatedCodes: Record<string, number>;
  ignoredColumns: string[];
  /**
   * CSV and XLSX: the header's row and the non-empty rows above it that were skipped as titles (a header under
   * "2025年住院结算清单" and a blank row is on row 3).
   */
  header?: StageResult['header'];
  /** XLSX: the sheet read and the workbook's other sheets (not read). */
  sheet?: StageResult['sheet'];
  rejectsFile?: string;
  policy: QcSettings['policy'];
  dryRun: boolean;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  stages: { stage: IngestStage; ms: number }[];
}

const TEMP_TABLES = [
  'yb_typ',
  'yb_stg_text',
  'yb_stg',
  'yb_raw',
  'yb_drop',
  'yb_rej',
  'yb_warn',
  'yb_already',
  'yb_groups',
  'yb_dupkeys',
  'yb_dx_hits',
  'yb_dx_match',
  'yb_dx_principal',
  'yb_codes_diag_codes',
  'yb_codes_oprn_oprt_codes',
  'yb_unknown_icd10',
  'yb_unknown_icd9',
  'yb_sex_rules',
  'yb_age_rules',
  'yb_translated',
  'yb_replace',
  'yb_meet',
  'yb_stored_cmp',
];

const REQUIREMENT_TEXT: Record<Requirement, { zh: string; en: string; sql: string }> = {
  icd10: {
    zh: '未导入 ICD-10 编码库',
    en: 'no ICD-10 code list imported',
    sql: "SELECT count(*) FROM codes WHERE kind = 'icd10'",
  },
  icd9: {
    zh: '未导入 ICD-9-CM-3 编码库',
    en: 'no ICD-9-CM-3 code list imported',
    sql: "SELECT count(*) FROM codes WHERE kind = 'icd9'",
  },
  institutions: { zh: '未导入定点机构', en: 'no institutions imported', sql: 'SELECT count(*) FROM institutions' },
  cases: { zh: '未导入结算清单', en: 'no cases stored', sql: 'SELECT count(*) FROM cases' },
  policy: { zh: '质控参数未给出该项容差', en: 'the QC policy gives no tolerance for it', sql: 'SELECT 0' },
};

/** Thrown inside the transaction of a dry run to roll it back while carrying the report out. */
class DryRunDone {
  constructor(readonly report: IngestReport) {}
}

export async function ingestFile(store: DuckDbStore, opts: IngestOptions): Promise<IngestReport> {
  const spec = KINDS[opts.kind];
  const format = opts.format ?? formatOf(opts.file);
  if (!spec.formats.includes(format)) {
    throw new IngestFileError(
      'E_FORMAT_UNSUPPORTED',
      opts.file,
      `${spec.zh}不支持 ${format} 格式（支持 ${spec.formats.join('/')}）`,
      `${spec.en} cannot be read from ${format} (use ${spec.formats.join('/')})`,
    );
  }
  if (!existsSync(opts.file)) {
    throw new IngestFileError('E_NOT_FOUND', opts.file, '文件不存在；请检查路径', 'file not found; check the path');
  }
  if (statSync(opts.file).isDirectory()) {
    throw new IngestFileError(
      'E_NOT_A_FILE',
      opts.file,
      '这是一个文件夹，不是数据文件；请给出文件路径',
      'this is a folder, not a data file; give the path of a file',
    );
  }
  if (opts.replace && !spec.replaceable) {
    throw new IngestFileError(
      'E_REPLACE_UNSUPPORTED',
      opts.file,
      `${spec.zh}不能替换已入库的行（--replace 只用于审核扣款、考核结果和特例单议结果）`,
      `stored ${spec.en} cannot be replaced (--replace is for audit deductions, assessment results and special-review decisions)`,
    );
  }
  if (opts.rejectsFile) checkRejectsPath(opts.rejectsFile);
  if (!opts.dryRun) store.assertWritable();
  const qc = opts.qc ?? loadQcSettings();
  const started = new Date();
  const runId = newRunId(started);
  const tmp = await mkdtemp(join(tmpdir(), 'yibao-ingest-'));
  const stages: { stage: IngestStage; ms: number }[] = [];
  let mark = performance.now();
  const enter = (stage: IngestStage) => {
    const now = performance.now();
    const last = stages[stages.length - 1];
    if (last) last.ms = Math.round(now - mark);
    mark = now;
    stages.push({ stage, ms: 0 });
    opts.onStage?.(stage);
  };
  const outer = store.isInTransaction;
  let staged: StageResult | undefined;
  try {
    // Staging only fills temp tables of this connection, so it runs before the transaction: a reader that
    // fails and falls back (CSV) must not abort it. The store's data is touched only inside the transaction.
    await dropTempTables(store);
    await store.connection.run(TYPED_MACROS);
    enter('read');
    staged = await stageFile(format, {
      conn: store.connection,
      file: opts.file,
      table: 'yb_stg',
      columns: spec.columns.map((c) => (opts.defaults?.[c.name] !== undefined ? { ...c, required: false } : c)),
      tmpDir: tmp,
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.sheet ? { sheet: opts.sheet } : {}),
      ...(opts.columns ? { aliases: opts.columns } : {}),
      ...(outer ? { probeConnection: () => store.instance.connect() } : {}),
      // A typed file is read in place (a view), unless columns it may lack get default values (an UPDATE).
      typed: Object.keys(opts.defaults ?? {}).length === 0,
    });
    for (const [col, value] of Object.entries(opts.defaults ?? {})) {
      if (staged.present.includes(col) || !spec.columns.some((c) => c.name === col)) continue;
      await store.connection.run(`UPDATE yb_stg SET ${q(col)} = ${lit(value)}`);
      staged.present.push(col);
    }
    const input = staged;
    const report = await store.transaction(() =>
      run(store, spec, format, opts, qc, runId, started, tmp, input, enter, stages),
    );
    // The rejects file goes to its place only now that the run has committed (atomically: temp name + rename).
    if (report.rejectsFile) await publishFile(join(tmp, REJECTS_TEMP_FILE), report.rejectsFile);
    return report;
  } catch (e) {
    if (e instanceof DryRunDone) {
      if (e.report.rejectsFile) await publishFile(join(tmp, REJECTS_TEMP_FILE), e.report.rejectsFile);
      return e.report;
    }
    if (!opts.dryRun && !outer) {
      const finished = new Date();
      const failed: RunRecord = {
        id: runId,
        command: `ingest ${opts.kind}`,
        inputs: [{ path: opts.file, sha256: staged?.sha256 ?? '', bytes: staged?.bytes ?? 0, role: opts.kind }],
        policy: qc.policy,
        counts: {},
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        status: 'failed',
        // Both forms of the error (the reader's language is chosen when the log is read).
        message: errorRunMessage(e),
      };
      await store.recordRun(failed).catch(() => undefined);
    }
    throw e;
  } finally {
    if (!outer) await dropTempTables(store).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * A set of record numbers (`_row` of `table`) as a per-row predicate on `_row`: the set becomes a bit string in
 * the connection's variable `name` (one bit per record number between the set's smallest and largest), and
 * the predicate tests the row's bit. Unlike `_row IN (SELECT …)` — a join — it keeps the order of the rows it
 * filters, so an INSERT from a scan stores them in file order without a sort, and it is evaluated where the
 * record number is read, before any other column is computed.
 */
async function rowSet(store: DuckDbStore, name: string, table: string): Promise<string> {
  const [lo, hi] = (await store.rows(`SELECT min(_row), max(_row) FROM ${table}`))[0] ?? [];
  if (lo === null || lo === undefined || hi === null || hi === undefined) return 'false';
  const [min, max] = [BigInt(lo as bigint), BigInt(hi as bigint)];
  await store.connection.run(
    `SET VARIABLE ${name} = (SELECT bitstring_agg(_row, ${min}, ${max}) FROM (SELECT DISTINCT _row FROM ${table}))`,
  );
  // The bit index is clamped into the set's range so that it is valid on every row, whatever order DuckDB
  // evaluates the two conditions in.
  return `(_row BETWEEN ${min} AND ${max} AND get_bit(getvariable(${lit(name)}), CAST(least(greatest(_row, ${min}), ${max}) - ${min} AS INTEGER)) = 1)`;
}

/** A text reader's reasons for a line it could not split into the header's columns (source/csv.ts). */
const UNSPLIT_LINE_CODES = ['E_CSV_SHAPE', 'E_CSV_SYNTAX'] as const;

/** The rejects file is written here (in the run's private temp folder) and published after the commit. */
const REJECTS_TEMP_FILE = 'rejects.csv';

/** A rejects path that can never be written (a folder, a file as parent) fails the run before it starts. */
function checkRejectsPath(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new IngestFileError(
      'E_REJECTS_PATH',
      path,
      '拒收明细路径是一个文件夹；请用 --rejects 指定一个文件名',
      'the rejects path is a folder; give --rejects a file name',
    );
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new IngestFileError(
      'E_REJECTS_PATH',
      path,
      `无法创建拒收明细所在的文件夹（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）；请用 --rejects 指定可写的位置`,
      `cannot create the folder of the rejects file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give --rejects a writable place`,
    );
  }
}

/** The connection variable holding the bit set of the rows not stored (`rowSet`). */
const DROP_ROWS_VARIABLE = 'yb_drop_rows';

/**
 * Drop this connection's temp tables and views of a run (the staging relation is a view for Parquet), and free
 * the bit set of dropped rows (one bit per record: it would outlive the run on a long-lived connection).
 */
async function dropTempTables(store: DuckDbStore): Promise<void> {
  await store.connection.run(`RESET VARIABLE ${DROP_ROWS_VARIABLE}`);
  const names = TEMP_TABLES.map(lit).join(', ');
  const views = await store.rows(`SELECT view_name FROM duckdb_views() WHERE temporary AND view_name IN (${names})`);
  for (const [v] of views) await store.connection.run(`DROP VIEW IF EXISTS temp.${v as string}`);
  const isView = new Set(views.map((r) => r[0] as string));
  for (const t of TEMP_TABLES) if (!isView.has(t)) await store.connection.run(`DROP TABLE IF EXISTS temp.${t}`);
}

async function run(
  store: DuckDbStore,
  spec: KindSpec,
  format: SourceFormat,
  opts: IngestOptions,
  qc: QcSettings,
  runId: string,
  started: Date,
  tmp: string,
  staged: StageResult,
  enter: (s: IngestStage) => void,
  stages: { stage: IngestStage; ms: number }[],
): Promise<IngestReport> {
  const conn = store.connection;
  const exec = (sql: string) => conn.run(sql);
  const count = async (sql: string) => Number((await store.scalar(sql)) ?? 0);
  const present = new Set(staged.present);
  const unit = rowUnitOf(format);

  enter('check');
  await exec(REJECTS_TEMP_DDL);
  if (!staged.typed) await insertRejects(exec, [sourceCheck()], 'yb_stg');
  // Over a typed file the typed table is a view (nothing copied) unless codes are translated in it (an UPDATE).
  const translating =
    (spec.mappedCodes?.length ?? 0) > 0 &&
    (await count(
      `SELECT count(*) FROM code_maps WHERE kind IN (${(spec.mappedCodes ?? []).map((m) => lit(m.kind)).join(', ')})`,
    )) > 0;
  // A view keeps the file's order; a table that codes were translated in may not (DuckDB updates a list by
  // deleting and re-inserting the row), and a text staging table is ordered by the reader: those are sorted.
  const typedView = staged.typed !== undefined && !translating;
  await exec(typedTableSql(typedSources(spec, staged), 'yb_stg', typedView ? 'VIEW' : 'TABLE'));
  const kindOf = (c: ColumnSpec) => typeOf(spec, c);
  const rowChecks = [
    ...typedTextChecks(spec.columns, present, allowedCodes(spec), kindOf, spec.codeSets),
    ...controlCharacterChecks(spec.columns, present, kindOf),
    ...quoteCharacterChecks(spec.columns, present, kindOf),
    ...formatChecks(spec.columns, present, kindOf),
  ];
  const skipped: SkippedCheck[] = [];
  const available = new Map<Requirement, boolean>();
  const semantic: QcCheck[] = [...futureDateChecks(spec.columns, qc.asOf)];
  for (const c of spec.checks(qc)) {
    if (c.requires) {
      if (!available.has(c.requires)) available.set(c.requires, (await count(REQUIREMENT_TEXT[c.requires].sql)) > 0);
      if (!available.get(c.requires)) {
        const why = REQUIREMENT_TEXT[c.requires];
        skipped.push({ rule: c.rule, zh: `「${c.title.zh}」（${why.zh}）`, en: `"${c.title.en}" (${why.en})` });
        continue;
      }
    }
    semantic.push(c);
  }
  const rejecting = semantic.filter((c) => c.severity !== 'warn');
  // Checks that prepare tables share them (made once), and skip their pass when nothing can fail (onlyIf).
  const checkRun = { count, prepared: new Set<string>() };
  await createRuleTables(exec, qc);
  if (translating) {
    // The checks of meaning read the translated codes: the row checks first, then translation, then the rest.
    await insertRejects(exec, rowChecks, 'yb_typ');
    await translateCodes(exec, count, spec);
    await insertRejects(exec, rejecting, 'yb_typ', 'yb_rej', checkRun);
  } else {
    // Nothing is translated: every predicate on a row's own values (text, format and the checks of meaning) is
    // tested in one scan of the typed table; the checks written as SELECTs (code lists, diagnoses, procedure
    // dates) follow.
    await translateCodes(exec, count, spec);
    await insertRejects(exec, [...rowChecks, ...rejecting], 'yb_typ', 'yb_rej', checkRun);
  }
  // Warnings (QC policy): the row is kept; the finding is counted and reported.
  await exec(REJECTS_TEMP_DDL.replace('yb_rej', 'yb_warn'));
  await insertRejects(
    exec,
    semantic.filter((c) => c.severity === 'warn'),
    'yb_typ',
    'yb_warn',
    checkRun,
  );

  // Fields named as the user's file names them (统筹基金支付（hifp_pay）), in the rejects, the warnings and the store.
  const renamed = renamedColumns(spec.columns, staged.names);

  enter('dedupe');
  if (spec.grouped) await dedupeGroups(exec, spec, renamed);
  else await dedupeRows(exec, count, spec, opts.replace === true, unit, renamed);
  const replaced = opts.replace ? await replacedRows(store, spec) : [];
  // A line that could not be split into the header's columns has no values to check: it is reported once, with
  // why it could not be read — not also "required field empty" for every column it lacks.
  if (!staged.typed) {
    const unsplit = UNSPLIT_LINE_CODES.map(lit).join(', ');
    await exec(`DELETE FROM yb_rej WHERE code NOT IN (${unsplit})
      AND _row IN (SELECT _row FROM yb_rej WHERE code IN (${unsplit}))`);
  }

  const rename = (table: string) => userNamesUpdate(table, renamed);
  for (const sql of [rename('yb_rej'), rename('yb_warn')]) if (sql) await exec(sql);

  const read = staged.rows;
  const rejected = await count('SELECT count(DISTINCT _row) FROM yb_rej');
  const alreadyPresent = await count('SELECT count(*) FROM yb_already');
  const accepted = read - rejected - alreadyPresent;
  // Rows not stored: rejected or already present. Tested per row against a bit set (not an anti-join), so the
  // rows keep the order they are read in.
  await exec('CREATE TEMP TABLE yb_drop AS SELECT DISTINCT _row FROM yb_rej UNION SELECT _row FROM yb_already');
  const keep = `NOT ${await rowSet(store, DROP_ROWS_VARIABLE, 'yb_drop')}`;

  enter('store');
  const stagedKey = spec.key.map((k) => `s.${q(k)}`);
  const keyExpr = stagedKey.length === 1 ? stagedKey[0]! : `concat_ws('|', ${stagedKey.join(', ')})`;
  if (rejected > 0 && (!opts.dryRun || opts.rejectsFile)) {
    // The rejected rows as read (all text), from the staging table or, for a typed file, from its text view.
    await exec(
      `CREATE TEMP TABLE yb_raw AS SELECT * FROM ${staged.typed?.rawFrom ?? 'yb_stg'}
       WHERE _row IN (SELECT _row FROM yb_rej)`,
    );
  }
  // The rejects are stored before the accepted rows: after a large INSERT in the same transaction, building
  // their JSON rows cost DuckDB seconds (3.5 CPU-s for 10k rejects after 1M rows; 0.3 before them).
  if (!opts.dryRun && rejected > 0) {
    await storeRejects(store, { runId, kind: spec.kind, file: opts.file, unit }, staged.present, keyExpr);
  }
  if (!opts.dryRun && replaced.length > 0) {
    // The stored versions of the replaced keys go; the file's versions are inserted below with the other accepted rows.
    const match = spec.key.map((k) => `t.${q(k)} = ${spec.table}.${q(k)}`).join(' AND ');
    const r = await conn.run(
      `DELETE FROM ${spec.table} WHERE EXISTS (SELECT 1 FROM yb_typ t WHERE t._row IN (SELECT _row FROM yb_replace) AND ${match})`,
    );
    if (r.rowsChanged !== replaced.length) {
      throw new Error(`internal: replaced ${r.rowsChanged} stored rows but counted ${replaced.length}`);
    }
  }
  if (!opts.dryRun) {
    const cols = spec.columns.map((c) => q(c.name));
    const lineNo = spec.grouped ? [`row_number() OVER (PARTITION BY ${q(spec.key[0]!)} ORDER BY _row)`] : [];
    // Stored in file order (settlement reads cases in stored order). From the view over a typed file, a scan,
    // a per-row filter and a projection keep the order rows are read in (DuckDB preserves insertion order), so
    // no sort is needed — a join would not keep it (an anti-join swapped rows at 1M with two threads). A typed
    // table (text staging, translated codes) and the window of grouped kinds are sorted by the record number.
    const sorted = spec.grouped || !typedView;
    const r = await conn.run(
      `INSERT INTO ${spec.table} (${[...cols, ...(spec.grouped ? ['line_no'] : []), 'run_id'].join(', ')})
       SELECT ${[...cols, ...lineNo, lit(runId)].join(', ')} FROM yb_typ WHERE ${keep}${sorted ? ' ORDER BY _row' : ''}`,
    );
    if (r.rowsChanged !== accepted) {
      throw new Error(`internal: stored ${r.rowsChanged} rows but counted ${accepted} accepted`);
    }
    if (spec.mappedCodes) {
      await exec(
        `INSERT INTO code_translations SELECT ${lit(runId)}, kind, ${q(spec.key[0]!)}, field, position, source_code, code
         FROM yb_translated WHERE ${keep} ORDER BY _row, field, position`,
      );
    }
  }
  const translatedCodes: Record<string, number> = {};
  for (const m of spec.mappedCodes ?? []) {
    translatedCodes[m.column] = await count(
      `SELECT count(*) FROM yb_translated WHERE field = ${lit(m.column)} AND ${keep}`,
    );
  }

  enter('rejects');
  let rejectsFile: string | undefined;
  if (opts.rejectsFile && rejected > 0) {
    rejectsFile = opts.rejectsFile;
    await writeRejectsFile(
      store,
      join(tmp, REJECTS_TEMP_FILE),
      spec.keyLabel,
      staged.present,
      keyExpr,
      tmp,
      unit,
      undefined,
      opts.lang,
      opts.lang
        ? new Map(spec.columns.map((c) => [c.name, columnLabel(spec, c.name, opts.lang!)] as const))
        : undefined,
      // The row as read follows the reasons: 原文 only when a line could not be split (as `codes import`); the
      // field and the row's columns as the user's file names them.
      {
        rawOnlyWhenAny: true,
        ...(opts.lang
          ? { fieldTexts: new Map(renamed.map((r) => [r.col.name, userFieldText(r, opts.lang!)] as const)) }
          : {}),
        columnNames: Object.fromEntries(Object.entries(staged.names ?? {}).filter(([name, header]) => header !== name)),
      },
    );
  }
  const byCode = await store.rows('SELECT code, count(DISTINCT _row) FROM yb_rej GROUP BY code ORDER BY code');
  const rejectsByCode = Object.fromEntries(byCode.map((r) => [r[0] as string, Number(r[1])]));
  const firsts = await store.rows(
    'SELECT DISTINCT ON (code) code, _row, field, message_zh, message_en FROM yb_rej ORDER BY code, _row, field',
  );
  const rejectExamples = Object.fromEntries(
    firsts.map((r) => [
      r[0] as string,
      { row: Number(r[1]), field: String(r[2] ?? ''), zh: String(r[3] ?? ''), en: String(r[4] ?? '') },
    ]),
  );
  const warnByCode = await store.rows(
    `SELECT code, count(DISTINCT _row) FROM yb_warn WHERE _row NOT IN (SELECT _row FROM yb_rej) GROUP BY code ORDER BY code`,
  );
  const warningsByCode = Object.fromEntries(warnByCode.map((r) => [r[0] as string, Number(r[1])]));
  const warnFirsts = await store.rows(
    `SELECT DISTINCT ON (code) code, _row, field, message_zh, message_en FROM yb_warn
     WHERE _row NOT IN (SELECT _row FROM yb_rej) ORDER BY code, _row, field`,
  );
  const warningExamples = Object.fromEntries(
    warnFirsts.map((r) => [
      r[0] as string,
      { row: Number(r[1]), field: String(r[2] ?? ''), zh: String(r[3] ?? ''), en: String(r[4] ?? '') },
    ]),
  );
  if (read !== accepted + rejected + alreadyPresent || accepted < 0) {
    throw new Error(`internal: read ${read} ≠ accepted ${accepted} + rejected ${rejected} + present ${alreadyPresent}`);
  }

  if (staged.typed) assertUnchanged(opts.file, staged);

  enter('commit');
  const finished = new Date();
  const status: RunStatus = rejected > 0 ? 'data-problems' : 'ok';
  const report: IngestReport = {
    runId,
    kind: spec.kind,
    file: opts.file,
    format,
    rowUnit: unit,
    ...(staged.encoding ? { encoding: staged.encoding } : {}),
    ...(staged.encodingNote ? { encodingNote: staged.encodingNote } : {}),
    reader: staged.reader,
    sha256: staged.sha256,
    bytes: staged.bytes,
    read,
    accepted,
    rejected,
    alreadyPresent,
    replaced,
    rejectsByCode,
    rejectExamples,
    warningsByCode,
    warningExamples,
    skippedChecks: skipped,
    translatedCodes,
    ignoredColumns: staged.ignored,
    ...(staged.header ? { header: staged.header } : {}),
    ...(staged.sheet ? { sheet: staged.sheet } : {}),
    ...(rejectsFile ? { rejectsFile } : {}),
    policy: qc.policy,
    dryRun: opts.dryRun ?? false,
    status,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    stages,
  };
  if (opts.dryRun) throw new DryRunDone(report);
  await store.recordRun({
    id: runId,
    command: `ingest ${spec.kind}`,
    inputs: [{ path: opts.file, sha256: staged.sha256, bytes: staged.bytes, role: spec.kind }],
    policy: qc.policy,
    counts: { read, accepted, rejected, alreadyPresent, ...(replaced.length > 0 ? { replaced: replaced.length } : {}) },
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationMs: report.durationMs,
    status,
    // The run log names each replaced key with its old → new values (rendered per language by `yibao runs`).
    ...(replaced.length > 0 ? { message: replacedMessage(replaced) } : {}),
  });
  enter('done');
  return report;
}

/**
 * A typed file is read where it lies (several scans, see source/parquet.ts), so it must not change during the
 * run: its size and modification time are compared with what the reader saw; a change fails the run (rolled back).
 */
function assertUnchanged(file: string, staged: StageResult): void {
  const now = statSync(file);
  if (now.size !== staged.bytes || now.mtimeMs !== staged.typed?.mtimeMs) {
    throw new IngestFileError(
      'E_FILE_CHANGED',
      file,
      '文件在导入过程中被修改；未入库任何数据，请在文件写完后重新导入',
      'the file changed while it was being imported; nothing was stored — import it again once it is complete',
    );
  }
}

/** Each column of the typed table and where it comes from (a typed file's own type when it is the declared one). */
function typedSources(spec: KindSpec, staged: StageResult): TypedSource[] {
  return spec.columns.map((c) => {
    const type = typeOf(spec, c);
    const set = spec.codeSets?.[c.name];
    const words = set ? { words: inputWords(set) } : {};
    const sourceType = staged.typed?.sourceTypes[c.name];
    if (!sourceType) return { name: c.name, type, ...words };
    const native = nativeRead(type, sourceType);
    return { name: c.name, type, text: parquetText(sourceType), ...(native ? { native } : {}), ...words };
  });
}

/**
 * Local → national code mapping (R-DATA-1, 编码对照): every code of a mapped column that is a source code of its
 * kind's map is replaced, in place, by the national code, keeping the list order; `yb_translated` remembers
 * each replacement (row, column, position, from, to) for the audit table. Codes not in the map stay as they
 * are and meet the code-list check like any other.
 */
async function translateCodes(
  exec: (sql: string) => Promise<unknown>,
  count: (sql: string) => Promise<number>,
  spec: KindSpec,
): Promise<void> {
  if (!spec.mappedCodes) return;
  const key = q(spec.key[0]!);
  await exec(`CREATE TEMP TABLE yb_translated (_row BIGINT, ${key} VARCHAR, kind VARCHAR, field VARCHAR,
    position INTEGER, source_code VARCHAR, code VARCHAR)`);
  for (const m of spec.mappedCodes) {
    if ((await count(`SELECT count(*) FROM code_maps WHERE kind = ${lit(m.kind)}`)) === 0) continue;
    const col = q(m.column);
    await exec(`INSERT INTO yb_translated
      SELECT d._row, d.${key}, ${lit(m.kind)}, ${lit(m.column)}, d.pos, d.code, cm.code
      FROM (SELECT _row, ${key}, unnest(${col}) AS code, generate_subscripts(${col}, 1) AS pos
            FROM yb_typ WHERE ${col} IS NOT NULL) d
      JOIN code_maps cm ON cm.kind = ${lit(m.kind)} AND cm.source_code = d.code
      WHERE cm.code <> d.code`);
    await exec(`UPDATE yb_typ SET ${col} = n.codes
      FROM (SELECT d._row, list(coalesce(t.code, d.code) ORDER BY d.pos) AS codes
            FROM (SELECT _row, unnest(${col}) AS code, generate_subscripts(${col}, 1) AS pos FROM yb_typ
                  WHERE _row IN (SELECT _row FROM yb_translated WHERE field = ${lit(m.column)})) d
            LEFT JOIN yb_translated t ON t._row = d._row AND t.field = ${lit(m.column)} AND t.position = d.pos
            GROUP BY d._row) n
      WHERE yb_typ._row = n._row`);
  }
}

/** The ICD-10 sex- and age-specific ranges (src/codes) as temp tables for the checks' joins. */
async function createRuleTables(exec: (sql: string) => Promise<unknown>, qc: QcSettings) {
  const sex = qc.sexRanges.map(
    (r) => `(${lit(normaliseCode(r.from))}, ${lit(normaliseCode(r.to))}, ${lit(r.sex)}, ${lit(r.zh)}, ${lit(r.en)})`,
  );
  await exec(
    `CREATE TEMP TABLE yb_sex_rules AS SELECT *, left(lo, 1) AS l1 FROM (VALUES ${
      sex.length > 0 ? sex.join(', ') : "('', '', '', '', '')"
    }) t(lo, hi, sex, zh, en) WHERE lo <> ''`,
  );
  const age = qc.ageRanges.map(
    (r) =>
      `(${lit(normaliseCode(r.from))}, ${lit(normaliseCode(r.to))}, ${r.minAgeYears ?? 'NULL'}::INTEGER, ${
        r.maxAgeYears ?? 'NULL'
      }::INTEGER, ${lit(r.zh)}, ${lit(r.en)})`,
  );
  await exec(
    `CREATE TEMP TABLE yb_age_rules AS SELECT *, left(lo, 1) AS l1 FROM (VALUES ${
      age.length > 0 ? age.join(', ') : "('', '', NULL::INTEGER, NULL::INTEGER, '', '')"
    }) t(lo, hi, min_age, max_age, zh, en) WHERE lo <> ''`,
  );
}

/** Text inside a SQL string literal ('…'): a quote doubled. */
const sqlText = (text: string) => text.replaceAll("'", "''");

/**
 * A kind's key in a message: each key column by the user's header with the standard field in brackets when the file
 * names it otherwise (zh 结算编号（setl_id）, en "结算编号" (setl_id) — as the other rejects, user-names.ts), else by its
 * short Chinese label in zh (结算ID) and its 4101 name in en (setl_id); joined by +.
 */
function keyLabel(spec: KindSpec, renamed: readonly RenamedColumn[], lang: 'zh' | 'en'): string {
  return spec.key
    .map((k) => {
      const r = renamed.find((x) => x.col.name === k);
      if (r) return lang === 'zh' ? userFieldText(r, 'zh') : `"${r.header}" (${k})`;
      return lang === 'zh' ? columnLabel(spec, k, 'zh') : k;
    })
    .join('+');
}

/**
 * One stored row per key. In the file: rows with the same key and the same content keep the first
 * (E_DUPLICATE_IN_FILE for the others); the same key with different content refuses all of them
 * (E_DUPLICATE_CONFLICT: which one is right cannot be told). Against the store: the same key with the same
 * content is already present (skipped and counted); with different content it is refused
 * (E_ALREADY_STORED_DIFFERENT) — stored data is never silently replaced.
 */
async function dedupeRows(
  exec: (sql: string) => Promise<unknown>,
  count: (sql: string) => Promise<number>,
  spec: KindSpec,
  replace: boolean,
  unit: RowUnit,
  renamed: readonly RenamedColumn[],
) {
  const keys = spec.key.map(q);
  // The first row's place in the words of its format: 第 N 行 / row N, or 第 N 条记录 / record N.
  const { zh: firstZh, en: firstEn } = rowPlaceSql(unit, 'g.first_row');
  const columns = spec.columns.map((c) => c.name);
  // Rows whose keys meet are compared on their typed values as a whole (a struct), not through a hash.
  const content = (alias: string) => `struct_pack(${columns.map((c) => `${q(c)} := ${alias}.${q(c)}`).join(', ')})`;
  // Stored and incoming values have the same types, so content is compared value by value.
  const same = `(${columns.map((c) => `t.${q(c)} IS NOT DISTINCT FROM s.${q(c)}`).join(' AND ')})`;
  // The key columns as SQL text literals: by the user's header with the standard field in brackets when the file names
  // them otherwise (结算编号（setl_id）), else by their 4101 names in English and short Chinese labels in zh (结算ID).
  const label = sqlText(keyLabel(spec, renamed, 'en'));
  const labelZh = sqlText(keyLabel(spec, renamed, 'zh'));
  const keyText =
    keys.length === 1 ? `CAST(ok.${keys[0]} AS VARCHAR)` : `concat_ws('|', ${keys.map((k) => `ok.${k}`).join(', ')})`;
  // Keys seen more than once in the file (only the key columns are read); only the rows of those keys are read
  // whole, and only when there are some. Rows already refused by a check count too, so a row's every reason is
  // reported in one pass: two rows of one key with different content are a conflict even when one (or both) also
  // fails a check — otherwise the conflict showed only after the other reason was fixed (walk5 item 7).
  const keyed = keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
  await exec(`CREATE TEMP TABLE yb_dupkeys AS SELECT ${keys.join(', ')} FROM yb_typ
    WHERE ${keyed} GROUP BY ${keys.join(', ')} HAVING count(*) > 1`);
  if ((await count('SELECT count(*) FROM yb_dupkeys')) > 0) {
    await exec(`
    INSERT INTO yb_rej
    WITH ok AS (SELECT * FROM yb_typ WHERE (${keys.join(', ')}) IN (SELECT (${keys.join(', ')}) FROM yb_dupkeys)),
    dup AS (SELECT * FROM yb_dupkeys),
    g AS (SELECT ${keys.map((k) => `ok.${k}`).join(', ')}, count(DISTINCT ${content('ok')}) AS variants,
                 min(_row) AS first_row, count(*) AS n
          FROM ok JOIN dup USING (${keys.join(', ')}) GROUP BY ${keys.map((k) => `ok.${k}`).join(', ')})
    SELECT ok._row, ${lit(spec.key[0]!)},
      CASE WHEN g.variants > 1 THEN 'E_DUPLICATE_CONFLICT' ELSE 'E_DUPLICATE_IN_FILE' END,
      CASE WHEN g.variants > 1
        THEN '${labelZh} ' || ${keyText} || ' 在文件中出现 ' || g.n || ' 次且内容不同（首次在' || ${firstZh} || '），无法判断哪条正确，全部拒收'
        ELSE '与' || ${firstZh} || '完全重复（${labelZh} ' || ${keyText} || '）' END,
      CASE WHEN g.variants > 1
        THEN '${label} ' || ${keyText} || ' appears ' || g.n || ' times with different content (first at ' || ${firstEn} || '); all refused'
        ELSE 'exact duplicate of ' || ${firstEn} || ' (${label} ' || ${keyText} || ')' END
    FROM ok JOIN g USING (${keys.join(', ')})
    WHERE g.variants > 1 OR ok._row <> g.first_row`);
  }
  const on = keys.map((k) => `s.${k} = t.${k}`).join(' AND ');
  const tKey =
    keys.length === 1 ? `CAST(t.${keys[0]} AS VARCHAR)` : `concat_ws('|', ${keys.map((k) => `t.${k}`).join(', ')})`;
  // A replaceable kind (year-end inputs) says how to correct a stored row; with `replace` the row replaces it.
  const hint = spec.replaceable
    ? { zh: '；如需更正，请加 --replace 重新导入该文件', en: '; to correct it, ingest the file again with --replace' }
    : { zh: '', en: '' };
  await exec(`CREATE TEMP TABLE yb_replace (_row BIGINT, key_text VARCHAR, run_id VARCHAR)`);
  // Against the store: first the rows whose key is stored, reading only the key columns of both sides (usually
  // none: a new file); then, for those rows alone, the stored row and the file's row compared whole, once.
  // Rows already refused meet the store too, so a row that fails a check and differs from the stored row of its key
  // is told both in one pass; such a row is neither already present nor a replacement (`refused`).
  await exec(`CREATE TEMP TABLE yb_meet AS SELECT t._row FROM yb_typ t SEMI JOIN ${spec.table} s ON ${on}`);
  if ((await count('SELECT count(*) FROM yb_meet')) === 0) {
    await exec('CREATE TEMP TABLE yb_already (_row BIGINT)');
    return;
  }
  await exec(`CREATE TEMP TABLE yb_stored_cmp AS
    SELECT t._row, ${tKey} AS key_text, s.run_id, ${same} AS same, t._row IN (SELECT _row FROM yb_rej) AS refused
    FROM (SELECT * FROM yb_typ WHERE _row IN (SELECT _row FROM yb_meet)) t JOIN ${spec.table} s ON ${on}`);
  if (replace) {
    await exec(
      'INSERT INTO yb_replace SELECT _row, key_text, run_id FROM yb_stored_cmp WHERE NOT same AND NOT refused',
    );
  } else {
    await exec(`
      INSERT INTO yb_rej
      SELECT _row, ${lit(spec.key[0]!)}, 'E_ALREADY_STORED_DIFFERENT',
        '${labelZh} ' || key_text || ' 已入库（运行 ' || run_id || '）且内容不同；不会覆盖已入库数据${hint.zh}',
        '${label} ' || key_text || ' is already stored (run ' || run_id || ') with different content; stored data is not replaced${hint.en}'
      FROM yb_stored_cmp WHERE NOT same`);
  }
  await exec('CREATE TEMP TABLE yb_already AS SELECT _row FROM yb_stored_cmp WHERE same AND NOT refused');
}

/**
 * The stored rows the file replaces (`yb_replace`, filled by `dedupeRows` with `replace`): each key with the run
 * that stored it and every column whose value changes, old and new as text (decimals without trailing zeros).
 */
async function replacedRows(store: DuckDbStore, spec: KindSpec): Promise<ReplacedRow[]> {
  if (spec.grouped) return [];
  const on = spec.key.map((k) => `s.${q(k)} = t.${q(k)}`).join(' AND ');
  const cols = spec.columns.map((c) => c.name);
  const text = (alias: string, c: string) => `CAST(${alias}.${q(c)} AS VARCHAR)`;
  const rows = await store.rows(
    `SELECT r.key_text, r.run_id, ${cols.map((c) => `${text('s', c)}, ${text('t', c)}`).join(', ')}
     FROM yb_replace r JOIN yb_typ t USING (_row) JOIN ${spec.table} s ON ${on} ORDER BY r.key_text`,
  );
  const money = new Set(spec.columns.filter((c) => c.type === 'money').map((c) => c.name));
  const tidy = (c: string, v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    const s = String(v);
    return money.has(c) || !/^-?\d+\.\d+$/.test(s) ? s : s.replace(/0+$/, '').replace(/\.$/, '');
  };
  return rows.map((r) => ({
    key: r[0] as string,
    run: r[1] as string,
    changes: cols.flatMap((c, i) => {
      const old = tidy(c, r[2 + 2 * i]);
      const now = tidy(c, r[3 + 2 * i]);
      return old === now ? [] : [{ column: c, old, new: now }];
    }),
  }));
}

/** The run log's note of replaced rows: `{"replaced":[…]}` (rendered per language by `replacedLines`). */
export function replacedMessage(replaced: readonly ReplacedRow[]): string {
  return JSON.stringify({ replaced });
}

/**
 * Replaced rows in the reader's language, one line each: `key（运行 R）：扣款金额 1000.00 → 800.00` with the
 * columns' short labels (glossary words of the kind's column contract).
 */
export function replacedLines(kind: IngestKind, replaced: readonly ReplacedRow[], lang: 'zh' | 'en'): string[] {
  const spec = KINDS[kind];
  const label = (c: string) => columnLabel(spec, c, lang);
  const empty = lang === 'zh' ? '（空）' : '(empty)';
  return replaced.map((r) => {
    const changes = r.changes.map((ch) => `${label(ch.column)} ${ch.old ?? empty} → ${ch.new ?? empty}`);
    return lang === 'zh'
      ? `${r.key}（原由运行 ${r.run} 入库）：${changes.join('，')}`
      : `${r.key} (stored by run ${r.run}): ${changes.join(', ')}`;
  });
}

/** The replaced rows of a run log note written by `replacedMessage`, or null for any other note. */
export function replacedOfMessage(message: string | undefined): ReplacedRow[] | null {
  if (!message?.startsWith('{"replaced":')) return null;
  try {
    return (JSON.parse(message) as { replaced: ReplacedRow[] }).replaced;
  } catch {
    return null;
  }
}

/**
 * Grouped kinds (fee items): all lines of one settlement are one unit. A refused line refuses its group
 * (E_GROUP_REJECTED); a group whose lines are stored identically (same lines in the same order) is already
 * present; a settlement that already has different lines is refused (E_ALREADY_STORED_DIFFERENT).
 */
async function dedupeGroups(
  exec: (sql: string) => Promise<unknown>,
  spec: KindSpec,
  renamed: readonly RenamedColumn[],
) {
  const k = q(spec.key[0]!);
  // The key as the user's file names it (结算编号（setl_id）), else by its 4101 name in en and its label in zh.
  const label = sqlText(keyLabel(spec, renamed, 'en'));
  const labelZh = sqlText(keyLabel(spec, renamed, 'zh'));
  const hash = (alias: string) =>
    contentHash(
      spec.columns.map((c) => c.name),
      alias,
    );
  await exec(`
    INSERT INTO yb_rej
    SELECT t._row, ${lit(spec.key[0]!)}, 'E_GROUP_REJECTED',
      '同一${labelZh} ' || t.${k} || ' 的其他明细被拒收，本条一并拒收',
      'another line of ${label} ' || t.${k} || ' was refused, so this one is too'
    FROM yb_typ t
    WHERE t._row NOT IN (SELECT _row FROM yb_rej)
      AND t.${k} IN (SELECT t2.${k} FROM yb_typ t2 JOIN yb_rej r USING (_row) WHERE t2.${k} IS NOT NULL)`);
  await exec(`
    CREATE TEMP TABLE yb_groups AS
    WITH stored AS (SELECT ${k} AS key, md5(string_agg(${hash('x')}, ',' ORDER BY line_no)) AS h,
                           any_value(run_id) AS run_id
                    FROM ${spec.table} x
                    WHERE ${k} IN (SELECT ${k} FROM yb_typ WHERE _row NOT IN (SELECT _row FROM yb_rej)) GROUP BY ${k}),
    incoming AS (SELECT ${k} AS key, md5(string_agg(${hash('t')}, ',' ORDER BY _row)) AS h FROM yb_typ t
                 WHERE _row NOT IN (SELECT _row FROM yb_rej) AND ${k} IN (SELECT key FROM stored) GROUP BY ${k})
    SELECT incoming.key, incoming.h = stored.h AS same, stored.run_id FROM incoming JOIN stored USING (key)`);
  await exec(`
    INSERT INTO yb_rej
    SELECT t._row, ${lit(spec.key[0]!)}, 'E_ALREADY_STORED_DIFFERENT',
      '${labelZh} ' || t.${k} || ' 已有不同的明细入库（运行 ' || g.run_id || '）；不会覆盖已入库数据',
      '${label} ' || t.${k} || ' already has other lines stored (run ' || g.run_id || '); stored data is not replaced'
    FROM yb_typ t JOIN yb_groups g ON g.key = t.${k}
    WHERE NOT g.same AND t._row NOT IN (SELECT _row FROM yb_rej)`);
  await exec(`
    CREATE TEMP TABLE yb_already AS SELECT t._row FROM yb_typ t JOIN yb_groups g ON g.key = t.${k}
    WHERE g.same AND t._row NOT IN (SELECT _row FROM yb_rej)`);
}
