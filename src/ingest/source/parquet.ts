/**
 * Parquet, read by DuckDB. Two ways:
 * - all text (`stageParquet` without `typed`): a staging table whose columns are the flat-file contract's text
 *   (lists joined with "|", DECIMAL and DOUBLE as their shortest exact text, timestamps to the second);
 * - typed (`typed: true`, what ingest uses): nothing is copied. `yb_stg` is a view over the file with each
 *   present contract column in the file's own type, and the result says each column's type and how it reads
 *   as contract text; the typed table is then built in one pass, columns that already have the declared type
 *   taken as they are (qc/typed.ts `nativeRead`), the others parsed from that text. A second view (`rawFrom`)
 *   gives the all-text row for the rejects.
 * A DOUBLE money column that is not a whole number of fen is rejected, not rounded (it goes the text way).
 */
import { statSync } from 'node:fs';
import { lit } from '../../store/duckdb/sql.ts';
import { IngestFileError } from '../errors.ts';
import { scanFile } from './encoding.ts';
import { matchHeader } from './header.ts';
import { type StageResult, type StageTarget, stagingSelect } from './stage.ts';

/** How a Parquet column of DuckDB type `type` reads as the flat-file contract's text. */
export function parquetText(type: string): (c: string) => string {
  if (type.endsWith('[]')) return (c) => `array_to_string(${c}, '|')`;
  if (type.startsWith('TIMESTAMP')) return (c) => `strftime(${c}, '%Y-%m-%d %H:%M:%S')`;
  return (c) => `CAST(${c} AS VARCHAR)`;
}

export async function stageParquet(t: StageTarget): Promise<StageResult> {
  const mtimeMs = statSync(t.file).mtimeMs;
  const scan = await scanFile(t.file);
  let described: { name: string; type: string }[];
  try {
    const r = await t.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(t.file)})`);
    described = r.getRows().map((x) => ({ name: x[0] as string, type: x[1] as string }));
  } catch (e) {
    throw new IngestFileError(
      'E_PARQUET',
      t.file,
      `无法读取 Parquet 文件：${(e as Error).message}`,
      `cannot read the Parquet file: ${(e as Error).message}`,
    );
  }
  const match = matchHeader(
    t.file,
    described.map((d) => d.name),
    t.columns,
    t.aliases,
  );
  const source = new Map<string, { name: string; type: string }>();
  match.byPosition.forEach((target, i) => {
    if (target) source.set(target, described[i]!);
  });
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const textSelect = stagingSelect(
    t.columns,
    (name) => {
      const c = source.get(name);
      return c ? parquetText(c.type)(quote(c.name)) : undefined;
    },
    'file_row_number + 1',
  );
  const read = `read_parquet(${lit(t.file)}, file_row_number = true)`;
  const common = {
    format: 'parquet' as const,
    present: match.present,
    ignored: match.ignored,
    names: match.names,
    reader: 'duckdb' as const,
    sha256: scan.sha256,
    bytes: scan.bytes,
  };
  if (!t.typed) {
    await t.conn.run(`CREATE TEMP TABLE ${t.table} AS SELECT ${textSelect} FROM ${read}`);
    const r = await t.conn.runAndReadAll(`SELECT count(*) FROM ${t.table}`);
    return { rows: Number(r.getRows()[0]![0]), ...common };
  }
  const typedSelect = [
    'CAST(file_row_number + 1 AS BIGINT) AS _row',
    ...t.columns.map((c) => {
      const s = source.get(c.name);
      return `${s ? quote(s.name) : 'CAST(NULL AS VARCHAR)'} AS "${c.name}"`;
    }),
  ].join(', ');
  await t.conn.run(`CREATE TEMP VIEW ${t.table} AS SELECT ${typedSelect} FROM ${read}`);
  await t.conn.run(`CREATE TEMP VIEW ${t.table}_text AS SELECT ${textSelect} FROM ${read}`);
  const r = await t.conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${lit(t.file)})`);
  const sourceTypes: Record<string, string> = {};
  for (const [name, c] of source) sourceTypes[name] = c.type;
  return {
    rows: Number(r.getRows()[0]![0]),
    ...common,
    typed: { sourceTypes, rawFrom: `${t.table}_text`, mtimeMs },
  };
}
