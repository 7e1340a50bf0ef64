/**
 * What the rules need besides cases and lines, read from the store: baselines of earlier years (SQL aggregates),
 * institution facts, and the other stays of a case's person (for the single-case mode).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { InpatientCase } from '../../model/case.ts';
import type { Baselines, CaseContext, CategoryBaseline, InstitutionFacts, OtherStay } from '../context.ts';
import type { RuleBase } from '../rule-base.ts';
import { lit } from './duckdb-sql.ts';

const num = (v: unknown) => Number(v as bigint | number);

/** Knowledge diagnosis lists as a temp table (baselines need them before the year is prepared). */
export async function loadDiagnosisLists(conn: DuckDBConnection, base: RuleBase): Promise<void> {
  await conn.run('CREATE OR REPLACE TEMP TABLE mon_k_dx (list VARCHAR, prefix VARCHAR)');
  const rows = [...base.knowledge.diagnosisLists.entries()].flatMap(([l, es]) =>
    es.map((e) => `(${lit(l)},${lit(e.codePrefix)})`),
  );
  if (rows.length > 0) await conn.run(`INSERT INTO mon_k_dx VALUES ${rows.join(',')}`);
}

/** Severity lists the rules compare against (upcoding rules' `list`). */
function severityLists(base: RuleBase): string[] {
  const out = new Set<string>();
  for (const r of base.rules) {
    if ('detector' in r.logic && r.logic.detector === 'upcoding-no-trace') out.add(r.logic.params.list);
  }
  return [...out].sort();
}

/**
 * Baselines from the `baselineYears` years before `year`: per diagnosis category × level the discrete medians of
 * cost and stay (only with at least `baselineMinCases` cases), the same without cases carrying a secondary diagnosis
 * of each severity list, and the uncovered share by level.
 */
export async function computeBaselines(conn: DuckDBConnection, base: RuleBase, year: number): Promise<Baselines> {
  await loadDiagnosisLists(conn, base);
  const n = base.values.baselineYears.value;
  const min = base.values.baselineMinCases.value;
  await conn.run(`CREATE OR REPLACE TEMP TABLE mon_h AS
SELECT c.setl_id, c.diag_codes, left(coalesce(c.diag_codes[1], ''), 3) AS category, i.hosp_lv AS level,
  CAST(c.medfee_sumamt * 100 AS BIGINT) AS total, CAST(c.psn_ownpay * 100 AS BIGINT) AS own, c.act_ipt_days AS los
FROM cases c JOIN institutions i USING (fixmedins_code)
WHERE year(c.dscg_time) BETWEEN ${year - n} AND ${year - 1}`);
  const stats = (where: string) =>
    `SELECT category, level, count(*), quantile_disc(total, 0.5), quantile_disc(los, 0.5) FROM mon_h ${where}
     GROUP BY category, level HAVING count(*) >= ${min}`;
  const toMap = (rows: unknown[][], prefix: string) => {
    const m = new Map<string, CategoryBaseline>();
    for (const r of rows) {
      m.set(`${prefix}${r[0]}|${r[1]}`, { cases: num(r[2]), medianCost: num(r[3]), medianLos: num(r[4]) });
    }
    return m;
  };
  const all = toMap((await conn.runAndReadAll(stats(''))).getRows(), '');
  const plain = new Map<string, CategoryBaseline>();
  for (const list of severityLists(base)) {
    const where = `WHERE setl_id NOT IN (SELECT setl_id FROM (SELECT setl_id, unnest(diag_codes[2:]) AS code FROM mon_h) s
      JOIN mon_k_dx d ON d.list = ${lit(list)} AND starts_with(s.code, d.prefix))`;
    for (const [k, v] of toMap((await conn.runAndReadAll(stats(where))).getRows(), `${list}|`)) plain.set(k, v);
  }
  const ownShare = new Map<string, { cases: number; ownPay: number; totalCost: number }>();
  const own = await conn.runAndReadAll(
    `SELECT level, count(*), sum(own), sum(total) FROM mon_h GROUP BY level HAVING count(*) >= ${min}`,
  );
  for (const r of own.getRows()) {
    ownShare.set(String(r[0]), { cases: num(r[1]), ownPay: num(r[2]), totalCost: num(r[3]) });
  }
  await conn.run('DROP TABLE IF EXISTS mon_h');
  return { all, plain, ownShare };
}

export async function readInstitutionFacts(conn: DuckDBConnection): Promise<Map<string, InstitutionFacts>> {
  const r = await conn.runAndReadAll('SELECT fixmedins_code, hosp_lv, inst_type FROM institutions');
  return new Map(r.getRows().map((x) => [String(x[0]), { level: String(x[1]), type: String(x[2]) }]));
}

/** Every stay of the persons of `cases`, by person. */
export async function readOtherStays(
  conn: DuckDBConnection,
  cases: readonly InpatientCase[],
): Promise<Map<string, OtherStay[]>> {
  const out = new Map<string, OtherStay[]>();
  const persons = [...new Set(cases.map((c) => c.psnNo))];
  for (let i = 0; i < persons.length; i += 1000) {
    const r = await conn.runAndReadAll(`SELECT psn_no, setl_id, fixmedins_code, strftime(adm_time, '%Y-%m-%dT%H:%M:%S'),
      strftime(dscg_time, '%Y-%m-%dT%H:%M:%S'), coalesce(diag_codes[1], ''), coalesce(days_rinp_flag_31, false),
      coalesce(mdtrt_id, ''), CAST(medfee_sumamt * 100 AS BIGINT), CAST(hifp_pay * 100 AS BIGINT)
      FROM cases WHERE psn_no IN (${persons
        .slice(i, i + 1000)
        .map(lit)
        .join(',')})`);
    for (const x of r.getRows()) {
      const s: OtherStay = {
        setlId: String(x[1]),
        institutionCode: String(x[2]),
        admissionTime: String(x[3]),
        dischargeTime: String(x[4]),
        principal: String(x[5]),
        plannedReadmission: x[6] === true,
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

/** The context of each case of a batch (the single-case mode's view of the store). */
export async function caseContexts(
  conn: DuckDBConnection,
  cases: readonly InpatientCase[],
  baselines: Baselines,
  facts: ReadonlyMap<string, InstitutionFacts>,
): Promise<Map<string, CaseContext>> {
  const stays = await readOtherStays(conn, cases);
  const out = new Map<string, CaseContext>();
  for (const c of cases) {
    const institution = facts.get(c.institutionCode);
    if (!institution) throw new RangeError(`institution ${c.institutionCode} of ${c.setlId} is not registered`);
    out.set(c.setlId, { otherStays: stays.get(c.psnNo) ?? [], institution, baselines });
  }
  return out;
}
