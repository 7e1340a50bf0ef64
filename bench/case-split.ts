/**
 * The per-case 病例结算金额 split alone (R-DIP-6, `SettlementRunWriter.caseAmounts`):
 * `node bin/bench.js --child case-split --db STORE [--run ID]` (a DuckDB store holding a run with stored case amounts:
 * use a copy, though nothing is kept). For every pool of the run (its latest by default) with stored amounts, inside
 * one transaction that is rolled back: the stored amounts are kept aside and deleted, the split runs again on the
 * run's own units and institution rows (timed: wall and the process's CPU, DuckDB's threads included), and its rows
 * must equal the stored ones (`EXCEPT ALL` both ways).
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
      `SELECT p.pool_id, p.point_value_num, p.point_value_den, count(*) FROM run_pools p
       JOIN run_unit_amounts a ON a.run_id = p.run_id AND a.pool_id = p.pool_id
       WHERE p.run_id = $run GROUP BY ALL ORDER BY p.pool_id`,
      { run: runId },
    );
    if (pools.length === 0) throw new Error(`run ${runId} has no stored case amounts`);
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const [pool, num, den, stored] of pools) {
        const p = { run: runId, pool: String(pool) };
        await conn.run(
          `CREATE TEMP TABLE bench_stored_amounts AS
           SELECT unit_id, settled_fen FROM run_unit_amounts WHERE run_id = $run AND pool_id = $pool`,
          p,
        );
        await conn.run('DELETE FROM run_unit_amounts WHERE run_id = $run AND pool_id = $pool', p);
        const w = settlementRunWriter(conn, runId);
        const t0 = performance.now();
        const c0 = cpuClock();
        const given = await w.caseAmounts(String(pool), { num: String(num), den: String(den) });
        const cpu = c0.seconds();
        const seconds = (performance.now() - t0) / 1000;
        w.finish();
        const [[differ]] = (await one(
          `SELECT (SELECT count(*) FROM (SELECT unit_id, settled_fen FROM run_unit_amounts
              WHERE run_id = $run AND pool_id = $pool EXCEPT ALL SELECT * FROM bench_stored_amounts))
            + (SELECT count(*) FROM (SELECT * FROM bench_stored_amounts EXCEPT ALL SELECT unit_id, settled_fen
              FROM run_unit_amounts WHERE run_id = $run AND pool_id = $pool))`,
          p,
        )) as [[bigint]];
        if (Number(differ) !== 0)
          throw new Error(`case-split: pool ${pool}: ${differ} rows differ from the stored run`);
        await conn.run('DROP TABLE bench_stored_amounts');
        figures.push({
          label: `病例结算金额 split, pool ${pool} (DuckDB)`,
          items: given,
          seconds,
          notes: `CPU ${cpu.toFixed(2)} s; ${given} units (stored ${stored}); rows equal to the stored run's`,
        });
      }
    } finally {
      await conn.run('ROLLBACK');
    }
  } finally {
    await store.close();
  }
  return figures;
};
