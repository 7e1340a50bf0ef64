/**
 * The DIP history pass as SQL on ClickHouse (issue 9 / issue 17, model/history-keys.ts): the same keys, trimming
 * plan and trimmed cases as the DuckDB store's (../duckdb/history-keys.ts), in ClickHouse's dialect. The code lists
 * are numbered by value: each dictionary (diagnosis lists, procedure lists, institutions) is the distinct values of
 * the history years in their sort order (GROUP BY, which compares the values), and a case reads its id by the value
 * (`joinGetOrNull` on a Join-engine table, as `iterateCaseColumns`); the Join holds a 128-bit hash of each list, and
 * its row count equal to the dictionary's proves that no two lists share one (an exact check at the cost of two
 * counts), so two different lists never share an id.
 * One pass over the history years' cases writes a narrow work table of one row per case (year, the year's position,
 * the three ids, the auxiliary bits, excluded, cost and fund payment in fen, setl_id); the keys are its GROUP BY,
 * numbered in order. When the caller trims, each trimmed group's ends are bounded by an exact quantile
 * (`quantileExactLow`, an element of the data: at least the trimmed cases lie at or beyond it), only the cases
 * beyond the bound are ranked (`row_number()` by cost, the year's position, setl_id — setl_id is unique, so ties
 * are broken as on DuckDB), and the count is checked against the plan (every case of the groups ranked if short).
 *
 * Dialect points: `join_use_nulls = 1` (session setting) for the plan check's LEFT JOIN; Σ cost² as Int128; counts
 * and sums cast to Int64 (Native: bigint, turned into safe numbers); money as `toInt64(x * 100)` fen; the
 * principal diagnosis of an empty list is '' here (NULL on DuckDB): it never starts with a prefix (`excluded`).
 */
import type { HistoryKeyQuery, HistoryKeys, HistoryTails, HistoryTrimPlan } from '../../model/history-keys.ts';
import { historyKeys, historyTails } from '../../model/history-keys.ts';
import { CLICKHOUSE_DIALECT as D } from '../dialect.ts';
import { toSafeNumber } from '../duckdb/sql.ts';
import {
  historyBitsSql,
  historyExcludedSql,
  historyTrimLevels,
  historyYearsChecked,
  trimmedByLevels,
} from '../history-sql.ts';
import type { ChConnection } from './client.ts';
import { type NativeColumn, valueAt } from './native.ts';
import { chLit } from './values.ts';

export /** A ClickHouse number literal of a quantile level (never exponent notation). */
const level = (p: number): string => {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level: ${p}`);
  return p.toFixed(17).replace(/0+$/, '').replace(/\.$/, '.0');
};

/** Int32 values of a column (a Nullable one must have no NULL). */
function ints(c: NativeColumn): Int32Array {
  let d = c.data;
  if (d.kind === 'nullable') {
    if (d.nulls.includes(1)) throw new Error(`history keys: ${c.name} has no value (the cases changed)`);
    d = d.inner;
  }
  if (d.kind !== 'int' || !(d.values instanceof Int32Array)) throw new TypeError(`${c.name}: not Int32`);
  return d.values;
}

/** Int64 values of a column as safe numbers. */
function safe(c: NativeColumn, what: string): (i: number) => number {
  const d = c.data;
  if (d.kind !== 'int64') throw new TypeError(`${c.name}: not Int64`);
  return (i) => toSafeNumber(d.values[i]!, what);
}

export async function clickHouseHistoryKeys(
  conn: ChConnection,
  location: string,
  q: HistoryKeyQuery,
  plan: (keys: HistoryKeys) => HistoryTrimPlan | null,
): Promise<{ keys: HistoryKeys; tails: HistoryTails }> {
  const years = historyYearsChecked(q.years, location);
  const tag = `${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
  const work: string[] = [];
  const table = (name: string) => {
    const t = conn.table(`yibao_tmp_hist_${tag}_${name}`);
    work.push(t);
    return t;
  };
  const cases = conn.table('cases');
  const inYears = `toYear(c.dscg_time) IN (${years.join(', ')})`;
  const bits = historyBitsSql(q.bits, {
    ageDays: 'c.nwb_age',
    age: 'c.age',
    icu: 'coalesce(c.icu_days, 0)',
    way: 'c.dscg_way',
    lit: chLit,
  });
  const excluded = historyExcludedSql(q.exclude, {
    principal: 'c.diag_codes[1]',
    institution: 'c.fixmedins_code',
    los: 'c.act_ipt_days',
    prefix: (t, n) => `substringUTF8(${t}, 1, ${n})`,
    lit: chLit,
  });
  const slot = `CASE toYear(c.dscg_time) ${years.map((y, k) => `WHEN ${y} THEN ${k}`).join(' ')} END`;
  try {
    // The dictionaries: the distinct values in sort order, numbered, and a Join table that gives a value its id.
    // GROUP BY compares the lists themselves (ClickHouse's `serialized` method); a Join keyed by a list keeps one
    // row per 128-bit hash of it (`hashed`), so two lists under one hash would leave the Join a row short: counted,
    // and the pass stops (a count of the two small tables, no pass over the cases).
    const dictionary = async (name: string, column: string) => {
      const values = table(name);
      const join = table(`${name}_join`);
      await conn.command(
        `CREATE TABLE ${values} ENGINE = Memory AS
         SELECT toInt32(row_number() OVER (ORDER BY v) - 1) AS id, v
         FROM (SELECT c.${column} AS v FROM ${cases} AS c WHERE ${inYears} GROUP BY v)`,
      );
      await conn.command(
        `CREATE TABLE ${join} ENGINE = Join(ANY, LEFT, v) SETTINGS persistent = 0 AS SELECT id, v FROM ${values}`,
      );
      const [[lists, keyed]] = (await conn.nativeRows(
        `SELECT toInt64((SELECT count() FROM ${values})), toInt64((SELECT count() FROM ${join}))`,
      )) as [[number, number]];
      if (lists !== keyed)
        throw new Error(`history keys: ${lists} ${name} lists, ${keyed} hashes; two different lists share a hash`);
      return { values, id: (v: string) => `joinGetOrNull('${join}', 'id', ${v})` };
    };
    const dx = await dictionary('dx', 'diag_codes');
    const px = await dictionary('px', 'oprn_oprt_codes');
    const inst = await dictionary('inst', 'fixmedins_code');
    // The one pass over the cases' columns.
    const hc = table('cases');
    await conn.command(
      `CREATE TABLE ${hc} ENGINE = Memory AS
       SELECT toInt32(toYear(c.dscg_time)) AS y, toInt32(${slot}) AS ys, ifNull(${inst.id('c.fixmedins_code')}, -1) AS iid,
         ifNull(${dx.id('c.diag_codes')}, -1) AS did, ifNull(${px.id('c.oprn_oprt_codes')}, -1) AS pid,
         toInt32(${bits}) AS bits, toUInt8(${excluded}) AS x, ${D.fen('c.medfee_sumamt')} AS cost,
         ${D.fen('c.hifp_pay')} AS fund, c.setl_id AS setl_id
       FROM ${cases} AS c WHERE ${inYears}`,
    );
    const keyed = table('keyed');
    await conn.command(
      `CREATE TABLE ${keyed} ENGINE = Memory AS
       SELECT toInt32(row_number() OVER (ORDER BY y, iid, did, pid, bits, x) - 1) AS r, *
       FROM (
         SELECT y, iid, did, pid, bits, x, toInt64(count()) AS n, toInt64(sum(cost)) AS sum_cost,
           toInt64(sum(fund)) AS sum_fund, sum(toInt128(cost) * cost) AS cost2, min(setl_id) AS first_id
         FROM ${hc} GROUP BY y, iid, did, pid, bits, x)`,
    );
    const values = async (t: string) => (await conn.nativeRows(`SELECT v FROM ${t} ORDER BY id`)).map((r) => r[0]);
    const dict = {
      diagnoses: (await values(dx.values)).map((v) => [...(v as string[])]),
      procedures: (await values(px.values)).map((v) => [...(v as string[])]),
      institutions: (await values(inst.values)).map((v) => v as string),
    };
    const blocks = await conn.native(
      `SELECT y, iid, did, pid, bits, x, n, sum_cost, sum_fund, cost2, first_id FROM ${keyed} ORDER BY r`,
    );
    const keys = historyKeys(
      blocks.reduce((k, b) => k + b.rows, 0),
      dict,
    );
    let r = 0;
    for (const b of blocks) {
      if (b.rows === 0) continue;
      const c = b.columns;
      const [y, iid, did, pid, bs] = [0, 1, 2, 3, 4].map((k) => ints(c[k]!));
      const x = c[5]!.data;
      const [n, cost, fund] = [safe(c[6]!, 'cases'), safe(c[7]!, 'medfee_sumamt'), safe(c[8]!, 'hifp_pay')];
      for (let i = 0; i < b.rows; i++, r++) {
        keys.year[r] = y![i]!;
        keys.institution[r] = iid![i]!;
        keys.diagnosisList[r] = did![i]!;
        keys.procedureList[r] = pid![i]!;
        if (iid![i]! < 0 || did![i]! < 0 || pid![i]! < 0)
          throw new Error('history keys: a case outside its dictionary (the cases changed during the pass)');
        keys.bits[r] = bs![i]!;
        keys.excluded[r] = valueAt(x, i) ? 1 : 0;
        keys.cases[r] = n(i);
        keys.cost[r] = cost(i);
        keys.fundPay[r] = fund(i);
        keys.costSquares[r] = BigInt(valueAt(c[9]!.data, i) as number | bigint);
        keys.firstId[r] = q.firstIds ? (valueAt(c[10]!.data, i) as string) : null;
      }
    }
    const trim = plan(keys);
    const tails = trim
      ? await clickHouseHistoryTails(conn, trim, { hc, keyed, dx: dx.values }, table)
      : historyTails(0);
    return { keys, tails };
  } finally {
    for (const t of work.reverse()) {
      try {
        await conn.command(`DROP TABLE IF EXISTS ${t}`);
      } catch {
        // Best effort: a leftover work table holds only this call's history.
      }
    }
  }
}

/** The trimmed cases of `trim`: each end of a group bounded by an exact quantile, only the cases beyond it ranked. */
async function clickHouseHistoryTails(
  conn: ChConnection,
  trim: HistoryTrimPlan,
  t: { hc: string; keyed: string; dx: string },
  table: (name: string) => string,
): Promise<HistoryTails> {
  const planT = table('plan');
  const trimT = table('trim');
  await conn.command(`CREATE TABLE ${planT} (d Int32, p Int32, g Int32) ENGINE = Memory`);
  await conn.command(`CREATE TABLE ${trimT} (g Int32, n Int64, lo Int64, hi Int64) ENGINE = Memory`);
  await conn.insert(
    planT.slice(planT.indexOf('.') + 1),
    trim.pairs.map((x) => ({ d: x.diagnosisList, p: x.procedureList, g: x.group })),
  );
  const trimRows: Record<string, unknown>[] = [];
  trim.cases.forEach((n, g) => {
    if (trim.low[g]! + trim.high[g]! === 0) return;
    trimRows.push({ g, n: String(n), lo: String(trim.low[g]!), hi: String(trim.high[g]!) });
  });
  await conn.insert(trimT.slice(trimT.indexOf('.') + 1), trimRows);
  // A pair's group by its principal diagnosis and procedure list: every diagnosis list with that principal (as the
  // DuckDB store groups by the principal's hash; each group's count is checked against the plan below).
  const pairs = table('pairs');
  await conn.command(
    `CREATE TABLE ${pairs} ENGINE = Memory AS
     SELECT DISTINCT d2.id AS did, x.p AS pid, x.g AS g
     FROM ${planT} AS x JOIN ${t.dx} AS d ON d.id = x.d JOIN ${t.dx} AS d2 ON d2.v[1] = d.v[1]`,
  );
  const rows = table('rows');
  await conn.command(
    `CREATE TABLE ${rows} ENGINE = Memory AS
     SELECT g.g AS g, c.*
     FROM ${t.hc} AS c JOIN ${pairs} AS g ON c.did = g.did AND c.pid = g.pid
     WHERE c.x = 0`,
  );
  const bad = await conn.nativeRows(
    `SELECT t.g, t.n, coalesce(r.n, 0) FROM ${trimT} AS t
     LEFT JOIN (SELECT g, toInt64(count()) AS n FROM ${rows} GROUP BY g) AS r ON r.g = t.g
     WHERE coalesce(r.n, 0) <> t.n LIMIT 1`,
  );
  if (bad.length > 0) {
    const [g, want, got] = bad[0]!;
    throw new Error(`history trimming: group ${g} has ${got} cases in the store, ${want} in the plan`);
  }
  const levels = historyTrimLevels(trim);
  const read = async (lowLevel: number, highLevel: number): Promise<HistoryTails> => {
    // The cases at or beyond each group's bounds (quantileExactLow: the element at ⌊level × n⌋ of the sorted costs,
    // the lower middle one at 0.5 — at least ⌈2 × share × n⌉ cases lie at or beyond it), ranked at each end.
    const blocks = await conn.native(
      `WITH cut AS (
         SELECT g, quantileExactLow(${level(lowLevel)})(cost) AS lo_cost,
           quantileExactLow(${level(highLevel)})(cost) AS hi_cost
         FROM ${rows} GROUP BY g),
       ends AS (
         SELECT r.*, r.cost <= cut.lo_cost AS at_low, r.cost >= cut.hi_cost AS at_high
         FROM ${rows} AS r JOIN cut ON cut.g = r.g
         WHERE r.cost <= cut.lo_cost OR r.cost >= cut.hi_cost),
       low AS (
         SELECT e.*, row_number() OVER (PARTITION BY e.g ORDER BY e.cost, e.ys, e.setl_id) AS k
         FROM ends AS e WHERE e.at_low),
       high AS (
         SELECT e.*, row_number() OVER (PARTITION BY e.g ORDER BY e.cost DESC, e.ys DESC, e.setl_id DESC) AS k
         FROM ends AS e WHERE e.at_high),
       tails AS (
         SELECT low.g AS g, low.cost AS cost, low.y AS y, low.iid AS iid, low.did AS did, low.pid AS pid,
           low.bits AS bits
         FROM low JOIN ${trimT} AS t ON t.g = low.g WHERE low.k <= t.lo
         UNION ALL
         SELECT high.g AS g, high.cost AS cost, high.y AS y, high.iid AS iid, high.did AS did, high.pid AS pid,
           high.bits AS bits
         FROM high JOIN ${trimT} AS t ON t.g = high.g WHERE high.k <= t.hi)
       SELECT k.r, x.g, x.cost
       FROM tails AS x JOIN ${t.keyed} AS k ON k.y = x.y AND k.iid = x.iid AND k.did = x.did AND k.pid = x.pid
         AND k.bits = x.bits AND k.x = 0`,
    );
    const out = historyTails(blocks.reduce((k, b) => k + b.rows, 0));
    let r = 0;
    for (const b of blocks) {
      if (b.rows === 0) continue;
      const [row, g] = [ints(b.columns[0]!), ints(b.columns[1]!)];
      const cost = safe(b.columns[2]!, 'medfee_sumamt');
      for (let i = 0; i < b.rows; i++, r++) {
        out.row[r] = row[i]!;
        out.group[r] = g[i]!;
        out.cost[r] = cost(i);
      }
    }
    return out;
  };
  return trimmedByLevels(levels, read);
}

/** Whether the principal diagnosis of `c` (a non-empty list) starts with one of the prefixes `{idp:Array(String)}`. */
export const CH_PRINCIPAL_PREFIX =
  'length(c.diag_codes) > 0 AND arrayExists(p -> startsWith(c.diag_codes[1], p), {idp:Array(String)})';
