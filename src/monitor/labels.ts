/** User-facing words of monitoring (glossary: 违规/可疑, 事前提示/事中监督/事后审核 …) and evidence formatting. */
import { fenToYuan } from '../model/money.ts';
import { INDICATORS, type IndicatorName } from './indicators.ts';
import type { EvidenceValue, Flag, FlagResult, Severity } from './types.ts';

type Lang = 'zh' | 'en';
const pick = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

export const RESULT_LABEL: Readonly<Record<FlagResult, [string, string]>> = {
  violation: ['违规', 'violation'],
  suspicious: ['可疑', 'suspicious'],
};
export const SEVERITY_LABEL: Readonly<Record<Severity, [string, string]>> = {
  high: ['高', 'high'],
  medium: ['中', 'medium'],
  low: ['低', 'low'],
};
export const STAGE_LABEL: Readonly<Record<'before' | 'during' | 'after', [string, string]>> = {
  before: ['事前提示', 'before care'],
  during: ['事中监督', 'during care'],
  after: ['事后审核', 'after care'],
};
export const DECISION_LABEL: Readonly<Record<'confirmed' | 'dismissed' | 'open', [string, string]>> = {
  confirmed: ['已确认', 'confirmed'],
  dismissed: ['已排除', 'dismissed'],
  open: ['待复核', 'open'],
};

/** Evidence keys: label and whether the value is money in fen. */
const EVIDENCE: Readonly<Record<string, [string, string, boolean?]>> = {
  itemCode: ['项目编码', 'item code'],
  lines: ['明细条数', 'lines'],
  dupLines: ['重复条数', 'duplicate lines'],
  pairCode: ['配对项目编码', 'paired item code'],
  itemAmount: ['主项目金额（元）', 'item amount (yuan)', true],
  pairAmount: ['配对项目金额（元）', 'paired item amount (yuan)', true],
  quantity: ['数量', 'quantity'],
  limit: ['限定', 'limit'],
  losDays: ['住院天数', 'length of stay'],
  catalogCategory: ['目录收费类别', 'catalog charge category'],
  catalogPrice: ['目录价格（元）', 'catalog price (yuan)', true],
  wrongCategory: ['类别不符条数', 'lines in another category'],
  overPrice: ['超价条数', 'lines above price'],
  actual: ['实际', 'actual'],
  bedDays: ['床日数', 'bed-days charged'],
  toleranceDays: ['允许误差（天）', 'tolerance (days)'],
  firstChargeDate: ['最早费用发生日期', 'first charge date'],
  lastChargeDate: ['最晚费用发生日期', 'last charge date'],
  admissionDate: ['入院日期', 'admission date'],
  dischargeDate: ['出院日期', 'discharge date'],
  daysOutside: ['超出住院期间天数', 'days outside the stay'],
  previousSetlId: ['前次结算ID', 'previous settlement id'],
  previousInstitution: ['前次机构', 'previous institution'],
  gapDays: ['间隔天数', 'days between'],
  previousPrincipal: ['前次主要诊断', 'previous principal diagnosis'],
  principal: ['主要诊断', 'principal diagnosis'],
  otherSetlId: ['重叠结算ID', 'overlapping settlement id'],
  otherInstitution: ['重叠机构', 'overlapping institution'],
  otherAdmission: ['重叠入院时间', 'overlapping admission'],
  otherDischarge: ['重叠出院时间', 'overlapping discharge'],
  maxLosDays: ['限定住院天数', 'stay limit (days)'],
  secondary: ['严重合并症诊断', 'MCC diagnosis'],
  totalCost: ['医疗费用总额（元）', 'total medical cost (yuan)', true],
  baselineMedianCost: ['基线费用中位数（元）', 'baseline median cost (yuan)', true],
  baselineMedianLos: ['基线住院天数中位数', 'baseline median stay'],
  baselineCases: ['基线病例数', 'baseline cases'],
  ownPay: ['个人自费（元）', 'uncovered own pay (yuan)', true],
  ownSharePermille: ['自费占比（‰）', 'uncovered share (‰)'],
  baselineSharePermille: ['同级基线自费占比（‰）', 'level baseline share (‰)'],
  indicator: ['指标', 'indicator'],
  value: ['本机构值', 'value'],
  peerMean: ['同级均值', 'peer mean'],
  peerSd: ['同级标准差', 'peer standard deviation'],
  z: ['偏离（标准差倍数）', 'deviation (z)'],
  peers: ['同级机构数', 'peers'],
  previousYear: ['上年值', 'previous year'],
  rise: ['较上年增幅', 'rise on previous year'],
  cases: ['病例数', 'cases'],
  visitsGrowth: ['人均就诊次数增长率', 'visits per enrollee growth'],
  referralGrowth: ['转院率增长率', 'referral rate growth'],
};

export function evidenceLabel(key: string, lang: Lang): string {
  const e = EVIDENCE[key];
  return e ? pick(lang, e[0], e[1]) : key;
}

export function evidenceValue(key: string, v: EvidenceValue, lang: Lang): string {
  if (Array.isArray(v)) return v.join('|');
  if (EVIDENCE[key]?.[2] && typeof v === 'number') return fenToYuan(v);
  if (key === 'indicator' && typeof v === 'string' && v in INDICATORS) {
    const i = INDICATORS[v as IndicatorName];
    return pick(lang, i.zh, i.en);
  }
  return String(v);
}

/** Evidence as one line of `label = value` pairs. */
export function evidenceText(f: Flag, lang: Lang): string {
  return Object.entries(f.evidence)
    .map(([k, v]) => `${evidenceLabel(k, lang)}=${evidenceValue(k, v, lang)}`)
    .join('; ');
}
