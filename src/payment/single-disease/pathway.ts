/**
 * Leaving the pathway (出径): a matched case whose stay, outcome or complications fall outside what the standard
 * prices is paid by the fallback method instead. R-PAY-DISEASE.
 *
 * 资府办函〔2018〕52号 二(六): "原则上对诊疗方案和出入院标准比较明确、诊疗技术成熟、质量可控且费用稳定的病种，实行按病种付费。"
 * Cases outside those conditions — a longer stay, death or transfer, complications — are not what the standard
 * was set for.
 */
import { DISCHARGE_WAY, wordOfCode } from '../../model/code-words.ts';
import type { DiseaseEncounter, DiseaseEntry, SingleDiseasePolicy } from './catalog.ts';

export interface PathwayExit {
  zh: string;
  en: string;
}

/** The reasons the case leaves the pathway (empty = it stays in). Every reason is listed, in a fixed order. */
export function pathwayExits(c: DiseaseEncounter, entry: DiseaseEntry, policy: SingleDiseasePolicy): PathwayExit[] {
  const rules = policy.pathwayExit.value;
  const out: PathwayExit[] = [];
  if (rules.losAboveMax && entry.setting === 'inpatient' && c.losDays > entry.maxLosDays)
    out.push({
      zh: `住院 ${c.losDays} 天超过路径 ${entry.maxLosDays} 天`,
      en: `stay of ${c.losDays} days exceeds the pathway's ${entry.maxLosDays}`,
    });
  if (rules.dischargeWays.includes(c.dischargeWay))
    out.push({
      zh: `离院方式 ${c.dischargeWay}（${wordOfCode(DISCHARGE_WAY, c.dischargeWay, 'zh')}）`,
      en: `discharge way ${c.dischargeWay} (${wordOfCode(DISCHARGE_WAY, c.dischargeWay, 'en')})`,
    });
  const secondary = c.diagnoses.slice(1);
  const onset = rules.complicationOnset ? secondary.filter((d) => d.admissionCondition === '4') : [];
  const listed = secondary.filter((d) => rules.complicationDiagnoses.some((p) => d.code.startsWith(p)));
  const codes = [...new Set([...onset, ...listed].map((d) => d.code))].sort();
  if (codes.length > 0) out.push({ zh: `并发症 ${codes.join('、')}`, en: `complications ${codes.join(', ')}` });
  return out;
}

/**
 * Whether the case leaves the pathway (`pathwayExits` is not empty), without building the reasons: a pass that
 * keeps only the cases staying in a pathway (the settlement year) asks this of every case meeting an entry.
 */
export function leavesPathway(c: DiseaseEncounter, entry: DiseaseEntry, policy: SingleDiseasePolicy): boolean {
  const rules = policy.pathwayExit.value;
  if (rules.losAboveMax && entry.setting === 'inpatient' && c.losDays > entry.maxLosDays) return true;
  if (rules.dischargeWays.includes(c.dischargeWay)) return true;
  for (let k = 1; k < c.diagnoses.length; k++) {
    const d = c.diagnoses[k]!;
    if (rules.complicationOnset && d.admissionCondition === '4') return true;
    if (rules.complicationDiagnoses.some((p) => d.code.startsWith(p))) return true;
  }
  return false;
}
