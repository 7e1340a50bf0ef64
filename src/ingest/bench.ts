/**
 * Ingest benchmark: N synthetic-looking settlement lists written by DuckDB SQL to Parquet and to CSV, each
 * ingested with full QC into a fresh store file, then streamed back as InpatientCase batches. Reports rows/s
 * and peak RSS per stage. (Realistic regions come from src/synth; these rows only need to be plausible and
 * pass QC, except one in 100 that is made to fail so the reject path is measured too.)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { type IngestStage, ingestFile } from './pipeline.ts';

export interface BenchStage {
  stage: string;
  ms: number;
  peakRssMb: number;
}

export interface BenchFormatResult {
  format: 'parquet' | 'csv';
  fileMb: number;
  seconds: number;
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
  results: BenchFormatResult[];
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** SQL of N plausible cases (4101 column names, typed as a Parquet writer would type them). */
export function casesSql(rows: number): string {
  const diag = "['K35.800', 'I10.x00', 'J18.900', 'E11.900', 'I63.900', 'K80.100', 'J44.100', 'N39.000', 'I50.900']";
  const proc = "['47.0100', '51.2300', '36.0700', '45.2300', '99.2500', '39.9500']";
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
      CAST(total_fen AS DECIMAL(18,0)) / 100 AS medfee_sumamt,
      CAST(total_fen * 7 // 10 AS DECIMAL(18,0)) / 100 AS hifp_pay,
      CAST(total_fen - total_fen * 7 // 10 AS DECIMAL(18,0)) / 100 AS psn_selfpay,
      CAST(0 AS DECIMAL(18,2)) AS acct_pay,
      CAST(total_fen - total_fen * 7 // 10 AS DECIMAL(18,0)) / 100 AS psn_cashpay,
      CAST(total_fen * 4 // 10 AS DECIMAL(18,0)) / 100 AS fee_wm,
      CAST(total_fen - total_fen * 4 // 10 AS DECIMAL(18,0)) / 100 AS fee_treat
    FROM base`;
}

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
}): Promise<IngestBenchResult> {
  const rows = opts.rows;
  const log = opts.log ?? (() => undefined);
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'yibao-bench-'));
  try {
    const parquet = join(dir, 'cases.parquet');
    const csv = join(dir, 'cases.csv');
    const t0 = performance.now();
    const gen = await DuckDBInstance.create(':memory:');
    const conn = await gen.connect();
    await conn.run(`CREATE TABLE c AS ${casesSql(rows)}`);
    await conn.run(`COPY c TO '${parquet}' (FORMAT parquet)`);
    // CSV as HIS exports write it: lists joined with "|", money with two decimals.
    await conn.run(
      `COPY (SELECT * REPLACE (array_to_string(diag_codes, '|') AS diag_codes,
                                array_to_string(oprn_oprt_codes, '|') AS oprn_oprt_codes,
                                CASE WHEN days_rinp_flag_31 THEN '1' ELSE '0' END AS days_rinp_flag_31)
             FROM c) TO '${csv}' (FORMAT csv, HEADER true)`,
    );
    conn.closeSync();
    gen.closeSync();
    const generateSeconds = (performance.now() - t0) / 1000;
    log(`generated ${rows} rows in ${generateSeconds.toFixed(1)} s`);

    const results: BenchFormatResult[] = [];
    for (const [format, file] of [
      ['parquet', parquet],
      ['csv', csv],
    ] as const) {
      const store = await DuckDbStore.open(join(dir, `${format}.duckdb`));
      const sampler = new RssSampler();
      try {
        const start = performance.now();
        const report = await ingestFile(store, {
          kind: 'cases',
          file,
          onStage: (s: IngestStage) => sampler.enter(s),
        });
        const seconds = (performance.now() - start) / 1000;
        sampler.enter('read-back');
        const readStart = performance.now();
        let n = 0;
        for await (const batch of store.iterateCases({}, 10_000)) n += batch.length;
        const readSeconds = (performance.now() - readStart) / 1000;
        sampler.stop();
        const result: BenchFormatResult = {
          format,
          fileMb: mb((await stat(file)).size),
          seconds: Number(seconds.toFixed(2)),
          rowsPerSecond: Math.round(rows / seconds),
          peakRssMb: mb(Math.max(...[...sampler.peaks].filter(([k]) => k !== 'read-back').map(([, v]) => v))),
          accepted: report.accepted,
          rejected: report.rejected,
          reader: report.reader,
          stages: report.stages
            .filter((s) => s.stage !== 'done')
            .map((s) => ({ stage: s.stage, ms: s.ms, peakRssMb: mb(sampler.peaks.get(s.stage) ?? 0) })),
          readBack: {
            seconds: Number(readSeconds.toFixed(2)),
            rowsPerSecond: Math.round(n / readSeconds),
            peakRssMb: mb(sampler.peaks.get('read-back') ?? 0),
          },
        };
        results.push(result);
        log(
          `${format}: ${result.rowsPerSecond} rows/s (${result.seconds} s), peak RSS ${result.peakRssMb} MB; ` +
            `read back ${result.readBack.rowsPerSecond} rows/s`,
        );
      } finally {
        sampler.stop();
        await store.close();
      }
    }
    return { rows, generateSeconds: Number(generateSeconds.toFixed(2)), results };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
