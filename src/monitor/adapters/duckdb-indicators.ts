/** Institution-year indicators (R-MON-1) as SQL aggregates over the store; peers and detectors are in `indicators.ts`. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DISCHARGE_WAY_DEATH } from '../../model/case.ts';
import type { InstitutionYear } from '../indicators.ts';
import type { RuleBase } from '../rule-base.ts';
import { lit } from './duckdb-sql.ts';
import { institutionYearsOf, listParams } from './indicator-rows.ts';

/**
 * Indicators of every institution with cases in `year` and `year − 1` (growth rates only for `year`). Needs the
 * diagnosis lists loaded (`loadDiagnosisLists`).
 *
 * Settlement-list QC failure rate (结算清单质控不通过率): the case rows ingest rejected (`rejects`, by the institution
 * and discharge year in the rejected row) ÷ (the cases accepted + the rejected ones never accepted). High-weight
 * group share (高权重病组病例占比, `year` only, with `settlementRunId`): the share of the institution's case units in
 * the settlement run whose group's mean claim (points per case over the region) is at least the rule's `factor` ×
 * the region's mean claim per case. 门特次均费用 (cost per visit, fen): the mean total medical cost of the
 * institution's outpatient special-disease settlements of the year (004 四(七)2 次均门诊费用增长, with its growth).
 */
export async function readInstitutionYears(
  conn: DuckDBConnection,
  base: RuleBase,
  year: number,
  settlementRunId?: string,
): Promise<{ current: InstitutionYear[]; previous: InstitutionYear[] }> {
  const { mcc, low, highWeight } = listParams(base);
  const withHighWeight = highWeight !== null && settlementRunId !== undefined;
  const days = base.values.readmissionDays.value;
  const inList = (code: string, list: string | null) =>
    list === null
      ? 'false'
      : `EXISTS (SELECT 1 FROM mon_k_dx d WHERE d.list = ${lit(list)} AND starts_with(${code}, d.prefix))`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE mon_iy_c AS
WITH nxt AS (
  SELECT setl_id, date_diff('day', CAST(dscg_time AS DATE),
    CAST(lead(adm_time) OVER (PARTITION BY psn_no ORDER BY adm_time, setl_id) AS DATE)) AS gap FROM cases)
SELECT c.setl_id, c.fixmedins_code AS inst, i.hosp_lv AS level, i.inst_type AS type, year(c.dscg_time) AS y,
  left(coalesce(c.diag_codes[1], ''), 3) AS category, c.dscg_way, coalesce(c.days_rinp_flag_31, false) AS planned,
  n.gap, CAST(c.medfee_sumamt * 100 AS BIGINT) AS total, CAST(c.psn_ownpay * 100 AS BIGINT) AS own,
  CAST((c.psn_selfpay + c.psn_ownpay) * 100 AS BIGINT) AS oop,
  CAST((coalesce(c.fee_wm, 0) + coalesce(c.fee_tcmherb, 0) + coalesce(c.fee_tcmpat, 0)) * 100 AS BIGINT) AS drug,
  CAST(coalesce(c.fee_mcs, 0) * 100 AS BIGINT) AS mcs,
  EXISTS (SELECT 1 FROM (SELECT unnest(c.diag_codes[2:]) AS code) s WHERE ${inList('s.code', mcc)}) AS has_mcc,
  (${low ? `${inList("coalesce(c.diag_codes[1], '')", low.list)} AND c.act_ipt_days <= ${low.maxLos} AND len(coalesce(c.oprn_oprt_codes, [])) = 0 AND coalesce(c.icu_days, 0) = 0` : 'false'}) AS low_std
FROM cases c JOIN institutions i USING (fixmedins_code) LEFT JOIN nxt n USING (setl_id)
WHERE year(c.dscg_time) IN (${year - 1}, ${year})`);
  const died = lit(DISCHARGE_WAY_DEATH);
  const readmit = days
    .map(
      (d) =>
        `count(*) FILTER (WHERE dscg_way <> ${died} AND NOT planned AND gap BETWEEN 0 AND ${d}) / count(*) FILTER (WHERE dscg_way <> ${died}) AS readmit${d}`,
    )
    .join(',\n  ');
  const r = await conn.runAndReadAll(`WITH
w AS (SELECT category, avg(total) / (SELECT avg(total) FROM mon_iy_c WHERE y = ${year}) AS weight
      FROM mon_iy_c WHERE y = ${year} GROUP BY category),
cat AS (SELECT inst, y, category, count(*) AS n, avg(total) AS mean FROM mon_iy_c GROUP BY ALL),
gcg AS (SELECT a.inst, sum(a.n * a.mean / b.mean) / sum(a.n) - 1 AS growth
        FROM cat a JOIN cat b ON b.inst = a.inst AND b.category = a.category AND b.y = ${year - 1}
        WHERE a.y = ${year} GROUP BY a.inst),
visits AS (SELECT fixmedins_code AS inst, year(setl_time) AS y, count(*) AS n,
             avg(CAST(medfee_sumamt * 100 AS BIGINT)) AS cost FROM outpatient_settlements
           WHERE year(setl_time) IN (${year - 1}, ${year}) GROUP BY ALL),
qc AS (SELECT json_extract_string(raw, '$.fixmedins_code') AS inst,
             year(TRY_CAST(json_extract_string(raw, '$.dscg_time') AS TIMESTAMP)) AS y,
             count(DISTINCT record_key) AS n,
             count(DISTINCT record_key) FILTER (WHERE record_key NOT IN (SELECT setl_id FROM cases)) AS extra
      FROM rejects WHERE kind = 'cases' AND record_key IS NOT NULL AND json_valid(raw) GROUP BY ALL),
hw_u AS (SELECT institution AS inst, grp, points FROM run_units
         WHERE ${withHighWeight ? `run_id = ${lit(settlementRunId!)}` : 'false'} AND method IN ('dip', 'drg')
           AND status <> 'excluded' AND points IS NOT NULL AND grp IS NOT NULL),
hw_g AS (SELECT grp, avg(points) AS mean FROM hw_u GROUP BY grp),
hw AS (SELECT u.inst, avg(CASE WHEN g.mean >= ${highWeight ?? 0} * (SELECT avg(points) FROM hw_u) THEN 1.0 ELSE 0.0 END) AS share
       FROM hw_u u JOIN hw_g g USING (grp) GROUP BY u.inst),
enrolled AS (SELECT e.treat_fixmedins_code AS inst, y.y, count(DISTINCT e.psn_no) AS n
             FROM enrolments e, (SELECT unnest([${year - 1}, ${year}]) AS y) y
             WHERE e.begndate <= make_date(y.y, 12, 31) AND e.enddate >= make_date(y.y, 1, 1) GROUP BY ALL),
base AS (
SELECT c.inst, any_value(c.level) AS level, any_value(c.type) AS type, c.y, count(*) AS cases,
  ${readmit},
  avg(c.total) AS cost_per_case, sum(c.own) / sum(c.total) AS own_share, sum(c.oop) / sum(c.total) AS oop_share,
  sum(c.drug) / sum(c.total) AS drug_share, sum(c.mcs) / sum(c.total) AS mcs_share,
  count(*) FILTER (WHERE c.dscg_way = '2') / count(*) AS referral, avg(CAST(c.has_mcc AS INTEGER)) AS mcc_share,
  avg(CAST(c.low_std AS INTEGER)) AS low_share, avg(w.weight) AS cmi
FROM mon_iy_c c LEFT JOIN w USING (category) GROUP BY c.inst, c.y)
SELECT b.*, g.growth AS group_growth, v.n / nullif(e.n, 0) AS visits_per_enrollee, v.cost AS cost_per_visit,
  coalesce(q.n, 0) / (b.cases + coalesce(q.extra, 0)) AS qc_failure, h.share AS high_weight
FROM base b LEFT JOIN gcg g ON g.inst = b.inst AND b.y = ${year}
  LEFT JOIN qc q ON q.inst = b.inst AND q.y = b.y LEFT JOIN hw h ON h.inst = b.inst AND b.y = ${year}
  LEFT JOIN visits v ON v.inst = b.inst AND v.y = b.y LEFT JOIN enrolled e ON e.inst = b.inst AND e.y = b.y
ORDER BY b.y, b.inst`);
  const names = r.columnNames();
  const rows = r.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
  await conn.run('DROP TABLE IF EXISTS mon_iy_c');
  return institutionYearsOf(rows, { mcc, low, withHighWeight, days }, year);
}
