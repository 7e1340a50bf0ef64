/**
 * Long-stay indicators per institution (床日付费考核指标): mean length of stay, mean daily cost and readmission
 * rate of per-diem stays, each also as an index against the region's mean. R-PAY-BEDDAY, R-MON-1.
 *
 * 资府办函〔2018〕52号 二(八): "同时加强对平均住院天数、日均费用以及治疗效果的考核评估，规范医疗机构诊疗行为。"
 *
 * Exact: means and rates are ratios; `display` gives them rounded half-up for people (LOS and rates to 4
 * decimals, daily cost in yuan to 2 decimals). A readmission (再住院) is a per-diem stay of the same person at the
 * same institution that starts within `readmissionWindowDays` after an earlier per-diem stay ended.
 */
import type { InpatientCase } from '../../model/case.ts';
import type { Institution } from '../../model/institution.ts';
import { divRatios, type Fen, formatRatio, type Ratio, ratio } from '../../model/money.ts';
import { daysInclusive } from '../../policy/dates.ts';
import { indexBy } from '../common/index-by.ts';
import { byCode } from '../common/period.ts';
import { matchCategory, type PerDiemPolicy } from './categories.ts';

export interface LongStayIndicators {
  /** Institution code, or "*" for the region. */
  institutionCode: string;
  cases: number;
  bedDays: number;
  totalCost: Fen;
  readmissions: number;
  meanLos: Ratio;
  /** fen per bed-day */
  meanDailyCost: Ratio;
  readmissionRate: Ratio;
  /** The institution's value ÷ the region's (1 = the region's mean); null for the region itself. */
  losIndex: Ratio | null;
  dailyCostIndex: Ratio | null;
  display: {
    meanLos: string;
    meanDailyCostYuan: string;
    readmissionRate: string;
    losIndex?: string;
    dailyCostIndex?: string;
  };
}

interface Acc {
  cases: number;
  bedDays: number;
  totalCost: number;
  readmissions: number;
}

function finish(code: string, a: Acc, region?: LongStayIndicators): LongStayIndicators {
  const meanLos = ratio(BigInt(a.bedDays), BigInt(Math.max(a.cases, 1)));
  const meanDailyCost = ratio(BigInt(a.totalCost), BigInt(Math.max(a.bedDays, 1)));
  const readmissionRate = ratio(BigInt(a.readmissions), BigInt(Math.max(a.cases, 1)));
  const losIndex = region && region.meanLos.num > 0n ? divRatios(meanLos, region.meanLos) : null;
  const dailyCostIndex =
    region && region.meanDailyCost.num > 0n ? divRatios(meanDailyCost, region.meanDailyCost) : null;
  const display: LongStayIndicators['display'] = {
    meanLos: formatRatio(meanLos, 4),
    meanDailyCostYuan: formatRatio(ratio(meanDailyCost.num, meanDailyCost.den * 100n), 2),
    readmissionRate: formatRatio(readmissionRate, 4),
  };
  if (losIndex) display.losIndex = formatRatio(losIndex, 4);
  if (dailyCostIndex) display.dailyCostIndex = formatRatio(dailyCostIndex, 4);
  return {
    institutionCode: code,
    ...a,
    meanLos,
    meanDailyCost,
    readmissionRate,
    losIndex,
    dailyCostIndex,
    display,
  };
}

/** Indicators of the region ("*") and of each institution (sorted by code), over per-diem stays only. */
export function longStayIndicators(
  cases: readonly InpatientCase[],
  institutions: readonly Institution[],
  policy: PerDiemPolicy,
): { region: LongStayIndicators; byInstitution: LongStayIndicators[] } {
  const insts = indexBy(institutions, (i) => i.code, 'institution');
  const stays = cases
    .filter((c) => matchCategory(c, insts.get(c.institutionCode), policy.categories.value).kind === 'match')
    .sort((a, b) => byCode(a.psnNo, b.psnNo) || byCode(a.admissionTime, b.admissionTime) || byCode(a.setlId, b.setlId));
  const window = policy.readmissionWindowDays.value;
  const region: Acc = { cases: 0, bedDays: 0, totalCost: 0, readmissions: 0 };
  const per = new Map<string, Acc>();
  const lastDischarge = new Map<string, string>(); // psn|institution → last discharge date
  for (const c of stays) {
    const key = `${c.psnNo}|${c.institutionCode}`;
    const prev = lastDischarge.get(key);
    const admitted = c.admissionTime.slice(0, 10);
    const gap = prev === undefined ? undefined : daysInclusive(prev, admitted) - 1;
    const readmitted = gap !== undefined && gap >= 0 && gap <= window;
    const discharged = c.dischargeTime.slice(0, 10);
    if (prev === undefined || discharged > prev) lastDischarge.set(key, discharged);
    const a = per.get(c.institutionCode) ?? { cases: 0, bedDays: 0, totalCost: 0, readmissions: 0 };
    for (const t of [a, region]) {
      t.cases++;
      t.bedDays += c.losDays;
      t.totalCost += c.totalCost;
      if (readmitted) t.readmissions++;
    }
    per.set(c.institutionCode, a);
  }
  const r = finish('*', region);
  return {
    region: r,
    byInstitution: [...per.keys()].sort(byCode).map((code) => finish(code, per.get(code)!, r)),
  };
}
