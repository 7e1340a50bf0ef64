/**
 * CHS-DRG grouper: a data pack (pack-schema.ts) compiled into a small kernel (kernel.ts). See README.md.
 * The engine API only; the shell around it is imported by path: `src/cli/drg-commands.ts` (registerDrgCommands) and
 * `./bench.ts` (benchDrgGrouping).
 */
import { compileDrgPack } from './compile.ts';
import type { DrgKernel } from './kernel-types.ts';
import { loadDrgPack } from './pack-io.ts';
import { resolveDrgPackPath } from './pack-names.ts';
import type { DrgPack } from './pack-schema.ts';
import { isSchemeWorkbook, readSchemeWorkbook } from './workbook/io.ts';

export {
  type CaseBatch,
  CaseBatchBuilder,
  type DrgCaseInput,
  type InternOptions,
  internCases,
} from './case-batch.ts';
export { compileDrgPack } from './compile.ts';
export { drgTraceToExplanation } from './explain.ts';
export { drgInputFromCase } from './from-model.ts';
export { type DrgGroupResult, type GroupCaseOptions, groupBatch, groupCase } from './group-case.ts';
export { CHS_DRG_11_FILES, importChsDrg11, isChsDrg11Folder } from './import-chs-drg-11.ts';
export { CHS_DRG_20_FILES, importChsDrg20, isChsDrg20Folder } from './import-chs-drg-20.ts';
export type { DrgKernel, DrgResults } from './kernel-types.ts';
export { newResults } from './kernel-types.ts';
export { DrgPackError } from './pack-error.ts';
export { loadDrgPack, readDrgPackFile, writeDrgPackFile } from './pack-io.ts';
export { DEFAULT_DRG_PACK, DRG_PACK_NAMES, resolveDrgPackPath } from './pack-names.ts';
export type { DrgPack, DrgStatus, DrgTerm } from './pack-schema.ts';
export { type DrgPackWarning, drgPackWarnings, parseDrgPack } from './pack-validate.ts';
export { DrgWorkerPool, groupBatchParallel, type ParallelOptions } from './parallel.ts';
export { type DrgOutcome, outcomeAt } from './results.ts';
export { DRG_STATUS_TEXT, DRG_STATUSES, drgStatusText, isDrgStatus } from './status.ts';
export type { DrgTrace, DrgTraceStep } from './trace.ts';
export { isSchemeWorkbook, readSchemeWorkbook, writeSchemeWorkbook } from './workbook/io.ts';

/** Load a pack (or a CHS-DRG 1.1 / 2.0 reference folder, or a scheme name) and compile it. */
export function loadDrgKernel(path: string): DrgKernel {
  return compileDrgPack(loadDrgPack(resolveDrgPackPath(path)));
}

/**
 * Any scheme source: a name (`chs-drg-2.0`, the default, or `chs-drg-1.1`), a pack, a CHS-DRG reference folder,
 * or a scheme workbook (.xlsx or CSV folder).
 */
export async function openDrgPack(nameOrPath?: string): Promise<DrgPack> {
  const path = resolveDrgPackPath(nameOrPath);
  return isSchemeWorkbook(path) ? readSchemeWorkbook(path) : loadDrgPack(path);
}

export async function openDrgKernel(nameOrPath?: string): Promise<DrgKernel> {
  return compileDrgPack(await openDrgPack(nameOrPath));
}
