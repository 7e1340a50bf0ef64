/**
 * `yibao codes import`: load a user's ICD-10 医保版 or ICD-9-CM-3 医保版 list (CSV in UTF-8 or GBK, or XLSX)
 * into the store. Columns: code, name, and for ICD-9 optionally the procedure type (手术/介入治疗/治疗性操作/
 * 诊断性操作 or surgery/interventional/therapeutic/diagnostic); Chinese headers such as 诊断编码 / 手术操作名称
 * are recognised, and the user maps other names (`columns`, `--columns 文件列名=code`). An import replaces the whole
 * list of its kind in one transaction, so importing the same file again gives the same store. Rows that are not
 * usable codes are rejected like ingest rejects (R-DATA-1). A file with rejected rows does not replace a stored list
 * (the store keeps it whole; `force` replaces it with the rows that pass): a list is used whole by every later
 * ingest, and a half-good file silently dropped stored codes that cases then failed on (walk5 item 10). Into a store
 * without a list of the kind, the rows that pass are imported (nothing stored is lost).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROCEDURE_TYPE_WORDS } from '../codes/procedure-type.ts';
import type { ColumnSpec } from '../model/columns.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { lit } from '../store/duckdb/sql.ts';
import { newRunId } from '../store/runs.ts';
import type { CodeListKind, RunStatus } from '../store/store.ts';
import { IngestFileError } from './errors.ts';
import { msg, type QcCheck, textChecks } from './qc/check.ts';
import { TYPED_MACROS } from './qc/typed.ts';
import { insertRejects, REJECTS_TEMP_DDL, storeRejects, writeRejectsFile } from './rejects.ts';
import { rowUnitOf } from './row-place.ts';
import type { ColumnMap } from './source/header.ts';
import { type EncodingOption, formatOf, type SourceFormat, type StageResult, stageFile } from './source/index.ts';

export const CODE_LIST_COLUMNS: readonly ColumnSpec[] = [
  { name: 'code', type: 'code', required: true, zh: '编码', en: 'code' },
  { name: 'name', type: 'text', required: true, zh: '名称', en: 'name' },
  { name: 'proc_type', type: 'code', required: false, zh: '手术操作类别', en: 'procedure type' },
];

const ALIASES: Readonly<Record<string, string>> = Object.fromEntries([
  ...[
    '代码',
    '诊断编码',
    '诊断代码',
    '疾病编码',
    '疾病代码',
    '手术操作编码',
    '手术操作代码',
    '手术编码',
    'icd编码',
  ].map((a) => [a, 'code']),
  ...['诊断名称', '疾病名称', '手术操作名称', '手术名称'].map((a) => [a, 'name']),
  ...['类别', '类型', '操作类型', '手术类型', '手术操作类型', 'type', 'procedure_type'].map((a) => [a, 'proc_type']),
]);

/** A local → national map (编码对照): the incoming code, the code of the national list, optionally its name. */
export const CODE_MAP_COLUMNS: readonly ColumnSpec[] = [
  { name: 'source_code', type: 'code', required: true, zh: '本地编码', en: 'local code' },
  { name: 'code', type: 'code', required: true, zh: '医保版编码', en: 'national code' },
  { name: 'name', type: 'text', required: false, zh: '名称', en: 'name' },
];

const MAP_ALIASES: Readonly<Record<string, string>> = Object.fromEntries([
  ...['本地编码', '原编码', '来源编码', '医院编码', '临床版编码', 'local_code'].map((a) => [a, 'source_code']),
  ...['医保版编码', '医保编码', '国家编码', '分组器编码', '目标编码', 'national_code', 'grouper_code'].map((a) => [
    a,
    'code',
  ]),
  ...['名称', '医保版名称', '诊断名称', '手术操作名称'].map((a) => [a, 'name']),
]);

/** Shape of a code: ICD-10 starts with a letter and two digits (A00…), ICD-9-CM-3 with two digits (00…). */
const CODE_SHAPE: Record<CodeListKind, { re: string; zh: string; en: string }> = {
  icd10: {
    re: '[A-Za-z][0-9]{2}.*',
    zh: '字母加两位数字开头（如 K35.800）',
    en: 'a letter and two digits (e.g. K35.800)',
  },
  icd9: { re: '[0-9]{2}.*', zh: '两位数字开头（如 47.0100）', en: 'two digits (e.g. 47.0100)' },
};

export interface CodeImportOptions {
  kind: CodeListKind;
  file: string;
  format?: SourceFormat;
  encoding?: EncodingOption;
  sheet?: string;
  /** A label of the list's version, e.g. "医保版 2.0". */
  listVersion?: string;
  rejectsFile?: string;
  /** The rejects file's own columns in the reader's language (pipeline.ts `IngestOptions.lang`). */
  lang?: 'zh' | 'en';
  /**
   * Import a local → national map of this kind (编码对照: columns 本地编码, 医保版编码) instead of the list. It
   * replaces the map of its kind; ingest then translates incoming codes through it.
   */
  map?: boolean;
  /** The user's header mapping (`--columns`): file name → column (code, name, proc_type; with `map` source_code). */
  columns?: ColumnMap;
  /** Replace a stored list even when rows were rejected (`--force`): the list becomes the rows that pass. */
  force?: boolean;
}

export interface CodeImportReport {
  runId: string;
  kind: CodeListKind;
  file: string;
  sha256: string;
  read: number;
  /** The header's row and the non-empty rows above it that were skipped as titles (CSV and XLSX are all it reads). */
  header?: StageResult['header'];
  /** XLSX: the sheet read (the one holding the header, or --sheet) and the workbook's other sheets, not read. */
  sheet?: StageResult['sheet'];
  accepted: number;
  rejected: number;
  /** How many codes (or map entries) of this kind the store held before and replaced (0 when `unchanged`). */
  replaced: number;
  /**
   * Rows were rejected and the store held a list of this kind, so it was kept whole and nothing was imported
   * (`accepted` counts the rows that would have been); `force` replaces it.
   */
  unchanged: boolean;
  /** How many entries the store holds of this kind after the import. */
  held: number;
  /** Whether this was a map (编码对照) rather than a list. */
  map: boolean;
  rejectsByCode: Record<string, number>;
  rejectsFile?: string;
  status: RunStatus;
  durationMs: number;
}

/** The procedure-type word of a row → its ProcedureType (NULL when not recognised). */
const PROC_TYPE_SQL = `CASE ${Object.entries(PROCEDURE_TYPE_WORDS)
  .map(([type, words]) => `WHEN lower(yb_txt(proc_type)) IN (${words.map(lit).join(', ')}) THEN ${lit(type)}`)
  .join(' ')} END`;

export async function importCodes(store: DuckDbStore, opts: CodeImportOptions): Promise<CodeImportReport> {
  store.assertWritable();
  if (!existsSync(opts.file)) throw new IngestFileError('E_NOT_FOUND', opts.file, '文件不存在', 'file not found');
  const format = opts.format ?? formatOf(opts.file);
  if (format !== 'csv' && format !== 'xlsx') {
    throw new IngestFileError(
      'E_FORMAT_UNSUPPORTED',
      opts.file,
      '编码库只支持 CSV 或 XLSX',
      'code lists are read from CSV or XLSX',
    );
  }
  const started = new Date();
  const runId = newRunId(started);
  const tmp = await mkdtemp(join(tmpdir(), 'yibao-codes-'));
  const conn = store.connection;
  const temps = ['yb_stg', 'yb_rej', 'yb_code'];
  const outer = store.isInTransaction;
  try {
    // Staged before the transaction (temp tables only), like ingest: see ingest/pipeline.ts.
    for (const t of temps) await conn.run(`DROP TABLE IF EXISTS temp.${t}`);
    await conn.run(TYPED_MACROS);
    const staged = await stageFile(format, {
      conn,
      file: opts.file,
      table: 'yb_stg',
      columns: opts.map ? CODE_MAP_COLUMNS : CODE_LIST_COLUMNS,
      aliases: { ...(opts.map ? MAP_ALIASES : ALIASES), ...(opts.columns ?? {}) },
      tmpDir: tmp,
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.sheet ? { sheet: opts.sheet } : {}),
      ...(outer ? { probeConnection: () => store.instance.connect() } : {}),
    });
    return await store.transaction(async () => {
      await conn.run(REJECTS_TEMP_DDL);
      const shape = CODE_SHAPE[opts.kind];
      const checks: QcCheck[] = [
        ...textChecks(opts.map ? CODE_MAP_COLUMNS : CODE_LIST_COLUMNS, new Set(staged.present), {}),
        {
          rule: 'code-shape',
          code: 'E_FORMAT',
          field: 'code',
          title: { zh: '编码格式', en: 'code shape' },
          where: `yb_txt(code) IS NOT NULL AND NOT regexp_full_match(yb_txt(code), '${shape.re}')`,
          zh: msg(`编码 "{code}" 应以${shape.zh}`),
          en: msg(`code "{code}" should start with ${shape.en}`),
        },
      ];
      if (opts.map && Number(await store.scalar('SELECT count(*) FROM codes WHERE kind = $k', { k: opts.kind })) > 0) {
        checks.push({
          rule: 'map-target',
          code: 'E_CODE_UNKNOWN',
          field: 'code',
          title: { zh: '对照目标在编码库中', en: 'map target in the code list' },
          where: `yb_txt(code) IS NOT NULL AND yb_txt(code) NOT IN (SELECT code FROM codes WHERE kind = ${lit(opts.kind)})`,
          zh: msg(`医保版编码 "{code}" 不在已导入的 ${opts.kind} 编码库中`),
          en: msg(`national code "{code}" is not in the imported ${opts.kind} list`),
        });
      }
      if (opts.kind === 'icd9' && !opts.map) {
        checks.push({
          rule: 'proc-type',
          code: 'E_CODE_INVALID',
          field: 'proc_type',
          title: { zh: '手术操作类别', en: 'procedure type' },
          where: `yb_txt(proc_type) IS NOT NULL AND (${PROC_TYPE_SQL}) IS NULL`,
          zh: msg('手术操作类别 "{proc_type}" 应为 手术/介入治疗/治疗性操作/诊断性操作'),
          en: msg('procedure type "{proc_type}" should be surgery/interventional/therapeutic/diagnostic'),
        });
      }
      await insertRejects((sql) => conn.run(sql), checks, 'yb_stg');
      const target = opts.map
        ? {
            table: 'code_maps',
            key: 'source_code',
            value: '(code, name)',
            what: { zh: '医保版编码', en: 'national codes' },
          }
        : { table: 'codes', key: 'code', value: '(name, proc_type)', what: { zh: '名称或类别', en: 'names or types' } };
      await conn.run(`
        CREATE TEMP TABLE yb_code AS SELECT _row, yb_txt(code) AS code, yb_txt(name) AS name,
          ${opts.map ? 'yb_txt(source_code)' : 'CAST(NULL AS VARCHAR)'} AS source_code,
          ${opts.kind === 'icd9' && !opts.map ? PROC_TYPE_SQL : 'CAST(NULL AS VARCHAR)'} AS proc_type
        FROM yb_stg`);
      await conn.run(`
        INSERT INTO yb_rej
        WITH g AS (SELECT ${target.key} AS k, count(DISTINCT ${target.value}) AS variants, min(_row) AS first_row
                   FROM yb_code WHERE ${target.key} IS NOT NULL GROUP BY ${target.key} HAVING count(*) > 1)
        SELECT c._row, '${target.key}', CASE WHEN g.variants > 1 THEN 'E_DUPLICATE_CONFLICT' ELSE 'E_DUPLICATE_IN_FILE' END,
          CASE WHEN g.variants > 1 THEN '编码 ' || g.k || ' 出现多次且${target.what.zh}不同，全部拒收'
               ELSE '与第 ' || g.first_row || ' 行重复' END,
          CASE WHEN g.variants > 1 THEN 'code ' || g.k || ' appears more than once with different ${target.what.en}; all refused'
               ELSE 'duplicate of row ' || g.first_row END
        FROM yb_code c JOIN g ON g.k = c.${target.key} WHERE g.variants > 1 OR c._row <> g.first_row`);
      const stored = Number(
        await store.scalar(`SELECT count(*) FROM ${target.table} WHERE kind = $k`, { k: opts.kind }),
      );
      const rejected = Number(await store.scalar('SELECT count(DISTINCT _row) FROM yb_rej'));
      const unchanged = rejected > 0 && stored > 0 && opts.force !== true;
      let accepted: number;
      if (unchanged) {
        accepted = Number(
          await store.scalar('SELECT count(*) FROM yb_code WHERE _row NOT IN (SELECT _row FROM yb_rej)'),
        );
      } else {
        await conn.run(`DELETE FROM ${target.table} WHERE kind = $k`, { k: opts.kind });
        const ins = await conn.run(
          opts.map
            ? `INSERT INTO code_maps SELECT $k, source_code, code, $v, $run FROM yb_code
             WHERE _row NOT IN (SELECT _row FROM yb_rej) ORDER BY source_code`
            : `INSERT INTO codes SELECT $k, code, name, proc_type, $v, $run FROM yb_code
             WHERE _row NOT IN (SELECT _row FROM yb_rej) ORDER BY code`,
          { k: opts.kind, v: opts.listVersion ?? null, run: runId },
        );
        accepted = ins.rowsChanged;
      }
      const replaced = unchanged ? 0 : stored;
      const held = unchanged ? stored : accepted;
      if (accepted + rejected !== staged.rows) {
        throw new Error(`internal: read ${staged.rows} ≠ accepted ${accepted} + rejected ${rejected}`);
      }
      const keyExpr = opts.map ? 's.source_code' : 's.code';
      if (rejected > 0)
        await storeRejects(
          store,
          { runId, kind: opts.kind, file: opts.file, unit: rowUnitOf(format) },
          staged.present,
          keyExpr,
          'yb_stg',
        );
      let rejectsFile: string | undefined;
      if (opts.rejectsFile && rejected > 0) {
        rejectsFile = opts.rejectsFile;
        await writeRejectsFile(
          store,
          rejectsFile,
          'code',
          staged.present,
          keyExpr,
          tmp,
          rowUnitOf(format),
          'yb_stg',
          opts.lang,
          undefined,
          // A code list's row is short and shown whole after the reasons: 原文 only when a line could not be split.
          { rawOnlyWhenAny: true },
        );
      }
      const byCode = await store.rows('SELECT code, count(DISTINCT _row) FROM yb_rej GROUP BY code ORDER BY code');
      const finished = new Date();
      const status: RunStatus = rejected > 0 ? 'data-problems' : 'ok';
      await store.recordRun({
        id: runId,
        command: `codes import ${opts.kind}${opts.map ? ' map' : ''}`,
        inputs: [{ path: opts.file, sha256: staged.sha256, bytes: staged.bytes, role: opts.kind }],
        // read = accepted + rejected + notImported: the rows that passed but were not imported (list unchanged).
        counts: unchanged
          ? { read: staged.rows, accepted: 0, rejected, notImported: accepted, replaced }
          : { read: staged.rows, accepted, rejected, replaced },
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        status,
      });
      return {
        runId,
        kind: opts.kind,
        file: opts.file,
        sha256: staged.sha256,
        read: staged.rows,
        ...(staged.header ? { header: staged.header } : {}),
        ...(staged.sheet ? { sheet: staged.sheet } : {}),
        accepted,
        rejected,
        replaced,
        unchanged,
        held,
        map: opts.map ?? false,
        rejectsByCode: Object.fromEntries(byCode.map((r) => [r[0] as string, Number(r[1])])),
        ...(rejectsFile ? { rejectsFile } : {}),
        status,
        durationMs: finished.getTime() - started.getTime(),
      };
    });
  } finally {
    if (!outer) for (const t of temps) await conn.run(`DROP TABLE IF EXISTS temp.${t}`).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}
