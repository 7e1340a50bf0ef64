/**
 * The one procedure classification of a region's store (手术操作类别): the stored ICD-9-CM-3 list's procedure
 * types (手术/介入 → surgery), the chapter default for codes the list lacks or when no list is stored. Used by
 * the settlement pipeline and `dip calibrate` alike, so a case lands in the same comprehensive group everywhere.
 */
import { normalizeCode } from '../dip/codes.ts';
import { chapterClassifier, type ProcedureClassifier, type TreatmentType, tableClassifier } from '../dip/treatment.ts';
import type { Store } from '../store/store.ts';

export async function procedureClassifier(store: Store): Promise<ProcedureClassifier> {
  const types = await store.readProcedureTypes();
  if (types.size === 0) return chapterClassifier;
  const table = new Map<string, Exclude<TreatmentType, 'conservative'>>();
  for (const [code, t] of types) table.set(normalizeCode(code), t === 'interventional' ? 'surgery' : t);
  return tableClassifier(table);
}
