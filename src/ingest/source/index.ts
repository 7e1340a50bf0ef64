/** Staging any supported format (see stage.ts). */
import { stageCsv } from './csv.ts';
import { stageJson4101 } from './json4101.ts';
import { stageParquet } from './parquet.ts';
import type { SourceFormat, StageResult, StageTarget } from './stage.ts';
import { stageXlsx } from './xlsx.ts';

export type { EncodingOption } from './encoding.ts';
export { parseEncodingOption } from './encoding.ts';
export { formatOf, type SourceFormat, type StageResult, type StageTarget } from './stage.ts';

const STAGERS: Record<SourceFormat, (t: StageTarget) => Promise<StageResult>> = {
  csv: stageCsv,
  parquet: stageParquet,
  xlsx: stageXlsx,
  json: stageJson4101,
};

/** Read `t.file` of `format` into the staging table `t.table`. */
export function stageFile(format: SourceFormat, t: StageTarget): Promise<StageResult> {
  return STAGERS[format](t);
}
