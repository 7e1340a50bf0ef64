/**
 * Settlement runs on DuckDB (migration 5): rows go in through appenders (the bulk path), one transaction per run;
 * readers are plain SQL over the result tables.
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDecimalValue,
  type DuckDBInstance,
  type DuckDBValue,
  LIST,
  VARCHAR,
} from '@duckdb/node-api';
import { StoreError } from '../errors.ts';
import {
  caseAmountLimbs,
  caseAmountsMismatchError,
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
  type UnitLinesFile,
} from '../settlement-runs.ts';
import type { RunStatus } from '../store.ts';
import { toSafeNumber } from './sql.ts';
import { writeUnitLines } from './unit-lines.ts';
import { RunUnitAppender } from './unit-writer.ts';

/** Column kinds of the run tables: s text, i int, b bigint, d decimal(38,12) from a ratio, l text list. */
type Kind = 's' | 'i' | 'b' | 'd' | 'l';
type Cell = string | number | null | RatioText | readonly string[];

const DEC_SCALE = 12n;
const LIST_OF_TEXT = LIST(VARCHAR);

function decimalOf(r: RatioText): DuckDBDecimalValue {
  const num = BigInt(r.num) * 10n ** DEC_SCALE;
  const den = BigInt(r.den);
  // half-up to 12 decimals (a copy for SQL; the exact ratio is in the *_num/_den columns)
  const q = num / den;
  const rem = num % den;
  const abs = rem < 0n ? -rem : rem;
  const up = 2n * abs >= (den < 0n ? -den : den) ? (num < 0n !== den < 0n ? -1n : 1n) : 0n;
  return new DuckDBDecimalValue(q + up, 38, Number(DEC_SCALE));
}

function append(app: DuckDBAppender, kinds: readonly Kind[], rows: readonly Cell[][]): void {
  for (const row of rows) {
    kinds.forEach((k, i) => {
      const v = row[i];
      if (v === null || v === undefined) app.appendNull();
      else if (k === 's') app.appendVarchar(v as string);
      else if (k === 'i') app.appendInteger(v as number);
      else if (k === 'b') app.appendBigInt(BigInt(v as number));
      else if (k === 'd') app.appendDecimal(decimalOf(v as RatioText));
      else app.appendList(v as readonly string[], LIST_OF_TEXT);
    });
    app.endRow();
  }
}

async function appendRows(conn: DuckDBConnection, table: string, kinds: readonly Kind[], rows: readonly Cell[][]) {
  if (rows.length === 0) return;
  const app = await conn.createAppender(table);
  try {
    append(app, kinds, rows);
  } finally {
    app.closeSync();
  }
}

const rt = (r: RatioText): [string, string] => [r.num, r.den];

/**
 * The run's writer; `finish` closes the run's unit appender (the store calls it before the run's record, also when
 * the run fails).
 */
export function settlementRunWriter(conn: DuckDBConnection, runId: string): SettlementRunWriter & { finish(): void } {
  const units = new RunUnitAppender(conn, runId);
  // Anything else of the run goes in after the units appended so far are in the table (the split of 病例结算金额
  // reads them).
  const rowsTo = (table: string, kinds: readonly Kind[], rows: readonly Cell[][]) => {
    units.close();
    return appendRows(conn, table, kinds, rows);
  };
  return {
    finish: () => units.close(),
    policies: (rows: readonly RunPolicySnapshot[]) =>
      rowsTo(
        'run_policies',
        ['s', 's', 's', 's', 's', 's', 's', 's'],
        rows.map((r) => [runId, r.policyId, r.kind, r.region, r.version, r.file, r.sha256, r.content]),
      ),
    derived: (rows: readonly RunDerived[]) =>
      rowsTo(
        'run_derived',
        ['s', 's', 's', 's'],
        rows.map((r) => [runId, r.kind, r.name, r.content]),
      ),
    units: (rows: readonly RunUnitRow[]) => units.append(rows),
    pools: (rows: readonly RunPoolRow[]) =>
      rowsTo(
        'run_pools',
        ['s', 's', 'b', 's', 's', 's', 'd', 's', 's', 's', 's', 's', 's', 's', 's', 's', 's'],
        rows.map((p) => [
          runId,
          p.poolId,
          p.fundFen,
          p.pointValueRule,
          ...rt(p.pointValue),
          p.pointValue,
          p.pointValueText,
          p.floatingPointValue?.num ?? null,
          p.floatingPointValue?.den ?? null,
          ...rt(p.fundPaymentRatio),
          ...rt(p.openingPointValue),
          p.summary,
          p.pointValueSteps,
          p.steps,
        ]),
      ),
    poolMonths: (rows: readonly RunPoolMonthRow[]) =>
      rowsTo(
        'run_pool_months',
        ['s', 's', 's', 's', 's', 'd', 's', 'b', 's'],
        rows.map((m) => [
          runId,
          m.poolId,
          m.month,
          ...rt(m.pointValue),
          m.pointValue,
          m.pointValueText,
          m.quotaFen,
          m.steps,
        ]),
      ),
    institutionMonths: (rows: readonly RunInstitutionMonthRow[]) =>
      rowsTo(
        'run_institution_months',
        ['s', 's', 's', 's', 'i', 'b', 'b', 's', 's', 'b', 'b', 'b', 's', 's', 'b', 'b', 'b', 'b', 's'],
        rows.map((m) => [
          runId,
          m.poolId,
          m.institution,
          m.month,
          m.units,
          m.points,
          m.amountFen,
          ...rt(m.pointValue),
          m.valueFen,
          m.patientPaidFen,
          m.grossFen,
          ...rt(m.prepayRatio),
          m.prepayFen,
          m.depositFen,
          m.deductionsFen,
          m.paymentFen,
          m.steps,
        ]),
      ),
    institutionYear: (rows: readonly RunInstitutionYearRow[]) =>
      rowsTo(
        'run_institution_year',
        [
          's',
          's',
          's',
          's',
          'i',
          'b',
          'b',
          'b',
          'b',
          's',
          'b',
          'b',
          'b',
          'b',
          'b',
          'b',
          's',
          'b',
          's',
          's',
          'b',
          'b',
          'b',
          'b',
          's',
        ],
        rows.map((y) => [
          runId,
          y.poolId,
          y.institution,
          y.level,
          y.units,
          y.points,
          y.amountFen,
          y.billedFen,
          y.patientPaidFen,
          y.byStatus,
          y.advanceFen,
          y.monthlyPaidFen,
          y.depositHeldFen,
          y.valueFen,
          y.grossFen,
          y.ffsFundFen,
          y.sharing,
          y.afterSharingFen,
          ...rt(y.assessment),
          y.afterAssessmentFen,
          y.deductionsFen,
          y.yearEndFen,
          y.clearingFen,
          y.steps,
        ]),
      ),
    groups: (rows: readonly RunGroupRow[]) =>
      rowsTo(
        'run_groups',
        ['s', 's', 's', 's', 'i', 'b', 'b', 'b', 'b', 'b'],
        rows.map((g) => [
          runId,
          g.poolId,
          g.method,
          g.group,
          g.units,
          g.points,
          g.amountFen,
          g.valueFen,
          g.billedFen,
          g.differenceFen,
        ]),
      ),
    caseAmounts: (poolId: string, pointValue: RatioText) => {
      units.close();
      return caseAmounts(conn, runId, poolId, pointValue);
    },
  };
}

/**
 * A unit's quotient ⌊Σ P_j b_j ÷ D⌋ is below limbs × 2^k; up to 2^40 it is estimated in DOUBLE and made exact by one
 * correction (DuckDB divides HUGEINT bit by bit, ≈ 1 µs a division: 1.4 CPU-s of 1.5 for the 1M store's floors).
 */
const ESTIMATE_BITS = 40n;

/**
 * The units of a pool with their floor and remainder (see `caseAmountLimbs`: points in limbs, so every product fits
 * HUGEINT): a fixed-amount unit its amount and remainder NULL (it never takes a leftover fen); a points unit that also
 * holds a fixed amount (a DRG high-cost excess as money) its points' floor + the amount; excluded units are not part
 * of the split. With sb = Σ P_j b_j, the quotient q = ⌊sb ÷ D⌋ is taken as floor(sb ÷ D) in DOUBLE when it is
 * below 2^40 (the cast of sb and D and the division each round within 2^-52, so the estimate is within 2^-50 × 2^40
 * < 1 of sb ÷ D, and floor of it within one of q), then r = sb − q × D (exact) corrects it: r < 0 → q − 1, r + D;
 * r ≥ D → q + 1, r − D. Above 2^40 the quotient is the exact HUGEINT division (the correction then changes nothing).
 */
function caseFloors(t: ReturnType<typeof caseAmountLimbs>): string {
  const h = (v: string) => `CAST('${v}' AS HUGEINT)`;
  const mask = (1n << BigInt(t.k)) - 1n;
  const limb = (j: number) => `((points >> ${t.k * j}) & ${mask})::HUGEINT`;
  const sumB = t.limbs.map((l, j) => `${limb(j)} * ${h(l.b)}`).join(' + ');
  const sumC = t.limbs.map((l, j) => `${limb(j)} * ${h(l.c)}`).join(' + ');
  const d = h(t.d);
  const estimate = BigInt(t.limbs.length) << BigInt(t.k) <= 1n << ESTIMATE_BITS;
  const q = estimate ? `CAST(floor(sb::DOUBLE / ${d}::DOUBLE) AS HUGEINT)` : `sb // ${d}`;
  return `SELECT unit_id, institution,
    CASE WHEN sb IS NULL THEN amount_fen::HUGEINT
      ELSE whole + q + CASE WHEN r >= ${d} THEN 1 WHEN r < 0 THEN -1 ELSE 0 END END AS floor_fen,
    CASE WHEN r >= ${d} THEN r - ${d} WHEN r < 0 THEN r + ${d} ELSE r END AS rem
  FROM (SELECT *, sb - q * ${d} AS r FROM (SELECT *, ${q} AS q FROM (
    SELECT unit_id, institution, amount_fen, points::HUGEINT * ${h(t.a)} + ${sumC} + coalesce(amount_fen, 0)::HUGEINT AS whole,
      ${sumB} AS sb
    FROM run_units WHERE run_id = $run AND pool_id = $pool AND status <> 'excluded')))`;
}

/** Work tables of the split (temporary: this connection's, inside the run's transaction, dropped after). */
const SPLIT_UNITS = 'case_split_units';
const SPLIT_INSTITUTIONS = 'case_split_institutions';

/**
 * 病例结算金额 by largest remainder per institution, in SQL (`SettlementRunWriter.caseAmounts`), one pass over the
 * pool's units: their floors and remainders are computed once into a work table; each institution's floors and
 * points units are summed from it and checked against its stored amount; the insert ranks the points units'
 * remainders by window (a fixed-amount unit keeps its amount).
 */
async function caseAmounts(
  conn: DuckDBConnection,
  runId: string,
  poolId: string,
  pointValue: RatioText,
): Promise<number> {
  const p = { run: runId, pool: poolId };
  const range = (
    await conn.runAndReadAll(
      `SELECT min(points), max(points) FROM run_units WHERE run_id = $run AND pool_id = $pool AND status <> 'excluded'`,
      p,
    )
  ).getRows()[0]!;
  if (range[0] !== null && Number(range[0]) < 0) throw negativePointsError(poolId);
  const floors = caseFloors(caseAmountLimbs(pointValue, range[1] === null ? 0 : Number(range[1])));
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${SPLIT_UNITS} AS ${floors}`, p);
  // Every institution's leftover fen must be between 0 and its number of points units (else the split is wrong).
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${SPLIT_INSTITUTIONS} AS
     SELECT f.institution, y.value_fen, f.floors, f.n FROM
       (SELECT institution, sum(floor_fen) AS floors, count(rem) AS n FROM ${SPLIT_UNITS} GROUP BY institution) f
     LEFT JOIN run_institution_year y ON y.run_id = $run AND y.pool_id = $pool AND y.institution = f.institution`,
    p,
  );
  const wrong = (
    await conn.runAndReadAll(
      `SELECT institution, value_fen, floors, n FROM ${SPLIT_INSTITUTIONS}
       WHERE value_fen IS NULL OR value_fen - floors < 0 OR value_fen - floors > n
       ORDER BY institution LIMIT 5`,
    )
  ).getRows();
  if (wrong.length > 0) throw caseAmountsMismatchError(runId, poolId, wrong);
  const r = await conn.runAndReadAll(
    `INSERT INTO run_unit_amounts (run_id, pool_id, unit_id, settled_fen)
     SELECT $run, $pool, u.unit_id, CAST(u.floor_fen + CASE WHEN u.rk <= i.value_fen - i.floors THEN 1 ELSE 0 END AS BIGINT)
     FROM (
       SELECT unit_id, institution, floor_fen, row_number() OVER (PARTITION BY institution ORDER BY rem DESC, unit_id) AS rk
       FROM ${SPLIT_UNITS} WHERE rem IS NOT NULL
     ) u
     JOIN ${SPLIT_INSTITUTIONS} i ON i.institution = u.institution
     UNION ALL
     SELECT $run, $pool, unit_id, CAST(floor_fen AS BIGINT) FROM ${SPLIT_UNITS} WHERE rem IS NULL`,
    p,
  );
  for (const t of [SPLIT_UNITS, SPLIT_INSTITUTIONS]) await conn.run(`DROP TABLE ${t}`);
  return toSafeNumber(r.getRows()[0]?.[0] ?? 0, 'case amounts');
}

const stamp = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '');

export async function insertRunRecord(conn: DuckDBConnection, r: SettlementRunRecord): Promise<void> {
  await appendRows(
    conn,
    'settlement_runs',
    ['s', 's', 'i', 's', 's', 'l', 's', 's', 's', 's', 's', 's', 's', 's'],
    [
      [
        r.id,
        r.region,
        r.year,
        r.command,
        r.caseMethod,
        r.methods,
        JSON.stringify(r.inputs),
        JSON.stringify(r.counts),
        stamp(r.startedAt),
        stamp(r.finishedAt),
        r.status,
        r.message ?? null,
        r.kind ?? 'issued',
        r.baseRunId ?? null,
      ],
    ],
  );
}

const RECORD_SELECT = `SELECT run_id, region, year, command, case_method, methods, inputs, counts,
  strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ'), strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%gZ'), status, message, kind, base_run_id
  FROM settlement_runs`;

function toRecord(r: DuckDBValue[]): SettlementRunRecord {
  const rec: SettlementRunRecord = {
    id: r[0] as string,
    region: r[1] as string,
    year: Number(r[2]),
    command: r[3] as string,
    caseMethod: r[4] as string,
    methods: ((r[5] as { items: string[] }).items ?? []).slice(),
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

type Rows = (sql: string, params?: Record<string, DuckDBValue>) => Promise<DuckDBValue[][]>;

export async function listSettlementRuns(rows: Rows, f: SettlementRunFilter = {}): Promise<SettlementRunRecord[]> {
  const where: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  if (f.region !== undefined) {
    where.push('region = $region');
    params.region = f.region;
  }
  if (f.year !== undefined) {
    where.push('year = $year');
    params.year = f.year;
  }
  const kind = f.kind ?? 'issued';
  if (kind !== 'all') {
    where.push("coalesce(kind, 'issued') = $kind");
    params.kind = kind;
  }
  const limit = Math.max(1, Math.min(f.limit ?? 50, 100_000));
  const found = await rows(
    `${RECORD_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`,
    params,
  );
  return found.map(toRecord);
}

const n = (v: DuckDBValue | undefined, what: string) => toSafeNumber(v, what);
const nn = (v: DuckDBValue | undefined, what: string) => (v === null || v === undefined ? null : toSafeNumber(v, what));
const ratioAt = (r: DuckDBValue[], i: number): RatioText => ({ num: r[i] as string, den: r[i + 1] as string });

function unitOf(r: DuckDBValue[]): RunUnitRow {
  return {
    poolId: r[0] as string,
    unitId: r[1] as string,
    method: r[2] as string,
    institution: r[3] as string,
    month: r[4] as string,
    group: r[5] as string | null,
    status: r[6] as string,
    points: nn(r[7], 'points'),
    amountFen: nn(r[8], 'amount_fen'),
    billedFen: n(r[9], 'billed_fen'),
    patientPaidFen: n(r[10], 'patient_paid_fen'),
    basis: r[11] as string | null,
    trace: r[12] as string | null,
    settledFen: nn(r[13], 'settled_fen'),
  };
}

/** A unit's columns, its settled amount (migration 12) from `run_unit_amounts` a (NULL when not stored). */
const UNIT_COLUMNS =
  'u.pool_id, u.unit_id, u.method, u.institution, u.month, u.grp, u.status, u.points, u.amount_fen, u.billed_fen, u.patient_paid_fen, u.basis, u.trace, a.settled_fen';
const UNIT_FROM = `run_units u LEFT JOIN run_unit_amounts a
  ON a.run_id = u.run_id AND a.pool_id = u.pool_id AND a.unit_id = u.unit_id`;

export function runResultsReader(
  location: string,
  instance: DuckDBInstance,
  rows: Rows,
  runId: string,
): RunResultsReader {
  const p = { run: runId };
  return {
    runId,
    async record() {
      const r = await rows(`${RECORD_SELECT} WHERE run_id = $run`, p);
      if (r.length === 0) {
        throw new StoreError('STORE_NO_RUN', location, `没有结算运行 ${runId}`, `no settlement run ${runId}`);
      }
      return toRecord(r[0]!);
    },
    async policies() {
      const r = await rows(
        'SELECT policy_id, kind, region, version, file, sha256, content FROM run_policies WHERE run_id = $run ORDER BY policy_id',
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
      const r = await rows(
        'SELECT kind, name, content FROM run_derived WHERE run_id = $run AND kind = $kind ORDER BY name',
        { ...p, kind },
      );
      return r.map((x) => ({ kind: x[0] as string, name: x[1] as string, content: x[2] as string }));
    },
    async pools() {
      const r = await rows(
        `SELECT pool_id, fund_fen, point_value_rule, point_value_num, point_value_den, point_value_text,
           floating_point_value_num, floating_point_value_den, fund_payment_ratio_num, fund_payment_ratio_den,
           opening_point_value_num, opening_point_value_den, summary, point_value_steps, steps
         FROM run_pools WHERE run_id = $run ORDER BY pool_id`,
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
      const r = await rows(
        `SELECT pool_id, month, point_value_num, point_value_den, point_value_text, quota_fen, steps
         FROM run_pool_months WHERE run_id = $run AND pool_id = $pool ORDER BY month`,
        { ...p, pool: poolId },
      );
      return r.map((x) => ({
        poolId: x[0] as string,
        month: x[1] as string,
        pointValue: ratioAt(x, 2),
        pointValueText: x[4] as string,
        quotaFen: nn(x[5], 'quota_fen'),
        steps: x[6] as string,
      }));
    },
    async institutionMonths(poolId: string, institution?: string) {
      const r = await rows(
        `SELECT pool_id, institution, month, units, points, amount_fen, point_value_num, point_value_den, value_fen,
           patient_paid_fen, gross_fen, prepay_ratio_num, prepay_ratio_den, prepay_fen, deposit_fen, deductions_fen,
           payment_fen, steps
         FROM run_institution_months WHERE run_id = $run AND pool_id = $pool
         ${institution !== undefined ? 'AND institution = $inst' : ''} ORDER BY institution, month`,
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
      const r = await rows(
        `SELECT pool_id, institution, level, units, points, amount_fen, billed_fen, patient_paid_fen, by_status,
           advance_fen, monthly_paid_fen, deposit_held_fen, value_fen, gross_fen, ffs_fund_fen, sharing,
           after_sharing_fen, assessment_num, assessment_den, after_assessment_fen, deductions_fen, year_end_fen,
           clearing_fen, steps
         FROM run_institution_year WHERE run_id = $run AND pool_id = $pool
         ${institution !== undefined ? 'AND institution = $inst' : ''} ORDER BY institution`,
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
      // A group is its units' method and group ('' for none), excluded units left out (they have no amount).
      const r = await rows(
        `SELECT g.pool_id, g.method, g.grp, g.units, g.points, g.amount_fen, g.value_fen, g.billed_fen,
           g.difference_fen, s.settled_fen
         FROM run_groups g LEFT JOIN (
           SELECT u.method, coalesce(u.grp, '') AS grp, CAST(sum(a.settled_fen) AS BIGINT) AS settled_fen
           FROM ${UNIT_FROM.replace('LEFT JOIN', 'JOIN')}
           WHERE u.run_id = $run AND u.pool_id = $pool AND u.status != 'excluded'
           GROUP BY u.method, coalesce(u.grp, '')
         ) s ON s.method = g.method AND s.grp = g.grp
         WHERE g.run_id = $run AND g.pool_id = $pool ORDER BY g.method, g.grp`,
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
        settledFen: nn(x[9], 'settled_fen'),
      }));
    },
    async unit(unitId: string) {
      // A case can be a unit of two pools (its inpatient pool and FFS): the first pool by id, as on ClickHouse.
      const r = await rows(
        `SELECT ${UNIT_COLUMNS} FROM ${UNIT_FROM} WHERE u.run_id = $run AND u.unit_id = $unit ORDER BY u.pool_id LIMIT 1`,
        {
          ...p,
          unit: unitId,
        },
      );
      return r.length ? unitOf(r[0]!) : undefined;
    },
    async methodSums(filter: RunMethodSumFilter) {
      const params: Record<string, DuckDBValue> = { ...p, pool: filter.poolId };
      const where = ['u.run_id = $run', 'u.pool_id = $pool', "u.status != 'excluded'"];
      if (filter.institution !== undefined) {
        where.push('u.institution = $inst');
        params.inst = filter.institution;
      }
      if (filter.month !== undefined) {
        where.push('u.month = $month');
        params.month = filter.month;
      }
      const r = await rows(
        `SELECT u.method, count(*), CAST(coalesce(sum(u.points), 0) AS BIGINT),
           CAST(coalesce(sum(u.amount_fen), 0) AS BIGINT), CAST(coalesce(sum(a.settled_fen), 0) AS BIGINT),
           count(a.settled_fen), CAST(sum(u.billed_fen) AS BIGINT), CAST(sum(u.patient_paid_fen) AS BIGINT)
         FROM ${UNIT_FROM} WHERE ${where.join(' AND ')} GROUP BY u.method ORDER BY u.method`,
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
      const columns = filter.trace === false ? UNIT_COLUMNS.replace(/u\.trace,/, 'NULL AS trace,') : UNIT_COLUMNS;
      const where = ['u.run_id = $run'];
      const params: Record<string, DuckDBValue> = { ...p };
      if (filter.poolId !== undefined) {
        where.push('u.pool_id = $pool');
        params.pool = filter.poolId;
      }
      if (filter.institution !== undefined) {
        where.push('u.institution = $inst');
        params.inst = filter.institution;
      }
      if (filter.method !== undefined) {
        where.push('u.method = $method');
        params.method = filter.method;
      }
      const sql = `SELECT ${columns} FROM ${UNIT_FROM} WHERE ${where.join(' AND ')} ORDER BY u.pool_id, u.unit_id`;
      return (async function* () {
        const conn = await instance.connect();
        try {
          const result = await conn.stream(sql, params);
          let batch: RunUnitRow[] = [];
          for (;;) {
            const chunk = await result.fetchChunk();
            if (!chunk || chunk.rowCount === 0) break;
            for (const row of chunk.getRows()) {
              batch.push(unitOf(row));
              if (batch.length >= batchSize) {
                yield batch;
                batch = [];
              }
            }
          }
          if (batch.length > 0) yield batch;
        } finally {
          conn.closeSync();
        }
      })();
    },
    async writeUnitLines(filter: RunUnitFilter, files: readonly UnitLinesFile[]) {
      const conn = await instance.connect();
      try {
        return await writeUnitLines(conn, runId, filter, files);
      } finally {
        conn.closeSync();
      }
    },
  };
}
