/** User-facing words of monitoring (glossary: 违规/可疑, 事前提示/事中监督/事后审核 …) and evidence formatting. */
import { DISCHARGE_WAY } from '../model/code-words.ts';
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

/** A rule's detector (rule base, policies/<region>/monitor-*.yaml) in words: what it looks for. */
export const DETECTOR_LABEL: Readonly<Record<string, [string, string]>> = {
  'duplicate-charge': ['重复收费', 'duplicate charge'],
  'code-pair': ['项目配对（分解或互斥收费）', 'item pair (unbundled or exclusive charges)'],
  'over-quantity': ['超量收费', 'over-quantity charge'],
  'item-substitution': ['串换项目', 'item substitution'],
  'restricted-item': ['限定项目（性别、年龄、科室）', 'restricted item (sex, age, department)'],
  'phantom-bed-days': ['虚记床日', 'bed-days charged beyond the stay'],
  'charge-outside-stay': ['住院期间外收费', 'charges outside the stay'],
  'split-admission': ['分解住院', 'split admission'],
  'overlapping-stays': ['同期在两家机构住院', 'overlapping stays'],
  'duplicate-settlement': ['重复结算（同一就诊ID再次结算）', 'duplicate settlement (one visit settled again)'],
  'low-standard-admission': ['低标准入院', 'low-standard admission'],
  'upcoding-no-trace': [
    '高套编码（合并症无费用与住院日痕迹）',
    'upcoding (a comorbidity without trace in cost and stay)',
  ],
  'abnormal-los': ['住院天数异常', 'abnormal length of stay'],
  'cost-shifting-case': ['转嫁费用（个案自费比例）', 'cost shifting (the case’s uncovered share)'],
  'upcoding-share': ['高套编码（机构占比）', 'upcoding (institution share)'],
  'cost-shifting-share': ['转嫁费用（机构自费占比）', 'cost shifting (institution uncovered share)'],
  'point-inflation': ['点数增长异常', 'point inflation'],
  'under-service': ['服务不足（就诊减少、转院增加）', 'under-service (fewer visits, more referrals)'],
  'low-standard-share': ['低标准入院（机构占比）', 'low-standard admission (institution share)'],
  'high-weight-share': ['高权重病组占比', 'high-weight group share'],
};

/**
 * How a detector counts its money at issue, where that needs saying (walk4 #26): shown with the rule in a flag's
 * explanation.
 */
export const AMOUNT_NOTE: Readonly<Record<string, [string, string]>> = {
  'overlapping-stays': [
    '一次重叠只计一次：计在后入院的病例上（入院时该参保人已在另一机构住院，入院时的事前提示本可拦下；同时入院的计在结算ID较大的病例上），涉及金额为其统筹基金支付；先入院的病例同样列为疑点，涉及金额为 0，由复核确定（至多其统筹基金支付）',
    'one overlap is counted once: on the stay admitted later (the person was already an inpatient elsewhere, which a check at admission would have stopped; the same admission time: the larger settlement id), its pooled-fund payment; the earlier stay is flagged as well with 0 at issue, left to review (up to its pooled-fund payment)',
  ],
  'duplicate-settlement': [
    '首次结算（结算ID较小者）有效，再次结算的统筹基金支付全额为涉及金额',
    'the first settlement (the smaller settlement id) stands; the whole pooled-fund payment of each later settlement is at issue',
  ],
};

/** A detector's parameters in words (the rule base's keys stay in the policy file). */
const PARAM_LABEL: Readonly<Record<string, [string, string]>> = {
  relation: ['配对关系', 'pair relation'],
  check: ['限定条件', 'restriction'],
  bedItems: ['床位费项目', 'bed-day items'],
  toleranceDays: ['允许误差（天）', 'tolerance (days)'],
  windowDays: ['时间窗（天）', 'window (days)'],
  highWithinDays: ['间隔不超过此天数为高度可疑', 'highly suspicious within (days)'],
  sameInstitution: ['限同一机构', 'same institution only'],
  exceptLists: ['除外诊断表', 'excepted diagnosis lists'],
  exceptPlanned: ['除外计划再入院', 'planned readmissions excepted'],
  list: ['诊断表', 'diagnosis list'],
  maxLosDays: ['限定住院天数', 'stay limit (days)'],
  costFactor: ['费用倍数（对基线中位数）', 'cost factor (on the baseline median)'],
  losFactor: ['住院天数倍数（对基线中位数）', 'stay factor (on the baseline median)'],
  minExcessDays: ['至少超出天数', 'minimum excess days'],
  ownShareFactor: ['自费占比倍数（对同级基线）', 'uncovered share factor (on the level baseline)'],
  minOwnShare: ['最低自费占比', 'minimum uncovered share'],
  zMin: ['最小偏离（标准差倍数）', 'minimum deviation (z)'],
  riseMin: ['较上年最小增幅', 'minimum rise on the previous year'],
  visitsDropMin: ['人均就诊次数最小降幅', 'minimum drop of visits per enrollee'],
  referralRiseMin: ['转院率最小增幅', 'minimum rise of the referral rate'],
  factor: ['高权重倍数（组均点数对区域均值）', 'high-weight factor (group mean claim on the region’s)'],
};

/** Values of detector parameters that are words: pair relations, restrictions, the usual diagnosis lists. */
const PARAM_VALUE_LABEL: Readonly<Record<string, [string, string]>> = {
  bundle: ['包含（分解收费）', 'bundle (unbundled charge)'],
  exclusive: ['互斥', 'exclusive'],
  sex: ['性别', 'sex'],
  age: ['年龄', 'age'],
  department: ['科室', 'department'],
  chemotherapy: ['放化疗诊断表', 'chemotherapy list'],
  mcc: ['严重合并症诊断表', 'MCC list'],
  cc: ['合并症诊断表', 'CC list'],
  'outpatient-manageable': ['可门诊诊治病种表', 'outpatient-manageable list'],
};

/** Fields and operators of a declarative fee-line rule (`where:`). */
const FIELD_LABEL: Readonly<Record<string, [string, string]>> = {
  'item.code': ['项目编码', 'item code'],
  'item.chargeCategory': ['收费类别', 'charge category'],
  'item.catalogClass': ['目录类别', 'catalog class'],
  'case.sex': ['性别', 'sex'],
  'case.ageYears': ['年龄（岁）', 'age (years)'],
  'case.losDays': ['住院天数', 'length of stay'],
  'case.icuDays': ['重症监护天数', 'ICU days'],
  'case.department': ['科室', 'department'],
  'case.procedureCount': ['手术操作数', 'procedures'],
};
const OP_LABEL: Readonly<Record<string, [string, string]>> = {
  eq: ['=', '='],
  ne: ['≠', '≠'],
  in: ['属于', 'in'],
  lt: ['<', '<'],
  le: ['≤', '≤'],
  gt: ['>', '>'],
  ge: ['≥', '≥'],
  prefix: ['开头为', 'starts with'],
};

/** A rule's time window in words: `case` the stay, `year` the year, `15d` 15 days. */
export function windowText(window: string, lang: Lang): string {
  if (window === 'case') return pick(lang, '本次住院', 'the stay');
  if (window === 'year') return pick(lang, '全年', 'the year');
  const days = /^(\d+)d$/.exec(window)?.[1];
  return days ? pick(lang, `${days} 天`, `${days} days`) : window;
}

export const detectorLabel = (d: string, lang: Lang): string => {
  const l = DETECTOR_LABEL[d];
  return l ? pick(lang, l[0], l[1]) : d;
};
export const paramLabel = (k: string, lang: Lang): string => {
  const l = PARAM_LABEL[k];
  return l ? pick(lang, l[0], l[1]) : k;
};
/** A parameter's value: a known word in the reader's language, a list item by item, anything else as written. */
export const paramValueText = (v: string, lang: Lang): string => {
  const l = PARAM_VALUE_LABEL[v];
  return l ? pick(lang, l[0], l[1]) : v;
};
/** One condition of a declarative rule, e.g. 收费类别 = 06. */
export function conditionText(field: string, op: string, value: string, lang: Lang): string {
  const f = FIELD_LABEL[field];
  const o = OP_LABEL[op];
  return `${f ? pick(lang, f[0], f[1]) : field} ${o ? pick(lang, o[0], o[1]) : op} ${value}`;
}

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
  mdtrtId: ['就诊ID', 'visit id'],
  firstSetlId: ['首次结算ID', 'first settlement id'],
  firstTotalCost: ['首次结算医疗费用总额（元）', 'first settlement: total medical cost (yuan)', true],
  firstFundPay: ['首次结算统筹基金支付（元）', 'first settlement: pooled-fund payment (yuan)', true],
  fundPay: ['统筹基金支付（元）', 'pooled-fund payment (yuan)', true],
  maxLosDays: ['限定住院天数', 'stay limit (days)'],
  procedures: ['手术操作数', 'procedures'],
  icuDays: ['重症监护天数', 'ICU days'],
  dischargeWay: ['离院方式', 'discharge way'],
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
  peerMean: ['同级均值（不含本机构）', 'peer mean (other institutions)'],
  peerSd: ['同级标准差（不含本机构）', 'peer standard deviation (other institutions)'],
  z: ['偏离（标准差倍数）', 'deviation (z)'],
  peers: ['同级其他机构数', 'other same-level institutions'],
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
  // 离院方式 by its code and words (1 医嘱离院 / 1 discharged), so a reader sees it was not a death (5 死亡).
  if (key === 'dischargeWay' && typeof v === 'string') {
    const w = DISCHARGE_WAY.find((d) => d.code === v);
    return w ? `${v} ${pick(lang, w.zh, w.en)}` : v;
  }
  if (key === 'indicator' && typeof v === 'string' && v in INDICATORS) {
    const i = INDICATORS[v as IndicatorName];
    return pick(lang, i.zh, i.en);
  }
  // A date-time as the settlement list and QC messages write it (2025-04-05 08:00:00), not ISO's 2025-04-05T08:00:00.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return v.replace('T', ' ');
  return String(v);
}

/** Evidence as one line of `label = value` pairs. */
export function evidenceText(f: Flag, lang: Lang): string {
  return Object.entries(f.evidence)
    .map(([k, v]) => `${evidenceLabel(k, lang)}=${evidenceValue(k, v, lang)}`)
    .join('; ');
}
