/** DRG cases for payment: grouped by a CHS-DRG kernel, with what pricing needs (level, month, death). Pure. */
import {
  type DrgCaseInput,
  type DrgKernel,
  type DrgOutcome,
  drgInputFromCase,
  groupBatch,
  internCases,
  outcomeAt,
} from '../../grouping/drg/index.ts';
import { NO_GROUP } from '../../grouping/drg/results.ts';
import { type InpatientCase, isDeathDischarge, type SettledCase } from '../../model/case.ts';
import { type CaseColumns, diagnosisCodesById } from '../../model/case-columns.ts';
import type { InstitutionLevel } from '../../model/institution.ts';
import type { DrgCase } from './types.ts';

/** What a DRG case for payment takes of a case besides its month and its grouping. */
export type DrgPayableFields = Pick<
  SettledCase,
  'setlId' | 'institutionCode' | 'insuranceType' | 'department' | 'losDays' | 'dischargeWay' | 'totalCost' | 'fundPay'
>;

/** The DRG a case is paid by: the grouper's only when it succeeded (SUCCESS), else none. */
export const payableDrg = (o: DrgOutcome): string | null => (o.status === 'SUCCESS' ? o.drg : null);

/** Where the grouper stopped with a case it did not group, once it had reached an MDC (DrgCase.ungroupedAt). */
export function ungroupedAtOf(o: DrgOutcome): DrgCase['ungroupedAt'] {
  return o.status !== 'SUCCESS' && o.mdc !== NO_GROUP.mdc ? { mdc: o.mdc, code: o.drg } : undefined;
}

/**
 * A grouped case as payment reads it: the DRG only when the grouper succeeded, death as 离院方式 5, the patient's
 * part as total − fund.
 */
export function drgCaseOf(c: DrgPayableFields, month: string, level: InstitutionLevel, o: DrgOutcome): DrgCase {
  return {
    setlId: c.setlId,
    institutionCode: c.institutionCode,
    level,
    insuranceType: c.insuranceType,
    month,
    drg: payableDrg(o),
    groupStatus: o.status,
    ...(ungroupedAtOf(o) ? { ungroupedAt: ungroupedAtOf(o)! } : {}),
    ...(c.department ? { department: c.department } : {}),
    losDays: c.losDays,
    died: isDeathDischarge(c.dischargeWay),
    cost: c.totalCost,
    patientPaid: c.totalCost - c.fundPay,
  };
}

/** Group cases and attach what payment needs (level, month, death). Cases of unknown institutions are skipped. */
export function groupForPayment(
  kernel: DrgKernel,
  cases: readonly InpatientCase[],
  levels: ReadonlyMap<string, InstitutionLevel>,
): DrgCase[] {
  const known = cases.filter((c) => levels.has(c.institutionCode));
  const batch = internCases(kernel, known.map(drgInputFromCase));
  const results = groupBatch(kernel, batch);
  return known.map((c, i) =>
    drgCaseOf(c, c.dischargeTime.slice(0, 7), levels.get(c.institutionCode)!, outcomeAt(kernel, results, i)),
  );
}

/**
 * Groups rows of the store's typed columns (no case object): the grouper's input of a row from its columns, the
 * diagnosis codes made once per distinct list. One per iteration's consumer (it keeps the lists of a dictionary).
 */
export class DrgColumnGrouper {
  private readonly diagnosisCodes = diagnosisCodesById();

  constructor(private readonly kernel: DrgKernel) {}

  /** The outcome of each of `rows` of `c`, in that order. */
  group(c: CaseColumns, rows: readonly number[]): DrgOutcome[] {
    const { dict } = c;
    const inputs = rows.map((r): DrgCaseInput => {
      const a = dict.attributes[c.attributes[r]!]!;
      return {
        sex: a.sex,
        age: c.ageYears[r]!,
        ageDays: c.ageDays[r]! >= 0 ? c.ageDays[r]! : null,
        birthWeightG: c.birthWeightG[r]! >= 0 ? c.birthWeightG[r]! : null,
        diagnoses: this.diagnosisCodes(dict, c.diagnoses[r]!),
        procedures: dict.procedures[c.procedures[r]!]!,
      };
    });
    const results = groupBatch(this.kernel, internCases(this.kernel, inputs));
    return rows.map((_, k) => outcomeAt(this.kernel, results, k));
  }
}
