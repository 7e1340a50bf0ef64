/**
 * Code keys of DIP grouping (病种组合的编码粒度), interned once so that grouping millions of cases compares
 * small strings and integers only.
 *
 * DIP 技术规范: "核心病种 = 主要诊断(ICD-10 医保版亚目，4 位) × 手术操作组合(ICD-9-CM-3 医保版)；综合病种按主要诊断类目(3 位)
 * × 治疗方式". (R-DIP-1)
 * A diagnosis code is upper-cased and its dot removed: "k35.800x001" → "K35800X001"; 亚目 "K358" is shown "K35.8",
 * 类目 "K35". Procedure codes are upper-cased with the dot removed ("47.0901" → "470901") and shown with the dot
 * after two characters.
 */

/** Upper case, no dot, no spaces. */
export function normalizeCode(code: string): string {
  let out = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch === 46 || ch === 32) continue; // '.' ' '
    out += ch >= 97 && ch <= 122 ? String.fromCharCode(ch - 32) : code[i];
  }
  return out;
}

/** "K358" → "K35.8"; "K35" → "K35". */
export function showDiagnosis(key: string): string {
  return key.length > 3 ? `${key.slice(0, 3)}.${key.slice(3)}` : key;
}

/** "470901" → "47.0901". */
export function showProcedure(key: string): string {
  return key.length > 2 ? `${key.slice(0, 2)}.${key.slice(2)}` : key;
}

/** Parse a shown diagnosis ("K35.8" or "K358") back to its key. */
export function diagnosisKey(shown: string): string {
  return normalizeCode(shown);
}

export interface DiagnosisKeys {
  /** 亚目 key (4 characters), e.g. "K358". */
  dx4: string;
  /** 类目 key (3 characters), e.g. "K35". */
  dx3: string;
}

/** Memoised normalisation of diagnosis and procedure codes (one table per engine; not shared between threads). */
export class CodeInterner {
  private readonly dx = new Map<string, DiagnosisKeys>();
  private readonly proc = new Map<string, number>();
  private readonly procKeys: string[] = [];

  diagnosis(code: string): DiagnosisKeys {
    let k = this.dx.get(code);
    if (k === undefined) {
      const n = normalizeCode(code);
      k = { dx4: n.slice(0, 4), dx3: n.slice(0, 3) };
      this.dx.set(code, k);
    }
    return k;
  }

  /** Integer id of a procedure code (ids are given in order of first sight; use `procedureKey` for order). */
  procedure(code: string): number {
    let id = this.proc.get(code);
    if (id === undefined) {
      const n = normalizeCode(code);
      const existing = this.proc.get(n);
      if (existing !== undefined) id = existing;
      else {
        id = this.procKeys.length;
        this.procKeys.push(n);
        this.proc.set(n, id);
      }
      this.proc.set(code, id);
    }
    return id;
  }

  procedureKey(id: number): string {
    return this.procKeys[id]!;
  }
}

/** Sorted, de-duplicated procedure keys joined by "+": the key of a procedure combination ("" = none). */
export function combinationKey(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  if (keys.length === 1) return keys[0]!;
  const sorted = [...new Set(keys)].sort();
  return sorted.join('+');
}
