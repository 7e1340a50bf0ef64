/**
 * The per-case 病例结算金额 split alone (R-DIP-6, `SettlementRunWriter.caseAmounts`):
 * `node bin/bench.js --child case-split --db STORE [--run ID] [--save FILE | --expect FILE]` (a DuckDB store holding a
 * settled run: use a copy, though nothing of the split is kept; opening it migrates it). For every pool of the run
 * (its latest by default), inside one transaction that is rolled back: any stored amounts are kept aside and deleted,
 * the split runs on the run's own units and institution rows with the pool's point value (timed: wall and the
 * process's CPU, DuckDB's threads included), and its rows must equal the stored ones (`EXCEPT ALL` both ways).
 * `--save FILE` writes the rows (Parquet: run, pool, unit, fen) so that another build's split can be held to them
 * with `--expect FILE`.
 */
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { settlementRunWriter } from '../src/store/duckdb/settlement-runs.ts';
import { cpuClock, type Stage, type StageFigure } from './harness.ts';

export const caseSplitStage: Stage = async (args) => {
  if (!args.db) throw new Error('case-split: --db STORE (a copy of a DuckDB store with a run) is required');
  const store = await DuckDbStore.open(args.db);
  const conn = store.connection;
  const one = async (sql: string, p: Record<string, string> = {}) => (await conn.runAndReadAll(sql, p)).getRows();
  const figures: StageFigure[] = [];
  try {
    const runId = args.run ?? (await store.listSettlementRuns({ limit: 1 }))[0]?.id;
    if (!runId) throw new Error(`${args.db} holds no settlement run`);
    const pools = await one(
      `SELECT p.pool_id, p.point_value_num, p.point_value_den,
         (SELECT count(*) FROM run_unit_amounts a WHERE a.run_id = p.run_id AND a.pool_id = p.pool_id)
       FROM run_pools p WHERE p.run_id = $run ORDER BY p.pool_id`,
      { run: runId },
    );
    if (pools.length === 0) throw new Error(`run ${runId} has no pool`);
    // Rows of the other build of the split (`--expect`), or none.
    const expected = args.expect
      ? `(SELECT unit_id, settled_fen FROM read_parquet('${args.expect}') WHERE pool_id = $pool)`
      : null;
    const differ = async (a: string, b: string, p: Record<string, string>) =>
      Number(
        (
          await one(
            `SELECT (SELECT count(*) FROM (${a} EXCEPT ALL ${b})) + (SELECT count(*) FROM (${b} EXCEPT ALL ${a}))`,
            p,
          )
        )[0]![0],
      );
    const mine = '(SELECT unit_id, settled_fen FROM run_unit_amounts WHERE run_id = $run AND pool_id = $pool)';
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const [pool, num, den, stored] of pools) {
        const p = { run: runId, pool: String(pool) };
        await conn.run(`CREATE OR REPLACE TEMP TABLE bench_stored_amounts AS ${mine}`, p);
        await conn.run('DELETE FROM run_unit_amounts WHERE run_id = $run AND pool_id = $pool', p);
        const w = settlementRunWriter(conn, runId);
        const t0 = performance.now();
        const c0 = cpuClock();
        const given = await w.caseAmounts(String(pool), { num: String(num), den: String(den) });
        const cpu = c0.seconds();
        const seconds = (performance.now() - t0) / 1000;
        w.finish();
        const checks: string[] = [];
        if (Number(stored) > 0) {
          const n = await differ(mine, '(SELECT * FROM bench_stored_amounts)', p);
          if (n !== 0) throw new Error(`case-split: pool ${pool}: ${n} rows differ from the stored run's`);
          checks.push("rows equal to the stored run's");
        }
        if (expected) {
          const n = await differ(mine, expected, p);
          if (n !== 0) throw new Error(`case-split: pool ${pool}: ${n} rows differ from ${args.expect}`);
          checks.push(`rows equal to ${args.expect}`);
        }
        figures.push({
          label: `病例结算金额 split, pool ${pool} (DuckDB)`,
          items: given,
          seconds,
          notes: `CPU ${cpu.toFixed(2)} s; ${given} units; ${checks.join('; ') || 'rows not compared'}`,
        });
      }
      if (args.save) {
        await conn.run(
          `COPY (SELECT run_id, pool_id, unit_id, settled_fen FROM run_unit_amounts WHERE run_id = $run)
           TO '${args.save}' (FORMAT parquet)`,
          { run: runId },
        );
      }
    } finally {
      await conn.run('ROLLBACK');
    }
  } finally {
    await store.close();
  }
  return figures;
};
