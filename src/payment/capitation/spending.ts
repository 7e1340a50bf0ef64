/**
 * Attributing the year's settled visits to head segments (定点就医, R-CAP-3): a visit belongs to the segment of
 * the same person and disease whose treating institution served it on a day inside the segment. Visits that fit
 * no segment (another institution, no entitlement that day, a disease not enrolled) or several are listed with
 * the reason — never dropped silently; the year end shows them.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 二(二): "参保人员实行定点就医制度"; 四(六)1: "按定点医疗机构实际就诊人头数定额清算"。
 */
import type { SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { byCode } from '../common/period.ts';
import { enrolmentUnitId } from './enrolment.ts';
import type { CapitationSpending } from './types.ts';

export interface UnattributedVisit {
  visit: CapitationSpending;
  zh: string;
  en: string;
}

export interface Attribution {
  byUnit: Map<string, CapitationSpending[]>;
  unattributed: UnattributedVisit[];
}

export function attributeSpending(
  spending: readonly CapitationSpending[],
  rows: readonly SpecialDiseaseEnrolment[],
  capitatedClass: 1 | 2,
): Attribution {
  const byPerson = new Map<string, SpecialDiseaseEnrolment[]>();
  for (const r of rows) {
    if (r.diseaseClass !== capitatedClass) continue;
    byPerson.set(r.psnNo, [...(byPerson.get(r.psnNo) ?? []), r]);
  }
  const byUnit = new Map<string, CapitationSpending[]>();
  const unattributed: UnattributedVisit[] = [];
  const sorted = [...spending].sort((a, b) => byCode(a.setlId, b.setlId));
  for (const v of sorted) {
    const day = v.date.slice(0, 10);
    const candidates = (byPerson.get(v.psnNo) ?? []).filter(
      (r) => r.diseaseCode === v.diseaseCode && r.from <= day && day <= r.to,
    );
    const here = candidates.filter((r) => r.treatingInstitution === v.institutionCode);
    if (here.length === 1) {
      const id = enrolmentUnitId(here[0]!);
      byUnit.set(id, [...(byUnit.get(id) ?? []), v]);
    } else if (here.length > 1) {
      unattributed.push({
        visit: v,
        zh: '同日有多条重叠的待遇记录',
        en: 'several overlapping enrolment rows that day',
      });
    } else if (candidates.length > 0) {
      unattributed.push({
        visit: v,
        zh: `就诊机构 ${v.institutionCode} 不是当日选定的治疗机构 ${candidates[0]!.treatingInstitution}`,
        en: `visit at ${v.institutionCode}, not the treating institution ${candidates[0]!.treatingInstitution} chosen that day`,
      });
    } else {
      unattributed.push({
        visit: v,
        zh: `当日无病种 ${v.diseaseCode} 的二类门特待遇`,
        en: `no entitlement for disease ${v.diseaseCode} that day`,
      });
    }
  }
  return { byUnit, unattributed };
}
