/**
 * A run's unit rows into `run_units` through the appender (issue 9: millions of units per run), one loop per row
 * with the column kinds written out: no row array per unit, no per-cell dispatch, and the figures (safe integers,
 * checked) appended as exact doubles that DuckDB casts to BIGINT, so no BigInt is made per cell. The stored rows
 * are the same as the generic appender's. (A staging table fed by data chunks with the texts as word numbers was
 * measured slower on a real run: the node API sets a chunk's texts one native call each all the same.)
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

/** Append `rows` of run `runId` to `run_units` on `conn` (inside the caller's transaction). */
export async function appendUnits(conn: DuckDBConnection, runId: string, rows: readonly RunUnitRow[]): Promise<void> {
  if (rows.length === 0) return;
  const app = await conn.createAppender('run_units');
  try {
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
  } finally {
    app.closeSync();
  }
}
