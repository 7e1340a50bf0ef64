/** The grouper's input from the project's settlement-list case (model/case.ts, 医保结算清单 4101). */
import type { InpatientCase } from '../../model/case.ts';
import type { DrgCaseInput } from './case-batch.ts';

export function drgInputFromCase(c: InpatientCase): DrgCaseInput {
  return {
    id: c.setlId,
    sex: c.sex,
    age: c.ageYears,
    ageDays: c.ageDays ?? null,
    birthWeightG: c.newbornBirthWeightG ?? null,
    diagnoses: c.diagnoses.map((d) => d.code),
    procedures: c.procedures.map((p) => p.code),
  };
}
