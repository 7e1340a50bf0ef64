/**
 * What a policy what-if's parameter is, in words (政策模拟参数的名称): `demo-dip-settlement-2025:budget.growthRate`
 * reads 区域总额预算与结算 · 基金预算 · 增长率 / regional budget and settlement · fund budget · growth rate. The
 * workbench groups its picker by `group` and labels each option by `label`; the statements, the explanation and the
 * CLI name a change the same way. A key not listed here is shown as written (the label is never empty). Pure.
 */

export type Words = readonly [zh: string, en: string];

/** The policy kinds a run's snapshot holds, by name. */
export const POLICY_KIND_WORDS: Readonly<Record<string, Words>> = {
  dip: ['DIP 政策', 'DIP policy'],
  'dip-settlement': ['区域总额预算与结算', 'regional budget and settlement'],
  drg: ['DRG 政策', 'DRG policy'],
  'per-diem': ['按床日付费', 'per-bed-day payment'],
  'single-disease': ['按病种付费', 'single-disease payment'],
  capitation: ['按人头付费', 'capitation'],
  ffs: ['按项目付费', 'fee-for-service'],
};

/** One key of a policy value (the segments of `sharing.overspend.0.fundShare`), glossary words. */
const KEY_WORDS: Readonly<Record<string, Words>> = {
  budget: ['基金预算', 'fund budget'],
  growthRate: ['增长率', 'growth rate'],
  provisionalPointValue: ['预结算点值', 'pre-settlement point value'],
  quotaRatio: ['月度预结算总额比例', 'monthly pre-settlement share'],
  prepayRatio: ['预结算比例（其余为质量保证金）', 'pre-settlement share (the rest is the quality deposit)'],
  advanceMonths: ['年初预付月数', 'start-of-year advance, months'],
  sharing: ['结余留用与超支分担', 'surplus retention and overspend sharing'],
  surplus: ['结余', 'surplus'],
  overspend: ['超支', 'overspend'],
  institutionShare: ['机构留用比例', 'institution share'],
  fundShare: ['基金分担比例', 'fund share'],
  upTo: ['档上限（占预算比例）', 'band up to (share of budget)'],
  defaultAssessment: ['默认考核系数', 'default assessment coefficient'],
  pointValueChange: ['点值变动复核', 'point value change check'],
  maxChange: ['最大变动比例', 'largest change'],
  historyYears: ['历史数据年度', 'history years'],
  years: ['年度', 'year'],
  weights: ['权重', 'weight'],
  coreGroupThreshold: ['核心病种', 'core groups'],
  minCases: ['最少病例数', 'fewest cases'],
  trimming: ['异常费用剔除', 'cost trimming'],
  low: ['下限', 'lower bound'],
  high: ['上限', 'upper bound'],
  scoreScale: ['病种分值基数', 'group score scale'],
  comprehensiveMinCases: ['综合病种最少病例数', 'comprehensive group, fewest cases'],
  cvWarning: ['变异系数提示线', 'coefficient of variation warning'],
  primaryCareGroups: ['基层病种', 'primary-care groups'],
  maxCv: ['最大变异系数', 'largest coefficient of variation'],
  auxiliary: ['辅助目录系数', 'auxiliary coefficient'],
  minCoefficient: ['最小系数', 'smallest coefficient'],
  age: ['年龄段', 'age band'],
  icuDays: ['ICU 天数段', 'ICU days band'],
  cci: ['合并症指数段', 'comorbidity index band'],
  from: ['起', 'from'],
  to: ['止', 'to'],
  coefficientDecimals: ['系数小数位数', 'coefficient decimals'],
  lowCost: ['低倍率病例', 'low-cost case'],
  highCost: ['高倍率病例', 'high-cost case'],
  ratio: ['比例', 'ratio'],
  multiple: ['倍数', 'multiple'],
  excessRate: ['超出部分比例', 'excess rate'],
  specialReview: ['特例单议', 'special review'],
  capPerMille: ['数量上限（‰）', 'cap (per mille)'],
  ungrouped: ['未入组', 'ungrouped'],
  pointsPerRw: ['每 RW 点数', 'points per RW'],
  levelCoefficients: ['等级系数', 'level coefficient'],
  rwCalibration: ['权重测算', 'relative weight calibration'],
  trimLow: ['剔除下限', 'trim below'],
  trimHigh: ['剔除上限', 'trim above'],
  decimals: ['小数位数', 'decimals'],
  yearWeights: ['年度权重', 'year weight'],
  lowOutlier: ['低倍率病例', 'low-cost case'],
  highOutlier: ['高倍率病例', 'high-cost case'],
  tiers: ['档', 'tier'],
  rwBelow: ['RW 低于', 'RW below'],
  categories: ['病种类别', 'category'],
  minLosDays: ['最短住院天数', 'shortest stay, days'],
  stages: ['治疗阶段', 'treatment stage'],
  fromDay: ['起始天', 'from day'],
  toDay: ['截止天', 'to day'],
  rates: ['定额', 'fixed standard'],
  table: ['', ''],
  stageRates: ['元/床日', 'yuan per bed-day'],
  referencePointValue: ['参考点值', 'reference point value'],
  readmissionWindowDays: ['再入院间隔天数', 'readmission window, days'],
  catalog: ['病种目录', 'catalog'],
  maxLosDays: ['最长住院天数', 'longest stay, days'],
  standards: ['定额', 'fixed standard'],
  calibration: ['定额测算', 'standard calibration'],
  adjust: ['调整系数', 'adjustment'],
  capitatedDiseaseClass: ['人头付费门特病种类别', 'capitated disease class'],
  capShareOfBudget: ['总控额度提取比例', 'cap share of the budget'],
  riskAgeThreshold: ['风险年龄', 'risk age'],
  prepayMonths: ['按月预付月数', 'monthly prepayment, months'],
  prepayShare: ['按月预付比例', 'monthly prepayment share'],
  familyDoctorFee: ['家庭医生签约服务费（元/份）', 'family-doctor fee (yuan per contract)'],
  familyDoctorMidYearShare: ['家庭医生年中预付比例', 'family-doctor mid-year share'],
  classBSelfPayShare: ['乙类先行自付比例', 'class B self-pay share'],
  classBSelfPayOverrides: ['乙类先行自付比例（特定项目）', 'class B self-pay share (listed items)'],
  share: ['比例', 'share'],
  primary: ['基层', 'primary care'],
};

/** Keys holding a share or rate (a ratio: 0.1 = 10%); the workbench accepts `10%` for them. */
const RATIO_KEYS = new Set([
  'growthRate',
  'quotaRatio',
  'prepayRatio',
  'institutionShare',
  'fundShare',
  'upTo',
  'maxChange',
  'low',
  'high',
  'ratio',
  'excessRate',
  'trimLow',
  'trimHigh',
  'capShareOfBudget',
  'prepayShare',
  'familyDoctorMidYearShare',
  'classBSelfPayShare',
  'share',
]);

/** Lists whose elements are bands or stages (第 1 档); other lists' elements are items (第 1 项). */
const BAND_KEYS = new Set(['surplus', 'overspend', 'tiers', 'stages', 'stageRates', 'age', 'icuDays', 'cci']);

/** Keys whose numeric children are hospital levels (`"3"` = 三级). */
const LEVEL_KEYS = new Set(['advanceMonths', 'standards', 'levelCoefficients']);
const LEVEL_WORDS: Readonly<Record<string, Words>> = {
  '3': ['三级', 'tertiary'],
  '2': ['二级', 'secondary'],
  '1': ['一级', 'primary-level'],
  primary: ['基层', 'primary care'],
};

/** How a parameter is shown: its group (policy · value), its label and whether it is a ratio. */
export interface ParameterWords {
  group: Words;
  label: Words;
  ratio: boolean;
}

/**
 * Words for the key `key` (dotted, as `WhatIfParameter.key`) of a policy of `kind`; `items` names the elements of a
 * list on the way (`catalog.3` → SD004 腹股沟疝 疝修补术), by the index's position in the key.
 */
export function parameterWords(
  kind: string,
  key: string,
  items: ReadonlyMap<number, Words> = new Map(),
): ParameterWords {
  const parts = key.split('.');
  const policy = POLICY_KIND_WORDS[kind] ?? [kind, kind];
  const top = KEY_WORDS[parts[0]!] ?? [parts[0]!, parts[0]!];
  const zh: string[] = [];
  const en: string[] = [];
  for (const [i, p] of parts.entries()) {
    if (i === 0 && parts.length > 1) continue; // the group says it
    const named = items.get(i);
    const level = i > 0 && LEVEL_KEYS.has(parts[i - 1]!) ? LEVEL_WORDS[p] : undefined;
    if (named) {
      zh.push(named[0]);
      en.push(named[1]);
    } else if (level) {
      zh.push(level[0]);
      en.push(level[1]);
    } else if (/^\d+$/.test(p)) {
      zh.push(BAND_KEYS.has(parts[i - 1] ?? '') ? `第 ${Number(p) + 1} 档` : `第 ${Number(p) + 1} 项`);
      en.push(`#${Number(p) + 1}`);
    } else {
      const w = KEY_WORDS[p];
      if (w?.[0] === '') continue;
      zh.push(w?.[0] ?? p);
      en.push(w?.[1] ?? p);
    }
  }
  const last = parts.filter((p) => !/^\d+$/.test(p)).at(-1) ?? '';
  return {
    group: [`${policy[0]} · ${top[0]}`, `${policy[1]} · ${top[1]}`],
    label: [zh.join(' · ') || top[0], en.join(' · ') || top[1]],
    ratio: RATIO_KEYS.has(last),
  };
}

/** A change in words: `区域总额预算与结算 · 基金预算 · 增长率：0.05 → 0.1（10%）`. */
export function changeText(
  c: { group: Words; label: Words; ratio: boolean; inForce?: number; value: number },
  lang: 'zh' | 'en',
): string {
  const l = lang === 'zh' ? 0 : 1;
  const pct = (v: number) => (c.ratio ? `${v}（${+(v * 100).toFixed(6)}%）` : String(v));
  const pctEn = (v: number) => (c.ratio ? `${v} (${+(v * 100).toFixed(6)}%)` : String(v));
  const show = lang === 'zh' ? pct : pctEn;
  const name = c.group[l] === c.label[l] ? c.group[l] : `${c.group[l]} · ${c.label[l]}`;
  return `${name}${lang === 'zh' ? '：' : ': '}${c.inForce === undefined ? '' : `${show(c.inForce)} → `}${show(c.value)}`;
}
