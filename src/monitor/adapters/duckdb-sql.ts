/**
 * The whole-year mode of the case rules, as SQL over the embedded store (R-MON-3: full review, 全面审核). Each case
 * rule of `check-case.ts` has its SQL twin here, written with the same integer formulas (`arith.ts`), over the same
 * knowledge tables and baselines, so the same case gets the same flags in both modes (`modes.test.ts`).
 *
 * Knowledge tables and baselines are written into temporary tables from the engine's own objects, so both modes
 * see identical values.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DISCHARGE_WAY_DEATH } from '../../model/case.ts';
import type { Ratio } from '../../model/money.ts';
import type { ConditionField } from '../../policy/kinds/monitor.ts';
import { isCaseRule } from '../check-case.ts';
import type { Baselines } from '../context.ts';
import type { Knowledge } from '../knowledge.ts';
import type { RuleBase } from '../rule-base.ts';
import type { Evidence, Flag, MonitorRule, Severity } from '../types.ts';

type Logic<D extends string> = Extract<MonitorRule['logic'], { detector: D }>;
type Condition = Extract<MonitorRule['logic'], { where: unknown }>['where'][number];

export const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return String(n);
};
const huge = (x: string) => `CAST(${x} AS HUGEINT)`;
/** a ≤ b × r */
const atMostSql = (a: string, b: string, r: Ratio) => `${huge(a)} * ${r.den} <= ${huge(b)} * ${r.num}`;
/** round_half_up(a × b / c) */
const mulDivSql = (a: string, b: string, c: string) =>
  `CAST((2 * ${huge(a)} * ${huge(b)} + ${huge(c)}) // (2 * ${huge(c)}) AS BIGINT)`;

/**
 * Temp tables and macros every rule query uses: the year's cases and lines, knowledge, baselines. The diagnosis lists
 * (`mon_k_dx`) are loaded before, with the baselines (`duckdb-context.ts`).
 */
export async function prepareYear(
  conn: DuckDBConnection,
  year: number,
  k: Knowledge,
  b: Baselines,
  filter: { institution?: string } = {},
): Promise<void> {
  const inst = filter.institution ? `AND c.fixmedins_code = ${lit(filter.institution)}` : '';
  await conn.run(`
CREATE OR REPLACE TEMP MACRO mon_qty_text(q) AS
  CASE WHEN q % 10000 = 0 THEN CAST(q // 10000 AS VARCHAR)
       ELSE CAST(q // 10000 AS VARCHAR) || '.' || rtrim(lpad(CAST(q % 10000 AS VARCHAR), 4, '0'), '0') END;
CREATE OR REPLACE TEMP TABLE mon_c AS
SELECT c.setl_id, coalesce(c.mdtrt_id, '') AS mdtrt_id, c.psn_no, c.fixmedins_code AS inst, c.gend, c.age, c.act_ipt_days AS los,
       nullif(c.dscg_caty, '') AS dept, coalesce(c.icu_days, 0) AS icu, c.dscg_way,
       c.adm_time, c.dscg_time, c.diag_codes, coalesce(c.diag_codes[1], '') AS principal,
       left(coalesce(c.diag_codes[1], ''), 3) AS category, len(coalesce(c.oprn_oprt_codes, [])) AS n_proc,
       CAST(c.medfee_sumamt * 100 AS BIGINT) AS total, CAST(c.hifp_pay * 100 AS BIGINT) AS fund,
       CAST(c.psn_ownpay * 100 AS BIGINT) AS own, strftime(c.dscg_time, '%Y-%m') AS period,
       i.hosp_lv AS level
FROM cases c JOIN institutions i USING (fixmedins_code)
WHERE year(c.dscg_time) = ${int(year)} ${inst};
CREATE OR REPLACE TEMP TABLE mon_i AS
SELECT f.setl_id, f.line_no, f.med_list_codg AS code, coalesce(f.med_chrgitm_type, '') AS category,
       CASE f.chrgitm_lv WHEN '01' THEN 'A' WHEN '02' THEN 'B' ELSE 'C' END AS cls,
       CAST(f.cnt * 10000 AS BIGINT) AS qty, CAST(f.pric * 100 AS BIGINT) AS price,
       CAST(f.det_item_fee_sumamt * 100 AS BIGINT) AS amount, CAST(f.fee_ocur_time AS DATE) AS charge_day
FROM fee_items f SEMI JOIN mon_c c ON c.setl_id = f.setl_id;
CREATE OR REPLACE TEMP TABLE mon_isum AS
SELECT setl_id, code, sum(amount) AS amount, sum(qty) AS qty, count(*) AS lines FROM mon_i GROUP BY setl_id, code;
CREATE OR REPLACE TEMP TABLE mon_stays AS
SELECT s.setl_id, s.psn_no, s.fixmedins_code AS inst, s.adm_time, s.dscg_time,
       coalesce(s.diag_codes[1], '') AS principal, coalesce(s.days_rinp_flag_31, false) AS planned,
       coalesce(s.mdtrt_id, '') AS mdtrt_id, CAST(s.medfee_sumamt * 100 AS BIGINT) AS total,
       CAST(s.hifp_pay * 100 AS BIGINT) AS fund
FROM cases s SEMI JOIN mon_c c ON c.psn_no = s.psn_no;
CREATE OR REPLACE TEMP TABLE mon_k_limits (code VARCHAR, sex VARCHAR, min_age INTEGER, max_age INTEGER,
  departments VARCHAR, max_per_day BIGINT, max_per_stay BIGINT);
CREATE OR REPLACE TEMP TABLE mon_k_pairs (item_code VARCHAR, pair_code VARCHAR, relation VARCHAR, ord INTEGER);
CREATE OR REPLACE TEMP TABLE mon_k_catalog (code VARCHAR, category VARCHAR, price BIGINT);
CREATE OR REPLACE TEMP TABLE mon_b_all (category VARCHAR, level VARCHAR, cases BIGINT, median_cost BIGINT, median_los BIGINT);
CREATE OR REPLACE TEMP TABLE mon_b_plain (list VARCHAR, category VARCHAR, level VARCHAR, cases BIGINT, median_cost BIGINT, median_los BIGINT);
CREATE OR REPLACE TEMP TABLE mon_b_own (level VARCHAR, cases BIGINT, own BIGINT, total BIGINT);`);
  const nul = (v: number | string | undefined) => (v === undefined ? 'NULL' : typeof v === 'number' ? int(v) : lit(v));
  const insert = async (table: string, rows: string[]) => {
    for (let i = 0; i < rows.length; i += 500) {
      await conn.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 500).join(',')}`);
    }
  };
  await insert(
    'mon_k_limits',
    [...k.itemLimits.values()].map(
      (l) =>
        `(${lit(l.itemCode)},${nul(l.sex)},${nul(l.minAge)},${nul(l.maxAge)},${nul(l.departments?.join('|'))},${nul(l.maxPerDay)},${nul(l.maxPerStay)})`,
    ),
  );
  await insert(
    'mon_k_pairs',
    k.codePairs.map((p, i) => `(${lit(p.itemCode)},${lit(p.pairCode)},${lit(p.relation)},${i})`),
  );
  await insert(
    'mon_k_catalog',
    [...k.itemCatalog.values()].map((e) => `(${lit(e.itemCode)},${lit(e.chargeCategory)},${nul(e.price)})`),
  );
  await insert(
    'mon_b_all',
    [...b.all.entries()].map(([key, v]) => {
      const [cat, lvl] = key.split('|');
      return `(${lit(cat!)},${lit(lvl!)},${int(v.cases)},${int(v.medianCost)},${int(v.medianLos)})`;
    }),
  );
  await insert(
    'mon_b_plain',
    [...b.plain.entries()].map(([key, v]) => {
      const [list, cat, lvl] = key.split('|');
      return `(${lit(list!)},${lit(cat!)},${lit(lvl!)},${int(v.cases)},${int(v.medianCost)},${int(v.medianLos)})`;
    }),
  );
  await insert(
    'mon_b_own',
    [...b.ownShare.entries()].map(([lvl, v]) => `(${lit(lvl)},${int(v.cases)},${int(v.ownPay)},${int(v.totalCost)})`),
  );
}

/** `code` is in one of the diagnosis lists (prefix match). */
const inLists = (code: string, lists: readonly string[]) =>
  lists.length === 0
    ? 'false'
    : `EXISTS (SELECT 1 FROM mon_k_dx d WHERE d.list IN (${lists.map(lit).join(',')}) AND starts_with(${code}, d.prefix))`;

/**
 * SQL of one case rule: rows (setl_id, detail, amount, severity, evidence JSON text). `undefined` for rules that are
 * not case rules.
 */
export function ruleSql(rule: MonitorRule): string | undefined {
  if (!isCaseRule(rule)) return undefined;
  const logic = rule.logic;
  const sev = rule.result === 'violation' ? "'high'" : "'medium'";
  if ('where' in logic) return declarativeSql(logic.where, sev);
  switch (logic.detector) {
    case 'duplicate-charge':
      return `WITH l AS (
  SELECT setl_id, code, amount, row_number() OVER (PARTITION BY setl_id, code, qty, price ORDER BY line_no) AS rn,
         count(*) OVER (PARTITION BY setl_id, code) AS lines FROM mon_i)
SELECT setl_id, code AS detail, sum(amount) FILTER (WHERE rn > 1) AS amount, ${sev} AS severity,
  CAST(json_object('itemCode', code, 'lines', max(lines), 'dupLines', count(*) FILTER (WHERE rn > 1)) AS VARCHAR) AS evidence
FROM l GROUP BY setl_id, code HAVING count(*) FILTER (WHERE rn > 1) > 0`;
    case 'code-pair':
      return `SELECT a.setl_id, p.item_code || '+' || p.pair_code AS detail, b.amount, ${sev} AS severity,
  CAST(json_object('itemCode', p.item_code, 'pairCode', p.pair_code, 'itemAmount', a.amount, 'pairAmount', b.amount) AS VARCHAR)
FROM mon_k_pairs p JOIN mon_isum a ON a.code = p.item_code JOIN mon_isum b ON b.setl_id = a.setl_id AND b.code = p.pair_code
WHERE p.relation = ${lit((logic as Logic<'code-pair'>).params.relation)}`;
    case 'over-quantity':
      return `WITH q AS (
  SELECT s.setl_id, s.code, s.amount, s.qty, c.los,
    least(coalesce(l.max_per_day * greatest(c.los, 1), 9223372036854775807), coalesce(l.max_per_stay, 9223372036854775807)) AS lim
  FROM mon_isum s JOIN mon_k_limits l USING (code) JOIN mon_c c USING (setl_id)
  WHERE l.max_per_day IS NOT NULL OR l.max_per_stay IS NOT NULL)
SELECT setl_id, code, ${mulDivSql('amount', 'qty - lim', 'qty')}, ${sev},
  CAST(json_object('itemCode', code, 'quantity', mon_qty_text(qty), 'limit', mon_qty_text(lim), 'losDays', los) AS VARCHAR)
FROM q WHERE qty > lim`;
    case 'item-substitution':
      return `WITH l AS (
  SELECT i.setl_id, i.code, k.category AS kcat, k.price AS kprice,
    i.category <> k.category AS wrong,
    i.category = k.category AND k.price IS NOT NULL AND i.price > k.price AS over,
    CASE WHEN i.category <> k.category THEN i.amount
         WHEN k.price IS NOT NULL AND i.price > k.price THEN greatest(0, i.amount - ${mulDivSql('k.price', 'i.qty', '10000')})
         ELSE 0 END AS amount
  FROM mon_i i JOIN mon_k_catalog k USING (code))
SELECT setl_id, code, sum(amount), ${sev},
  CAST(json_object('itemCode', code, 'catalogCategory', any_value(kcat),
    'catalogPrice', CASE WHEN any_value(kprice) IS NULL THEN to_json('') ELSE to_json(any_value(kprice)) END,
    'wrongCategory', count(*) FILTER (WHERE wrong), 'overPrice', count(*) FILTER (WHERE over)) AS VARCHAR)
FROM l GROUP BY setl_id, code HAVING count(*) FILTER (WHERE wrong OR over) > 0`;
    case 'restricted-item': {
      const check = (logic as Logic<'restricted-item'>).params.check;
      const [cond, limit, actual] =
        check === 'sex'
          ? ["l.sex IS NOT NULL AND c.gend IN ('1', '2') AND c.gend <> l.sex", 'l.sex', 'c.gend']
          : check === 'age'
            ? [
                '(l.min_age IS NOT NULL OR l.max_age IS NOT NULL) AND (c.age < coalesce(l.min_age, 0) OR c.age > coalesce(l.max_age, 2147483647))',
                "coalesce(CAST(l.min_age AS VARCHAR), '') || '-' || coalesce(CAST(l.max_age AS VARCHAR), '')",
                'CAST(c.age AS VARCHAR)',
              ]
            : [
                "l.departments IS NOT NULL AND c.dept IS NOT NULL AND NOT list_contains(string_split(l.departments, '|'), c.dept)",
                'l.departments',
                'c.dept',
              ];
      return `SELECT s.setl_id, s.code, s.amount, ${sev},
  CAST(json_object('itemCode', s.code, 'limit', ${limit}, 'actual', ${actual}) AS VARCHAR)
FROM mon_isum s JOIN mon_k_limits l USING (code) JOIN mon_c c USING (setl_id) WHERE ${cond}`;
    }
    case 'phantom-bed-days': {
      const p = (logic as Logic<'phantom-bed-days'>).params;
      return `WITH b AS (
  SELECT i.setl_id, sum(i.qty) AS qty, sum(i.amount) AS amount, any_value(c.los) AS los,
    (any_value(c.los) + ${int(p.toleranceDays)}) * 10000 AS lim
  FROM mon_i i JOIN mon_c c USING (setl_id) WHERE i.code IN (${p.bedItems.map(lit).join(',')}) GROUP BY i.setl_id)
SELECT setl_id, '' AS detail, ${mulDivSql('amount', 'qty - lim', 'qty')}, ${sev},
  CAST(json_object('bedDays', mon_qty_text(qty), 'losDays', los, 'toleranceDays', ${int(p.toleranceDays)}) AS VARCHAR)
FROM b WHERE qty > lim`;
    }
    case 'charge-outside-stay': {
      const tol = int((logic as Logic<'charge-outside-stay'>).params.toleranceDays);
      return `WITH l AS (
  SELECT i.setl_id, i.code, i.amount, i.charge_day, CAST(c.adm_time AS DATE) AS adm, CAST(c.dscg_time AS DATE) AS dscg,
    CASE WHEN i.charge_day < CAST(c.adm_time AS DATE) THEN date_diff('day', i.charge_day, CAST(c.adm_time AS DATE))
         WHEN i.charge_day > CAST(c.dscg_time AS DATE) THEN date_diff('day', CAST(c.dscg_time AS DATE), i.charge_day)
         ELSE 0 END AS outside
  FROM mon_i i JOIN mon_c c USING (setl_id) WHERE i.charge_day IS NOT NULL)
SELECT setl_id, code, sum(amount), ${sev},
  CAST(json_object('itemCode', code, 'lines', count(*), 'firstChargeDate', strftime(min(charge_day), '%Y-%m-%d'),
    'lastChargeDate', strftime(max(charge_day), '%Y-%m-%d'), 'admissionDate', strftime(any_value(adm), '%Y-%m-%d'),
    'dischargeDate', strftime(any_value(dscg), '%Y-%m-%d'), 'daysOutside', max(outside), 'toleranceDays', ${tol}) AS VARCHAR)
FROM l WHERE outside > ${tol} GROUP BY setl_id, code`;
    }
    case 'split-admission': {
      const p = (logic as Logic<'split-admission'>).params;
      return `WITH m AS (
  SELECT c.setl_id, c.fund, c.principal, s.setl_id AS prev, s.inst AS prev_inst, s.principal AS prev_principal,
    date_diff('day', CAST(s.dscg_time AS DATE), CAST(c.adm_time AS DATE)) AS gap
  FROM mon_c c JOIN mon_stays s ON s.psn_no = c.psn_no AND s.setl_id <> c.setl_id AND s.adm_time < c.adm_time
  WHERE NOT ${inLists('c.principal', p.exceptLists)} AND NOT ${inLists('s.principal', p.exceptLists)}
    ${p.sameInstitution ? 'AND s.inst = c.inst' : ''} ${p.exceptPlanned ? 'AND NOT s.planned' : ''}
    AND left(s.principal, 3) = c.category
    AND date_diff('day', CAST(s.dscg_time AS DATE), CAST(c.adm_time AS DATE)) BETWEEN 0 AND ${int(p.windowDays)}
  QUALIFY row_number() OVER (PARTITION BY c.setl_id ORDER BY gap, s.setl_id) = 1)
SELECT setl_id, '' AS detail, fund, CASE WHEN gap <= ${int(p.highWithinDays)} THEN 'high' ELSE 'medium' END,
  CAST(json_object('previousSetlId', prev, 'previousInstitution', prev_inst, 'gapDays', gap,
    'previousPrincipal', prev_principal, 'principal', principal) AS VARCHAR)
FROM m`;
    }
    case 'overlapping-stays':
      // one overlap's money once: on the stay admitted later (stay-rules.ts overlappingStays)
      return `WITH m AS (
  SELECT c.setl_id, c.fund, s.setl_id AS other, s.inst AS other_inst, s.adm_time AS oa, s.dscg_time AS od,
    bool_or(s.adm_time < c.adm_time OR (s.adm_time = c.adm_time AND s.setl_id < c.setl_id))
      OVER (PARTITION BY c.setl_id) AS later
  FROM mon_c c JOIN mon_stays s ON s.psn_no = c.psn_no AND s.setl_id <> c.setl_id AND s.inst <> c.inst
  WHERE s.adm_time < c.dscg_time AND s.dscg_time > c.adm_time
  QUALIFY row_number() OVER (PARTITION BY c.setl_id ORDER BY s.setl_id) = 1)
SELECT setl_id, '' AS detail, CASE WHEN later THEN fund ELSE 0 END, ${sev},
  CAST(json_object('otherSetlId', other, 'otherInstitution', other_inst,
    'otherAdmission', strftime(oa, '%Y-%m-%dT%H:%M:%S'), 'otherDischarge', strftime(od, '%Y-%m-%dT%H:%M:%S')) AS VARCHAR)
FROM m`;
    case 'duplicate-settlement':
      return `WITH m AS (
  SELECT c.setl_id, c.mdtrt_id, c.fund, c.total, c.adm_time, c.dscg_time, s.setl_id AS first, s.total AS first_total,
    s.fund AS first_fund
  FROM mon_c c JOIN mon_stays s ON s.psn_no = c.psn_no AND s.setl_id < c.setl_id AND s.mdtrt_id = c.mdtrt_id
    AND s.inst = c.inst
  WHERE c.mdtrt_id <> '' AND CAST(s.adm_time AS DATE) = CAST(c.adm_time AS DATE)
    AND CAST(s.dscg_time AS DATE) = CAST(c.dscg_time AS DATE)
  QUALIFY row_number() OVER (PARTITION BY c.setl_id ORDER BY s.setl_id) = 1)
SELECT setl_id, '' AS detail, fund, ${sev},
  CAST(json_object('mdtrtId', mdtrt_id, 'firstSetlId', first, 'admissionDate', strftime(adm_time, '%Y-%m-%d'),
    'dischargeDate', strftime(dscg_time, '%Y-%m-%d'), 'firstTotalCost', first_total, 'firstFundPay', first_fund,
    'totalCost', total, 'fundPay', fund) AS VARCHAR)
FROM m`;
    case 'low-standard-admission': {
      const p = (logic as Logic<'low-standard-admission'>).params;
      return `SELECT setl_id, '' AS detail, fund, ${sev},
  CAST(json_object('principal', principal, 'losDays', los, 'maxLosDays', ${int(p.maxLosDays)}, 'procedures', n_proc,
    'icuDays', icu, 'dischargeWay', dscg_way) AS VARCHAR)
FROM mon_c c WHERE ${inLists('c.principal', [p.list])} AND los <= ${int(p.maxLosDays)} AND n_proc = 0 AND icu = 0
  AND dscg_way <> ${lit(DISCHARGE_WAY_DEATH)}`;
    }
    case 'upcoding-no-trace': {
      const p = (logic as Logic<'upcoding-no-trace'>).params;
      return `WITH sec AS (
  SELECT setl_id, code, pos FROM (
    SELECT setl_id, unnest(diag_codes[2:]) AS code, generate_subscripts(diag_codes[2:], 1) AS pos FROM mon_c)
  WHERE ${inLists('code', [p.list])}
  QUALIFY row_number() OVER (PARTITION BY setl_id ORDER BY pos) = 1)
SELECT c.setl_id, '' AS detail, 0, ${sev},
  CAST(json_object('secondary', sec.code, 'totalCost', c.total, 'losDays', c.los, 'baselineMedianCost', b.median_cost,
    'baselineMedianLos', b.median_los, 'baselineCases', b.cases) AS VARCHAR)
FROM mon_c c JOIN sec USING (setl_id)
  JOIN mon_b_plain b ON b.list = ${lit(p.list)} AND b.category = c.category AND b.level = c.level
WHERE ${atMostSql('c.total', 'b.median_cost', p.costFactor)} AND ${atMostSql('c.los', 'b.median_los', p.losFactor)}`;
    }
    case 'abnormal-los': {
      const p = (logic as Logic<'abnormal-los'>).params;
      return `SELECT c.setl_id, '' AS detail, 0, ${sev},
  CAST(json_object('losDays', c.los, 'baselineMedianLos', b.median_los, 'baselineCases', b.cases) AS VARCHAR)
FROM mon_c c JOIN mon_b_all b ON b.category = c.category AND b.level = c.level
WHERE NOT (${atMostSql('c.los', 'b.median_los', p.losFactor)}) AND c.los - b.median_los >= ${int(p.minExcessDays)}`;
    }
    case 'cost-shifting-case': {
      const p = (logic as Logic<'cost-shifting-case'>).params;
      const f = p.ownShareFactor;
      const m = p.minOwnShare;
      return `SELECT c.setl_id, '' AS detail, greatest(0, c.own - ${mulDivSql('c.total', 'b.own', 'b.total')}), ${sev},
  CAST(json_object('ownPay', c.own, 'totalCost', c.total,
    'ownSharePermille', ${mulDivSql('c.own', '1000', 'c.total')},
    'baselineSharePermille', ${mulDivSql('b.own', '1000', 'b.total')}) AS VARCHAR)
FROM mon_c c JOIN mon_b_own b ON b.level = c.level
WHERE b.total > 0 AND c.total > 0
  AND ${huge('c.own')} * ${huge('b.total')} * ${f.den} >= ${huge('c.total')} * ${huge('b.own')} * ${f.num}
  AND ${huge('c.own')} * ${m.den} >= ${huge('c.total')} * ${m.num}`;
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
  'case.department': { sql: "coalesce(c.dept, '')", numeric: false },
  'case.procedureCount': { sql: 'c.n_proc', numeric: true },
};

/** The SQL of a declarative condition, with the engine's typing: a number never equals a text. */
export function conditionSql(w: Condition): string {
  const f = FIELD_SQL[w.field];
  const v = w.value;
  const same = typeof v === (f.numeric ? 'number' : 'string');
  const val = typeof v === 'number' ? int(v) : typeof v === 'string' ? lit(v) : '';
  switch (w.op) {
    case 'eq':
      return same ? `${f.sql} = ${val}` : 'false';
    case 'ne':
      return same ? `${f.sql} <> ${val}` : 'true';
    case 'in':
      return Array.isArray(v) ? `list_contains([${v.map(lit).join(',')}], CAST(${f.sql} AS VARCHAR))` : 'false';
    case 'prefix':
      return typeof v === 'string' ? `starts_with(CAST(${f.sql} AS VARCHAR), ${val})` : 'false';
    default: {
      const op = { lt: '<', le: '<=', gt: '>', ge: '>=' }[w.op];
      return f.numeric && typeof v === 'number' ? `${f.sql} ${op} ${val}` : 'false';
    }
  }
}

function declarativeSql(where: readonly Condition[], sev: string): string {
  return `SELECT i.setl_id, i.code, sum(i.amount), ${sev},
  CAST(json_object('itemCode', i.code, 'lines', count(*)) AS VARCHAR)
FROM mon_i i JOIN mon_c c USING (setl_id) WHERE ${where.map(conditionSql).join(' AND ')} GROUP BY i.setl_id, i.code`;
}

/** Flags of every enabled case rule over the prepared year (see `prepareYear`), in rule and id order. */
export async function yearCaseFlags(conn: DuckDBConnection, base: RuleBase): Promise<Flag[]> {
  const out: Flag[] = [];
  for (const rule of base.rules) {
    if (!rule.enabled) continue;
    const sql = ruleSql(rule);
    if (!sql) continue;
    const r = await conn.runAndReadAll(`WITH f AS (${sql})
SELECT f.*, c.inst, c.period FROM f JOIN mon_c c ON c.setl_id = f.setl_id`);
    for (const row of r.getRows()) {
      const [setlId, detail, amount, severity, evidence, inst, period] = row as [
        string,
        string,
        bigint | number | null,
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
