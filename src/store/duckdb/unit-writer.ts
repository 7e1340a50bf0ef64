/**
 * A run's unit rows into `run_units` through the appender (issue 9: millions of units per run), one loop per row
 * with the column kinds written out: no row array per unit, no per-cell dispatch, and the figures (safe integers,
 * checked) appended as exact doubles that DuckDB casts to BIGINT, so no BigInt is made per cell. The stored rows
 * are the same as the generic appender's.
 *
 * One appender per run, not per batch: the inpatient year hands over a batch of ~8k units at a time, and opening and
 * flushing an appender per batch cost a third of the writer's CPU (a stored 1M-case run's 1.49M units replayed by
 * `bench run-io --from --batch 8192`: 15.0 CPU s per batch appender, 9.3 s one per run). Measured and not taken:
 * a staging table fed by data chunks (the node API sets a chunk's texts one native call each), and a CSV file per
 * batch read by `INSERT … SELECT … FROM read_csv` with the repeated texts as word numbers joined back in SQL
 * (34.3 CPU s on the same replay: building the text and DuckDB's parse and joins cost more than the appender's calls).
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { RunUnitRow } from '../settlement-runs.ts';

type FigureField = 'points' | 'amountFen' | 'billedFen' | 'patientPaidFen';

function text(app: DuckDBAppender, v: string | null): void {
  if (v === null || v === undefined) app.appendNull();
  else app.appendVarchar(v);
}

function figure(app: DuckDBAppender, u: RunUnitRow, f: FigureField): void {
  const v = u[f];
  if (v === null || v === undefined) {
    app.appendNull();
    return;
  }
  if (!Number.isSafeInteger(v)) throw new RangeError(`unit ${u.unitId}: ${f} ${v} is not a safe integer`);
  app.appendDouble(v);
}

/**
 * A run's unit appender, open across the run's batches of units (`append`) and closed by `close` (before anything
 * else of the run is written or read, and before the run commits): one appender per run rather than per batch.
 */
export class RunUnitAppender {
  private app: DuckDBAppender | undefined;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly runId: string,
  ) {}

  /** Append `rows` to `run_units` (inside the caller's transaction). */
  async append(rows: readonly RunUnitRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.app ??= await this.conn.createAppender('run_units');
    const app = this.app;
    const runId = this.runId;
    for (const u of rows) {
      app.appendVarchar(runId);
      app.appendVarchar(u.poolId);
      app.appendVarchar(u.unitId);
      app.appendVarchar(u.method);
      app.appendVarchar(u.institution);
      app.appendVarchar(u.month);
      text(app, u.group);
      app.appendVarchar(u.status);
      figure(app, u, 'points');
      figure(app, u, 'amountFen');
      figure(app, u, 'billedFen');
      figure(app, u, 'patientPaidFen');
      text(app, u.basis);
      text(app, u.trace);
      app.endRow();
    }
  }

  /** Flush and close the appender (the rows are in the table); nothing when none is open. */
  close(): void {
    const app = this.app;
    this.app = undefined;
    app?.closeSync();
  }
}
