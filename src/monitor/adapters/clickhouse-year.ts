/**
 * Baselines of earlier years and institution-year indicators (R-MON-1) on ClickHouse: the twins of
 * `computeBaselines` (`duckdb-context.ts`) and `readInstitutionYears` (`duckdb-indicators.ts`), the same aggregates
 * in ClickHouse's dialect. Medians are the discrete lower median on both (`quantile_disc(x, 0.5)` =
 * `quantileExactLow(0.5)(x)`, see `store/dialect.ts`); shares and means are Float64 on both (sums of Int64 fen,
 * divided once), so indicators agree to the last bits of a double and the detectors' flags are the same.
 */
import { DISCHARGE_WAY_DEATH, type InpatientCase } from '../../model/case.ts';
import { CLICKHOUSE_DIALECT as D } from '../../store/dialect.ts';
import type { Baselines, CategoryBaseline, InstitutionFacts, OtherStay } from '../context.ts';
import type { InstitutionYear } from '../indicators.ts';
import type { RuleBase } from '../rule-base.ts';
import type { ChMonitorWork } from './clickhouse-sql.ts';
import { lit } from './duckdb-sql.ts';
import { institutionYearsOf, listParams } from './indicator-rows.ts';

const num = (v: unknown) => Number(v as string | number);

/** Severity lists the rules compare against (upcoding rules' `list`). */
function severityLists(base: RuleBase): string[] {
  const out = new Set<string>();
  for (const r of base.rules) {
    if ('detector' in r.logic && r.logic.detector === 'upcoding-no-trace') out.add(r.logic.params.list);
  }
  return [...out].sort();
}

/** As `computeBaselines`: per category × level discrete medians of cost and stay, plain cases per list, own share. */
export async function chComputeBaselines(w: ChMonitorWork, base: RuleBase, year: number): Promise<Baselines> {
  const n = base.values.baselineYears.value;
  const min = base.values.baselineMinCases.value;
  const conn = w.store.conn;
  await conn.command(`DROP TABLE IF EXISTS ${w.t.h}`);
  await conn.command(`CREATE TABLE ${w.t.h} ENGINE = MergeTree ORDER BY setl_id AS
SELECT c.setl_id AS setl_id, c.diag_codes AS diag_codes, leftUTF8(c.diag_codes[1], 3) AS category, i.hosp_lv AS level,
  toInt64(c.medfee_sumamt * 100) AS total, toInt64(c.psn_ownpay * 100) AS own, c.act_ipt_days AS los
FROM ${w.db('cases')} AS c INNER JOIN ${w.db('institutions')} AS i ON i.fixmedins_code = c.fixmedins_code
WHERE toYear(c.dscg_time) BETWEEN ${year - n} AND ${year - 1}`);
  const stats = (where: string) =>
    `SELECT category, level, count(), ${D.lowerMedian('total')}, ${D.lowerMedian('los')} FROM ${w.t.h} ${where}
     GROUP BY category, level HAVING count() >= ${min}`;
  const toMap = (rows: unknown[][], prefix: string) => {
    const m = new Map<string, CategoryBaseline>();
    for (const r of rows) {
      m.set(`${prefix}${r[0]}|${r[1]}`, { cases: num(r[2]), medianCost: num(r[3]), medianLos: num(r[4]) });
    }
    return m;
  };
  const all = toMap(await conn.rows(stats('')), '');
  const plain = new Map<string, CategoryBaseline>();
  for (const list of severityLists(base)) {
    const where = `WHERE NOT arrayExists(x -> ${w.inLists('x', [list])}, arraySlice(diag_codes, 2))`;
    for (const [k, v] of toMap(await conn.rows(stats(where)), `${list}|`)) plain.set(k, v);
  }
  const ownShare = new Map<string, { cases: number; ownPay: number; totalCost: number }>();
  const own = await conn.rows(
    `SELECT level, count(), sum(own), sum(total) FROM ${w.t.h} GROUP BY level HAVING count() >= ${min}`,
  );
  for (const r of own) ownShare.set(String(r[0]), { cases: num(r[1]), ownPay: num(r[2]), totalCost: num(r[3]) });
  await conn.command(`DROP TABLE IF EXISTS ${w.t.h}`);
  return { all, plain, ownShare };
}

/** As `readInstitutionYears`: indicators of every institution with cases in `year` and `year − 1`. */
export async function chReadInstitutionYears(
  w: ChMonitorWork,
  base: RuleBase,
  year: number,
  settlementRunId?: string,
): Promise<{ current: InstitutionYear[]; previous: InstitutionYear[] }> {
  const { mcc, low, highWeight } = listParams(base);
  const withHighWeight = highWeight !== null && settlementRunId !== undefined;
  const days = base.values.readmissionDays.value;
  const inList = (code: string, list: string | null) => (list === null ? '0' : w.inLists(code, [list]));
  const cases = w.db('cases');
  const iy = `(SELECT c.setl_id AS setl_id, c.fixmedins_code AS inst, i.hosp_lv AS level, i.inst_type AS type,
  toYear(c.dscg_time) AS y, leftUTF8(c.diag_codes[1], 3) AS category, c.dscg_way AS dscg_way,
  ifNull(c.days_rinp_flag_31, false) AS planned, n.gap AS gap, toInt64(c.medfee_sumamt * 100) AS total,
  toInt64(c.psn_ownpay * 100) AS own, toInt64((c.psn_selfpay + c.psn_ownpay) * 100) AS oop,
  toInt64((ifNull(c.fee_wm, 0) + ifNull(c.fee_tcmherb, 0) + ifNull(c.fee_tcmpat, 0)) * 100) AS drug,
  toInt64(ifNull(c.fee_mcs, 0) * 100) AS mcs,
  arrayExists(x -> ${inList('x', mcc)}, arraySlice(c.diag_codes, 2)) AS has_mcc,
  (${low ? `${inList('c.diag_codes[1]', low.list)} AND c.act_ipt_days <= ${low.maxLos} AND length(c.oprn_oprt_codes) = 0 AND ifNull(c.icu_days, 0) = 0` : '0'}) AS low_std
FROM ${cases} AS c INNER JOIN ${w.db('institutions')} AS i ON i.fixmedins_code = c.fixmedins_code
  LEFT JOIN (SELECT setl_id, dateDiff('day', toDate32(dscg_time),
                toDate32(lead(toNullable(adm_time)) OVER (PARTITION BY psn_no ORDER BY adm_time, setl_id))) AS gap
             FROM ${cases}) AS n ON n.setl_id = c.setl_id
WHERE toYear(c.dscg_time) IN (${year - 1}, ${year}))`;
  const died = lit(DISCHARGE_WAY_DEATH);
  const readmit = days
    .map(
      (d) =>
        `countIf(dscg_way <> ${died} AND NOT planned AND gap BETWEEN 0 AND ${d}) / countIf(dscg_way <> ${died}) AS readmit${d}`,
    )
    .join(',\n  ');
  const runUnits = w.db('run_units');
  const rows = await w.store.conn.rows(`WITH
mon_iy AS ${iy},
wt AS (SELECT category, avg(total) / (SELECT avg(total) FROM mon_iy WHERE y = ${year}) AS weight
       FROM mon_iy WHERE y = ${year} GROUP BY category),
cat AS (SELECT inst, y, category, count() AS n, avg(total) AS mean FROM mon_iy GROUP BY inst, y, category),
gcg AS (SELECT a.inst AS inst, toUInt16(${year}) AS y, sum(a.n * a.mean / b.mean) / sum(a.n) - 1 AS growth
        FROM (SELECT * FROM cat WHERE y = ${year}) AS a
          INNER JOIN (SELECT * FROM cat WHERE y = ${year - 1}) AS b ON b.inst = a.inst AND b.category = a.category
        GROUP BY a.inst),
visits AS (SELECT fixmedins_code AS inst, toYear(setl_time) AS y, count() AS n,
             avg(toInt64(medfee_sumamt * 100)) AS cost FROM ${w.db('outpatient_settlements')}
           WHERE toYear(setl_time) IN (${year - 1}, ${year}) GROUP BY inst, y),
qc AS (SELECT JSONExtractString(assumeNotNull(raw), 'fixmedins_code') AS inst,
              toYear(parseDateTime64BestEffortOrNull(JSONExtractString(assumeNotNull(raw), 'dscg_time'), 3, 'UTC')) AS y,
              uniqExact(record_key) AS n,
              uniqExactIf(record_key, record_key NOT IN (SELECT setl_id FROM ${cases})) AS extra
       FROM ${w.db('rejects')} WHERE kind = 'cases' AND record_key IS NOT NULL AND isValidJSON(ifNull(raw, ''))
       GROUP BY inst, y),
hw_u AS (SELECT institution AS inst, grp, points FROM ${runUnits}
         WHERE ${withHighWeight ? `run_id = ${lit(settlementRunId!)}` : '0'} AND method IN ('dip', 'drg')
           AND status <> 'excluded' AND points IS NOT NULL AND grp IS NOT NULL),
hw_g AS (SELECT grp, avg(points) AS mean FROM hw_u GROUP BY grp),
hw AS (SELECT u.inst AS inst, toUInt16(${year}) AS y,
         avg(if(g.mean >= ${highWeight ?? 0} * (SELECT avg(points) FROM hw_u), 1.0, 0.0)) AS share
       FROM hw_u AS u INNER JOIN hw_g AS g ON g.grp = u.grp GROUP BY u.inst),
enrolled AS (SELECT e.treat_fixmedins_code AS inst, yy.y AS y, uniqExact(e.psn_no) AS n
             FROM ${w.db('enrolments')} AS e CROSS JOIN (SELECT arrayJoin([${year - 1}, ${year}]) AS y) AS yy
             WHERE e.begndate <= makeDate32(yy.y, 12, 31) AND e.enddate >= makeDate32(yy.y, 1, 1) GROUP BY inst, y),
base AS (
SELECT c.inst AS inst, any(c.level) AS level, any(c.type) AS type, c.y AS y, count() AS cases,
  ${readmit},
  avg(c.total) AS cost_per_case, sum(c.own) / sum(c.total) AS own_share, sum(c.oop) / sum(c.total) AS oop_share,
  sum(c.drug) / sum(c.total) AS drug_share, sum(c.mcs) / sum(c.total) AS mcs_share,
  countIf(c.dscg_way = '2') / count() AS referral, avg(toUInt8(c.has_mcc)) AS mcc_share,
  avg(toUInt8(c.low_std)) AS low_share, avg(wt.weight) AS cmi
FROM mon_iy AS c LEFT JOIN wt ON wt.category = c.category GROUP BY c.inst, c.y)
SELECT b.inst, b.level, b.type, b.y, b.cases, ${days.map((d) => `b.readmit${d}`).join(', ')},
  b.cost_per_case, b.own_share, b.oop_share, b.drug_share, b.mcs_share, b.referral, b.mcc_share, b.low_share, b.cmi,
  g.growth, v.n / nullIf(e.n, 0), v.cost, ifNull(q.n, 0) / (b.cases + ifNull(q.extra, 0)), h.share
FROM base AS b LEFT JOIN gcg AS g ON g.inst = b.inst AND g.y = b.y
  LEFT JOIN qc AS q ON q.inst = b.inst AND q.y = b.y LEFT JOIN hw AS h ON h.inst = b.inst AND h.y = b.y
  LEFT JOIN visits AS v ON v.inst = b.inst AND v.y = b.y LEFT JOIN enrolled AS e ON e.inst = b.inst AND e.y = b.y
ORDER BY b.y, b.inst`);
  const names = [
    'inst',
    'level',
    'type',
    'y',
    'cases',
    ...days.map((d) => `readmit${d}`),
    'cost_per_case',
    'own_share',
    'oop_share',
    'drug_share',
    'mcs_share',
    'referral',
    'mcc_share',
    'low_share',
    'cmi',
    'group_growth',
    'visits_per_enrollee',
    'cost_per_visit',
    'qc_failure',
    'high_weight',
  ];
  return institutionYearsOf(
    rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))),
    { mcc, low, withHighWeight, days },
    year,
  );
}

/** Level and type of every institution (as `readInstitutionFacts`). */
export async function chReadInstitutionFacts(w: ChMonitorWork): Promise<Map<string, InstitutionFacts>> {
  const r = await w.store.conn.rows(`SELECT fixmedins_code, hosp_lv, inst_type FROM ${w.db('institutions')}`);
  return new Map(r.map((x) => [String(x[0]), { level: String(x[1]), type: String(x[2]) }]));
}

/** Every stay of the persons of `cases`, by person (as `readOtherStays`). */
export async function chReadOtherStays(
  w: ChMonitorWork,
  cases: readonly InpatientCase[],
): Promise<Map<string, OtherStay[]>> {
  const out = new Map<string, OtherStay[]>();
  const persons = [...new Set(cases.map((c) => c.psnNo))];
  for (let i = 0; i < persons.length; i += 1000) {
    const rows = await w.store.conn.rows(`SELECT psn_no, setl_id, fixmedins_code,
      formatDateTime(adm_time, '%Y-%m-%dT%H:%i:%S'), formatDateTime(dscg_time, '%Y-%m-%dT%H:%i:%S'), diag_codes[1],
      ifNull(days_rinp_flag_31, false), ifNull(mdtrt_id, ''), toInt64(medfee_sumamt * 100), toInt64(hifp_pay * 100)
      FROM ${w.db('cases')} WHERE psn_no IN (${persons
        .slice(i, i + 1000)
        .map(lit)
        .join(',')})`);
    for (const x of rows) {
      const s: OtherStay = {
        setlId: String(x[1]),
        institutionCode: String(x[2]),
        admissionTime: String(x[3]),
        dischargeTime: String(x[4]),
        principal: String(x[5]),
        plannedReadmission: x[6] === true || x[6] === 1,
        mdtrtId: String(x[7]),
        totalCost: Number(x[8]),
        fundPay: Number(x[9]),
      };
      const l = out.get(String(x[0]));
      if (l) l.push(s);
      else out.set(String(x[0]), [s]);
    }
  }
  return out;
}
