/**
 * A run's unit lines rendered by DuckDB (`RunResultsReader.writeUnitLines`): the line of each unit is one SQL
 * expression over `run_units`, and `COPY (…) TO` writes the lines (a CSV writer with quoting switched off, one
 * column, so each value is written as it is, followed by LF). A CSV header is the column's name; a CRLF line end is
 * a CR at the end of the value. Texts that come from JS (labels, names) are computed once per distinct stored value
 * and joined in. The lines are byte for byte what the JS writers give (src/report/csv.ts, json.ts): the escaping
 * here mirrors `quote`, `JSON.stringify`, `fenToYuan` and `formatPoints` (unit-lines.test.ts checks them against
 * each other on arbitrary text and numbers).
 */
import { type DuckDBConnection, type DuckDBValue, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { RunUnitFilter, UnitIntField, UnitLinePart, UnitLinesFile, UnitTextField } from '../settlement-runs.ts';
import { toSafeNumber } from './sql.ts';

/** A unit field as a column of `run_units u`, or of `run_unit_amounts a` (the settled amount, NULL when not stored). */
const COLUMN: Record<UnitTextField | UnitIntField, string> = {
  poolId: 'u.pool_id',
  unitId: 'u.unit_id',
  method: 'u.method',
  institution: 'u.institution',
  month: 'u.month',
  group: 'u.grp',
  status: 'u.status',
  basis: 'u.basis',
  points: 'u.points',
  amountFen: 'u.amount_fen',
  billedFen: 'u.billed_fen',
  patientPaidFen: 'u.patient_paid_fen',
  settledFen: 'a.settled_fen',
};

const AMOUNTS_JOIN =
  'LEFT JOIN run_unit_amounts a ON a.run_id = u.run_id AND a.pool_id = u.pool_id AND a.unit_id = u.unit_id';

/** A SQL string literal (standard strings: a quote doubled, backslashes as they are). */
export const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A text value as `quote` in csv.ts writes it: between double quotes (inner ones doubled) when it holds , " CR LF. */
export function csvTextSql(x: string): string {
  return `CASE WHEN ${x} IS NULL THEN '' WHEN regexp_matches(${x}, '[",\\r\\n]') THEN '"' || replace(${x}, '"', '""') || '"' ELSE ${x} END`;
}

/** `JSON.stringify` of a control character (lower-case hex, as JavaScript writes it). */
const jsonControl = (c: number): string =>
  ({ 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' })[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;

/**
 * A text value as `JSON.stringify` writes it: `\` and `"` escaped, control characters U+0000–U+001F as `\n`…
 * or `\u001f` (lower case), everything else as it is (UTF-8; a VARCHAR never holds a lone surrogate).
 */
export function jsonTextSql(x: string): string {
  const basic = `replace(replace(${x}, '\\', '\\\\'), '"', '\\"')`;
  let control = basic;
  for (let c = 0; c < 32; c++) control = `replace(${control}, chr(${c}), ${sqlText(jsonControl(c))})`;
  return `CASE WHEN ${x} IS NULL THEN 'null' WHEN regexp_matches(${x}, '[\\x00-\\x1f]') THEN '"' || ${control} || '"' ELSE '"' || ${basic} || '"' END`;
}

/** An integer as decimal text with `places` places (`fenToYuan` for 2, `formatPoints` for 4). */
export function scaledSql(x: string, places: number, quoted: boolean, nullText: string): string {
  const unit = 10 ** places;
  const q = quoted ? `'"' || ` : '';
  const qEnd = quoted ? ` || '"'` : '';
  return `CASE WHEN ${x} IS NULL THEN ${sqlText(nullText)} ELSE ${q}(CASE WHEN ${x} < 0 THEN '-' ELSE '' END) || (abs(${x}) // ${unit})::VARCHAR || '.' || lpad((abs(${x}) % ${unit})::VARCHAR, ${places}, '0')${qEnd} END`;
}

/** The WHERE clause and parameters of a unit filter (as `units` reads them). */
export function unitFilterSql(runId: string, f: RunUnitFilter): { where: string; params: Record<string, DuckDBValue> } {
  const where = ['u.run_id = $run'];
  const params: Record<string, DuckDBValue> = { run: runId };
  if (f.poolId !== undefined) {
    where.push('u.pool_id = $pool');
    params.pool = f.poolId;
  }
  if (f.institution !== undefined) {
    where.push('u.institution = $inst');
    params.inst = f.institution;
  }
  if (f.method !== undefined) {
    where.push('u.method = $method');
    params.method = f.method;
  }
  return { where: where.join(' AND '), params };
}

const isText = (p: UnitLinePart): p is { field: UnitTextField; text: (v: string | null) => string } => 'text' in p;

/**
 * Write `files` on `conn` (a connection of its own: the lookups are temporary tables on it). Returns the number of
 * units.
 */
export async function writeUnitLines(
  conn: DuckDBConnection,
  runId: string,
  filter: RunUnitFilter,
  files: readonly UnitLinesFile[],
): Promise<number> {
  const { where, params } = unitFilterSql(runId, filter);
  // One lookup table per `text` part: each distinct stored value of its field → the part's text.
  const distinct = new Map<UnitTextField, (string | null)[]>();
  const lookup = new Map<UnitLinePart, string>();
  for (const p of files.flatMap((f) => f.parts)) {
    if (!isText(p) || lookup.has(p)) continue;
    let values = distinct.get(p.field);
    if (!values) {
      const r = await conn.runAndReadAll(`SELECT DISTINCT ${COLUMN[p.field]} FROM run_units u WHERE ${where}`, params);
      values = r.getRows().map((x) => x[0] as string | null);
      distinct.set(p.field, values);
    }
    const name = `unit_line_lookup_${lookup.size}`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${name} AS SELECT unnest($v) AS v, unnest($t) AS t`,
      { v: listValue(values), t: listValue(values.map((v) => p.text(v))) },
      { v: LIST(VARCHAR), t: LIST(VARCHAR) },
    );
    lookup.set(p, name);
  }
  let count = 0;
  for (const file of files) {
    if (file.head !== '' && !file.head.endsWith(file.eol)) {
      throw new RangeError(`unit lines ${file.path}: the head must end with the line end`);
    }
    const joins: string[] = [];
    const exprs = file.parts.map((p): string => {
      if ('literal' in p) return sqlText(p.literal);
      const x = COLUMN[p.field];
      if (isText(p)) {
        const alias = `l${joins.length}`;
        joins.push(`JOIN ${lookup.get(p)!} ${alias} ON ${x} IS NOT DISTINCT FROM ${alias}.v`);
        return `${alias}.t`;
      }
      if (p.as === 'money' || p.as === 'points') return scaledSql(x, p.as === 'money' ? 2 : 4, p.quoted, p.null);
      return p.as === 'csv' ? csvTextSql(x) : jsonTextSql(x);
    });
    // DuckDB ends each line (and the header) with LF: a CRLF line end is a CR at the end of the value.
    if (file.eol === '\r\n') exprs.push(sqlText('\r'));
    const line = exprs.length ? exprs.join(' || ') : "''";
    const header = file.head === '' ? 'line' : file.head.slice(0, -1);
    const r = await conn.runAndReadAll(
      `COPY (SELECT ${line} AS ${ident(header)} FROM run_units u ${AMOUNTS_JOIN} ${joins.join(' ')}
         WHERE ${where} ORDER BY u.pool_id, u.unit_id)
       TO ${sqlText(file.path)} (FORMAT csv, HEADER ${file.head !== ''}, QUOTE '', ESCAPE '')`,
      params,
    );
    count = toSafeNumber(r.getRows()[0]?.[0] ?? 0, 'units written');
  }
  return count;
}
