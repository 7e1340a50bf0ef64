/**
 * `yibao codes import`: load a user's ICD-10 医保版 or ICD-9-CM-3 医保版 list (CSV in UTF-8 or GBK, or XLSX)
 * into the store. Columns: code, name, and for ICD-9 optionally the procedure type (手术/介入治疗/治疗性操作/
 * 诊断性操作 or surgery/interventional/therapeutic/diagnostic); Chinese headers such as 诊断编码 / 手术操作名称
 * are recognised. An import replaces the whole list of its kind in one transaction, so importing the same file
 * again gives the same store. Rows that are not usable codes are rejected like ingest rejects (R-DATA-1).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestFileError } from '../ingest/errors.ts';
import { msg, type QcCheck, textChecks } from '../ingest/qc/check.ts';
import { TYPED_MACROS } from '../ingest/qc/typed.ts';
import { insertRejects, REJECTS_TEMP_DDL, storeRejects, writeRejectsFile } from '../ingest/rejects.ts';
import { type EncodingOption, formatOf, type SourceFormat, stageFile } from '../ingest/source/index.ts';
import type { ColumnSpec } from '../model/columns.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { lit } from '../store/duckdb/sql.ts';
import { newRunId } from '../store/runs.ts';
import type { CodeListKind, RunStatus } from '../store/store.ts';
import { PROCEDURE_TYPE_WORDS } from './procedure-type.ts';

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
}

export interface CodeImportReport {
  runId: string;
  kind: CodeListKind;
  file: string;
  sha256: string;
  read: number;
  accepted: number;
  rejected: number;
  /** How many codes of this kind the store held before (all replaced). */
  replaced: number;
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
      columns: CODE_LIST_COLUMNS,
      aliases: ALIASES,
      tmpDir: tmp,
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.sheet ? { sheet: opts.sheet } : {}),
      ...(outer ? { probeConnection: () => store.instance.connect() } : {}),
    });
    return await store.transaction(async () => {
      await conn.run(REJECTS_TEMP_DDL);
      const shape = CODE_SHAPE[opts.kind];
      const checks: QcCheck[] = [
        ...textChecks(CODE_LIST_COLUMNS, new Set(staged.present), {}),
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
      if (opts.kind === 'icd9') {
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
      await conn.run(`
        CREATE TEMP TABLE yb_code AS SELECT _row, yb_txt(code) AS code, yb_txt(name) AS name,
          ${opts.kind === 'icd9' ? PROC_TYPE_SQL : 'CAST(NULL AS VARCHAR)'} AS proc_type
        FROM yb_stg WHERE _row NOT IN (SELECT _row FROM yb_rej)`);
      await conn.run(`
        INSERT INTO yb_rej
        WITH g AS (SELECT code, count(DISTINCT (name, proc_type)) AS variants, min(_row) AS first_row
                   FROM yb_code GROUP BY code HAVING count(*) > 1)
        SELECT c._row, 'code', CASE WHEN g.variants > 1 THEN 'E_DUPLICATE_CONFLICT' ELSE 'E_DUPLICATE_IN_FILE' END,
          CASE WHEN g.variants > 1 THEN '编码 ' || c.code || ' 出现多次且名称或类别不同，全部拒收'
               ELSE '与第 ' || g.first_row || ' 行重复' END,
          CASE WHEN g.variants > 1 THEN 'code ' || c.code || ' appears more than once with different names or types; all refused'
               ELSE 'duplicate of row ' || g.first_row END
        FROM yb_code c JOIN g USING (code) WHERE g.variants > 1 OR c._row <> g.first_row`);
      const replaced = Number(await store.scalar('SELECT count(*) FROM codes WHERE kind = $k', { k: opts.kind }));
      await conn.run('DELETE FROM codes WHERE kind = $k', { k: opts.kind });
      const ins = await conn.run(
        `INSERT INTO codes SELECT $k, code, name, proc_type, $v, $run FROM yb_code
         WHERE _row NOT IN (SELECT _row FROM yb_rej) ORDER BY code`,
        { k: opts.kind, v: opts.listVersion ?? null, run: runId },
      );
      const accepted = ins.rowsChanged;
      const rejected = Number(await store.scalar('SELECT count(DISTINCT _row) FROM yb_rej'));
      if (accepted + rejected !== staged.rows) {
        throw new Error(`internal: read ${staged.rows} ≠ accepted ${accepted} + rejected ${rejected}`);
      }
      const keyExpr = 's.code';
      if (rejected > 0) await storeRejects(store, { runId, kind: opts.kind, file: opts.file }, staged.present, keyExpr);
      let rejectsFile: string | undefined;
      if (opts.rejectsFile && rejected > 0) {
        rejectsFile = opts.rejectsFile;
        await writeRejectsFile(store, rejectsFile, 'code', staged.present, keyExpr, tmp);
      }
      const byCode = await store.rows('SELECT code, count(DISTINCT _row) FROM yb_rej GROUP BY code ORDER BY code');
      const finished = new Date();
      const status: RunStatus = rejected > 0 ? 'data-problems' : 'ok';
      await store.recordRun({
        id: runId,
        command: `codes import ${opts.kind}`,
        inputs: [{ path: opts.file, sha256: staged.sha256, bytes: staged.bytes, role: opts.kind }],
        counts: { read: staged.rows, accepted, rejected, replaced },
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
        accepted,
        rejected,
        replaced,
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
