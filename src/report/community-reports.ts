/**
 * The medical-community workbook (医共体结算工作簿, R-MC-1…5, R-BUD-4/5, R-DIP-8, R-BEN): eligibility, budgets,
 * monthly settlement with the lead hospital, the year-end reconciliation, indicators, the region's points and the
 * patient burden by level — one sheet each, money as numbers in yuan, names beside codes, 合计 rows. And a short
 * text summary for the terminal.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { INDICATOR_LABEL } from '../community/indicators.ts';
import { amountToPoints } from '../community/region-points.ts';
import type { CommunityRunResult } from '../community/run-result.ts';
import { insuranceTypeShortWord } from '../model/code-words.ts';
import type { Explanation } from '../model/explain.ts';
import { METHOD_ZH } from '../model/method-names.ts';
import { divRound, type Fen, formatRatio, type Ratio, ratio } from '../model/money.ts';
import { countOf } from './labels.ts';
import { yuanText } from './money-units.ts';
import { col, type Row, type Table } from './table.ts';
import { writeXlsx } from './xlsx.ts';

type Lang = 'zh' | 'en';
type Words = Record<string, { zh: string; en: string }>;
const LEVEL: Words = {
  '3': { zh: '三级', en: 'level 3' },
  '2': { zh: '二级', en: 'level 2' },
  '1': { zh: '一级', en: 'level 1' },
  primary: { zh: '基层', en: 'primary care' },
};
/** The methods' names as the statements and the CLI give them (one word for one thing: src/model/method-names.ts). */
const METHOD: Words = {
  dip: { zh: METHOD_ZH.dip, en: 'DIP' },
  drg: { zh: METHOD_ZH.drg, en: 'DRG' },
  'per-diem': { zh: METHOD_ZH['per-diem'], en: 'per-bed-day payment' },
  'single-disease': { zh: METHOD_ZH['single-disease'], en: 'single-disease payment' },
  capitation: { zh: METHOD_ZH.capitation, en: 'capitation' },
  'family-doctor': { zh: METHOD_ZH['family-doctor'], en: 'family-doctor fee' },
  ffs: { zh: METHOD_ZH.ffs, en: 'fee-for-service' },
};
/** A word of a table in the asked language (a code without a word is shown as it is). */
const word = (w: Words, key: string, lang: Lang): string => w[key]?.[lang] ?? key;
const num = (r: Ratio | null, places = 4): number | null => (r === null ? null : Number(formatRatio(r, places)));
const pct = (r: Ratio | null, places = 1): string =>
  r === null ? '—' : `${formatRatio(ratio(r.num * 100n, r.den), places)}%`;
const totalWord = (lang: Lang) => (lang === 'zh' ? '合计' : 'total');

function names(r: CommunityRunResult): (code: string) => string {
  const m = new Map(r.institutions.map((i) => [i.code, i.name] as const));
  return (code) => m.get(code) ?? '';
}

export function eligibilityTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const zh = lang === 'zh';
  return {
    name: 'community-eligibility',
    zh: '医共体资格',
    en: 'Eligibility',
    columns: [
      col('community', 'text', '医共体编号', 'community'),
      col('name', 'text', '医共体', 'name'),
      col('lead', 'text', '牵头医院', 'lead hospital'),
      col('members', 'int', '成员单位数', 'members'),
      col('assessed', 'text', '“六统一”评估', 'six-unification assessment'),
      col('approved', 'text', '设区市确定', 'city approval'),
      col('eligible', 'text', '实行总额付费', 'global budget'),
      col('reasons', 'text', '原因', 'reasons'),
    ],
    rows: r.communities.map((c) => ({
      community: c.community.id,
      name: c.community.name,
      lead: `${c.community.lead} ${names(r)(c.community.lead)}`,
      members: c.community.members.length,
      assessed: `${c.community.assessment.date} ${c.community.assessment.items.filter((i) => i.passed).length}/6`,
      approved: c.community.approval
        ? `${c.community.approval.date}${zh ? `（自 ${c.community.approval.effectiveFrom}）` : ` (from ${c.community.approval.effectiveFrom})`}`
        : '—',
      eligible: c.eligibility.eligible
        ? zh
          ? '是'
          : 'yes'
        : zh
          ? '否，成员单位分别结算'
          : 'no, members settled one by one',
      reasons: c.eligibility.reasons.map((x) => (zh ? x.zh : x.en)).join(zh ? '；' : '; '),
    })),
  };
}

export function budgetTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const rows: Row[] = [];
  for (const c of r.communities) {
    for (const b of c.budgets)
      rows.push({
        community: c.community.name,
        fund: insuranceTypeShortWord(b.fund, lang),
        // Fen as every money cell (it was a yuan float, 1058.79, beside integer fen: walk4 #25), rounded half-up once.
        perHeadBase: Number(divRound(b.perHeadBase.num, b.perHeadBase.den, 'half-up')),
        growth: num(b.growth),
        perHead: b.perHeadStandard,
        population: b.population,
        byStandard: b.byStandard,
        lastYear: b.lastYearBudget ?? null,
        budget: b.budget,
        advance: b.advance,
      });
    rows.push({
      community: c.community.name,
      fund: totalWord(lang),
      perHeadBase: null,
      growth: null,
      perHead: null,
      population: c.budgets.reduce((s, b) => s + b.population, 0),
      byStandard: c.budgets.reduce((s, b) => s + b.byStandard, 0),
      lastYear: c.budgets.every((b) => b.lastYearBudget === undefined)
        ? null
        : c.budgets.reduce((s, b) => s + (b.lastYearBudget ?? 0), 0),
      budget: c.budgets.reduce((s, b) => s + b.budget, 0),
      advance: c.budgets.reduce((s, b) => s + b.advance, 0),
    });
  }
  return {
    name: 'community-budget',
    zh: '总额预算测算',
    en: 'Budget',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('fund', 'text', '险种', 'insurance type'),
      col('perHeadBase', 'money', '历史人均基金支出', 'history per head'),
      col('growth', 'decimal', '增幅', 'growth'),
      col('perHead', 'money', '人头预算标准', 'per-head standard'),
      col('population', 'int', '服务人群', 'population served'),
      col('byStandard', 'money', '按标准测算', 'budget by standard'),
      col('lastYear', 'money', '上年预算', 'last year’s budget'),
      col('budget', 'money', '年度总额预算', 'fund budget'),
      col('advance', 'money', '年初预付（医共体）', 'start-of-year advance (the community’s)'),
    ],
    rows,
  };
}

export function monthlyTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const name = names(r);
  const rows: Row[] = [];
  for (const c of r.communities) {
    if (!c.result) continue;
    for (const m of c.result.monthly) {
      const codes = [...new Set([...Object.keys(m.byMember), ...Object.keys(m.paidByMember)])].sort();
      for (const code of codes)
        rows.push({
          community: c.community.name,
          month: m.month,
          fund: insuranceTypeShortWord(m.fund, lang),
          member: code,
          name: name(code),
          paid: m.paidByMember[code] ?? 0,
          amount: m.byMember[code] ?? 0,
        });
    }
    rows.push({
      community: c.community.name,
      month: totalWord(lang),
      fund: '',
      member: '',
      name: '',
      paid: c.result.total.paidMonthly,
      amount: c.result.total.methodsAmount,
    });
  }
  return {
    name: 'community-monthly',
    zh: '月度结算（牵头医院）',
    en: 'Monthly settlement',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('month', 'text', '月份', 'month'),
      col('fund', 'text', '险种', 'insurance type'),
      col('member', 'text', '成员单位编码', 'member'),
      col('name', 'text', '成员单位', 'member name'),
      // What the fund paid that month (a DIP month: its pre-settlement after the quality deposit) — what the clearing
      // deducts — beside what the month's units come to at the year end (walk7 #3: the year-end amount read as paid).
      col('paid', 'money', '月度已支付', 'paid monthly'),
      col('amount', 'money', '当月病例按支付方式年度所得', 'the month’s units by the methods at the year end'),
    ],
    rows,
  };
}

/** A community's year by payment method (what the methods computed for the members at the year end). */
function paidBy(c: CommunityRunResult['communities'][number]): { methods: Map<string, Fen> } {
  const methods = new Map<string, Fen>();
  for (const m of c.result?.monthly ?? [])
    for (const [method, amount] of Object.entries(m.byMethod))
      methods.set(method, (methods.get(method) ?? 0) + (amount ?? 0));
  return { methods };
}

/**
 * A community's year by member and payment method: each row one member's amount by one method, so the rows add up to
 * the total (walk7 #13: member rows and method rows were listed together and summed to twice the total).
 */
export function memberMethodTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const name = names(r);
  const rows: Row[] = [];
  for (const c of r.communities) {
    if (!c.result) continue;
    const cells = new Map<string, Fen>();
    for (const m of c.result.monthly)
      for (const [k, v] of Object.entries(m.byMemberMethod)) cells.set(k, (cells.get(k) ?? 0) + v);
    for (const [k, amount] of [...cells].sort()) {
      const [code, method] = k.split('|') as [string, string];
      rows.push({
        community: c.community.name,
        member: code,
        name: name(code),
        method: word(METHOD, method, lang),
        amount,
      });
    }
    rows.push({
      community: c.community.name,
      member: totalWord(lang),
      name: '',
      method: '',
      amount: c.result.total.methodsAmount,
    });
  }
  return {
    name: 'community-members',
    zh: '成员单位与支付方式',
    en: 'Members and methods',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('member', 'text', '成员单位编码', 'member'),
      col('name', 'text', '成员单位', 'member name'),
      col('method', 'text', '支付方式', 'payment method'),
      col('amount', 'money', '按支付方式年度所得', 'by the methods at the year end'),
    ],
    rows,
  };
}

export function reconciliationTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const rows: Row[] = [];
  const grand: Record<string, number> = {};
  const keys = [
    'budget',
    'methods',
    'outside',
    'actual',
    'surplus',
    'overspend',
    'shared',
    'compensation',
    'fundBears',
    'year',
    'paidMonthly',
    'advance',
    'clearing',
    'points',
  ] as const;
  const reconciled = r.communities.filter((c) => c.result).length;
  const pv = r.points.pointValue;
  for (const c of r.communities) {
    if (!c.result) continue;
    const sum: Record<string, number> = {};
    for (const f of c.result.funds) {
      const shared = f.sharing.lines.reduce((s, l) => s + l.shared, 0);
      const row: Record<string, number | null> = {
        budget: f.budget,
        methods: f.methodsAmount,
        outside: f.countedElsewhere,
        actual: f.actual,
        surplus: f.sharing.surplus,
        overspend: f.sharing.overspend,
        shared,
        compensation: f.compensation,
        fundBears: f.fundBears,
        year: f.communityYear,
        paidMonthly: f.paidMonthly,
        advance: f.advance,
        clearing: f.clearing,
        // No point value (a DRG pool at a fixed 费率): the community's year is not in points.
        points: pv.num > 0n ? amountToPoints(f.communityYear, pv) : null,
      };
      rows.push({
        community: c.community.name,
        fund: insuranceTypeShortWord(f.fund, lang),
        coefficient: num(f.coefficient),
        ...row,
      });
      for (const k of keys) sum[k] = (sum[k] ?? 0) + (row[k] ?? 0);
    }
    // Without a point value the points column stays empty in the total rows too (not 0.0000).
    const noPoints = noPointsRow(pv);
    rows.push({
      community: c.community.name,
      fund: totalWord(lang),
      coefficient: num(c.performance.coefficient),
      ...sum,
      ...noPoints,
    });
    for (const k of keys) grand[k] = (grand[k] ?? 0) + (sum[k] ?? 0);
  }
  // One total row per community (合计 beside its name); a total of all communities only when there are several
  // (walk7 #13: with one community the table had two total rows, 东山县医共体 合计 and 合计, with the same figures).
  if (reconciled > 1)
    rows.push({
      community: lang === 'zh' ? '全部医共体' : 'all communities',
      fund: totalWord(lang),
      coefficient: null,
      ...grand,
      ...(pv.num <= 0n ? { points: null } : {}),
    });
  return {
    name: 'community-year-end',
    zh: '年度清算对账',
    en: 'Year-end reconciliation',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('fund', 'text', '险种', 'insurance type'),
      col('budget', 'money', '年度总额预算', 'fund budget'),
      col('methods', 'money', '成员单位按支付方式年度所得', 'by the methods at the year end'),
      col('outside', 'money', elsewhereHeader(r, 'zh'), elsewhereHeader(r, 'en')),
      col('actual', 'money', '纳入预算的实际支出', 'actual'),
      col('surplus', 'money', '结余', 'surplus'),
      col('overspend', 'money', '超支', 'overspend'),
      col('coefficient', 'decimal', '考核系数', 'assessment coefficient'),
      col('shared', 'money', '结余留用/基金分担', 'surplus retained / overspend the fund bears'),
      col('compensation', 'money', '客观因素补偿', 'compensation'),
      col('fundBears', 'money', '基金承担', 'fund bears'),
      col('year', 'money', '医共体年度应得', 'community’s year'),
      col('paidMonthly', 'money', '月度已支付', 'paid monthly'),
      col('advance', 'money', advanceHeader(r, 'zh'), advanceHeader(r, 'en')),
      col('clearing', 'money', '清算支付额', 'clearing payment'),
      // R-DIP-8: the community's year (医共体年度应得) in the region's points; it is negative when the spending elsewhere
      // already paid (县域外等) exceeds what the fund bears, and the header says so (walk8 #6: -416.2331 unexplained).
      col(
        'points',
        'points',
        '医共体年度应得折算点数（÷ 统筹区点值；为负：县域外等已付超过基金承担）',
        'community’s year in points (÷ the region’s point value; negative: spending elsewhere already paid exceeds what the fund bears)',
      ),
    ],
    rows,
  };
}

/** The yardstick of the spending elsewhere (`elsewhereSpendingBasis`), in the column's header (walk8 #3). */
function elsewhereHeader(r: CommunityRunResult, lang: Lang): string {
  const basis = r.communities.find((c) => c.result)?.result?.funds[0]?.elsewhereBasis ?? 'list';
  if (basis === 'list')
    return lang === 'zh'
      ? '县域外等纳入预算的基金支出（结算清单统筹基金支付）'
      : 'counted spending elsewhere (settlement lists’ pooled-fund payment)';
  return lang === 'zh'
    ? '县域外等纳入预算的基金支出（结算运行已付的病例按其年终所得）'
    : 'counted spending elsewhere (a case the run paid at what it paid at the year end)';
}

/** Whose advance the clearing deducted (`advanceBasis`), in the column's header and the summary. */
function advanceHeader(r: CommunityRunResult, lang: Lang): string {
  const basis = r.communities.find((c) => c.result)?.result?.funds[0]?.advanceBasis ?? 'community';
  if (basis === 'community') return lang === 'zh' ? '年初预付（医共体）' : 'start-of-year advance (the community’s)';
  return lang === 'zh'
    ? '年初预付（成员单位按现行支付方式）'
    : 'start-of-year advance (the members’ own, under their methods)';
}

export function indicatorTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const zh = lang === 'zh';
  const rows: Row[] = [];
  for (const c of r.communities) {
    for (const i of c.performance.indicators)
      rows.push({
        community: c.community.name,
        indicator: INDICATOR_LABEL[i.id][lang],
        // A share, shown as a percentage as its target is written (it read 0.1627 beside ≤ 8.00%: walk4 #25) and a
        // number in workbooks (0.00%): rounded once here to 4 places of the fraction, i.e. 2 of the percentage.
        value: i.value === null ? null : formatRatio(i.value, 4),
        target: `${i.direction === 'at-most' ? '≤' : '≥'} ${pct(i.target, 2)}`,
        met: i.met ? (zh ? '达到' : 'met') : zh ? '未达到' : 'not met',
        warning: i.warning ? (zh ? '预警' : 'warning') : '',
        weight: i.weight,
        score: i.score,
      });
    // One total row per community, 合计 beside its name (as 年度清算对账): the score of the full marks and the
    // assessment coefficient it sets (it read "东山县医共体 合计" in the first column, the coefficient as text).
    rows.push({
      community: c.community.name,
      indicator: totalWord(lang),
      value: null,
      target: '',
      met: '',
      warning: '',
      weight: c.performance.maxScore,
      score: c.performance.score,
      coefficient: num(c.performance.coefficient),
    });
  }
  return {
    name: 'community-indicators',
    zh: '监测与考核指标',
    en: 'Indicators',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('indicator', 'text', '指标', 'indicator'),
      col('value', 'decimal', '本年值', 'value', { percent: true, digits: 2 }),
      col('target', 'text', '目标', 'target'),
      col('met', 'text', '是否达到', 'met'),
      col('warning', 'text', '预警', 'warning'),
      col('weight', 'int', '分值', 'weight'),
      col('score', 'int', '得分', 'score'),
      col('coefficient', 'decimal', '考核系数', 'assessment coefficient'),
    ],
    rows,
  };
}

/** The points column of a total row left empty when the pool has no point value (not 0.0000). */
const noPointsRow = (pv: Ratio): Row => (pv.num <= 0n ? { points: null } : {});

export function regionPointsTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const name = names(r);
  const zh = lang === 'zh';
  const rows: Row[] = r.points.rows.map((p) => ({
    institution: p.institutionCode,
    name: name(p.institutionCode),
    method: word(METHOD, p.method, lang),
    origin: p.origin === 'points' ? (zh ? '点数' : 'points') : zh ? '金额折算' : 'amount in points',
    amount: p.amount,
    points: p.points,
  }));
  rows.push({ institution: totalWord(lang), name: '', method: '', origin: '', amount: null, points: r.points.total });
  return {
    name: 'region-points',
    zh: '统筹区统一点数',
    en: 'Region points',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution'),
      col('name', 'text', '医疗机构', 'name'),
      col('method', 'text', '支付方式', 'payment method'),
      col('origin', 'text', '来源', 'origin'),
      col('amount', 'money', '金额', 'amount'),
      col('points', 'points', '点数', 'points'),
    ],
    rows,
  };
}

function scopeName(r: CommunityRunResult, scope: string, lang: Lang): string {
  if (scope === 'region') return lang === 'zh' ? '全统筹区' : 'pooling region';
  const name = r.communities.find((c) => c.community.id === scope)?.community.name ?? scope;
  return lang === 'zh' ? `${name}服务人群` : `${name} population`;
}

export function burdenTable(r: CommunityRunResult, lang: Lang = 'zh'): Table {
  const rows: Row[] = [];
  for (const b of r.burden) {
    const scope = scopeName(r, b.scope, lang);
    for (const x of b.rows)
      rows.push({
        scope,
        level: word(LEVEL, x.level, lang),
        bills: x.bills,
        total: x.total,
        basicFund: x.basicFund,
        criticalIllness: x.criticalIllness,
        assistance: x.assistance,
        patient: x.patient,
        burden: num(x.burden),
        recordedFund: x.recordedFund,
        fundGap: x.basicFund - x.recordedFund,
      });
    const t = (k: 'bills' | 'total' | 'basicFund' | 'criticalIllness' | 'assistance' | 'patient' | 'recordedFund') =>
      b.rows.reduce((s, x) => s + x[k], 0);
    // 合计 beside the scope's name (as 年度清算对账), not "东山县医共体服务人群 合计" in the first column.
    rows.push({
      scope,
      level: totalWord(lang),
      bills: t('bills'),
      total: t('total'),
      basicFund: t('basicFund'),
      criticalIllness: t('criticalIllness'),
      assistance: t('assistance'),
      patient: t('patient'),
      burden: t('total') === 0 ? null : num(ratio(BigInt(t('patient')), BigInt(t('total')))),
      recordedFund: t('recordedFund'),
      fundGap: t('basicFund') - t('recordedFund'),
    });
  }
  return {
    name: 'patient-burden',
    zh: '患者负担（按机构等级）',
    en: 'Patient burden by level',
    columns: [
      col('scope', 'text', '范围', 'scope'),
      col('level', 'text', '机构等级', 'level'),
      col('bills', 'int', '住院人次', 'admissions'),
      col('total', 'money', '医疗费用总额', 'total medical cost'),
      // The split is the benefits policy's (a model), not the lists' record: the headers say so, and the lists'
      // own pooled-fund payment of the same admissions stands beside it (walk3: 78,491,461.16 here, 78,505,507.08 in
      // the store, nothing saying why).
      col('basicFund', 'money', '基本医保统筹支付（按待遇政策测算）', 'basic fund (by the benefit rules)'),
      col('criticalIllness', 'money', '大病保险（按待遇政策测算）', 'critical illness (by the benefit rules)'),
      col('assistance', 'money', '医疗救助（按待遇政策测算）', 'medical assistance (by the benefit rules)'),
      col('patient', 'money', '个人负担（按待遇政策测算）', 'patient (by the benefit rules)'),
      col('burden', 'decimal', '个人负担比例（按待遇政策测算）', 'patient share (by the benefit rules)'),
      col(
        'recordedFund',
        'money',
        '统筹基金支付（结算清单记录）',
        'pooled-fund payment (as the settlement lists record)',
      ),
      col('fundGap', 'money', '测算与记录之差', 'benefit rules − record'),
    ],
    rows,
  };
}

export function communityTables(r: CommunityRunResult, lang: Lang = 'zh'): Table[] {
  return [
    eligibilityTable(r, lang),
    budgetTable(r, lang),
    monthlyTable(r, lang),
    memberMethodTable(r, lang),
    reconciliationTable(r, lang),
    indicatorTable(r, lang),
    regionPointsTable(r, lang),
    ...(r.burden.length > 0 ? [burdenTable(r, lang)] : []),
  ];
}

export async function writeCommunityWorkbook(r: CommunityRunResult, dir: string, lang: Lang = 'zh'): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `community-${r.year}.xlsx`);
  await writeXlsx(file, communityTables(r, lang), lang);
  return file;
}

/**
 * Each community's year for the terminal: its budget by fund, what the methods paid, the year-end reconciliation
 * (surplus or overspend and how it was shared, compensation, clearing), the indicators with the score, and its
 * population's patient burden by level.
 */
export function communitySummaryText(r: CommunityRunResult, lang: Lang): string {
  const zh = lang === 'zh';
  // Every money figure with its unit (元 / yuan): a bare figure beside the coefficients and shares reads as either.
  const y = (fen: Fen) => yuanText(fen, lang);
  const name = names(r);
  const lines: string[] = [];
  const sep = zh ? '；' : '; ';
  for (const c of r.communities) {
    const mc = c.community;
    lines.push(
      zh
        ? `${mc.name} ${mc.id}：牵头医院 ${[mc.lead, name(mc.lead)].filter(Boolean).join(' ')}，成员单位 ${mc.members.length} 家`
        : `${mc.name} ${mc.id}: lead hospital ${[mc.lead, name(mc.lead)].filter(Boolean).join(' ')}, ${countOf(mc.members.length, 'member', 'members')}`,
    );
    const budget = c.budgets.reduce((s, b) => s + b.budget, 0);
    const byFund = c.budgets.map((b) => {
      const kept = b.keptLastYear ? (zh ? '（不低于上年预算）' : ' (kept at last year’s)') : '';
      return zh
        ? `${insuranceTypeShortWord(b.fund, lang)} ${y(b.perHeadStandard)}/人 × ${b.population} 人 = ${y(b.budget)}${kept}`
        : `${insuranceTypeShortWord(b.fund, lang)} ${y(b.perHeadStandard)}/head × ${b.population} = ${y(b.budget)}${kept}`;
    });
    lines.push(
      zh ? `  基金预算 ${y(budget)}：${byFund.join('，')}` : `  fund budget ${y(budget)}: ${byFund.join(', ')}`,
    );
    if (!c.result) {
      lines.push(
        zh
          ? `  不实行总额付费，成员单位分别结算（${c.eligibility.reasons.map((x) => x.zh).join('；')}）`
          : `  no global budget, members settled one by one (${c.eligibility.reasons.map((x) => x.en).join('; ')})`,
      );
    } else {
      const t = c.result.total;
      const { methods } = paidBy(c);
      const paid = [...methods]
        .sort((a, b) => b[1] - a[1])
        .map(([m, amount]) => `${word(METHOD, m, lang)} ${y(amount)}`);
      lines.push(
        zh
          ? `  按支付方式年度所得 ${y(t.methodsAmount)}：${paid.join('，')}`
          : `  by the methods at the year end ${y(t.methodsAmount)}: ${paid.join(', ')}`,
      );
      const elsewhere = c.result.funds.reduce((s, f) => s + f.countedElsewhere, 0);
      const byRun = c.result.funds[0]?.elsewhereBasis === 'run';
      const elsewhereWord = zh
        ? byRun
          ? '县域外等（结算运行已付的病例按其年终所得）'
          : '县域外等按结算清单统筹基金支付'
        : byRun
          ? 'elsewhere (a case the run paid at what it paid)'
          : 'elsewhere at the settlement lists’ pooled-fund payment';
      const sharing = c.result.funds.map((f) => {
        const shared = f.sharing.lines.reduce((s, l) => s + l.shared, 0);
        const fund = insuranceTypeShortWord(f.fund, lang);
        if (f.sharing.overspend > 0)
          return zh
            ? `${fund}超支 ${y(f.sharing.overspend)}，基金分担 ${y(shared)}，医共体承担 ${y(f.sharing.institutionBears)}`
            : `${fund} overspend ${y(f.sharing.overspend)}, the fund bears ${y(shared)}, the community ${y(f.sharing.institutionBears)}`;
        return zh
          ? `${fund}结余 ${y(f.sharing.surplus)}，结余留用 ${y(shared)}`
          : `${fund} surplus ${y(f.sharing.surplus)}, retained ${y(shared)}`;
      });
      const compensation = c.result.funds.reduce((s, f) => s + f.compensation, 0);
      if (compensation !== 0) sharing.push(zh ? `客观因素补偿 ${y(compensation)}` : `compensation ${y(compensation)}`);
      lines.push(
        zh
          ? `  年度清算对账：纳入预算的实际支出 ${y(t.actual)}（成员单位按支付方式年度所得 ${y(t.methodsAmount)} + ${elsewhereWord} ${y(elsewhere)}）；${sharing.join('；')}（考核系数 ${formatRatio(c.performance.coefficient, 2)}）`
          : `  year-end reconciliation: actual ${y(t.actual)} (members by the methods ${y(t.methodsAmount)} + ${elsewhereWord} ${y(elsewhere)}); ${sharing.join(sep)} (assessment coefficient ${formatRatio(c.performance.coefficient, 2)})`,
      );
      const advanceWord = advanceHeader(r, lang);
      lines.push(
        zh
          ? `  清算支付额 = 医共体年度应得 ${y(t.communityYear)} − 月度已支付 ${y(t.paidMonthly)} − ${advanceWord} ${y(t.advance)} = ${y(t.clearing)}`
          : `  clearing payment = community’s year ${y(t.communityYear)} − paid monthly ${y(t.paidMonthly)} − ${advanceWord} ${y(t.advance)} = ${y(t.clearing)}`,
      );
      if (c.result.memberYearEnds.length > 0) {
        const own = c.result.memberYearEnds.map((m) => `${m.institutionCode} ${y(m.clearing)}`);
        lines.push(
          zh
            ? `  成员单位按现行支付方式的清算支付额 ${own.join('，')} 不另行支付（由医共体清算支付额代替）`
            : `  the members’ own clearing payments under their methods, ${own.join(', ')}, are not paid separately (the community’s clearing payment takes their place)`,
        );
      }
    }
    const indicators = c.performance.indicators.map((i) => {
      const target = `${i.direction === 'at-most' ? '≤' : '≥'} ${pct(i.target)}`;
      return zh
        ? `${INDICATOR_LABEL[i.id].zh} ${pct(i.value)}（${target}，${i.met ? '达到' : '未达到'}${i.warning ? '，预警' : ''}）`
        : `${INDICATOR_LABEL[i.id].en} ${pct(i.value)} (${target}, ${i.met ? 'met' : 'not met'}${i.warning ? ', warning' : ''})`;
    });
    lines.push(
      zh
        ? `  考核得分 ${c.performance.score}/${c.performance.maxScore}，考核系数 ${formatRatio(c.performance.coefficient, 2)}：${indicators.join('；')}`
        : `  score ${c.performance.score}/${c.performance.maxScore}, assessment coefficient ${formatRatio(c.performance.coefficient, 2)}: ${indicators.join('; ')}`,
    );
    const burden = r.burden.find((b) => b.scope === mc.id);
    if (burden && burden.rows.length > 0) lines.push(`  ${burdenLine(burden.rows, lang)}`);
  }
  const region = r.burden.find((b) => b.scope === 'region');
  if (region) {
    lines.push(`${zh ? '全统筹区' : 'pooling region'} ${burdenLine(region.rows, lang)}`);
    lines.push(`  ${burdenBasisText(r, region.rows, lang)}`);
  }
  return lines.join('\n');
}

/**
 * What the burden figures count, and how far the policy's split lies from the lists' record (walk3: three patient
 * totals and two fund totals for the same cases, nothing saying why): the split is the benefits policy's one-stop
 * settlement of each admission (R-BEN-1…4); the statements' 患者负担 is the lists' total − pooled-fund payment.
 */
export function burdenBasisText(
  r: Pick<CommunityRunResult, 'policies' | 'pricedBills'>,
  rows: CommunityRunResult['burden'][number]['rows'],
  lang: Lang,
): string {
  const sum = (k: 'bills' | 'total' | 'basicFund' | 'patient' | 'recordedFund') => rows.reduce((s, x) => s + x[k], 0);
  const policy = r.policies.benefits ?? '';
  const gap = sum('basicFund') - sum('recordedFund');
  const y = (f: Fen) => yuanText(f, lang);
  return lang === 'zh'
    ? `个人负担按待遇政策 ${policy} 对 ${sum('bills')} 人次逐次测算一站式结算（${r.pricedBills} 人次按费用明细分段，其余按结算清单自费金额）：` +
        `测算基本医保统筹支付 ${y(sum('basicFund'))}、个人负担 ${y(sum('patient'))}；结算清单记录的统筹基金支付 ${y(sum('recordedFund'))}，测算与记录相差 ${y(gap)}；` +
        `结算单中的“患者负担”为结算清单医疗费用总额 − 统筹基金支付 = ${y(sum('total') - sum('recordedFund'))}`
    : `patient figures by the benefit rules ${policy}, one-stop settlement of each of ${sum('bills')} admissions (${r.pricedBills} split from priced fee items, the others from the settlement list's own pay): ` +
        `basic fund ${y(sum('basicFund'))}, patient ${y(sum('patient'))}; the settlement lists record a pooled-fund payment of ${y(sum('recordedFund'))}, rules − record ${y(gap)}; ` +
        `the statements' "patient payments" are the lists' total cost − pooled-fund payment = ${y(sum('total') - sum('recordedFund'))}`;
}

function burdenLine(rows: CommunityRunResult['burden'][number]['rows'], lang: Lang): string {
  const zh = lang === 'zh';
  return (
    (zh
      ? '患者负担（按待遇政策测算的个人负担比例，按机构等级）：'
      : 'patient burden (patient share by the benefit rules, by level): ') +
    rows
      .map((x) =>
        zh
          ? `${word(LEVEL, x.level, lang)} ${pct(x.burden)}（${x.bills} 人次）`
          : `${word(LEVEL, x.level, lang)} ${pct(x.burden)} (${x.bills} ${x.bills === 1 ? 'admission' : 'admissions'})`,
      )
      .join(zh ? '，' : ', ')
  );
}

/** Every step behind one community's year (eligibility, budgets, indicators, reconciliation), as an explanation. */
export function communityExplanation(r: CommunityRunResult, id: string): Explanation | undefined {
  const c = r.communities.find((x) => x.community.id === id);
  if (!c) return undefined;
  return {
    subject: `${c.community.name} ${c.community.id} ${r.year}`,
    steps: [
      ...c.eligibility.steps,
      ...c.budgets.flatMap((b) => b.steps),
      ...c.performance.steps,
      ...(c.result ? [...c.result.funds.flatMap((f) => f.steps), ...c.result.steps] : []),
    ],
  };
}
