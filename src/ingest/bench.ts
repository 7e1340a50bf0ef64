/**
 * Ingest benchmark: N synthetic-looking settlement lists written by DuckDB SQL to typed Parquet (and to CSV),
 * each ingested with full QC (the sample ICD-10 / ICD-9 lists and the institutions loaded first, so no check
 * is skipped) into a fresh store file, then streamed back as InpatientCase batches; persons (N/2) and 门特
 * visits (N) from typed Parquet the same way. Reports rows/s, CPU seconds and peak RSS per stage, beside
 * DuckDB's bare read (+ group-by) of the same Parquet and its bare copy into a store file (the floor of
 * storing the rows). (Realistic regions come from src/synth; these rows only need to be plausible and pass QC,
 * except one in 100 that is made to fail so the reject path is measured too.)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { importCodes } from './codes-import.ts';
import type { IngestKind } from './kinds/kind.ts';
import { type IngestStage, ingestFile } from './pipeline.ts';

export interface BenchStage {
  stage: string;
  ms: number;
  peakRssMb: number;
}

export interface BenchFormatResult {
  kind: IngestKind;
  format: 'parquet' | 'csv';
  rows: number;
  fileMb: number;
  seconds: number;
  /** CPU seconds of the whole process (main thread + DuckDB's threads) during the ingest. */
  cpuSeconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  accepted: number;
  rejected: number;
  reader: string;
  stages: BenchStage[];
  /** Streaming the stored cases back through Store.iterateCases (batches of 10 000). */
  readBack: { seconds: number; rowsPerSecond: number; peakRssMb: number };
}

export interface IngestBenchResult {
  rows: number;
  generateSeconds: number;
  /** DuckDB alone on the cases Parquet: read + group-by, and a bare copy into a store file (wall, CPU s). */
  bare: { readSeconds: number; readCpuSeconds: number; copySeconds: number; copyCpuSeconds: number };
  results: BenchFormatResult[];
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** SQL of N plausible cases (4101 column names, typed as a Parquet writer would type them). */
export function casesSql(rows: number): string {
  const diag = "['K35.800', 'I10.x00', 'J18.900', 'E11.900', 'I63.900', 'K80.100', 'J44.100', 'N39.000', 'I50.900']";
  const proc = "['47.0100', '51.2300', '36.0700', '45.2300', '99.2503', '39.9500']";
  return `
    WITH base AS (
      SELECT i, hash(i) AS h, (hash(i) >> 20) AS h2, TIMESTAMP '2025-01-01 08:00:00' + to_days(CAST(i % 350 AS INTEGER))
               + to_hours(CAST(hash(i) % 10 AS INTEGER)) AS adm, 1 + CAST(hash(i) % 14 AS INTEGER) AS los,
             DATE '1930-01-01' + CAST(hash(i) % 32000 AS INTEGER) AS brdy,
             CAST(100000 + hash(i) % 5000000 AS BIGINT) AS total_fen
      FROM range(${rows}) t(i))
    SELECT
      'S' || lpad(CAST(i AS VARCHAR), 10, '0') AS setl_id,
      'M' || lpad(CAST(i AS VARCHAR), 10, '0') AS mdtrt_id,
      'P' || lpad(CAST(h2 % ${Math.max(1, Math.floor(rows / 3))} AS VARCHAR), 9, '0') AS psn_no,
      'H' || lpad(CAST(h % 30 AS VARCHAR), 3, '0') AS fixmedins_code,
      CASE WHEN h % 3 = 0 THEN '390' ELSE '310' END AS insutype,
      CASE WHEN i % 100 = 99 THEN '3' WHEN h2 % 2 = 0 THEN '1' ELSE '2' END AS gend,
      brdy,
      CAST(date_diff('year', brdy, CAST(adm AS DATE)) AS INTEGER) AS age,
      adm AS adm_time,
      adm + to_days(los) + to_hours(2) AS dscg_time,
      los AS act_ipt_days,
      '1' AS dscg_way,
      'A0' || CAST(h % 9 AS VARCHAR) AS dscg_caty,
      [${diag}[1 + CAST(h % 9 AS INTEGER)], ${diag}[1 + CAST(h2 % 9 AS INTEGER)]] AS diag_codes,
      CASE WHEN h % 4 = 0 THEN [] ELSE [${proc}[1 + CAST(h % 6 AS INTEGER)]] END AS oprn_oprt_codes,
      CAST(h % 2 AS INTEGER) AS icu_days,
      false AS days_rinp_flag_31,
      CAST(CAST(total_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS medfee_sumamt,
      CAST(CAST(total_fen * 7 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS hifp_pay,
      CAST(CAST(total_fen - total_fen * 7 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS psn_selfpay,
      CAST(0 AS DECIMAL(18,2)) AS acct_pay,
      CAST(CAST(total_fen - total_fen * 7 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS psn_cashpay,
      CAST(CAST(total_fen * 4 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS fee_wm,
      CAST(CAST(total_fen - total_fen * 4 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS fee_treat
    FROM base`;
}

/** N insured persons (PERSON_COLUMNS, typed), one in 100 with an unknown sex code. */
function personsSql(rows: number): string {
  return `SELECT 'P' || lpad(CAST(i AS VARCHAR), 9, '0') AS psn_no,
      CASE WHEN i % 100 = 99 THEN '3' WHEN hash(i) % 2 = 0 THEN '1' ELSE '2' END AS gend,
      DATE '1930-01-01' + CAST(hash(i) % 32000 AS INTEGER) AS brdy,
      CASE WHEN hash(i) % 3 = 0 THEN '390' ELSE '310' END AS insutype,
      '9901' || lpad(CAST(hash(i) % 10 AS VARCHAR), 2, '0') AS admdvs
    FROM range(${rows}) t(i)`;
}

/** N 门特 visits (OUTPATIENT_COLUMNS, typed), one in 100 with a fund payment above the total. */
function outpatientSql(rows: number, persons: number): string {
  return `WITH b AS (SELECT i, hash(i) AS h, CAST(2000 + hash(i) % 200000 AS BIGINT) AS total_fen FROM range(${rows}) t(i))
    SELECT 'V' || lpad(CAST(i AS VARCHAR), 10, '0') AS setl_id, 'MV' || lpad(CAST(i AS VARCHAR), 10, '0') AS mdtrt_id,
      'P' || lpad(CAST(h % ${Math.max(1, persons)} AS VARCHAR), 9, '0') AS psn_no,
      'H' || lpad(CAST(h % 30 AS VARCHAR), 3, '0') AS fixmedins_code,
      CASE WHEN h % 3 = 0 THEN '390' ELSE '310' END AS insutype,
      'M0' || CAST(h % 7 AS VARCHAR) AS opsp_dise_code,
      TIMESTAMP '2025-01-01 08:00:00' + to_days(CAST(i % 360 AS INTEGER)) + to_minutes(CAST(h % 600 AS INTEGER)) AS setl_time,
      CAST(CAST(total_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS medfee_sumamt,
      CAST(CAST(CASE WHEN i % 100 = 99 THEN total_fen * 2 ELSE total_fen * 6 // 10 END AS DECIMAL(18,0)) * 0.01
           AS DECIMAL(18,2)) AS hifp_pay,
      CAST(0 AS DECIMAL(18,2)) AS outp_adj_fee,
      CAST(CAST(total_fen - total_fen * 6 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS psn_selfpay,
      CAST(CAST(total_fen - total_fen * 6 // 10 AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS psn_cashpay
    FROM b`;
}

/** CPU seconds of this process (all threads) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/** Peak RSS sampled every 10 ms, per named phase. */
class RssSampler {
  private timer: NodeJS.Timeout;
  private phase = '';
  readonly peaks = new Map<string, number>();
  overall = 0;

  constructor() {
    this.timer = setInterval(() => this.sample(), 10);
  }

  enter(phase: string): void {
    this.sample();
    this.phase = phase;
    this.sample();
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    this.overall = Math.max(this.overall, rss);
    if (this.phase) this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, rss));
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

export async function benchIngest(opts: {
  rows: number;
  dir?: string;
  log?: (line: string) => void;
  /** Cases formats to ingest (default Parquet and CSV). */
  formats?: readonly ('parquet' | 'csv')[];
  /** Also ingest persons (rows/2) and 门特 visits (rows) from Parquet (default true). */
  others?: boolean;
}): Promise<IngestBenchResult> {
  const rows = opts.rows;
  const log = opts.log ?? (() => undefined);
  const formats = opts.formats ?? ['parquet', 'csv'];
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'yibao-bench-'));
  try {
    const parquet = join(dir, 'cases.parquet');
    const csv = join(dir, 'cases.csv');
    const persons = join(dir, 'persons.parquet');
    const outpatient = join(dir, 'outpatient.parquet');
    const institutions = join(dir, 'institutions.csv');
    const t0 = performance.now();
    const gen = await DuckDBInstance.create(':memory:');
    const conn = await gen.connect();
    await conn.run(`CREATE TABLE c AS ${casesSql(rows)}`);
    await conn.run(`COPY c TO '${parquet}' (FORMAT parquet)`);
    if (formats.includes('csv')) {
      // CSV as HIS exports write it: lists joined with "|", money with two decimals.
      await conn.run(
        `COPY (SELECT * REPLACE (array_to_string(diag_codes, '|') AS diag_codes,
                                  array_to_string(oprn_oprt_codes, '|') AS oprn_oprt_codes,
                                  CASE WHEN days_rinp_flag_31 THEN '1' ELSE '0' END AS days_rinp_flag_31)
               FROM c) TO '${csv}' (FORMAT csv, HEADER true)`,
      );
    }
    await conn.run('DROP TABLE c');
    const personRows = Math.max(1, Math.floor(rows / 2));
    if (opts.others ?? true) {
      await conn.run(`COPY (${personsSql(personRows)}) TO '${persons}' (FORMAT parquet)`);
      await conn.run(`COPY (${outpatientSql(rows, personRows)}) TO '${outpatient}' (FORMAT parquet)`);
    }
    await conn.run(
      `COPY (SELECT 'H' || lpad(CAST(i AS VARCHAR), 3, '0') AS fixmedins_code, '医院' || i AS fixmedins_name,
                    '3' AS hosp_lv, 'general' AS inst_type, '990101' AS admdvs FROM range(30) t(i))
       TO '${institutions}' (FORMAT csv, HEADER true)`,
    );
    conn.closeSync();
    gen.closeSync();
    const generateSeconds = (performance.now() - t0) / 1000;
    log(`generated ${rows} rows in ${generateSeconds.toFixed(1)} s`);
    const bare = await bareDuckDb(parquet, join(dir, 'bare.duckdb'));
    log(
      `DuckDB bare: read + group-by ${bare.readSeconds.toFixed(2)} s (${bare.readCpuSeconds.toFixed(2)} CPU-s), ` +
        `copy into a store file ${bare.copySeconds.toFixed(2)} s (${bare.copyCpuSeconds.toFixed(2)} CPU-s)`,
    );

    const runs: { kind: IngestKind; format: 'parquet' | 'csv'; file: string; rows: number }[] = [
      ...formats.map((f) => ({ kind: 'cases' as const, format: f, file: f === 'csv' ? csv : parquet, rows })),
      ...((opts.others ?? true)
        ? [
            { kind: 'persons' as const, format: 'parquet' as const, file: persons, rows: personRows },
            { kind: 'outpatient' as const, format: 'parquet' as const, file: outpatient, rows },
          ]
        : []),
    ];
    const results: BenchFormatResult[] = [];
    for (const { kind, format, file, rows: n } of runs) {
      const store = await DuckDbStore.open(join(dir, `${kind}-${format}.duckdb`));
      const sampler = new RssSampler();
      try {
        // Full QC: the code lists and institutions loaded, so no check is skipped.
        for (const k of ['icd10', 'icd9'] as const) await importCodes(store, { kind: k, file: SAMPLE_CODE_LISTS[k] });
        await ingestFile(store, { kind: 'institutions', file: institutions });
        const start = performance.now();
        const cpu = process.cpuUsage();
        const report = await ingestFile(store, { kind, file, onStage: (s: IngestStage) => sampler.enter(s) });
        const seconds = (performance.now() - start) / 1000;
        const cpuSeconds = cpuSince(cpu);
        if (report.skippedChecks.length > 0) {
          throw new Error(`bench: checks skipped (${report.skippedChecks.map((c) => c.rule).join(', ')})`);
        }
        sampler.enter('read-back');
        const readStart = performance.now();
        let back = 0;
        if (kind === 'cases') for await (const batch of store.iterateCases({}, 10_000)) back += batch.length;
        const readSeconds = (performance.now() - readStart) / 1000;
        sampler.stop();
        const result: BenchFormatResult = {
          kind,
          format,
          rows: n,
          fileMb: mb((await stat(file)).size),
          seconds: Number(seconds.toFixed(2)),
          cpuSeconds: Number(cpuSeconds.toFixed(2)),
          rowsPerSecond: Math.round(n / seconds),
          peakRssMb: mb(Math.max(...[...sampler.peaks].filter(([k]) => k !== 'read-back').map(([, v]) => v))),
          accepted: report.accepted,
          rejected: report.rejected,
          reader: report.reader,
          stages: report.stages
            .filter((s) => s.stage !== 'done')
            .map((s) => ({ stage: s.stage, ms: s.ms, peakRssMb: mb(sampler.peaks.get(s.stage) ?? 0) })),
          readBack: {
            seconds: Number(readSeconds.toFixed(2)),
            rowsPerSecond: back > 0 ? Math.round(back / readSeconds) : 0,
            peakRssMb: mb(sampler.peaks.get('read-back') ?? 0),
          },
        };
        results.push(result);
        log(
          `${kind} ${format}: ${result.rowsPerSecond} rows/s (${result.seconds} s, ${result.cpuSeconds} CPU-s), ` +
            `peak RSS ${result.peakRssMb} MB; stages ${result.stages.map((s) => `${s.stage} ${s.ms} ms`).join(', ')}` +
            (back > 0 ? `; read back ${result.readBack.rowsPerSecond} rows/s` : ''),
        );
      } finally {
        sampler.stop();
        await store.close();
      }
    }
    return { rows, generateSeconds: Number(generateSeconds.toFixed(2)), bare, results };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** DuckDB alone on the same Parquet: read + group-by in memory, and a bare copy of every row into a store file. */
async function bareDuckDb(parquet: string, dbFile: string): Promise<IngestBenchResult['bare']> {
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await fn();
    return [(performance.now() - t) / 1000, cpuSince(cpu)] as const;
  };
  const mem = await DuckDBInstance.create(':memory:');
  const m = await mem.connect();
  const [readSeconds, readCpuSeconds] = await timed(() =>
    m.runAndReadAll(
      `SELECT fixmedins_code, count(*), sum(medfee_sumamt), sum(hifp_pay), max(dscg_time)
       FROM read_parquet('${parquet}') GROUP BY fixmedins_code`,
    ),
  );
  m.closeSync();
  mem.closeSync();
  const file = await DuckDBInstance.create(dbFile);
  const f = await file.connect();
  const [copySeconds, copyCpuSeconds] = await timed(async () => {
    await f.run(`CREATE TABLE cases AS SELECT * FROM read_parquet('${parquet}')`);
    await f.run('CHECKPOINT');
  });
  f.closeSync();
  file.closeSync();
  const r = (x: number) => Number(x.toFixed(2));
  return {
    readSeconds: r(readSeconds),
    readCpuSeconds: r(readCpuSeconds),
    copySeconds: r(copySeconds),
    copyCpuSeconds: r(copyCpuSeconds),
  };
}
