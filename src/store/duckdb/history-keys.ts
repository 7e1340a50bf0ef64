/**
 * The DIP history pass as SQL on DuckDB (issue 9, model/history-keys.ts). The code lists are read once: one pass
 * over the history years' cases writes a narrow work table of one row per case — its key as numbers (year,
 * institution, the hashes of its diagnosis list, procedure list and principal diagnosis, auxiliary bits, excluded),
 * cost, fund payment and setl_id — and everything else runs on that table: the keys (GROUP BY), the dictionaries (the
 * lists of each hash read from one case), and — when the caller trims — the trimmed cases found by rank without
 * ranking every case: per trimmed group an exact quantile bounds each end, and only the cases beyond the bound are
 * ranked (by cost, the year's position, setl_id). A hash shared by two lists of different length or first code is
 * caught (they must agree within a hash) and stops the pass with an error; two lists alike in both would have to
 * meet in 64 bits besides.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBValue } from '@duckdb/node-api';
import {
  type HistoryKeyQuery,
  type HistoryKeys,
  type HistoryTails,
  type HistoryTrimPlan,
  historyKeys,
  historyTails,
} from '../../model/history-keys.ts';
import {
  historyBitsSql,
  historyExcludedSql,
  historyTrimLevels,
  historyYearsChecked,
  trimmedByLevels,
} from '../history-sql.ts';
import { lit, toSafeNumber } from './sql.ts';

/** The result's chunks and its row count. */
async function chunksOf(conn: DuckDBConnection, sql: string): Promise<{ rows: number; chunks: DuckDBDataChunk[] }> {
  const result = await conn.run(sql);
  const chunks: DuckDBDataChunk[] = [];
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    chunks.push(chunk);
    rows += chunk.rowCount;
  }
  return { rows, chunks };
}

/** The first `k` column vectors of a chunk. */
const vectors = (chunk: DuckDBDataChunk, k: number) => Array.from({ length: k }, (_, i) => chunk.getColumnVector(i));

const WORK = [
  'yibao_hist_cases',
  'yibao_hist_keyed',
  'yibao_hist_dx',
  'yibao_hist_px',
  'yibao_hist_inst',
  'yibao_hist_plan',
  'yibao_hist_pairs',
  'yibao_hist_trim',
  'yibao_hist_rows',
  'yibao_hist_ends',
];

export async function duckDbHistoryKeys(
  conn: DuckDBConnection,
  location: string,
  q: HistoryKeyQuery,
  plan: (keys: HistoryKeys) => HistoryTrimPlan | null,
): Promise<{ keys: HistoryKeys; tails: HistoryTails }> {
  const years = historyYearsChecked(q.years, location);
  const bits = historyBitsSql(q.bits, {
    ageDays: 'c.nwb_age',
    age: 'c.age',
    icu: 'coalesce(c.icu_days, 0)',
    way: 'c.dscg_way',
    lit,
  });
  const excluded = historyExcludedSql(q.exclude, {
    principal: 'c.diag_codes[1]',
    institution: 'c.fixmedins_code',
    los: 'c.act_ipt_days',
    prefix: (t, n) => `substring(${t}, 1, ${n})`,
    lit,
  });
  const slot = `CASE year(c.dscg_time) ${years.map((y, k) => `WHEN ${y} THEN ${k}`).join(' ')} END`;
  const first = q.firstIds ? 'min(setl_id)' : 'NULL::VARCHAR';
  try {
    // The one pass over the cases' columns (each code list hashed, with its length and its first code's hash).
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE yibao_hist_cases AS
       SELECT c.rowid AS rid, CAST(year(c.dscg_time) AS INTEGER) AS y, CAST(${slot} AS INTEGER) AS ys,
         c.fixmedins_code AS inst, hash(c.diag_codes) AS hd, len(c.diag_codes) AS nd,
         hash(coalesce(c.oprn_oprt_codes, []::VARCHAR[])) AS hp, coalesce(len(c.oprn_oprt_codes), 0) AS np,
         hash(c.oprn_oprt_codes[1]) AS p1, hash(c.diag_codes[1]) AS ph,
         CAST(${bits} AS INTEGER) AS bits, ${excluded} AS x, CAST(c.medfee_sumamt * 100 AS BIGINT) AS cost,
         CAST(c.hifp_pay * 100 AS BIGINT) AS fund, c.setl_id
       FROM cases c WHERE year(c.dscg_time) IN (${years.join(', ')})`,
    );
    const clash = await conn.runAndReadAll(
      `SELECT (SELECT count(*) FROM (SELECT hd FROM yibao_hist_cases GROUP BY hd
                HAVING min(ph) <> max(ph) OR min(nd) <> max(nd)))
            + (SELECT count(*) FROM (SELECT hp FROM yibao_hist_cases GROUP BY hp
                HAVING min(p1) <> max(p1) OR min(np) <> max(np)))`,
    );
    if (Number(clash.getRows()[0]![0]) > 0)
      throw new Error('history keys: two different code lists share a hash; the pass cannot group them apart');
    // The keys, numbered in their order; the dictionaries (each hash's list read from one of its cases).
    for (const [table, hash, column] of [
      ['yibao_hist_dx', 'hd', 'c.diag_codes'],
      ['yibao_hist_px', 'hp', 'coalesce(c.oprn_oprt_codes, []::VARCHAR[])'],
    ] as const) {
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE ${table} AS
         SELECT CAST(row_number() OVER (ORDER BY ${column}) - 1 AS INTEGER) AS id, f.h, ${column} AS v
         FROM cases c JOIN (SELECT ${hash} AS h, min(rid) AS rid FROM yibao_hist_cases GROUP BY ${hash}) f
           ON c.rowid = f.rid`,
      );
    }
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE yibao_hist_inst AS
       SELECT CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS id, v
       FROM (SELECT DISTINCT inst AS v FROM yibao_hist_cases)`,
    );
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE yibao_hist_keyed AS
       SELECT CAST(row_number() OVER (ORDER BY k.y, i.id, d.id, p.id, k.bits, k.x) - 1 AS INTEGER) AS r,
         i.id AS iid, d.id AS did, p.id AS pid, k.*
       FROM (
         SELECT y, inst, hd, hp, bits, x, count(*) AS n, sum(cost) AS cost, sum(fund) AS fund,
           sum(CAST(cost AS HUGEINT) * cost) AS cost2, ${first} AS first_id
         FROM yibao_hist_cases GROUP BY ALL) k
       JOIN yibao_hist_inst i ON i.v = k.inst JOIN yibao_hist_dx d ON d.h = k.hd JOIN yibao_hist_px p ON p.h = k.hp`,
    );
    const strs = (v: DuckDBValue): string[] =>
      v === null ? [] : (v as { items: readonly (string | null)[] }).items.map((x) => x ?? '');
    const values = async (table: string) =>
      (await conn.runAndReadAll(`SELECT v FROM ${table} ORDER BY id`)).getRows().map((r) => r[0]!);
    const dict = {
      diagnoses: (await values('yibao_hist_dx')).map(strs),
      procedures: (await values('yibao_hist_px')).map(strs),
      institutions: (await values('yibao_hist_inst')).map((v) => v as string),
    };
    const keyRows = await chunksOf(
      conn,
      `SELECT y, iid, did, pid, bits, x, CAST(n AS BIGINT), CAST(cost AS BIGINT), CAST(fund AS BIGINT), cost2,
         first_id FROM yibao_hist_keyed ORDER BY r`,
    );
    const keys = historyKeys(keyRows.rows, dict);
    let r = 0;
    for (const chunk of keyRows.chunks) {
      const [y, inst, dx, px, b, x, n, cost, fund, cost2, firstId] = vectors(chunk, 11);
      const rows = chunk.rowCount;
      for (let i = 0; i < rows; i++, r++) {
        keys.year[r] = y!.getItem(i) as number;
        keys.institution[r] = inst!.getItem(i) as number;
        keys.diagnosisList[r] = dx!.getItem(i) as number;
        keys.procedureList[r] = px!.getItem(i) as number;
        keys.bits[r] = b!.getItem(i) as number;
        keys.excluded[r] = x!.getItem(i) ? 1 : 0;
        keys.cases[r] = toSafeNumber(n!.getItem(i), 'cases');
        keys.cost[r] = toSafeNumber(cost!.getItem(i), 'medfee_sumamt');
        keys.fundPay[r] = toSafeNumber(fund!.getItem(i), 'hifp_pay');
        keys.costSquares[r] = cost2!.getItem(i) as bigint;
        keys.firstId[r] = firstId!.getItem(i) as string | null;
      }
    }
    const trim = plan(keys);
    const tails = trim ? await duckDbHistoryTails(conn, trim) : historyTails(0);
    return { keys, tails };
  } finally {
    for (const t of WORK) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** The trimmed cases of `trim`: each end of a group bounded by an exact quantile, only the cases beyond it ranked. */
async function duckDbHistoryTails(conn: DuckDBConnection, trim: HistoryTrimPlan): Promise<HistoryTails> {
  const table = async (name: string, ddl: string, fill: (a: DuckDBAppender) => void) => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (${ddl})`);
    const a = await conn.createAppender(name, 'main', 'temp');
    try {
      fill(a);
    } finally {
      a.closeSync();
    }
  };
  await table('yibao_hist_plan', 'd INTEGER, p INTEGER, g INTEGER', (a) => {
    for (const x of trim.pairs) {
      a.appendInteger(x.diagnosisList);
      a.appendInteger(x.procedureList);
      a.appendInteger(x.group);
      a.endRow();
    }
  });
  await table('yibao_hist_trim', 'g INTEGER, n BIGINT, lo BIGINT, hi BIGINT', (a) => {
    trim.cases.forEach((n, g) => {
      if (trim.low[g]! + trim.high[g]! === 0) return;
      a.appendInteger(g);
      a.appendBigInt(BigInt(n));
      a.appendBigInt(BigInt(trim.low[g]!));
      a.appendBigInt(BigInt(trim.high[g]!));
      a.endRow();
    });
  });
  // A pair's group by the hashes of its principal diagnosis and procedure list (each group's count is checked
  // against the plan below, so a principal diagnosis sharing a hash with another cannot pass unseen).
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE yibao_hist_pairs AS
     SELECT DISTINCT hash(d.v[1]) AS ph, p.h AS hp, x.g
     FROM yibao_hist_plan x JOIN yibao_hist_dx d ON d.id = x.d JOIN yibao_hist_px p ON p.id = x.p`,
  );
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE yibao_hist_rows AS
     SELECT g.g, c.cost, c.rid
     FROM yibao_hist_cases c JOIN yibao_hist_pairs g ON c.ph = g.ph AND c.hp = g.hp
     WHERE NOT c.x`,
  );
  const bad = await conn.runAndReadAll(
    `SELECT t.g, t.n, coalesce(r.n, 0) FROM yibao_hist_trim t
     LEFT JOIN (SELECT g, count(*) AS n FROM yibao_hist_rows GROUP BY g) r ON r.g = t.g
     WHERE coalesce(r.n, 0) <> t.n LIMIT 1`,
  );
  if (bad.currentRowCount > 0) {
    const [g, want, got] = bad.getRows()[0]!;
    throw new Error(`history trimming: group ${g} has ${got} cases in the store, ${want} in the plan`);
  }
  const levels = historyTrimLevels(trim);
  const read = async (lowLevel: number, highLevel: number): Promise<HistoryTails> => {
    // The cases at or beyond each group's bounds, with the year's position, setl_id and key.
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE yibao_hist_ends AS
       WITH cut AS (
         SELECT g, quantile_disc(cost, ${lowLevel}) AS lo_cost, quantile_disc(cost, ${highLevel}) AS hi_cost
         FROM yibao_hist_rows GROUP BY g)
       SELECT r.g, r.cost <= cut.lo_cost AS at_low, r.cost >= cut.hi_cost AS at_high, c.*
       FROM yibao_hist_rows r JOIN cut ON cut.g = r.g JOIN yibao_hist_cases c ON c.rid = r.rid
       WHERE r.cost <= cut.lo_cost OR r.cost >= cut.hi_cost`,
    );
    const result = await chunksOf(
      conn,
      `WITH low AS (
         SELECT e.*, row_number() OVER (PARTITION BY e.g ORDER BY e.cost, e.ys, e.setl_id) AS k
         FROM yibao_hist_ends e WHERE e.at_low),
       high AS (
         SELECT e.*, row_number() OVER (PARTITION BY e.g ORDER BY e.cost DESC, e.ys DESC, e.setl_id DESC) AS k
         FROM yibao_hist_ends e WHERE e.at_high),
       tails AS (
         SELECT low.* FROM low JOIN yibao_hist_trim t ON t.g = low.g WHERE low.k <= t.lo
         UNION ALL
         SELECT high.* FROM high JOIN yibao_hist_trim t ON t.g = high.g WHERE high.k <= t.hi)
       SELECT k.r, x.g, x.cost
       FROM tails x JOIN yibao_hist_keyed k ON k.y = x.y AND k.inst = x.inst AND k.hd = x.hd AND k.hp = x.hp
         AND k.bits = x.bits AND NOT k.x`,
    );
    const out = historyTails(result.rows);
    let r = 0;
    for (const chunk of result.chunks) {
      const [row, g, cost] = vectors(chunk, 3);
      const rows = chunk.rowCount;
      for (let i = 0; i < rows; i++, r++) {
        out.row[r] = row!.getItem(i) as number;
        out.group[r] = g!.getItem(i) as number;
        out.cost[r] = toSafeNumber(cost!.getItem(i), 'medfee_sumamt');
      }
    }
    return out;
  };
  return trimmedByLevels(levels, read);
}

/** Whether the principal diagnosis of `cases c` starts with one of `prefixes`, as an SQL boolean. */
export function principalPrefixSql(prefixes: readonly string[]): string {
  if (prefixes.length === 0) return 'false';
  return `(${prefixes.map((p) => `starts_with(c.diag_codes[1], ${lit(p)})`).join(' OR ')})`;
}
