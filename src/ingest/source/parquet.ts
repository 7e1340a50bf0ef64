/**
 * Parquet → staging table, read by DuckDB. Typed Parquet columns are turned into text the way the flat-file
 * contract writes them (lists joined with "|", DECIMAL and DOUBLE as their shortest exact text), so the same QC
 * runs on every format. A DOUBLE money column that is not a whole number of fen is rejected, not rounded.
 */
import { lit } from '../../store/duckdb/sql.ts';
import { IngestFileError } from '../errors.ts';
import { scanFile } from './encoding.ts';
import { matchHeader } from './header.ts';
import { type StageResult, type StageTarget, stagingSelect } from './stage.ts';

export async function stageParquet(t: StageTarget): Promise<StageResult> {
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
  const text = (c: { name: string; type: string }) => {
    const q = `"${c.name.replaceAll('"', '""')}"`;
    if (c.type.endsWith('[]')) return `array_to_string(${q}, '|')`;
    if (c.type === 'TIMESTAMP' || c.type.startsWith('TIMESTAMP')) return `strftime(${q}, '%Y-%m-%d %H:%M:%S')`;
    return `CAST(${q} AS VARCHAR)`;
  };
  const select = stagingSelect(
    t.columns,
    (name) => {
      const c = source.get(name);
      return c ? text(c) : undefined;
    },
    'file_row_number + 1',
  );
  await t.conn.run(
    `CREATE TEMP TABLE ${t.table} AS SELECT ${select} FROM read_parquet(${lit(t.file)}, file_row_number = true)`,
  );
  const r = await t.conn.runAndReadAll(`SELECT count(*) FROM ${t.table}`);
  return {
    rows: Number(r.getRows()[0]![0]),
    format: 'parquet',
    present: match.present,
    ignored: match.ignored,
    reader: 'duckdb',
    sha256: scan.sha256,
    bytes: scan.bytes,
  };
}
