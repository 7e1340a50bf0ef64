/**
 * Procedure types of ICD-9-CM-3 医保版 codes (手术操作类别), as DIP's comprehensive groups order them:
 * surgery (手术) → interventional (介入治疗) → therapeutic procedure (治疗性操作) → diagnostic procedure
 * (诊断性操作). The words a code list may use for each, in Chinese or English.
 */
import type { ProcedureType } from '../store/store.ts';

export const PROCEDURE_TYPE_WORDS: Readonly<Record<ProcedureType, readonly string[]>> = {
  surgery: ['surgery', 'surgical', '手术', '外科手术'],
  interventional: ['interventional', 'intervention', '介入', '介入治疗', '介入治疗操作', '介入操作'],
  therapeutic: ['therapeutic', 'therapy', '治疗性操作', '治疗操作', '治疗'],
  diagnostic: ['diagnostic', '诊断性操作', '诊断操作', '诊断'],
};

/** The procedure type a word names, or undefined. */
export function procedureTypeOf(word: string): ProcedureType | undefined {
  const w = word.trim().toLowerCase();
  for (const [type, words] of Object.entries(PROCEDURE_TYPE_WORDS)) {
    if (words.includes(w)) return type as ProcedureType;
  }
  return undefined;
}
