/**
 * The names of the values an explanation step shows (TraceStep.values), in both languages (glossary.md). Engines key
 * their values by one name — a Chinese label (基金预算) or an identifier (historyPerHead) — and `renderExplanation`
 * prints the reader's word: no Chinese label in English output, no identifier in Chinese output. Keys built from
 * data (a sharing band, a deduction with its reason) are matched by pattern. JSON keeps the keys as they are.
 */
import { METHOD_EN, METHOD_ZH } from './method-names.ts';
import type { MethodId } from './unit-result.ts';

const LABELS: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  // DIP case
  匹配步骤: ['匹配步骤', 'match step'],
  出径病例支付方式依据: ['出径病例支付方式依据', 'clause for cases leaving the pathway'],
  病种: ['病种', 'group'],
  病种类型: ['病种类型', 'group type'],
  病种手术操作: ['病种手术操作', 'group procedures'],
  病种次均费用: ['病种次均费用', 'group mean cost'],
  基准费用: ['基准费用', 'reference cost'],
  分值基准: ['分值基准', 'score scale'],
  历史病例数: ['历史病例数', 'history cases'],
  医疗机构: ['医疗机构', 'institution'],
  级别: ['级别', 'level'],
  病种分值: ['病种分值', 'group score'],
  等级系数: ['等级系数', 'level coefficient'],
  辅助系数: ['辅助系数', 'auxiliary coefficient'],
  满足的亚型: ['满足的亚型', 'subtypes met'],
  本病种已启用亚型: ['本病种已启用亚型', 'the group’s subtypes in force'],
  医疗总费用: ['医疗总费用', 'total medical cost'],
  参考点值: ['参考点值', 'reference point value'],
  '同级别标准费用(基础点数×参考点值)': [
    '同级别标准费用（基础点数×参考点值）',
    'same-level standard (base points × reference value)',
  ],
  上一年度同级别病种次均费用: ['上一年度同级别病种次均费用', 'previous year’s same-level group mean cost'],
  偏差判定标准: ['偏差判定标准', 'deviation standard'],
  费用倍率: ['费用倍率', 'cost ÷ standard'],
  低倍界值: ['低倍界值', 'low-cost bound'],
  高倍界值: ['高倍界值', 'high-cost bound'],
  特例单议界值: ['特例单议界值', 'special-review bound'],
  超出部分比例: ['超出部分比例', 'excess rate'],
  极高病例点数上限倍数: ['极高病例点数上限倍数', 'points cap multiple'],
  状态: ['状态', 'status'],
  结算方式: ['结算方式', 'paid'],
  病例点数: ['病例点数', 'points'],
  点值: ['点值', 'point value'],
  点数金额: ['点数金额', 'points value'],
  // 病例结算金额 (run/explain-run.ts)
  '病例点数×点值': ['病例点数×点值', 'points × point value'],
  向下取整到分: ['向下取整到分', 'rounded down to the fen'],
  分得余分: ['分得余分', 'leftover fen'],
  基金支付比例: ['基金支付比例', 'fund payment ratio'],
  支付方式: ['支付方式', 'payment method'],
  原因: ['原因', 'reason'],
  // settlement
  上年度基金支付: ['上年度基金支付', 'last year’s fund payment'],
  // The advance's base is the institution's own (the monthly quota's is the pool's: walk6 read one label for both).
  本机构上年度基金支付: ['本机构上年度基金支付', 'the institution’s fund payment last year'],
  增长率: ['增长率', 'growth rate'],
  患者负担: ['患者负担', 'patient payments'],
  特例单议按项目付费: ['特例单议按项目付费', 'special review paid fee-for-service'],
  未入组不计点数病例数: ['未入组不计点数病例数', 'ungrouped cases claiming no points'],
  未入组不计点数病例患者负担: ['未入组不计点数病例患者负担', 'patient payments of ungrouped cases claiming no points'],
  未入组不计点数病例医疗总费用: [
    '未入组不计点数病例医疗总费用',
    'total medical cost of ungrouped cases claiming no points',
  ],
  基金预算: ['基金预算', 'fund budget'],
  '基金预算 − 按病种付费基金支付': ['基金预算 − 按病种付费基金支付', 'fund budget − single-disease fund payments'],
  按病种付费病例数: ['按病种付费病例数', 'single-disease cases'],
  病种定额合计: ['病种定额合计', 'single-disease standards'],
  按病种付费患者负担: ['按病种付费患者负担', 'single-disease patient payments'],
  按病种付费基金支付: ['按病种付费基金支付', 'single-disease fund payments'],
  其他定额金额: ['其他定额金额', 'other fixed amounts'],
  定额结算金额: ['定额结算金额', 'fixed amounts'],
  总点数: ['总点数', 'total points'],
  医院等级: ['医院等级', 'hospital level'],
  预付月数: ['预付月数', 'months advanced'],
  '历史人均 × (1 + 增幅)': ['历史人均 ×（1 + 增幅）', 'history per head × (1 + growth)'],
  '上年人均 × (1 + 基金收入增幅)': ['上年人均 ×（1 + 基金收入增幅）', 'last year’s per head × (1 + revenue growth)'],
  按级别预付月数: ['按级别预付月数', 'months advanced by level'],
  按信誉预付月数: ['按信誉预付月数', 'months advanced by credit'],
  月份: ['月份', 'month'],
  点数: ['点数', 'points'],
  预结算点值: ['预结算点值', 'pre-settlement point value'],
  定额金额: ['定额金额', 'fixed amounts'],
  '点数金额+定额': ['点数金额+定额', 'points value + fixed amounts'],
  预结算比例: ['预结算比例', 'prepay ratio'],
  预结算额: ['预结算额', 'pre-settlement'],
  质量保证金: ['质量保证金', 'quality deposit'],
  审核扣款: ['审核扣款', 'audit deductions'],
  病种付费额: ['病种付费额', 'payment by groups'],
  按项目基金应付: ['按项目基金应付', 'fund due by items'],
  结余: ['结余', 'surplus'],
  超支: ['超支', 'overspend'],
  考核系数: ['考核系数', 'assessment coefficient'],
  全年审核扣款: ['全年审核扣款', 'the year’s audit deductions'],
  年度清算额: ['年度清算额', 'year-end amount'],
  月度已支付: ['月度已支付', 'paid monthly'],
  年初预付: ['年初预付', 'start-of-year advance'],
  比例: ['比例', 'ratio'],
  月度预结算总额: ['月度预结算总额', 'monthly pre-settlement total'],
  当月总点数: ['当月总点数', 'the month’s total points'],
  当月定额金额: ['当月定额金额', 'the month’s fixed amounts'],
  超出金额: ['超出金额', 'excess over the quota'],
  按总额测算的点值: ['按总额测算的点值', 'point value from the quota'],
  年初点值: ['年初点值', 'opening point value'],
  结转扣减: ['结转扣减', 'carried deduction'],
  应付: ['应付', 'due'],
  结转后续: ['结转后续', 'carried forward'],
  固定部分比例: ['固定部分比例', 'fixed share'],
  固定点值: ['固定点值', 'fixed point value'],
  浮动点值: ['浮动点值', 'floating point value'],
  // per-bed-day, single-disease
  principalDiagnosis: ['主要诊断', 'principal diagnosis'],
  procedures: ['手术操作', 'procedures'],
  losDays: ['住院天数', 'length of stay'],
  maxLosDays: ['最长住院天数', 'maximum stay'],
  minLosDays: ['最短住院天数', 'minimum stay'],
  level: ['级别', 'level'],
  basis: ['依据', 'basis'],
  bedDays: ['床日数', 'bed-days'],
  dailyRate: ['床日标准（元）', 'daily rate (yuan)'],
  rateBasis: ['标准来源', 'rate basis'],
  meanDailyCost: ['床日次均费用', 'mean daily cost'],
  historyCases: ['历史病例数', 'history cases'],
  category: ['病种类别', 'category'],
  institutionType: ['机构类型', 'institution type'],
  setting: ['就医类别', 'setting'],
  entries: ['符合的病种', 'entries met'],
  standard: ['支付标准', 'payment standard'],
  referencePointValue: ['参考点值', 'reference point value'],
  // fee-for-service (按项目付费, R-PAY-FFS, R-BEN-3; src/payment/ffs)
  items: ['项目数', 'items'],
  listedAmountDiffers: ['申报金额与单价×数量不符的项目数', 'items whose listed amount differs'],
  classA: ['甲类', 'class A (甲)'],
  classB: ['乙类', 'class B (乙)'],
  classBSelfPay: ['乙类先行自付', 'class B self-pay'],
  classC: ['丙类', 'class C (丙)'],
  excludedItems: ['不予支付的项目数', 'items excluded'],
  excludedAmount: ['不予支付的金额', 'amount excluded'],
  reasons: ['不予支付的原因', 'reasons excluded'],
  ownPay: ['自费', 'own pay'],
  selfPay: ['乙类先行自付', 'class B self-pay'],
  costSharing: ['起付线及共付', 'deductible and coinsurance'],
  costSharingAsked: ['申报的起付线及共付', 'deductible and coinsurance asked'],
  fundPart: ['基金支付', 'fund pays'],
  inScope: ['政策范围内费用', 'in-scope cost'],
  totalCost: ['医疗总费用', 'total medical cost'],
  fundPay: ['统筹基金支付', 'pooled-fund payment'],
  patientPaid: ['患者负担', 'patient pays'],
  // capitation and family doctor
  from: ['起', 'from'],
  to: ['止', 'to'],
  days: ['天数', 'days'],
  yearDays: ['全年天数', 'days in the year'],
  historyPerHead: ['历史病种人头标准（元）', 'history standard per head (yuan)'],
  historyHeads: ['历史人头数', 'history heads'],
  wouldBe: ['按人头应计（元）', 'would be per head (yuan)'],
  correctionFactor: ['校正系数', 'correction factor'],
  ageYears: ['年龄', 'age'],
  hasClass1: ['一类门特', 'class-1 special disease'],
  cell: ['风险分组', 'risk cell'],
  riskAgeThreshold: ['风险年龄界值', 'risk age threshold'],
  rate: ['人头费率（元）', 'rate per head (yuan)'],
  weight: ['风险权重', 'risk weight'],
  visits: ['就诊次数', 'visits'],
  billed: ['医疗费用', 'cost billed'],
  fundSpent: ['基金支出', 'fund spent'],
  institutionTotal: ['机构合计（元）', 'institution total (yuan)'],
  institutionExact: ['机构合计精确值（元）', 'institution total, exact (yuan)'],
  fee: ['服务费（元）', 'fee (yuan)'],
  score: ['考核得分', 'score'],
  // capitation prepayments and year end, family-doctor mid-year and year end (run/explain-institution-year.ts)
  heads: ['人头数', 'heads'],
  annualTotal: ['年度总额', 'annual total'],
  firstMonth: ['首月', 'first month'],
  lastMonth: ['末月', 'last month'],
  notCounted: ['未就诊人头', 'heads without a visit'],
  unresolved: ['待更正人头', 'heads to resolve'],
  total: ['年度总额', 'total'],
  ownFundSpending: ['本机构人头的基金支出', 'fund spending of its own heads'],
  referral: ['转诊费用', 'referral fees'],
  amount: ['本段金额', 'band amount'],
  share: ['比例', 'share'],
  surplus: ['结余', 'surplus'],
  overspend: ['超支', 'overspend'],
  fundRetains: ['基金留存结余', 'fund retains'],
  institutionBears: ['机构承担超支', 'institution bears'],
  fundPays: ['基金应付', 'fund pays'],
  prepaid: ['已预付', 'prepaid'],
  entitlement: ['结合考核应付', 'due after assessment'],
  feeSource: ['服务费依据', 'fee clause'],
  月度总额: ['月度总额', 'monthly total'],
  预付额: ['预付额', 'prepaid'],
  // an institution's whole year (run/explain-institution-year.ts)
  病例数: ['病例数', 'cases'],
  病例结算金额合计: ['病例结算金额合计', 'settled amounts of the cases'],
  当月支付: ['当月支付', 'paid for the month'],
  年度应得: ['年度应得', 'due for the year'],
  年内已支付: ['年内已支付', 'paid during the year'],
  清算: ['清算', 'clearing'],
  全年应得: ['全年应得', 'due for the year'],
  结算笔数: ['结算笔数', 'settlements'],
  项目金额: ['项目金额', 'item billing'],
  基金部分: ['基金部分', 'fund part'],
  // DRG grouping and price (glossary: MDC 主要诊断大类, ADRG 核心疾病诊断相关组, 权重 RW)
  mdc: ['主要诊断大类（MDC）', 'MDC'],
  adrg: ['核心疾病诊断相关组（ADRG）', 'ADRG'],
  drg: ['病组（DRG）', 'DRG'],
  status: ['分组状态', 'grouping status'],
  cost: ['医疗总费用', 'total medical cost'],
  weightTable: ['权重表', 'weight table'],
  rw: ['权重（RW）', 'relative weight (RW)'],
  levelCoefficient: ['等级系数', 'level coefficient'],
  meanCost: ['病组次均费用', 'DRG mean cost'],
  multiple: ['倍数', 'multiple'],
  pointsPerRw: ['每 RW 点数', 'points per RW'],
  baseRate: ['费率', 'base rate'],
  employeeBaseRate: ['职工费率', 'employee base rate'],
  residentBaseRate: ['居民费率', 'resident base rate'],
  threshold: ['界值', 'threshold'],
  highMultiple: ['界值倍数', 'threshold multiple'],
  excessRate: ['超出部分比例', 'excess rate'],
  excessAmount: ['超出部分金额', 'excess amount'],
  pointValue: ['点值', 'point value'],
  // County medical communities (R-MC, R-BUD-4; src/community): `community settle --explain` in en read them in Chinese.
  评估日期: ['评估日期', 'assessment date'],
  申请日期: ['申请日期', 'application date'],
  会审日期: ['会审日期', 'joint review date'],
  确定日期: ['确定日期', 'decision date'],
  实施日期: ['实施日期', 'start date'],
  协议签订: ['协议签订', 'agreement signed'],
  因素合计: ['因素合计', 'factors in total'],
  基金收入增幅: ['基金收入增幅', 'fund revenue growth'],
  人头预算标准: ['人头预算标准', 'budget per insured person'],
  上年预算: ['上年预算', 'last year’s budget'],
  上年实际: ['上年实际', 'last year’s spending counted'],
  前年实际: ['前年实际', 'the year before’s spending counted'],
  合理控费结余: ['合理控费结余', 'saved by reasonable control'],
  本年测算: ['本年测算', 'this year by the standard'],
  服务人群: ['服务人群', 'insured persons served'],
  年度预算: ['年度预算', 'annual budget'],
  预算: ['预算', 'budget'],
  实际支出: ['实际支出', 'actual spending'],
  成员单位按支付方式年度所得: ['成员单位按支付方式年度所得', 'what the methods computed for the members'],
  '年初预付（医共体）': ['年初预付（医共体）', 'start-of-year advance (the community’s)'],
  '年初预付（成员单位按现行支付方式）': [
    '年初预付（成员单位按现行支付方式）',
    'start-of-year advance (the members’ own, under their methods)',
  ],
  历史人均: ['历史人均', 'history per head'],
  增幅: ['增幅', 'growth'],
  '加权合计 ÷ 权重合计': ['加权合计 ÷ 权重合计', 'weighted sum ÷ Σ weights'],
  '县域外基金支出（纳入）': ['县域外基金支出（纳入）', 'out-of-county fund spending (counted)'],
  '县域内非成员机构基金支出（不纳入）': [
    '县域内非成员机构基金支出（不纳入）',
    'fund spending at in-county non-members (not counted)',
  ],
  基金承担: ['基金承担', 'fund bears'],
  县域外等已付: ['县域外等已付', 'spending elsewhere already paid'],
  医共体年度应得: ['医共体年度应得', 'the community’s year'],
  医疗费用增长率: ['医疗费用增长率', 'medical cost growth'],
  医保报销比例: ['医保报销比例', 'reimbursement ratio'],
  基层就诊率: ['基层就诊率', 'primary-care visit rate'],
  县域内基金支出比例: ['县域内基金支出比例', 'in-county share of fund spending'],
  县域内基层医疗机构基金支出占比: ['县域内基层医疗机构基金支出占比', 'primary institutions’ share of fund spending'],
  县域外住院比例: ['县域外住院比例', 'out-of-county admissions share'],
  // The budget by items (R-BUD-2, 002 四(一)): revenue, reserve and each item deducted (扣除 急诊 (source)).
  统筹基金总收入: ['统筹基金总收入', 'pooled-fund revenue'],
  预留比例: ['预留比例', 'reserve ratio'],
  预留基金: ['预留基金', 'reserve'],
};

/**
 * A zh label's own brackets full-width (glossary: zh text takes （）): the outermost ASCII `(…)` of a key built from
 * data — `扣除 急诊 (002 四(一))` reads 扣除 急诊（002 四(一)）, `2024 总费用(元)` reads 2024 总费用（元）. A quoted clause
 * inside keeps its own brackets (四(一) is the policy's text).
 */
export function fullWidthBrackets(s: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '(') {
      if (depth === 0) out = `${out.replace(/ $/, '')}（`;
      else out += ch;
      depth++;
    } else if (ch === ')' && depth > 0) {
      depth--;
      out += depth === 0 ? '）' : ch;
    } else out += ch;
  }
  // Unbalanced: leave the text as it was written.
  return depth === 0 ? out : s;
}

/** A method's zh name → the method (a community member's amount by method: `H1 按病种分值付费（DIP）`). */
const METHOD_BY_ZH = new Map(Object.entries(METHOD_ZH).map(([m, zh]) => [zh, m as MethodId] as const));
const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const METHOD_OF_MEMBER = new RegExp(`^(\\S+) (${[...METHOD_BY_ZH.keys()].map(escapeRe).join('|')})$`);

/** The objective causes of a community's compensation (medical-community policy, 二(三)) in English. */
const COMPENSATION_CAUSE_EN: Record<string, string> = {
  政策调整: 'policy change',
  服务能力变化: 'change in service capability',
  重大公共卫生事件: 'major public-health event',
};

/**
 * Keys built from data: a sharing band (分段1 0.00–4925.11 × 0.5), a deduction (扣款1 2025 重复收费 (source)), a
 * budget item (扣除 急诊 (source)), a history year of the opening point value (2024 总费用(元)) or of a community's
 * budget (2024 基金支出/人数 × 权重 0.30).
 */
const PATTERNS: readonly [RegExp, (m: RegExpMatchArray, lang: 'zh' | 'en') => string][] = [
  [/^分段(\d+) (.*)$/, (m, lang) => (lang === 'zh' ? m[0] : `band ${m[1]} ${m[2]}`)],
  [/^扣款(\d+) (.*)$/, (m, lang) => (lang === 'zh' ? fullWidthBrackets(m[0]) : `deduction ${m[1]} ${m[2]}`)],
  // A budget item deducted: its name and source are the policy's own words (en read "扣除 急诊 (002 四(一))").
  // With the item's English name in square brackets (`扣除 急诊 [emergency care] (source)`), en shows that name and
  // zh drops it; a policy without one shows its item as written in both.
  [
    /^扣除 (.+?) \[([^\]]+)\]( \(.*\))?$/,
    (m, lang) => (lang === 'zh' ? fullWidthBrackets(`扣除 ${m[1]}${m[3] ?? ''}`) : `less ${m[2]}${m[3] ?? ''}`),
  ],
  [/^扣除 (.*)$/, (m, lang) => (lang === 'zh' ? fullWidthBrackets(m[0]) : `less ${m[1]}`)],
  // Any other label of a policy with its English name in square brackets (a community's growth factor
  // `药品耗材集采 [volume-based procurement …]`): en shows the English, zh the Chinese.
  [
    /^([^[]*\p{Script=Han}[^[]*) \[([^\]\p{Script=Han}]+)\]$/u,
    (m, lang) => (lang === 'zh' ? fullWidthBrackets(m[1]!) : m[2]!),
  ],
  // A community's compensation for an objective cause (R-MC-3): en printed "补偿1 服务能力变化 …（…，核定 300000.00）".
  // The reason and the approver are the policy's own words and stay as written.
  [
    /^补偿(\d+) (\S+) (.*)（(.+) (\d{4}-\d{2}-\d{2})，核定 (-?[\d.]+)）$/,
    (m, lang) =>
      lang === 'zh'
        ? m[0]
        : `compensation ${m[1]} (${COMPENSATION_CAUSE_EN[m[2]!] ?? m[2]}): ${m[3]} (${m[4]} ${m[5]}, approved ${m[6]})`,
  ],
  // The opening point value's history years (R-DIP-6): en read "2024 总费用(元)", zh had ASCII brackets.
  [/^(\d{4}) 权重$/, (m, lang) => (lang === 'zh' ? m[0] : `${m[1]} weight`)],
  [/^(\d{4}) 总费用\(元\)$/, (m, lang) => (lang === 'zh' ? `${m[1]} 总费用（元）` : `${m[1]} total cost (yuan)`)],
  [/^(\d{4}) 总点数$/, (m, lang) => (lang === 'zh' ? m[0] : `${m[1]} total points`)],
  // A community's per-head history (R-BUD-4): the weight applied in the arithmetic of the value.
  [
    /^(\d{4}) 基金支出 ÷ 人数 × 权重$/,
    (m, lang) => (lang === 'zh' ? m[0] : `${m[1]} fund spending ÷ insured persons × weight`),
  ],
  // A community member's amount by one method (R-MC-3): `H1 按病种分值付费（DIP）`.
  [METHOD_OF_MEMBER, (m, lang) => (lang === 'zh' ? m[0] : `${m[1]} ${METHOD_EN[METHOD_BY_ZH.get(m[2]!)!]}`)],
  // A member's own point-pool year end, not paid inside a community (R-MC-3).
  [
    /^(\S+) 年度清算额 − 月度已支付 − 年初预付$/,
    (m, lang) => (lang === 'zh' ? m[0] : `${m[1]} year-end amount − paid monthly − start-of-year advance`),
  ],
  // Its last history year's per-head spending, the base of the year-over-year cap (growthCapBase: last-year).
  [/^(\d{4}) 人均基金支出$/, (m, lang) => (lang === 'zh' ? m[0] : `${m[1]} fund spending per head`)],
  // A key in both languages, `中文 / English` (a payment method's part of an institution's year): the reader's half.
  [/^(.*\p{Script=Han}.*) \/ ([^\p{Script=Han}]+)$/u, (m, lang) => (lang === 'zh' ? m[1]! : m[2]!)],
];

/**
 * The reader's word for a value's key; a key without a label is shown as it is, in zh with its brackets full-width
 * (a key written in Chinese by an engine, `基准费用M(元)`).
 */
export function valueLabel(key: string, lang: 'zh' | 'en'): string {
  const l = LABELS[key];
  if (l) return lang === 'zh' ? l[0] : l[1];
  for (const [re, f] of PATTERNS) {
    const m = key.match(re);
    if (m) return f(m, lang);
  }
  return lang === 'zh' && /\p{Script=Han}/u.test(key) ? fullWidthBrackets(key) : key;
}

/** Every key with fixed words (a test reads their zh labels). */
export function labelledKeys(): string[] {
  return Object.keys(LABELS);
}

/** Whether the key has words in both languages (a test keeps every key the engines use labelled). */
export function hasValueLabel(key: string): boolean {
  return key in LABELS || PATTERNS.some(([re]) => re.test(key));
}

/**
 * The part of a two-language text `中文 / English` (a reason the engines keep in both languages) in the language
 * asked for; any other text as it is. The English part may quote a Chinese name or clause (a special-review
 * decision's document, `I63 综合病种（保守治疗）` once a group code is put in words), so the split is where the
 * Chinese part ends and an English word begins, not "no Chinese after the slash".
 */
export function languagePart(v: string, lang: 'zh' | 'en'): string {
  const i = v.lastIndexOf(' / ');
  if (i < 0) return v;
  const zh = v.slice(0, i);
  const en = v.slice(i + 3);
  if (!/\p{Script=Han}/u.test(zh) || !/^[A-Za-z][a-z]+[ :,-]/.test(en)) return v;
  return lang === 'zh' ? zh : en;
}

/** Units and two-language texts inside a shown value or result: `12.5 元/点` → `12.5 yuan/point`; `中文 / English`. */
export function valueText(v: string, lang: 'zh' | 'en'): string {
  const part = languagePart(v, lang);
  if (part !== v) return part;
  if (lang === 'en' && v === '无') return 'none';
  if (lang !== 'en') return v;
  // A community indicator against its target (R-MC-4): `6.73%（目标≤8.00%，预警）→ 20/20`.
  return v
    .replace(/ 元\/点$/, ' yuan/point')
    .replace(/ 元\/RW$/, ' yuan/RW')
    .replace(
      /（目标([≤≥])([^，）]+)(，预警)?）(→)?/,
      (_, d: string, t: string, w?: string, arrow?: string) =>
        ` (target ${d}${t}${w ? ', warning' : ''})${arrow ? ' →' : ''}`,
    );
}
