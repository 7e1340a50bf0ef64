/**
 * The whole-year mode of the case rules on ClickHouse (R-MON-3, issue 17): the twin of `duckdb-sql.ts`, rule by rule,
 * with the same integer formulas and the same knowledge tables and baselines, so a year monitored on ClickHouse gives
 * the flags a DuckDB store gives (`test/clickhouse-monitor.test.ts`). Only the dialect differs:
 *
 * - integers: fen and 1/10000 units as Int64, products in Int128, `intDiv` (truncating like DuckDB's `//`);
 * - no correlated subqueries and no `unnest`: diagnosis lists are inlined as prefix arrays (`arrayExists`), the
 *   secondary diagnoses are `arraySlice(diag_codes, 2)`; an empty array element is '' where DuckDB has NULL;
 * - aggregate and output aliases are `f_…`, never a column's name (ClickHouse resolves an alias anywhere in its
 *   SELECT, so `sum(amount) AS amount` would refer to itself);
 * - evidence JSON is built by concatenation: numbers with `toString`, text with `toJSONString` (the store's
 *   session quotes 64-bit integers inside JSON functions), NULL as `null`;
 * - work tables instead of temp tables: `{db}.mon_<id>_…` MergeTree tables of one monitoring run (a ClickHouse
 *   server has no temp table outside an HTTP session), dropped by `dropWork`.
 */
import { DISCHARGE_WAY_DEATH } from '../../model/case.ts';
import type { Ratio } from '../../model/money.ts';
import type { ConditionField } from '../../policy/kinds/monitor.ts';
import type { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.ts';
import { isCaseRule } from '../check-case.ts';
import type { Baselines } from '../context.ts';
import type { Knowledge } from '../knowledge.ts';
import type { RuleBase } from '../rule-base.ts';
import type { Evidence, Flag, MonitorRule, Severity } from '../types.ts';
import { lit } from './duckdb-sql.ts';

type Logic<D extends string> = Extract<MonitorRule['logic'], { detector: D }>;
type Condition = Extract<MonitorRule['logic'], { where: unknown }>['where'][number];

const WORK = ['c', 'i', 'isum', 'stays', 'k_limits', 'k_pairs', 'k_catalog', 'b_all', 'b_plain', 'b_own', 'h'] as const;
type WorkName = (typeof WORK)[number];

/** The work tables of one monitoring run on ClickHouse (qualified names). */
export class ChMonitorWork {
  readonly t: Readonly<Record<WorkName, string>>;
  constructor(
    readonly store: ClickHouseStore,
    readonly knowledge: Knowledge,
    readonly id = Math.random().toString(36).slice(2, 10),
  ) {
    this.t = Object.fromEntries(WORK.map((n) => [n, store.conn.table(`mon_${id}_${n}`)])) as Record<WorkName, string>;
  }

  /** A table of the store, qualified. */
  db(name: string): string {
    return this.store.conn.table(name);
  }

  /** `code` starts with a prefix of one of the diagnosis lists (inlined: ClickHouse has no correlated subquery). */
  inLists(code: string, lists: readonly string[]): string {
    const prefixes = [
      ...new Set(lists.flatMap((l) => (this.knowledge.diagnosisLists.get(l) ?? []).map((e) => e.codePrefix))),
    ].sort();
    return prefixes.length === 0 ? '0' : `arrayExists(p -> startsWith(${code}, p), [${prefixes.map(lit).join(',')}])`;
  }

  async dropWork(): Promise<void> {
    for (const n of WORK) await this.store.conn.command(`DROP TABLE IF EXISTS ${this.t[n]}`);
  }
}

const int = (n: number | bigint) => {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return String(n);
};
const i128 = (x: string) => `toInt128(${x})`;
/** a ≤ b × r */
const atMostSql = (a: string, b: string, r: Ratio) => `${i128(a)} * ${int(r.den)} <= ${i128(b)} * ${int(r.num)}`;
/** round_half_up(a × b / c) */
const mulDivSql = (a: string, b: string, c: string) =>
  `toInt64(intDiv(2 * ${i128(a)} * ${i128(b)} + ${i128(c)}, 2 * ${i128(c)}))`;
/** A quantity in 1/10000 units as text ("2", "1.5"), as the engine writes it. */
const qtyText = (q: string) =>
  `if(${q} % 10000 = 0, toString(intDiv(${q}, 10000)),
    concat(toString(intDiv(${q}, 10000)), '.', trimRight(leftPad(toString(${q} % 10000), 4, '0'), '0')))`;
const MAX_I64 = 'toInt64(9223372036854775807)';

/** JSON pieces: a number (or NULL) and a text (or NULL). */
const jn = (x: string) => `ifNull(toString(${x}), 'null')`;
const js = (x: string) => `ifNull(toJSONString(${x}), 'null')`;
/** A JSON object from key → JSON piece, keys in the order DuckDB's json_object writes them. */
const obj = (pairs: readonly (readonly [string, string])[]) =>
  `concat('{', ${pairs.map(([k, v], i) => `'${i ? ',' : ''}${JSON.stringify(k)}:', ${v}`).join(', ')}, '}')`;

/** Work tables of the year's cases and lines, knowledge and baselines (ClickHouse twin of `prepareYear`). */
export async function chPrepareYear(
  w: ChMonitorWork,
  year: number,
  k: Knowledge,
  b: Baselines,
  filter: { institution?: string } = {},
): Promise<void> {
  const { t } = w;
  const run = (sql: string) => w.store.conn.command(sql);
  const inst = filter.institution ? `AND c.fixmedins_code = ${lit(filter.institution)}` : '';
  await w.dropWork();
  await run(`CREATE TABLE ${t.c} ENGINE = MergeTree ORDER BY setl_id AS
SELECT c.setl_id AS setl_id, ifNull(c.mdtrt_id, '') AS mdtrt_id, c.psn_no AS psn_no, c.fixmedins_code AS inst, c.gend AS gend, c.age AS age,
  c.act_ipt_days AS los, nullIf(c.dscg_caty, '') AS dept, ifNull(c.icu_days, 0) AS icu, c.dscg_way AS dscg_way,
  c.adm_time AS adm_time, c.dscg_time AS dscg_time, c.diag_codes AS diag_codes, c.diag_codes[1] AS principal,
  leftUTF8(c.diag_codes[1], 3) AS category, length(c.oprn_oprt_codes) AS n_proc,
  toInt64(c.medfee_sumamt * 100) AS total, toInt64(c.hifp_pay * 100) AS fund, toInt64(c.psn_ownpay * 100) AS own,
  formatDateTime(c.dscg_time, '%Y-%m') AS period, i.hosp_lv AS level
FROM ${w.db('cases')} AS c INNER JOIN ${w.db('institutions')} AS i ON i.fixmedins_code = c.fixmedins_code
WHERE toYear(c.dscg_time) = ${int(year)} ${inst}`);
  await run(`CREATE TABLE ${t.i} ENGINE = MergeTree ORDER BY (setl_id, line_no) AS
SELECT f.setl_id AS setl_id, f.line_no AS line_no, f.med_list_codg AS code, ifNull(f.med_chrgitm_type, '') AS category,
  multiIf(f.chrgitm_lv = '01', 'A', f.chrgitm_lv = '02', 'B', 'C') AS cls,
  toInt64(f.cnt * 10000) AS qty, toInt64(f.pric * 100) AS price, toInt64(f.det_item_fee_sumamt * 100) AS amount,
  toDate32(f.fee_ocur_time) AS charge_day
FROM ${w.db('fee_items')} AS f WHERE f.setl_id IN (SELECT setl_id FROM ${t.c})`);
  await run(`CREATE TABLE ${t.isum} ENGINE = MergeTree ORDER BY (setl_id, code) AS
SELECT setl_id, code, sum(amount) AS f_amount, sum(qty) AS f_qty, count() AS f_lines FROM ${t.i} GROUP BY setl_id, code`);
  await run(`CREATE TABLE ${t.stays} ENGINE = MergeTree ORDER BY (psn_no, setl_id) AS
SELECT s.setl_id AS setl_id, s.psn_no AS psn_no, s.fixmedins_code AS inst, s.adm_time AS adm_time,
  s.dscg_time AS dscg_time, s.diag_codes[1] AS principal, ifNull(s.days_rinp_flag_31, false) AS planned,
  ifNull(s.mdtrt_id, '') AS mdtrt_id, toInt64(s.medfee_sumamt * 100) AS total, toInt64(s.hifp_pay * 100) AS fund
FROM ${w.db('cases')} AS s WHERE s.psn_no IN (SELECT psn_no FROM ${t.c})`);
  const table = async (name: string, cols: string, rows: Record<string, unknown>[]) => {
    await run(`CREATE TABLE ${name} (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
    await w.store.conn.insert(name.slice(name.indexOf('.') + 1), rows);
  };
  const opt = <T>(v: T | undefined) => (v === undefined ? null : v);
  await table(
    t.k_limits,
    `code String, sex Nullable(String), min_age Nullable(Int32), max_age Nullable(Int32),
     departments Nullable(String), max_per_day Nullable(Int64), max_per_stay Nullable(Int64)`,
    [...k.itemLimits.values()].map((l) => ({
      code: l.itemCode,
      sex: opt(l.sex),
      min_age: opt(l.minAge),
      max_age: opt(l.maxAge),
      departments: opt(l.departments?.join('|')),
      max_per_day: opt(l.maxPerDay),
      max_per_stay: opt(l.maxPerStay),
    })),
  );
  await table(
    t.k_pairs,
    'item_code String, pair_code String, relation String, ord Int32',
    k.codePairs.map((p, i) => ({ item_code: p.itemCode, pair_code: p.pairCode, relation: p.relation, ord: i })),
  );
  await table(
    t.k_catalog,
    'code String, category String, price Nullable(Int64)',
    [...k.itemCatalog.values()].map((e) => ({ code: e.itemCode, category: e.chargeCategory, price: opt(e.price) })),
  );
  const baselineCols = 'category String, level String, cases Int64, median_cost Int64, median_los Int64';
  await table(
    t.b_all,
    baselineCols,
    [...b.all.entries()].map(([key, v]) => {
      const [category, level] = key.split('|');
      return { category, level, cases: v.cases, median_cost: v.medianCost, median_los: v.medianLos };
    }),
  );
  await table(
    t.b_plain,
    `list String, ${baselineCols}`,
    [...b.plain.entries()].map(([key, v]) => {
      const [list, category, level] = key.split('|');
      return { list, category, level, cases: v.cases, median_cost: v.medianCost, median_los: v.medianLos };
    }),
  );
  await table(
    t.b_own,
    'level String, cases Int64, own Int64, total Int64',
    [...b.ownShare.entries()].map(([level, v]) => ({
      level,
      cases: v.cases,
      own: v.ownPay,
      total: v.totalCost,
    })),
  );
}

/**
 * SQL of one case rule on the prepared work tables: rows (f_setl, f_detail, f_amount, f_severity, f_evidence).
 * `undefined` for rules that are not case rules.
 */
export function chRuleSql(w: ChMonitorWork, rule: MonitorRule): string | undefined {
  if (!isCaseRule(rule)) return undefined;
  const { t } = w;
  const logic = rule.logic;
  const sev = `${rule.result === 'violation' ? "'high'" : "'medium'"} AS f_severity`;
  if ('where' in logic) return declarativeSql(w, logic.where, sev);
  switch (logic.detector) {
    case 'duplicate-charge':
      return `SELECT setl_id AS f_setl, code AS f_detail, sumIf(amount, rn > 1) AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('code')],
    ['lines', jn('max(lines)')],
    ['dupLines', jn('countIf(rn > 1)')],
  ])} AS f_evidence
FROM (SELECT setl_id, code, amount, row_number() OVER (PARTITION BY setl_id, code, qty, price ORDER BY line_no) AS rn,
        count() OVER (PARTITION BY setl_id, code) AS lines FROM ${t.i})
GROUP BY setl_id, code HAVING countIf(rn > 1) > 0`;
    case 'code-pair':
      return `SELECT a.setl_id AS f_setl, concat(p.item_code, '+', p.pair_code) AS f_detail, b.f_amount AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('p.item_code')],
    ['pairCode', js('p.pair_code')],
    ['itemAmount', jn('a.f_amount')],
    ['pairAmount', jn('b.f_amount')],
  ])} AS f_evidence
FROM (SELECT * FROM ${t.k_pairs} WHERE relation = ${lit((logic as Logic<'code-pair'>).params.relation)}) AS p
  INNER JOIN ${t.isum} AS a ON a.code = p.item_code
  INNER JOIN ${t.isum} AS b ON b.setl_id = a.setl_id AND b.code = p.pair_code`;
    case 'over-quantity':
      return `SELECT q_setl AS f_setl, q_code AS f_detail, ${mulDivSql('q_amount', 'q_qty - q_lim', 'q_qty')} AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('q_code')],
    ['quantity', js(qtyText('q_qty'))],
    ['limit', js(qtyText('q_lim'))],
    ['losDays', jn('q_los')],
  ])} AS f_evidence
FROM (SELECT s.setl_id AS q_setl, s.code AS q_code, s.f_amount AS q_amount, s.f_qty AS q_qty, c.los AS q_los,
        least(ifNull(l.max_per_day * greatest(c.los, 1), ${MAX_I64}), ifNull(l.max_per_stay, ${MAX_I64})) AS q_lim
      FROM ${t.isum} AS s INNER JOIN ${t.k_limits} AS l ON l.code = s.code INNER JOIN ${t.c} AS c ON c.setl_id = s.setl_id
      WHERE l.max_per_day IS NOT NULL OR l.max_per_stay IS NOT NULL)
WHERE q_qty > q_lim`;
    case 'item-substitution':
      return `SELECT l_setl AS f_setl, l_code AS f_detail, sum(l_amount) AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('l_code')],
    ['catalogCategory', js('any(l_kcat)')],
    ['catalogPrice', `if(isNull(any(l_kprice)), '""', toString(any(l_kprice)))`],
    ['wrongCategory', jn('countIf(l_wrong)')],
    ['overPrice', jn('countIf(l_over)')],
  ])} AS f_evidence
FROM (SELECT i.setl_id AS l_setl, i.code AS l_code, k.category AS l_kcat, k.price AS l_kprice,
        i.category <> k.category AS l_wrong,
        i.category = k.category AND k.price IS NOT NULL AND i.price > ifNull(k.price, 0) AS l_over,
        multiIf(i.category <> k.category, i.amount,
                k.price IS NOT NULL AND i.price > ifNull(k.price, 0),
                greatest(0, i.amount - ${mulDivSql('ifNull(k.price, 0)', 'i.qty', '10000')}), 0) AS l_amount
      FROM ${t.i} AS i INNER JOIN ${t.k_catalog} AS k ON k.code = i.code)
GROUP BY l_setl, l_code HAVING countIf(l_wrong OR l_over) > 0`;
    case 'restricted-item': {
      const check = (logic as Logic<'restricted-item'>).params.check;
      const [cond, limit, actual] =
        check === 'sex'
          ? ["l.sex IS NOT NULL AND c.gend IN ('1', '2') AND c.gend <> l.sex", 'l.sex', 'c.gend']
          : check === 'age'
            ? [
                '(l.min_age IS NOT NULL OR l.max_age IS NOT NULL) AND (c.age < ifNull(l.min_age, 0) OR c.age > ifNull(l.max_age, 2147483647))',
                "concat(ifNull(toString(l.min_age), ''), '-', ifNull(toString(l.max_age), ''))",
                'toString(c.age)',
              ]
            : [
                "l.departments IS NOT NULL AND c.dept IS NOT NULL AND NOT has(splitByChar('|', ifNull(l.departments, '')), ifNull(c.dept, ''))",
                'l.departments',
                'c.dept',
              ];
      return `SELECT s.setl_id AS f_setl, s.code AS f_detail, s.f_amount AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('s.code')],
    ['limit', js(limit)],
    ['actual', js(actual)],
  ])} AS f_evidence
FROM ${t.isum} AS s INNER JOIN ${t.k_limits} AS l ON l.code = s.code INNER JOIN ${t.c} AS c ON c.setl_id = s.setl_id
WHERE ${cond}`;
    }
    case 'phantom-bed-days': {
      const p = (logic as Logic<'phantom-bed-days'>).params;
      return `SELECT b_setl AS f_setl, '' AS f_detail, ${mulDivSql('b_amount', 'b_qty - b_lim', 'b_qty')} AS f_amount, ${sev},
  ${obj([
    ['bedDays', js(qtyText('b_qty'))],
    ['losDays', jn('b_los')],
    ['toleranceDays', int(p.toleranceDays)],
  ])} AS f_evidence
FROM (SELECT i.setl_id AS b_setl, sum(i.qty) AS b_qty, sum(i.amount) AS b_amount, any(c.los) AS b_los,
        toInt64(any(c.los) + ${int(p.toleranceDays)}) * 10000 AS b_lim
      FROM ${t.i} AS i INNER JOIN ${t.c} AS c ON c.setl_id = i.setl_id
      WHERE i.code IN (${p.bedItems.map(lit).join(',')}) GROUP BY i.setl_id)
WHERE b_qty > b_lim`;
    }
    case 'charge-outside-stay': {
      const tol = int((logic as Logic<'charge-outside-stay'>).params.toleranceDays);
      return `SELECT l_setl AS f_setl, l_code AS f_detail, sum(l_amount) AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('l_code')],
    ['lines', jn('count()')],
    ['firstChargeDate', js('toString(min(l_day))')],
    ['lastChargeDate', js('toString(max(l_day))')],
    ['admissionDate', js('toString(any(l_adm))')],
    ['dischargeDate', js('toString(any(l_dscg))')],
    ['daysOutside', jn('max(l_outside)')],
    ['toleranceDays', tol],
  ])} AS f_evidence
FROM (SELECT i.setl_id AS l_setl, i.code AS l_code, i.amount AS l_amount, assumeNotNull(i.charge_day) AS l_day,
        toDate32(c.adm_time) AS l_adm, toDate32(c.dscg_time) AS l_dscg,
        multiIf(l_day < l_adm, dateDiff('day', l_day, l_adm), l_day > l_dscg, dateDiff('day', l_dscg, l_day), 0) AS l_outside
      FROM ${t.i} AS i INNER JOIN ${t.c} AS c ON c.setl_id = i.setl_id WHERE i.charge_day IS NOT NULL)
WHERE l_outside > ${tol} GROUP BY l_setl, l_code`;
    }
    case 'split-admission': {
      const p = (logic as Logic<'split-admission'>).params;
      return `SELECT m_setl AS f_setl, '' AS f_detail, m_fund AS f_amount,
  if(m_gap <= ${int(p.highWithinDays)}, 'high', 'medium') AS f_severity,
  ${obj([
    ['previousSetlId', js('m_prev')],
    ['previousInstitution', js('m_prev_inst')],
    ['gapDays', jn('m_gap')],
    ['previousPrincipal', js('m_prev_principal')],
    ['principal', js('m_principal')],
  ])} AS f_evidence
FROM (SELECT c.setl_id AS m_setl, c.fund AS m_fund, c.principal AS m_principal, s.setl_id AS m_prev,
        s.inst AS m_prev_inst, s.principal AS m_prev_principal,
        dateDiff('day', toDate32(s.dscg_time), toDate32(c.adm_time)) AS m_gap
      FROM ${t.c} AS c INNER JOIN ${t.stays} AS s ON s.psn_no = c.psn_no
      WHERE s.setl_id <> c.setl_id AND s.adm_time < c.adm_time
        AND NOT ${w.inLists('c.principal', p.exceptLists)} AND NOT ${w.inLists('s.principal', p.exceptLists)}
        ${p.sameInstitution ? 'AND s.inst = c.inst' : ''} ${p.exceptPlanned ? 'AND NOT s.planned' : ''}
        AND leftUTF8(s.principal, 3) = c.category AND m_gap BETWEEN 0 AND ${int(p.windowDays)}
      QUALIFY row_number() OVER (PARTITION BY c.setl_id ORDER BY m_gap, s.setl_id) = 1)`;
    }
    case 'overlapping-stays':
      // one overlap's money once: on the stay admitted later (stay-rules.ts overlappingStays)
      return `SELECT m_setl AS f_setl, '' AS f_detail, if(m_later = 1, m_fund, toInt64(0)) AS f_amount, ${sev},
  ${obj([
    ['otherSetlId', js('m_other')],
    ['otherInstitution', js('m_other_inst')],
    ['otherAdmission', js("formatDateTime(m_oa, '%Y-%m-%dT%H:%i:%S')")],
    ['otherDischarge', js("formatDateTime(m_od, '%Y-%m-%dT%H:%i:%S')")],
  ])} AS f_evidence
FROM (SELECT c.setl_id AS m_setl, c.fund AS m_fund, s.setl_id AS m_other, s.inst AS m_other_inst,
        s.adm_time AS m_oa, s.dscg_time AS m_od,
        max(if(s.adm_time < c.adm_time OR (s.adm_time = c.adm_time AND s.setl_id < c.setl_id), 1, 0))
          OVER (PARTITION BY c.setl_id) AS m_later
      FROM ${t.c} AS c INNER JOIN ${t.stays} AS s ON s.psn_no = c.psn_no
      WHERE s.setl_id <> c.setl_id AND s.inst <> c.inst AND s.adm_time < c.dscg_time AND s.dscg_time > c.adm_time
      QUALIFY row_number() OVER (PARTITION BY c.setl_id ORDER BY s.setl_id) = 1)`;
    case 'duplicate-settlement':
      return `SELECT m_setl AS f_setl, '' AS f_detail, m_fund AS f_amount, ${sev},
  ${obj([
    ['mdtrtId', js('m_mdtrt')],
    ['firstSetlId', js('m_first')],
    ['admissionDate', js("formatDateTime(m_adm, '%Y-%m-%d')")],
    ['dischargeDate', js("formatDateTime(m_dscg, '%Y-%m-%d')")],
    ['firstTotalCost', jn('m_first_total')],
    ['firstFundPay', jn('m_first_fund')],
    ['totalCost', jn('m_total')],
    ['fundPay', jn('m_fund')],
  ])} AS f_evidence
FROM (SELECT c.setl_id AS m_setl, c.mdtrt_id AS m_mdtrt, c.fund AS m_fund, c.total AS m_total, c.adm_time AS m_adm,
        c.dscg_time AS m_dscg, s.setl_id AS m_first, s.total AS m_first_total, s.fund AS m_first_fund
      FROM ${t.c} AS c INNER JOIN ${t.stays} AS s ON s.psn_no = c.psn_no
      WHERE s.setl_id < c.setl_id AND s.mdtrt_id = c.mdtrt_id AND s.inst = c.inst AND c.mdtrt_id <> ''
        AND toDate32(s.adm_time) = toDate32(c.adm_time) AND toDate32(s.dscg_time) = toDate32(c.dscg_time)
      QUALIFY row_number() OVER (PARTITION BY c.setl_id ORDER BY s.setl_id) = 1)`;
    case 'low-standard-admission': {
      const p = (logic as Logic<'low-standard-admission'>).params;
      return `SELECT setl_id AS f_setl, '' AS f_detail, fund AS f_amount, ${sev},
  ${obj([
    ['principal', js('principal')],
    ['losDays', jn('los')],
    ['maxLosDays', int(p.maxLosDays)],
    ['procedures', jn('n_proc')],
    ['icuDays', jn('icu')],
    ['dischargeWay', js('dscg_way')],
  ])} AS f_evidence
FROM ${t.c} AS c WHERE ${w.inLists('c.principal', [p.list])} AND los <= ${int(p.maxLosDays)} AND n_proc = 0
  AND icu = 0 AND dscg_way <> ${lit(DISCHARGE_WAY_DEATH)}`;
    }
    case 'upcoding-no-trace': {
      const p = (logic as Logic<'upcoding-no-trace'>).params;
      return `SELECT c.setl_id AS f_setl, '' AS f_detail, toInt64(0) AS f_amount, ${sev},
  ${obj([
    ['secondary', js('c.sec')],
    ['totalCost', jn('c.total')],
    ['losDays', jn('c.los')],
    ['baselineMedianCost', jn('b.median_cost')],
    ['baselineMedianLos', jn('b.median_los')],
    ['baselineCases', jn('b.cases')],
  ])} AS f_evidence
FROM (SELECT setl_id, total, los, category, level,
        arrayFirst(x -> ${w.inLists('x', [p.list])}, arraySlice(diag_codes, 2)) AS sec FROM ${t.c}) AS c
  INNER JOIN (SELECT * FROM ${t.b_plain} WHERE list = ${lit(p.list)}) AS b
    ON b.category = c.category AND b.level = c.level
WHERE c.sec <> '' AND ${atMostSql('c.total', 'b.median_cost', p.costFactor)}
  AND ${atMostSql('c.los', 'b.median_los', p.losFactor)}`;
    }
    case 'abnormal-los': {
      const p = (logic as Logic<'abnormal-los'>).params;
      return `SELECT c.setl_id AS f_setl, '' AS f_detail, toInt64(0) AS f_amount, ${sev},
  ${obj([
    ['losDays', jn('c.los')],
    ['baselineMedianLos', jn('b.median_los')],
    ['baselineCases', jn('b.cases')],
  ])} AS f_evidence
FROM ${t.c} AS c INNER JOIN ${t.b_all} AS b ON b.category = c.category AND b.level = c.level
WHERE NOT (${atMostSql('c.los', 'b.median_los', p.losFactor)}) AND c.los - b.median_los >= ${int(p.minExcessDays)}`;
    }
    case 'cost-shifting-case': {
      const p = (logic as Logic<'cost-shifting-case'>).params;
      const f = p.ownShareFactor;
      const m = p.minOwnShare;
      return `SELECT c.setl_id AS f_setl, '' AS f_detail,
  greatest(0, c.own - ${mulDivSql('c.total', 'b.own', 'b.total')}) AS f_amount, ${sev},
  ${obj([
    ['ownPay', jn('c.own')],
    ['totalCost', jn('c.total')],
    ['ownSharePermille', jn(mulDivSql('c.own', '1000', 'c.total'))],
    ['baselineSharePermille', jn(mulDivSql('b.own', '1000', 'b.total'))],
  ])} AS f_evidence
FROM ${t.c} AS c INNER JOIN ${t.b_own} AS b ON b.level = c.level
WHERE b.total > 0 AND c.total > 0
  AND ${i128('c.own')} * ${i128('b.total')} * ${int(f.den)} >= ${i128('c.total')} * ${i128('b.own')} * ${int(f.num)}
  AND ${i128('c.own')} * ${int(m.den)} >= ${i128('c.total')} * ${int(m.num)}`;
    }
    default:
      return undefined;
  }
}

const FIELD_SQL: Readonly<Record<ConditionField, { sql: string; numeric: boolean }>> = {
  'item.code': { sql: 'i.code', numeric: false },
  'item.chargeCategory': { sql: 'i.category', numeric: false },
  'item.catalogClass': { sql: 'i.cls', numeric: false },
  'case.sex': { sql: 'c.gend', numeric: false },
  'case.ageYears': { sql: 'c.age', numeric: true },
  'case.losDays': { sql: 'c.los', numeric: true },
  'case.icuDays': { sql: 'c.icu', numeric: true },
  'case.department': { sql: "ifNull(c.dept, '')", numeric: false },
  'case.procedureCount': { sql: 'c.n_proc', numeric: true },
};

/** A declarative condition in ClickHouse SQL, typed like the engine: a number never equals a text. */
export function chConditionSql(w: Condition): string {
  const f = FIELD_SQL[w.field];
  const v = w.value;
  const same = typeof v === (f.numeric ? 'number' : 'string');
  const val = typeof v === 'number' ? int(v) : typeof v === 'string' ? lit(v) : '';
  switch (w.op) {
    case 'eq':
      return same ? `${f.sql} = ${val}` : '0';
    case 'ne':
      return same ? `${f.sql} <> ${val}` : '1';
    case 'in':
      return Array.isArray(v) && v.length > 0 ? `has([${v.map(lit).join(',')}], toString(${f.sql}))` : '0';
    case 'prefix':
      return typeof v === 'string' ? `startsWith(toString(${f.sql}), ${val})` : '0';
    default: {
      const op = { lt: '<', le: '<=', gt: '>', ge: '>=' }[w.op];
      return f.numeric && typeof v === 'number' ? `${f.sql} ${op} ${val}` : '0';
    }
  }
}

function declarativeSql(w: ChMonitorWork, where: readonly Condition[], sev: string): string {
  return `SELECT i.setl_id AS f_setl, i.code AS f_detail, sum(i.amount) AS f_amount, ${sev},
  ${obj([
    ['itemCode', js('i.code')],
    ['lines', jn('count()')],
  ])} AS f_evidence
FROM ${w.t.i} AS i INNER JOIN ${w.t.c} AS c ON c.setl_id = i.setl_id
WHERE ${where.map(chConditionSql).join(' AND ')} GROUP BY i.setl_id, i.code`;
}

/** Flags of every enabled case rule over the prepared work tables, in rule and id order (as `yearCaseFlags`). */
export async function chYearCaseFlags(w: ChMonitorWork, base: RuleBase): Promise<Flag[]> {
  const out: Flag[] = [];
  for (const rule of base.rules) {
    if (!rule.enabled) continue;
    const sql = chRuleSql(w, rule);
    if (!sql) continue;
    const rows = await w.store.conn.rows(`SELECT f.f_setl, f.f_detail, f.f_amount, f.f_severity, f.f_evidence,
  c.inst, c.period FROM (${sql}) AS f INNER JOIN ${w.t.c} AS c ON c.setl_id = f.f_setl`);
    for (const row of rows) {
      const [setlId, detail, amount, severity, evidence, inst, period] = row as [
        string,
        string,
        string | number | null,
        string,
        string,
        string,
        string,
      ];
      out.push({
        flagId: detail ? `${rule.id}:${setlId}:${detail}` : `${rule.id}:${setlId}`,
        ruleId: rule.id,
        result: rule.result,
        severity: severity as Severity,
        scope: 'case',
        setlId,
        institutionCode: inst,
        period,
        amount: Number(amount ?? 0),
        evidence: JSON.parse(evidence) as Evidence,
      });
    }
  }
  return out.sort((a, b) =>
    a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.flagId < b.flagId ? -1 : a.flagId > b.flagId ? 1 : 0,
  );
}
