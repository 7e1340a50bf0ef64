/**
 * Reduce a case to its grouping keys: principal diagnosis at 亚目 and 类目, the procedure combination and the
 * treatment type (R-DIP-1). Shared by calibration and grouping so both see the same keys.
 */
import type { InpatientCase } from '../../model/case.ts';
import { CodeInterner } from './codes.ts';
import { chapterClassifier, type ProcedureClassifier, type TreatmentType, treatmentRank } from './treatment.ts';

export interface PreparedCase {
  dx4: string;
  dx3: string;
  /** Sorted, de-duplicated procedure keys. */
  procedures: string[];
  /** Key of the first listed procedure (主要手术), or "". */
  mainProcedure: string;
  /** procedures joined by "+" ("" = none). */
  combination: string;
  treatment: TreatmentType;
}

const BY_RANK: TreatmentType[] = ['surgery', 'therapeutic', 'diagnostic', 'conservative'];

export class CasePreparer {
  readonly codes = new CodeInterner();
  private readonly procType: number[] = [];

  constructor(private readonly classify: ProcedureClassifier = chapterClassifier) {}

  /** Treatment rank (0 surgery … 2 diagnostic) of an interned procedure id, cached. */
  rankOf(id: number): number {
    let r = this.procType[id];
    if (r === undefined) {
      r = treatmentRank(this.classify(this.codes.procedureKey(id)));
      this.procType[id] = r;
    }
    return r;
  }

  /** null when the case has no principal diagnosis. */
  prepare(c: Pick<InpatientCase, 'diagnoses' | 'procedures'>): PreparedCase | null {
    const principal = c.diagnoses[0];
    if (!principal?.code) return null;
    const { dx4, dx3 } = this.codes.diagnosis(principal.code);
    const n = c.procedures.length;
    if (n === 0) return { dx4, dx3, procedures: [], mainProcedure: '', combination: '', treatment: 'conservative' };
    let best = 3;
    const keys: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const id = this.codes.procedure(c.procedures[i]!.code);
      keys[i] = this.codes.procedureKey(id);
      const r = this.rankOf(id);
      if (r < best) best = r;
    }
    const mainProcedure = keys[0]!;
    const procedures = n > 1 ? [...new Set(keys)].sort() : keys;
    return {
      dx4,
      dx3,
      procedures,
      mainProcedure,
      combination: procedures.length === 1 ? procedures[0]! : procedures.join('+'),
      treatment: BY_RANK[best]!,
    };
  }
}
