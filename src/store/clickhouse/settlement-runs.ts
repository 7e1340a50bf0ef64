/**
 * Settlement runs on ClickHouse (the tables of migration 5 of the DuckDB store, same columns): rows go in as
 * RowBinary batches (`rowbinary.ts`: integers as they are, decimals from exact text, no JSON text); the run's
 * record is inserted last, so a run becomes visible to readers only when all its rows are in (ClickHouse has no
 * multi-statement transaction). A failed run's rows are deleted by run id. Readers are the DuckDB reader's queries
 * with ClickHouse parameters; units stream by keyset pages read as Native.
 */
import { StoreError } from '../errors.ts';
import {
  caseAmountsMismatchError,
  caseAmountTerms,
  negativePointsError,
  type RatioText,
  type RunDerived,
  type RunGroupRow,
  type RunInstitutionMonthRow,
  type RunInstitutionYearRow,
  type RunMethodSumFilter,
  type RunPolicySnapshot,
  type RunPoolMonthRow,
  type RunPoolRow,
  type RunResultsReader,
  type RunUnitFilter,
  type RunUnitRow,
  type SettlementRunFilter,
  type SettlementRunRecord,
  type SettlementRunWriter,
} from '../settlement-runs.ts';
import type { RunStatus } from '../store.ts';
import type { ChConnection, ChRow, QueryParams } from './client.ts';
import { int, intOrNull, stampText } from './values.ts';

/** The run tables a settlement run writes (rows keyed by run_id), the record table last. */
export const RUN_TABLES = [
  'run_policies',
  'run_derived',
  'run_units',
  'run_pools',
  'run_pool_months',
  'run_institution_months',
  'run_institution_year',
  'run_groups',
  'run_unit_amounts',
] as const;

const DEC_SCALE = 12n;

/** Half-up to 12 decimals, as the DuckDB store's copy for SQL (the exact ratio is in the *_num/_den columns). */
function decimalText(r: RatioText): string {
  const num = BigInt(r.num) * 10n ** DEC_SCALE;
  const den = BigInt(r.den);
  const q = num / den;
  const rem = num % den;
  const abs = rem < 0n ? -rem : rem;
  const up = 2n * abs >= (den < 0n ? -den : den) ? (num < 0n !== den < 0n ? -1n : 1n) : 0n;
  const v = q + up;
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(Number(DEC_SCALE) + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -Number(DEC_SCALE))}.${s.slice(-Number(DEC_SCALE))}`;
}

export function chSettlementRunWriter(conn: ChConnection, runId: string): SettlementRunWriter {
  return {
    policies: (rows: readonly RunPolicySnapshot[]) =>
      conn.insertBinary(
        'run_policies',
        rows.map((r) => ({
          run_id: runId,
          policy_id: r.policyId,
          kind: r.kind,
          region: r.region,
          version: r.version,
          file: r.file,
          sha256: r.sha256,
          content: r.content,
        })),
      ),
    derived: (rows: readonly RunDerived[]) =>
      conn.insertBinary(
        'run_derived',
        rows.map((r) => ({ run_id: runId, kind: r.kind, name: r.name, content: r.content })),
      ),
    units: (rows: readonly RunUnitRow[]) =>
      conn.insertBinary(
        'run_units',
        rows.map((u) => ({
          run_id: runId,
          pool_id: u.poolId,
          unit_id: u.unitId,
          method: u.method,
          institution: u.institution,
          month: u.month,
          grp: u.group,
          status: u.status,
          points: u.points,
          amount_fen: u.amountFen,
          billed_fen: u.billedFen,
          patient_paid_fen: u.patientPaidFen,
          basis: u.basis,
          trace: u.trace,
        })),
      ),
    pools: (rows: readonly RunPoolRow[]) =>
      conn.insertBinary(
        'run_pools',
        rows.map((p) => ({
          run_id: runId,
          pool_id: p.poolId,
          fund_fen: p.fundFen,
          point_value_rule: p.pointValueRule,
          point_value_num: p.pointValue.num,
          point_value_den: p.pointValue.den,
          point_value: decimalText(p.pointValue),
          point_value_text: p.pointValueText,
          floating_point_value_num: p.floatingPointValue?.num ?? null,
          floating_point_value_den: p.floatingPointValue?.den ?? null,
          fund_payment_ratio_num: p.fundPaymentRatio.num,
          fund_payment_ratio_den: p.fundPaymentRatio.den,
          opening_point_value_num: p.openingPointValue.num,
          opening_point_value_den: p.openingPointValue.den,
          summary: p.summary,
          point_value_steps: p.pointValueSteps,
          steps: p.steps,
        })),
      ),
    poolMonths: (rows: readonly RunPoolMonthRow[]) =>
      conn.insertBinary(
        'run_pool_months',
        rows.map((m) => ({
          run_id: runId,
          pool_id: m.poolId,
          month: m.month,
          point_value_num: m.pointValue.num,
          point_value_den: m.pointValue.den,
          point_value: decimalText(m.pointValue),
          point_value_text: m.pointValueText,
          quota_fen: m.quotaFen,
          steps: m.steps,
        })),
      ),
    institutionMonths: (rows: readonly RunInstitutionMonthRow[]) =>
      conn.insertBinary(
        'run_institution_months',
        rows.map((m) => ({
          run_id: runId,
          pool_id: m.poolId,
          institution: m.institution,
          month: m.month,
          units: m.units,
          points: m.points,
          amount_fen: m.amountFen,
          point_value_num: m.pointValue.num,
          point_value_den: m.pointValue.den,
          value_fen: m.valueFen,
          patient_paid_fen: m.patientPaidFen,
          gross_fen: m.grossFen,
          prepay_ratio_num: m.prepayRatio.num,
          prepay_ratio_den: m.prepayRatio.den,
          prepay_fen: m.prepayFen,
          deposit_fen: m.depositFen,
          deductions_fen: m.deductionsFen,
          payment_fen: m.paymentFen,
          steps: m.steps,
        })),
      ),
    institutionYear: (rows: readonly RunInstitutionYearRow[]) =>
      conn.insertBinary(
        'run_institution_year',
        rows.map((y) => ({
          run_id: runId,
          pool_id: y.poolId,
          institution: y.institution,
          level: y.level,
          units: y.units,
          points: y.points,
          amount_fen: y.amountFen,
          billed_fen: y.billedFen,
          patient_paid_fen: y.patientPaidFen,
          by_status: y.byStatus,
          advance_fen: y.advanceFen,
          monthly_paid_fen: y.monthlyPaidFen,
          deposit_held_fen: y.depositHeldFen,
          value_fen: y.valueFen,
          gross_fen: y.grossFen,
          ffs_fund_fen: y.ffsFundFen,
          sharing: y.sharing,
          after_sharing_fen: y.afterSharingFen,
          assessment_num: y.assessment.num,
          assessment_den: y.assessment.den,
          after_assessment_fen: y.afterAssessmentFen,
          deductions_fen: y.deductionsFen,
          year_end_fen: y.yearEndFen,
          clearing_fen: y.clearingFen,
          steps: y.steps,
        })),
      ),
    groups: (rows: readonly RunGroupRow[]) =>
      conn.insertBinary(
        'run_groups',
        rows.map((g) => ({
          run_id: runId,
          pool_id: g.poolId,
          method: g.method,
          grp: g.group,
          units: g.units,
          points: g.points,
          amount_fen: g.amountFen,
          value_fen: g.valueFen,
          billed_fen: g.billedFen,
          difference_fen: g.differenceFen,
        })),
      ),
    caseAmounts: (poolId: string, pointValue: RatioText) => chCaseAmounts(conn, runId, poolId, pointValue),
  };
}

/** A unit's floor and remainder of the per-case split (`caseAmountTerms`), as the DuckDB store computes them. */
const chCaseFloors = (conn: ChConnection) => `SELECT unit_id, institution, points IS NOT NULL AS has_points,
    if(points IS NULL, toInt256(assumeNotNull(amount_fen)),
      toInt256(assumeNotNull(points)) * toInt256({a:String})
        + intDiv(toInt256(assumeNotNull(points)) * toInt256({b:String}), toInt256({d:String}))
        + toInt256(ifNull(amount_fen, 0))) AS floor_fen,
    if(points IS NULL, toInt256(-1), (toInt256(assumeNotNull(points)) * toInt256({b:String})) % toInt256({d:String})) AS rem
  FROM ${conn.table('run_units')} WHERE run_id = {run:String} AND pool_id = {pool:String} AND status != 'excluded'`;

/** The marker of the split's check failing inside the INSERT (`throwIf`); the institutions are then listed. */
const SPLIT_MISMATCH = 'yibao case amounts: an institution does not add up';

/**
 * 病例结算金额 by largest remainder per institution, one INSERT … SELECT (`SettlementRunWriter.caseAmounts`): each
 * unit's floor and remainder are computed once, and the same pass ranks the remainders, sums each institution's
 * floors and points units by window and checks them against its stored amount (`throwIf`: ClickHouse keeps no session
 * for a work table). When the check fails the rows already inserted go with the run (its undo deletes it), and the
 * institutions that do not add up are listed by a second query.
 */
async function chCaseAmounts(
  conn: ChConnection,
  runId: string,
  poolId: string,
  pointValue: RatioText,
): Promise<number> {
  const p = { run: runId, pool: poolId };
  const [range] = await conn.rows(
    `SELECT toString(min(points)), toString(max(points)), count() FROM ${conn.table('run_units')}
     WHERE run_id = {run:String} AND pool_id = {pool:String} AND status != 'excluded'`,
    p,
  );
  const min = range![0] === null ? null : Number(range![0]);
  if (min !== null && min < 0) throw negativePointsError(poolId);
  const max = range![1] === null ? 0 : Number(range![1]);
  const q = { ...p, ...caseAmountTerms(pointValue, max, 254), mismatch: SPLIT_MISMATCH };
  const year = `(SELECT institution, value_fen FROM ${conn.table('run_institution_year')}
    WHERE run_id = {run:String} AND pool_id = {pool:String})`;
  // An institution's leftover fen must be between 0 and its number of points units (else the split is wrong); the
  // session's join_use_nulls makes an institution without a year row NULL.
  const leftover = 'toInt256(y.value_fen) - r.floors';
  try {
    await conn.command(
      `INSERT INTO ${conn.table('run_unit_amounts')} (run_id, pool_id, unit_id, settled_fen)
       SELECT {run:String}, {pool:String}, r.unit_id,
         toInt64(r.floor_fen + if(r.has_points AND toInt256(r.rk) <= ${leftover}, 1, 0))
           + throwIf(ifNull(${leftover} < 0 OR ${leftover} > r.n, 1), {mismatch:String})
       FROM (
         SELECT unit_id, institution, has_points, floor_fen,
           row_number() OVER (PARTITION BY institution ORDER BY rem DESC, unit_id ASC) AS rk,
           sum(floor_fen) OVER (PARTITION BY institution) AS floors,
           countIf(has_points) OVER (PARTITION BY institution) AS n
         FROM (${chCaseFloors(conn)})
       ) AS r
       LEFT JOIN ${year} AS y ON y.institution = r.institution`,
      q,
    );
  } catch (e) {
    if (!String(e instanceof Error ? e.message : e).includes(SPLIT_MISMATCH)) throw e;
    const wrong = await conn.rows(
      `SELECT f.institution, toString(y.value_fen), toString(f.floors), f.n FROM
         (SELECT institution, sum(floor_fen) AS floors, countIf(has_points) AS n FROM (${chCaseFloors(conn)})
          GROUP BY institution) AS f
       LEFT JOIN ${year} AS y ON y.institution = f.institution
       WHERE y.value_fen IS NULL OR toInt256(y.value_fen) - f.floors < 0 OR toInt256(y.value_fen) - f.floors > f.n
       ORDER BY f.institution LIMIT 5`,
      q,
    );
    if (wrong.length === 0) throw e;
    throw caseAmountsMismatchError(runId, poolId, wrong);
  }
  return int(range![2], 'units');
}

export async function insertChRunRecord(conn: ChConnection, r: SettlementRunRecord): Promise<void> {
  await conn.insertBinary('settlement_runs', [
    {
      run_id: r.id,
      region: r.region,
      year: r.year,
      command: r.command,
      case_method: r.caseMethod,
      methods: r.methods,
      inputs: JSON.stringify(r.inputs),
      counts: JSON.stringify(r.counts),
      started_at: stampText(r.startedAt),
      finished_at: stampText(r.finishedAt),
      status: r.status,
      message: r.message ?? null,
      kind: r.kind ?? 'issued',
      base_run_id: r.baseRunId ?? null,
    },
  ]);
}

/** Delete every row a run wrote (its record first, so it stops being visible at once). */
export async function deleteChRun(conn: ChConnection, runId: string): Promise<void> {
  for (const t of ['settlement_runs', ...RUN_TABLES]) {
    await conn.command(`DELETE FROM ${conn.table(t)} WHERE run_id = {run:String}`, { run: runId });
  }
}

const iso = (c: string) => `concat(replaceOne(toString(${c}), ' ', 'T'), 'Z')`;

const recordSelect = (
  conn: ChConnection,
) => `SELECT run_id, region, year, command, case_method, methods, inputs, counts,
  ${iso('started_at')}, ${iso('finished_at')}, status, message, kind, base_run_id FROM ${conn.table('settlement_runs')}`;

function toRecord(r: ChRow): SettlementRunRecord {
  const rec: SettlementRunRecord = {
    id: r[0] as string,
    region: r[1] as string,
    year: int(r[2], 'year'),
    command: r[3] as string,
    caseMethod: r[4] as string,
    methods: [...(r[5] as string[])],
    inputs: JSON.parse(r[6] as string),
    counts: JSON.parse(r[7] as string),
    startedAt: r[8] as string,
    finishedAt: r[9] as string,
    status: r[10] as RunStatus,
  };
  if (r[11] !== null) rec.message = r[11] as string;
  if (r[12] === 'what-if') rec.kind = 'what-if';
  if (r[13] !== null && r[13] !== undefined) rec.baseRunId = r[13] as string;
  return rec;
}

export async function listChSettlementRuns(
  conn: ChConnection,
  f: SettlementRunFilter = {},
): Promise<SettlementRunRecord[]> {
  const where: string[] = [];
  const params: QueryParams = {};
  if (f.region !== undefined) {
    where.push('region = {region:String}');
    params.region = f.region;
  }
  if (f.year !== undefined) {
    where.push('year = {year:Int32}');
    params.year = f.year;
  }
  const kind = f.kind ?? 'issued';
  if (kind !== 'all') {
    where.push("coalesce(kind, 'issued') = {kind:String}");
    params.kind = kind;
  }
  const limit = Math.max(1, Math.min(f.limit ?? 50, 100_000));
  const found = await conn.rows(
    `${recordSelect(conn)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`,
    params,
  );
  return found.map(toRecord);
}

const n = (v: unknown, what: string) => int(v, what);
const ratioAt = (r: ChRow, i: number): RatioText => ({ num: r[i] as string, den: r[i + 1] as string });

function unitOf(r: ChRow): RunUnitRow {
  return {
    poolId: r[0] as string,
    unitId: r[1] as string,
    method: r[2] as string,
    institution: r[3] as string,
    month: r[4] as string,
    group: r[5] as string | null,
    status: r[6] as string,
    points: intOrNull(r[7], 'points'),
    amountFen: intOrNull(r[8], 'amount_fen'),
    billedFen: n(r[9], 'billed_fen'),
    patientPaidFen: n(r[10], 'patient_paid_fen'),
    basis: r[11] as string | null,
    trace: r[12] as string | null,
    settledFen: null,
  };
}

const UNIT_COLUMNS =
  'pool_id, unit_id, method, institution, month, grp, status, points, amount_fen, billed_fen, patient_paid_fen, basis, trace';

export function chRunResultsReader(conn: ChConnection, runId: string): RunResultsReader {
  const p = { run: runId };
  const T = (t: string) => conn.table(t);
  return {
    runId,
    async record() {
      const r = await conn.rows(`${recordSelect(conn)} WHERE run_id = {run:String}`, p);
      if (r.length === 0) {
        throw new StoreError(
          'STORE_NO_RUN',
          conn.location.display,
          `没有结算运行 ${runId}`,
          `no settlement run ${runId}`,
        );
      }
      return toRecord(r[0]!);
    },
    async policies() {
      const r = await conn.rows(
        `SELECT policy_id, kind, region, version, file, sha256, content FROM ${T('run_policies')}
         WHERE run_id = {run:String} ORDER BY policy_id`,
        p,
      );
      return r.map((x) => ({
        policyId: x[0] as string,
        kind: x[1] as string,
        region: x[2] as string,
        version: x[3] as string,
        file: x[4] as string,
        sha256: x[5] as string,
        content: x[6] as string,
      }));
    },
    async derived(kind: string) {
      const r = await conn.rows(
        `SELECT kind, name, content FROM ${T('run_derived')}
         WHERE run_id = {run:String} AND kind = {kind:String} ORDER BY name`,
        { ...p, kind },
      );
      return r.map((x) => ({ kind: x[0] as string, name: x[1] as string, content: x[2] as string }));
    },
    async pools() {
      const r = await conn.rows(
        `SELECT pool_id, fund_fen, point_value_rule, point_value_num, point_value_den, point_value_text,
           floating_point_value_num, floating_point_value_den, fund_payment_ratio_num, fund_payment_ratio_den,
           opening_point_value_num, opening_point_value_den, summary, point_value_steps, steps
         FROM ${T('run_pools')} WHERE run_id = {run:String} ORDER BY pool_id`,
        p,
      );
      return r.map((x) => ({
        poolId: x[0] as string,
        fundFen: n(x[1], 'fund_fen'),
        pointValueRule: x[2] as string,
        pointValue: ratioAt(x, 3),
        pointValueText: x[5] as string,
        floatingPointValue: x[6] === null ? null : ratioAt(x, 6),
        fundPaymentRatio: ratioAt(x, 8),
        openingPointValue: ratioAt(x, 10),
        summary: x[12] as string,
        pointValueSteps: x[13] as string,
        steps: x[14] as string,
      }));
    },
    async poolMonths(poolId: string) {
      const r = await conn.rows(
        `SELECT pool_id, month, point_value_num, point_value_den, point_value_text, quota_fen, steps
         FROM ${T('run_pool_months')} WHERE run_id = {run:String} AND pool_id = {pool:String} ORDER BY month`,
        { ...p, pool: poolId },
      );
      return r.map((x) => ({
        poolId: x[0] as string,
        month: x[1] as string,
        pointValue: ratioAt(x, 2),
        pointValueText: x[4] as string,
        quotaFen: intOrNull(x[5], 'quota_fen'),
        steps: x[6] as string,
      }));
    },
    async institutionMonths(poolId: string, institution?: string) {
      const r = await conn.rows(
        `SELECT pool_id, institution, month, units, points, amount_fen, point_value_num, point_value_den, value_fen,
           patient_paid_fen, gross_fen, prepay_ratio_num, prepay_ratio_den, prepay_fen, deposit_fen, deductions_fen,
           payment_fen, steps
         FROM ${T('run_institution_months')} WHERE run_id = {run:String} AND pool_id = {pool:String}
         ${institution !== undefined ? 'AND institution = {inst:String}' : ''} ORDER BY institution, month`,
        { ...p, pool: poolId, ...(institution !== undefined ? { inst: institution } : {}) },
      );
      return r.map((x) => ({
        poolId: x[0] as string,
        institution: x[1] as string,
        month: x[2] as string,
        units: n(x[3], 'units'),
        points: n(x[4], 'points'),
        amountFen: n(x[5], 'amount_fen'),
        pointValue: ratioAt(x, 6),
        valueFen: n(x[8], 'value_fen'),
        patientPaidFen: n(x[9], 'patient_paid_fen'),
        grossFen: n(x[10], 'gross_fen'),
        prepayRatio: ratioAt(x, 11),
        prepayFen: n(x[13], 'prepay_fen'),
        depositFen: n(x[14], 'deposit_fen'),
        deductionsFen: n(x[15], 'deductions_fen'),
        paymentFen: n(x[16], 'payment_fen'),
        steps: x[17] as string,
      }));
    },
    async institutionYear(poolId: string, institution?: string) {
      const r = await conn.rows(
        `SELECT pool_id, institution, level, units, points, amount_fen, billed_fen, patient_paid_fen, by_status,
           advance_fen, monthly_paid_fen, deposit_held_fen, value_fen, gross_fen, ffs_fund_fen, sharing,
           after_sharing_fen, assessment_num, assessment_den, after_assessment_fen, deductions_fen, year_end_fen,
           clearing_fen, steps
         FROM ${T('run_institution_year')} WHERE run_id = {run:String} AND pool_id = {pool:String}
         ${institution !== undefined ? 'AND institution = {inst:String}' : ''} ORDER BY institution`,
        { ...p, pool: poolId, ...(institution !== undefined ? { inst: institution } : {}) },
      );
      return r.map((x) => ({
        poolId: x[0] as string,
        institution: x[1] as string,
        level: x[2] as string | null,
        units: n(x[3], 'units'),
        points: n(x[4], 'points'),
        amountFen: n(x[5], 'amount_fen'),
        billedFen: n(x[6], 'billed_fen'),
        patientPaidFen: n(x[7], 'patient_paid_fen'),
        byStatus: x[8] as string,
        advanceFen: n(x[9], 'advance_fen'),
        monthlyPaidFen: n(x[10], 'monthly_paid_fen'),
        depositHeldFen: n(x[11], 'deposit_held_fen'),
        valueFen: n(x[12], 'value_fen'),
        grossFen: n(x[13], 'gross_fen'),
        ffsFundFen: n(x[14], 'ffs_fund_fen'),
        sharing: x[15] as string | null,
        afterSharingFen: n(x[16], 'after_sharing_fen'),
        assessment: ratioAt(x, 17),
        afterAssessmentFen: n(x[19], 'after_assessment_fen'),
        deductionsFen: n(x[20], 'deductions_fen'),
        yearEndFen: n(x[21], 'year_end_fen'),
        clearingFen: n(x[22], 'clearing_fen'),
        steps: x[23] as string,
      }));
    },
    async groups(poolId: string) {
      // A group is its units' method and group ('' for none), excluded units left out (they have no amount); the
      // session's join_use_nulls makes a group without stored amounts NULL, as on DuckDB.
      const r = await conn.rows(
        `SELECT g.pool_id, g.method, g.grp, g.units, g.points, g.amount_fen, g.value_fen, g.billed_fen,
           g.difference_fen, s.settled_fen
         FROM ${T('run_groups')} AS g LEFT JOIN (
           SELECT u.method AS method, ifNull(u.grp, '') AS grp, sum(a.settled_fen) AS settled_fen
           FROM ${T('run_units')} AS u
           INNER JOIN (SELECT unit_id, settled_fen FROM ${T('run_unit_amounts')}
             WHERE run_id = {run:String} AND pool_id = {pool:String}) AS a ON a.unit_id = u.unit_id
           WHERE u.run_id = {run:String} AND u.pool_id = {pool:String} AND u.status != 'excluded'
           GROUP BY method, grp
         ) AS s ON s.method = g.method AND s.grp = g.grp
         WHERE g.run_id = {run:String} AND g.pool_id = {pool:String} ORDER BY g.method, g.grp`,
        { ...p, pool: poolId },
      );
      return r.map((x) => ({
        poolId: x[0] as string,
        method: x[1] as string,
        group: x[2] as string,
        units: n(x[3], 'units'),
        points: n(x[4], 'points'),
        amountFen: n(x[5], 'amount_fen'),
        valueFen: n(x[6], 'value_fen'),
        billedFen: n(x[7], 'billed_fen'),
        differenceFen: n(x[8], 'difference_fen'),
        settledFen: x[9] === null || x[9] === undefined ? null : n(x[9], 'settled_fen'),
      }));
    },
    async unit(unitId: string) {
      const r = await conn.rows(
        `SELECT ${UNIT_COLUMNS} FROM ${T('run_units')} WHERE run_id = {run:String} AND unit_id = {unit:String}
         ORDER BY pool_id LIMIT 1`,
        { ...p, unit: unitId },
      );
      if (!r.length) return undefined;
      const u = unitOf(r[0]!);
      const [a] = await conn.rows(
        `SELECT settled_fen FROM ${T('run_unit_amounts')}
         WHERE run_id = {run:String} AND pool_id = {pool:String} AND unit_id = {unit:String} LIMIT 1`,
        { ...p, pool: u.poolId, unit: unitId },
      );
      return a ? { ...u, settledFen: n(a[0], 'settled_fen') } : u;
    },
    async methodSums(filter: RunMethodSumFilter) {
      const params: QueryParams = { ...p, pool: filter.poolId };
      const where = ['run_id = {run:String}', 'pool_id = {pool:String}', "status != 'excluded'"];
      if (filter.institution !== undefined) {
        where.push('institution = {inst:String}');
        params.inst = filter.institution;
      }
      if (filter.month !== undefined) {
        where.push('month = {month:String}');
        params.month = filter.month;
      }
      // The units on the right of the join (ClickHouse builds its hash table from the right): the institution's,
      // not the pool's amounts. `stored` is 1 for a unit with an amount, NULL or 0 (join_use_nulls or not) without.
      const r = await conn.rows(
        `SELECT u.method, count(), sum(ifNull(u.points, 0)), sum(ifNull(u.amount_fen, 0)),
           sum(ifNull(a.settled_fen, 0)), sum(ifNull(a.stored, 0)), sum(u.billed_fen), sum(u.patient_paid_fen)
         FROM (SELECT unit_id, settled_fen, toUInt8(1) AS stored FROM ${T('run_unit_amounts')}
           WHERE run_id = {run:String} AND pool_id = {pool:String}) AS a
         RIGHT JOIN (SELECT unit_id, method, points, amount_fen, billed_fen, patient_paid_fen FROM ${T('run_units')}
           WHERE ${where.join(' AND ')}) AS u ON a.unit_id = u.unit_id
         GROUP BY u.method ORDER BY u.method`,
        params,
      );
      return r.map((x) => ({
        method: x[0] as string,
        units: n(x[1], 'units'),
        points: n(x[2], 'points'),
        amountFen: n(x[3], 'amount_fen'),
        settledFen: n(x[4], 'settled_fen'),
        settledUnits: n(x[5], 'settled units'),
        billedFen: n(x[6], 'billed_fen'),
        patientPaidFen: n(x[7], 'patient_paid_fen'),
      }));
    },
    units(filter: RunUnitFilter = {}, batchSize = 50_000) {
      const columns = filter.trace === false ? UNIT_COLUMNS.replace(/, trace$/, ', NULL AS trace') : UNIT_COLUMNS;
      const where = ['run_id = {run:String}'];
      const params: QueryParams = { ...p };
      if (filter.poolId !== undefined) {
        where.push('pool_id = {pool:String}');
        params.pool = filter.poolId;
      }
      if (filter.institution !== undefined) {
        where.push('institution = {inst:String}');
        params.inst = filter.institution;
      }
      if (filter.method !== undefined) {
        where.push('method = {method:String}');
        params.method = filter.method;
      }
      return (async function* () {
        // Keyset pages over the table's sort key (pool_id, unit_id): bounded memory on a server and on chDB.
        let after: [string, string] | undefined;
        for (;;) {
          const page = await conn.nativeRows(
            `SELECT ${columns} FROM ${T('run_units')} WHERE ${where.join(' AND ')}
             ${after ? 'AND (pool_id, unit_id) > ({ap:String}, {au:String})' : ''}
             ORDER BY pool_id, unit_id LIMIT ${batchSize}`,
            after ? { ...params, ap: after[0], au: after[1] } : params,
          );
          if (page.length === 0) return;
          // The page's settled amounts (migration 12): one key range of run_unit_amounts, merged by key.
          const first = page[0]!;
          const end = page[page.length - 1]!;
          const amounts = new Map<string, number>();
          for (const a of await conn.nativeRows(
            `SELECT pool_id, unit_id, settled_fen FROM ${T('run_unit_amounts')} WHERE run_id = {run:String}
             AND (pool_id, unit_id) >= ({fp:String}, {fu:String}) AND (pool_id, unit_id) <= ({lp:String}, {lu:String})`,
            { ...p, fp: first[0] as string, fu: first[1] as string, lp: end[0] as string, lu: end[1] as string },
          ))
            amounts.set(`${a[0]}\u0000${a[1]}`, n(a[2], 'settled_fen'));
          yield page.map((r) => {
            const u = unitOf(r);
            u.settledFen = amounts.get(`${u.poolId}\u0000${u.unitId}`) ?? null;
            return u;
          });
          if (page.length < batchSize) return;
          const last = page[page.length - 1]!;
          after = [last[0] as string, last[1] as string];
        }
      })();
    },
  };
}
