/**
 * Auxiliary subtypes (辅助目录) of a case: age band, ICU days, comorbidity severity (CCI) and death.
 *
 * DIP 技术规范: "辅助目录……包括疾病严重程度（CCI 指数、死亡）、年龄特征（0–28 天、29 天–1 岁、1–6 岁、7–17 岁、≥65 岁）、
 * 重症监护天数（2–7、8–14、15–30、≥31 天）……同时满足多个的取最高系数". Coefficient = subtype mean cost ÷ group mean
 * cost, used only when triggered (enough cases, coefficient high enough). (R-DIP-5)
 */
import type { InpatientCase } from '../model/case.ts';
import { charlsonOfDiagnoses } from './cci.ts';
import type { AuxiliaryConfig } from './policy.ts';

export const DEATH = 'death';

interface Band {
  code: string;
  from: number;
  to?: number | undefined;
}

function inBand(b: Band, v: number): boolean {
  return v >= b.from && (b.to === undefined || v <= b.to);
}

/** Age in days when known: the newborn age in days, or whole years × 365 from one year on. */
function ageInDays(c: InpatientCase): number | undefined {
  if (c.ageDays !== undefined && c.ageDays !== null) return c.ageDays;
  return c.ageYears >= 1 ? c.ageYears * 365 : undefined;
}

/** A case's auxiliary subtypes, e.g. ["age:A65", "icu:I2", "cci:C3", "death"]. */
export function auxiliarySubtypes(c: InpatientCase, cfg: AuxiliaryConfig, cci?: number): string[] {
  const out: string[] = [];
  for (const b of cfg.age) {
    const v = b.unit === 'years' ? c.ageYears : ageInDays(c);
    if (v !== undefined && inBand(b, v)) out.push(`age:${b.code}`);
  }
  if (c.icuDays > 0) for (const b of cfg.icuDays) if (inBand(b, c.icuDays)) out.push(`icu:${b.code}`);
  if (cfg.cci.length > 0) {
    const score = cci ?? caseCharlson(c);
    for (const b of cfg.cci) if (inBand(b, score)) out.push(`cci:${b.code}`);
  }
  if (cfg.death && c.dischargeWay === '5') out.push(DEATH);
  return out;
}

/** CCI of a case's secondary diagnoses (all but the first). */
export function caseCharlson(c: InpatientCase): number {
  if (c.diagnoses.length < 2) return 0;
  return charlsonOfDiagnoses(c.diagnoses, 1);
}

/** Chinese label of a subtype for explanations and reports. */
export function subtypeLabel(subtype: string, cfg: AuxiliaryConfig): string {
  if (subtype === DEATH) return '死亡病例';
  const [kind, code] = subtype.split(':') as [string, string];
  const list = kind === 'age' ? cfg.age : kind === 'icu' ? cfg.icuDays : cfg.cci;
  const band = list.find((b) => b.code === code);
  const prefix = kind === 'age' ? '年龄' : kind === 'icu' ? 'ICU 天数' : 'CCI';
  return `${prefix} ${band?.zh ?? code}`;
}
