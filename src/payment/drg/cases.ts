/** DRG cases for payment: grouped by a CHS-DRG kernel, with what pricing needs (level, month, death). Pure. */
import { type DrgKernel, drgInputFromCase, groupBatch, internCases, outcomeAt } from '../../grouping/drg/index.ts';
import type { InpatientCase } from '../../model/case.ts';
import type { InstitutionLevel } from '../../model/institution.ts';
import type { DrgCase } from './types.ts';

/** Group cases and attach what payment needs (level, month, death). Cases of unknown institutions are skipped. */
export function groupForPayment(
  kernel: DrgKernel,
  cases: readonly InpatientCase[],
  levels: ReadonlyMap<string, InstitutionLevel>,
): DrgCase[] {
  const known = cases.filter((c) => levels.has(c.institutionCode));
  const batch = internCases(kernel, known.map(drgInputFromCase));
  const results = groupBatch(kernel, batch);
  return known.map((c, i) => {
    const o = outcomeAt(kernel, results, i);
    return {
      setlId: c.setlId,
      institutionCode: c.institutionCode,
      level: levels.get(c.institutionCode)!,
      insuranceType: c.insuranceType,
      month: c.dischargeTime.slice(0, 7),
      drg: o.status === 'SUCCESS' ? o.drg : null,
      groupStatus: o.status,
      ...(c.department ? { department: c.department } : {}),
      losDays: c.losDays,
      died: c.dischargeWay === '5',
      cost: c.totalCost,
      patientPaid: c.totalCost - c.fundPay,
    };
  });
}
