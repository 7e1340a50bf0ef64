/**
 * ClickHouse beside DuckDB (issue 17), for `npm run bench -- --only clickhouse,clickhouse-items`:
 *
 * - `clickhouse` — the pipeline: synth → QC ingest into DuckDB → settle on DuckDB; hand-off to chDB (Parquet) →
 *   the same settlement on chDB; the pool and institution year-end rows of both runs are compared (to the fen),
 *   and the ratio chDB / DuckDB printed per stage.
 * - `clickhouse-items` — item-level monitoring over a large synthetic fee-line table made by the same arithmetic on
 *   both engines (row number → case, item, quantity, price): duplicate charges, quantities over a per-day limit
 *   (excess share, half up) and prices above the catalog, written once through the dialect layer; the flags and
 *   the money at issue must be equal on both.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CODE_LISTS } from '../src/codes/index.ts';
import { importCodes } from '../src/ingest/codes-import.ts';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { ingestRegion } from '../src/run/demo.ts';
import { settleRegionYear } from '../src/run/settle-region-year.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';
import { handOff } from '../src/store/clickhouse/handoff.ts';
import { CLICKHOUSE_DIALECT, DUCKDB_DIALECT, type SqlDialect } from '../src/store/dialect.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../src/store/store.ts';
import { casesByYear, DEFAULT_YEARS, generateRegion } from '../src/synth/generate.ts';
import { type Stage, type StageFigure, stageMeter } from './harness.ts';

const rssMb = () => process.resourceUsage().maxRSS / 1024;

async function settleFigures(store: Store, year: number) {
  const policies = loadPolicyDir('policies', POLICY_KINDS);
  const meter = stageMeter();
  const t0 = performance.now();
  const run = await settleRegionYear(store, {
    region: 'demo',
    year,
    policies,
    method: 'dip',
    command: 'bench',
    skip: ['ffs'],
    onStage: meter.onStage,
  });
  const total = meter.end();
  const cpu: Record<string, number> = { ...meter.cpu, total };
  const wall = (performance.now() - t0) / 1000;
  const r = store.runResults(run.record.id);
  const pool = (await r.pools())[0]!;
  const year_ = await r.institutionYear(pool.poolId);
  return {
    run,
    wall,
    cpu,
    seconds: { ...run.seconds, ...run.inpatient.seconds },
    fingerprint: JSON.stringify([pool, year_]),
  };
}

export const clickhousePipelineStage: Stage = async (args) => {
  const current = Number(args.current ?? 1_000_000);
  const years = [...DEFAULT_YEARS];
  const oneYear = casesByYear(1_000_000, years);
  const total = Math.round((current * 1_000_000) / oneYear.at(-1)!);
  const dir = args.dir ?? join('out', 'bench-clickhouse');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const figures: StageFigure[] = [];
  const note = (label: string, items: number, seconds: number, notes?: string) => {
    figures.push({
      label,
      items,
      seconds,
      notes: `${notes ? `${notes}; ` : ''}peak RSS so far ${rssMb().toFixed(0)} MB`,
    });
    process.stderr.write(`  ${label}: ${seconds.toFixed(1)} s\n`);
  };
  let t0 = performance.now();
  const regionDir = join(dir, 'region');
  const manifest = await generateRegion({ out: regionDir, cases: total, seed: 20250101, feeItems: false });
  note('synth', total, (performance.now() - t0) / 1000);
  const duck = await DuckDbStore.open(join(dir, 'bench.duckdb'));
  const ch = await ClickHouseStore.open(`chdb://${join(dir, 'chdb')}?database=bench`);
  try {
    t0 = performance.now();
    for (const kind of ['icd10', 'icd9'] as const)
      await importCodes(duck, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: 'sample' });
    await ingestRegion(duck, manifest, regionDir, dir);
    note('DuckDB: ingest with full QC (all years)', total, (performance.now() - t0) / 1000);
    t0 = performance.now();
    const moved = await handOff(duck, ch, {
      workDir: dir,
      tables: ['institutions', 'persons', 'enrolments', 'outpatient_settlements', 'codes', 'cases'],
    });
    note(
      'hand-off DuckDB → chDB (Parquet, totals checked)',
      moved.find((m) => m.table === 'cases')!.rows,
      (performance.now() - t0) / 1000,
    );
    const d = await settleFigures(duck, manifest.currentYear);
    const c = await settleFigures(ch, manifest.currentYear);
    const n = d.run.inpatient.counts.current;
    const all = d.run.inpatient.counts.history + n;
    const equal = d.fingerprint === c.fingerprint ? 'pool and institution year-end rows equal to the fen' : 'DIFFERENT';
    const rows: [string, number, string][] = [
      ['read cases (store → objects)', all, 'read'],
      ['DIP calibrate + evaluate + settle', n, 'engines'],
      ['capitation + family doctor', d.run.capitation?.heads.enrolled ?? 0, 'capitation'],
      ['store the run (result tables)', n, 'record'],
    ];
    const engines = (s: Record<string, number>) =>
      (s['dip calibrate'] ?? 0) + (s.carveOuts ?? 0) + (s['dip evaluate'] ?? 0) + (s['dip settle'] ?? 0);
    for (const [label, items, key] of rows) {
      const ds = key === 'engines' ? engines(d.seconds) : (d.seconds[key] ?? 0);
      const cs = key === 'engines' ? engines(c.seconds) : (c.seconds[key] ?? 0);
      figures.push({ label: `DuckDB: ${label}`, items, seconds: ds });
      figures.push({
        label: `chDB:   ${label}`,
        items,
        seconds: cs,
        notes: `${(cs / Math.max(ds, 1e-9)).toFixed(2)}× DuckDB`,
      });
    }
    const cpuKeys = [...new Set([...Object.keys(d.cpu), ...Object.keys(c.cpu)])].filter((k) => k !== 'total');
    for (const k of [...cpuKeys, 'total']) {
      const dc = d.cpu[k] ?? 0;
      const cc = c.cpu[k] ?? 0;
      figures.push({ label: `DuckDB: CPU s of stage ${k}`, items: n, seconds: dc, notes: 'CPU seconds, not wall' });
      figures.push({
        label: `chDB:   CPU s of stage ${k}`,
        items: n,
        seconds: cc,
        notes: `CPU seconds, not wall; ${(cc / Math.max(dc, 1e-9)).toFixed(2)}× DuckDB`,
      });
    }
    note('DuckDB: settle total', n, d.wall);
    note('chDB:   settle total', n, c.wall, `${(c.wall / d.wall).toFixed(2)}× DuckDB; ${equal}`);
  } finally {
    await ch.close();
    await duck.close();
  }
  if (args.keep !== 'yes') rmSync(dir, { recursive: true, force: true });
  return figures;
};

/** The synthetic fee-line table, the same rows on both engines (integer arithmetic on the row number). */
function linesSql(d: SqlDialect, rows: number): string {
  const src = d.name === 'duckdb' ? `range(${rows}) t(n)` : `numbers(${rows}) AS t`;
  const num = d.name === 'duckdb' ? 'n' : 'number';
  const div = (a: string, b: string) => d.intDiv(a, b);
  // 20 lines per case; lines 12–19 repeat the items of lines 0–7 (the even ones at the same quantity and price:
  // duplicate charges); quantity 1..5; every 97th line 7 fen above the catalog price 100 + item × 25. Days: the
  // case's admission day 0..299 and stay 1..9 days; a line is charged on a day of the stay, except every 89th line
  // (two days after discharge) and every 131st (the day before admission).
  const setl = div(num, '20');
  const line = `(${num} % 20)`;
  const los = `(1 + ${setl} % 9)`;
  const adm = `(${setl} % 300)`;
  return `SELECT ${setl} AS setl_id, ${line} AS line_no,
      (${setl} * 7 + (${line} % 12) * 13) % 400 AS item,
      1 + (${setl} + (${line} % 12) * 7 + ${div(line, '12')} * (${line} % 2)) % 5 AS qty,
      ${los} AS los,
      100 + ((${setl} * 7 + (${line} % 12) * 13) % 400) * 25 + (CASE WHEN ${num} % 97 = 0 THEN 7 ELSE 0 END) AS price_fen,
      ${adm} AS adm_day,
      CASE WHEN ${num} % 89 = 0 THEN ${adm} + ${los} + 2 WHEN ${num} % 131 = 0 THEN ${adm} - 1
           ELSE ${adm} + ${line} % (${los} + 1) END AS charge_day
    FROM ${src}`;
}

/** Item rules as SQL, through the dialect: one result row per rule (flags, money at issue in fen). */
function rulesSql(d: SqlDialect, t: string): string {
  const amount = '(qty * price_fen)';
  return `
    SELECT 'duplicate-charge' AS rule, count() AS flags, coalesce(sum(dup_fen), 0) AS fen FROM (
      SELECT setl_id, item, sum(${amount}) - max(${amount}) AS dup_fen
      FROM ${t} GROUP BY setl_id, item, qty, price_fen HAVING count() > 1)
    UNION ALL
    SELECT 'over-quantity', count(), coalesce(sum(${d.intDiv('2 * fen * (q - lim) + q', '2 * q')}), 0) FROM (
      SELECT setl_id, item, sum(qty) AS q, 3 * max(los) AS lim, sum(${amount}) AS fen
      FROM ${t} WHERE item % 10 = 0 GROUP BY setl_id, item HAVING sum(qty) > 3 * max(los))
    UNION ALL
    SELECT 'price-above-catalog', count(), coalesce(sum((price_fen - (100 + item * 25)) * qty), 0)
    FROM ${t} WHERE price_fen > 100 + item * 25
    UNION ALL
    SELECT 'charge-outside-stay', count(), coalesce(sum(fen), 0) FROM (
      SELECT setl_id, item, sum(${amount}) AS fen
      FROM ${t} WHERE charge_day < adm_day OR charge_day > adm_day + los GROUP BY setl_id, item)`.replaceAll(
    'count()',
    d.name === 'duckdb' ? 'count(*)' : 'count()',
  );
}

export const clickhouseItemsStage: Stage = async (args) => {
  const rows = Number(args.lines ?? 10_000_000);
  const dir = args.dir ?? join('out', 'bench-clickhouse-items');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const figures: StageFigure[] = [];
  const duck = await DuckDbStore.open(join(dir, 'items.duckdb'));
  const ch = await ClickHouseStore.open(`chdb://${join(dir, 'chdb')}?database=items`);
  try {
    let t0 = performance.now();
    await duck.connection.run(`CREATE TABLE fee_lines AS ${linesSql(DUCKDB_DIALECT, rows)}`);
    const rss = () => `peak RSS so far ${rssMb().toFixed(0)} MB (both engines in one process)`;
    figures.push({
      label: 'DuckDB: make fee-line table',
      items: rows,
      seconds: (performance.now() - t0) / 1000,
      notes: rss(),
    });
    t0 = performance.now();
    await ch.conn.command(
      `CREATE TABLE ${ch.conn.table('fee_lines')} ENGINE = MergeTree ORDER BY (setl_id, line_no) AS ${linesSql(CLICKHOUSE_DIALECT, rows)}`,
    );
    figures.push({
      label: 'chDB:   make fee-line table',
      items: rows,
      seconds: (performance.now() - t0) / 1000,
      notes: rss(),
    });
    t0 = performance.now();
    const dr = (await duck.rows(`${rulesSql(DUCKDB_DIALECT, 'fee_lines')} ORDER BY rule`)).map((r) => r.map(String));
    const ds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const cr = (
      await ch.rows(`SELECT * FROM (${rulesSql(CLICKHOUSE_DIALECT, ch.conn.table('fee_lines'))}) ORDER BY rule`)
    ).map((r) => r.map(String));
    const cs = (performance.now() - t0) / 1000;
    const same = JSON.stringify(dr) === JSON.stringify(cr);
    const summary = dr.map((r) => `${r[0]} ${r[1]} flags ${(Number(r[2]) / 100).toFixed(2)} yuan`).join(', ');
    figures.push({ label: 'DuckDB: 4 item rules', items: rows, seconds: ds, notes: `${summary}; ${rss()}` });
    figures.push({
      label: 'chDB:   4 item rules',
      items: rows,
      seconds: cs,
      notes: `${(cs / ds).toFixed(2)}× DuckDB; ${same ? 'flags and money equal' : `DIFFERENT: ${JSON.stringify(cr)}`}; ${rss()}`,
    });
  } finally {
    await ch.close();
    await duck.close();
  }
  if (args.keep !== 'yes') rmSync(dir, { recursive: true, force: true });
  return figures;
};
