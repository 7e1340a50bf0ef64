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
import type { Explanation } from '../model/explain.ts';
import { type Fen, fenToYuan, formatRatio, type Ratio, ratio } from '../model/money.ts';
import type { CommunityRunResult } from '../run/community-year.ts';
import { col, type Row, type Table } from './table.ts';
import { writeXlsx } from './xlsx.ts';

const FUND_ZH: Record<string, string> = { employee: '职工', resident: '居民' };
const LEVEL_ZH: Record<string, string> = { '3': '三级', '2': '二级', '1': '一级', primary: '基层' };
const METHOD_ZH: Record<string, string> = {
  dip: 'DIP 按病种分值付费',
  drg: 'DRG 付费',
  'per-diem': '按床日付费',
  'single-disease': '按病种付费',
  capitation: '按人头付费',
  'family-doctor': '家庭医生签约服务费',
  ffs: '按项目付费',
};
const num = (r: Ratio | null, places = 4): number | null => (r === null ? null : Number(formatRatio(r, places)));
const TOTAL = '合计';

function names(r: CommunityRunResult): (code: string) => string {
  const m = new Map(r.institutions.map((i) => [i.code, i.name] as const));
  return (code) => m.get(code) ?? '';
}

export function eligibilityTable(r: CommunityRunResult): Table {
  return {
    name: 'community-eligibility',
    zh: '医共体资格',
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
      approved: c.community.approval ? `${c.community.approval.date}（自 ${c.community.approval.effectiveFrom}）` : '—',
      eligible: c.eligibility.eligible ? '是' : '否，成员单位分别结算',
      reasons: c.eligibility.reasons.map((x) => x.zh).join('；'),
    })),
  };
}

export function budgetTable(r: CommunityRunResult): Table {
  const rows: Row[] = [];
  for (const c of r.communities) {
    for (const b of c.budgets)
      rows.push({
        community: c.community.name,
        fund: FUND_ZH[b.fund]!,
        perHeadBase: num(ratio(b.perHeadBase.num, b.perHeadBase.den * 100n), 2),
        growth: num(b.growth),
        perHead: b.perHeadStandard,
        population: b.population,
        byStandard: b.byStandard,
        budget: b.budget,
        advance: b.advance,
      });
    rows.push({
      community: `${c.community.name} ${TOTAL}`,
      fund: '',
      perHeadBase: null,
      growth: null,
      perHead: null,
      population: c.budgets.reduce((s, b) => s + b.population, 0),
      byStandard: c.budgets.reduce((s, b) => s + b.byStandard, 0),
      budget: c.budgets.reduce((s, b) => s + b.budget, 0),
      advance: c.budgets.reduce((s, b) => s + b.advance, 0),
    });
  }
  return {
    name: 'community-budget',
    zh: '总额预算测算',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('fund', 'text', '险种', 'fund'),
      col('perHeadBase', 'decimal', '历史人均基金支出(元)', 'history per head (yuan)'),
      col('growth', 'decimal', '增幅', 'growth'),
      col('perHead', 'money', '人头预算标准', 'per-head standard'),
      col('population', 'int', '服务人群', 'population served'),
      col('byStandard', 'money', '按标准测算', 'budget by standard'),
      col('budget', 'money', '年度总额预算', 'budget'),
      col('advance', 'money', '年初预付', 'start-of-year advance'),
    ],
    rows,
  };
}

export function monthlyTable(r: CommunityRunResult): Table {
  const name = names(r);
  const rows: Row[] = [];
  for (const c of r.communities) {
    if (!c.result) continue;
    let total = 0;
    for (const m of c.result.monthly) {
      for (const [code, amount] of Object.entries(m.byMember).sort()) {
        rows.push({
          community: c.community.name,
          month: m.month,
          fund: FUND_ZH[m.fund]!,
          member: code,
          name: name(code),
          amount,
        });
      }
      total += m.total;
    }
    rows.push({ community: `${c.community.name} ${TOTAL}`, month: '', fund: '', member: '', name: '', amount: total });
  }
  return {
    name: 'community-monthly',
    zh: '月度结算（牵头医院）',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('month', 'text', '月份', 'month'),
      col('fund', 'text', '险种', 'fund'),
      col('member', 'text', '成员单位编码', 'member'),
      col('name', 'text', '成员单位', 'member name'),
      col('amount', 'money', '按支付方式结算额', 'paid by the methods'),
    ],
    rows,
  };
}

export function memberMethodTable(r: CommunityRunResult): Table {
  const name = names(r);
  const rows: Row[] = [];
  for (const c of r.communities) {
    if (!c.result) continue;
    const acc = new Map<string, Fen>();
    for (const m of c.result.monthly)
      for (const [code, amount] of Object.entries(m.byMember)) acc.set(code, (acc.get(code) ?? 0) + amount);
    const byMethod = new Map<string, Fen>();
    for (const m of c.result.monthly)
      for (const [method, amount] of Object.entries(m.byMethod))
        byMethod.set(method, (byMethod.get(method) ?? 0) + (amount ?? 0));
    for (const [code, amount] of [...acc].sort())
      rows.push({ community: c.community.name, kind: '成员单位', key: code, name: name(code), amount });
    for (const [method, amount] of [...byMethod].sort())
      rows.push({
        community: c.community.name,
        kind: '支付方式',
        key: method,
        name: METHOD_ZH[method] ?? method,
        amount,
      });
    rows.push({
      community: `${c.community.name} ${TOTAL}`,
      kind: '',
      key: '',
      name: '',
      amount: c.result.total.methodsPaid,
    });
  }
  return {
    name: 'community-members',
    zh: '成员单位与支付方式',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('kind', 'text', '分类', 'by'),
      col('key', 'text', '编码', 'code'),
      col('name', 'text', '名称', 'name'),
      col('amount', 'money', '全年按支付方式结算额', 'paid by the methods over the year'),
    ],
    rows,
  };
}

export function reconciliationTable(r: CommunityRunResult): Table {
  const rows: Row[] = [];
  const grand: Record<string, number> = {};
  const keys = [
    'budget',
    'advance',
    'methods',
    'outside',
    'actual',
    'surplus',
    'overspend',
    'shared',
    'compensation',
    'fundBears',
    'year',
    'clearing',
    'points',
  ] as const;
  const pv = r.points.pointValue;
  for (const c of r.communities) {
    if (!c.result) continue;
    const sum: Record<string, number> = {};
    for (const f of c.result.funds) {
      const shared = f.sharing.lines.reduce((s, l) => s + l.shared, 0);
      const row: Record<string, number> = {
        budget: f.budget,
        advance: f.advance,
        methods: f.methodsPaid,
        outside: f.countedElsewhere,
        actual: f.actual,
        surplus: f.sharing.surplus,
        overspend: f.sharing.overspend,
        shared,
        compensation: f.compensation,
        fundBears: f.fundBears,
        year: f.communityYear,
        clearing: f.clearing,
        points: amountToPoints(f.communityYear, pv),
      };
      rows.push({ community: c.community.name, fund: FUND_ZH[f.fund]!, coefficient: num(f.coefficient), ...row });
      for (const k of keys) sum[k] = (sum[k] ?? 0) + row[k]!;
    }
    rows.push({
      community: `${c.community.name} ${TOTAL}`,
      fund: '',
      coefficient: num(c.performance.coefficient),
      ...sum,
    });
    for (const k of keys) grand[k] = (grand[k] ?? 0) + (sum[k] ?? 0);
  }
  rows.push({ community: TOTAL, fund: '', coefficient: null, ...grand });
  return {
    name: 'community-year-end',
    zh: '年度清算对账',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('fund', 'text', '险种', 'fund'),
      col('budget', 'money', '年度总额预算', 'budget'),
      col('advance', 'money', '年初预付', 'advance'),
      col('methods', 'money', '成员单位按支付方式所得', 'paid by the methods'),
      col('outside', 'money', '县域外等纳入预算的基金支出', 'counted spending elsewhere'),
      col('actual', 'money', '纳入预算的实际支出', 'actual'),
      col('surplus', 'money', '结余', 'surplus'),
      col('overspend', 'money', '超支', 'overspend'),
      col('coefficient', 'decimal', '考核系数', 'assessment coefficient'),
      col('shared', 'money', '结余留用/基金分担', 'retained / fund share'),
      col('compensation', 'money', '客观因素补偿', 'compensation'),
      col('fundBears', 'money', '基金承担', 'fund bears'),
      col('year', 'money', '医共体年度应得', 'community’s year'),
      col('clearing', 'money', '清算支付额', 'clearing payment'),
      col('points', 'points', '折算点数', 'in points'),
    ],
    rows,
  };
}

export function indicatorTable(r: CommunityRunResult): Table {
  const rows: Row[] = [];
  for (const c of r.communities) {
    for (const i of c.performance.indicators)
      rows.push({
        community: c.community.name,
        indicator: INDICATOR_LABEL[i.id].zh,
        value: num(i.value),
        target: `${i.direction === 'at-most' ? '≤' : '≥'} ${formatRatio(ratio(i.target.num * 100n, i.target.den), 2)}%`,
        met: i.met ? '达到' : '未达到',
        warning: i.warning ? '预警' : '',
        weight: i.weight,
        score: i.score,
      });
    rows.push({
      community: `${c.community.name} ${TOTAL}`,
      indicator: `考核系数 ${formatRatio(c.performance.coefficient, 4)}`,
      value: null,
      target: '',
      met: '',
      warning: '',
      weight: c.performance.maxScore,
      score: c.performance.score,
    });
  }
  return {
    name: 'community-indicators',
    zh: '监测与考核指标',
    columns: [
      col('community', 'text', '医共体', 'community'),
      col('indicator', 'text', '指标', 'indicator'),
      col('value', 'decimal', '本年值', 'value'),
      col('target', 'text', '目标', 'target'),
      col('met', 'text', '是否达到', 'met'),
      col('warning', 'text', '预警', 'warning'),
      col('weight', 'int', '分值', 'weight'),
      col('score', 'int', '得分', 'score'),
    ],
    rows,
  };
}

export function regionPointsTable(r: CommunityRunResult): Table {
  const name = names(r);
  const rows: Row[] = r.points.rows.map((p) => ({
    institution: p.institutionCode,
    name: name(p.institutionCode),
    method: METHOD_ZH[p.method] ?? p.method,
    origin: p.origin === 'points' ? '点数' : '金额折算',
    amount: p.amount,
    points: p.points,
  }));
  rows.push({ institution: TOTAL, name: '', method: '', origin: '', amount: null, points: r.points.total });
  return {
    name: 'region-points',
    zh: '统筹区统一点数',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution'),
      col('name', 'text', '医疗机构', 'name'),
      col('method', 'text', '支付方式', 'method'),
      col('origin', 'text', '来源', 'origin'),
      col('amount', 'money', '金额', 'amount'),
      col('points', 'points', '点数', 'points'),
    ],
    rows,
  };
}

export function burdenTable(r: CommunityRunResult): Table {
  const scopeName = (s: string) =>
    s === 'region' ? '全统筹区' : `${r.communities.find((c) => c.community.id === s)?.community.name ?? s}服务人群`;
  const rows: Row[] = [];
  for (const b of r.burden) {
    for (const x of b.rows)
      rows.push({
        scope: scopeName(b.scope),
        level: LEVEL_ZH[x.level]!,
        bills: x.bills,
        total: x.total,
        basicFund: x.basicFund,
        criticalIllness: x.criticalIllness,
        assistance: x.assistance,
        patient: x.patient,
        burden: num(x.burden),
      });
    const t = (k: 'bills' | 'total' | 'basicFund' | 'criticalIllness' | 'assistance' | 'patient') =>
      b.rows.reduce((s, x) => s + x[k], 0);
    rows.push({
      scope: `${scopeName(b.scope)} ${TOTAL}`,
      level: '',
      bills: t('bills'),
      total: t('total'),
      basicFund: t('basicFund'),
      criticalIllness: t('criticalIllness'),
      assistance: t('assistance'),
      patient: t('patient'),
      burden: t('total') === 0 ? null : num(ratio(BigInt(t('patient')), BigInt(t('total')))),
    });
  }
  return {
    name: 'patient-burden',
    zh: '患者负担（按机构等级）',
    columns: [
      col('scope', 'text', '范围', 'scope'),
      col('level', 'text', '机构等级', 'level'),
      col('bills', 'int', '住院人次', 'admissions'),
      col('total', 'money', '医疗费用总额', 'total medical cost'),
      col('basicFund', 'money', '基本医保统筹支付', 'basic fund'),
      col('criticalIllness', 'money', '大病保险', 'critical illness'),
      col('assistance', 'money', '医疗救助', 'medical assistance'),
      col('patient', 'money', '个人负担', 'patient'),
      col('burden', 'decimal', '个人负担比例', 'patient share'),
    ],
    rows,
  };
}

export function communityTables(r: CommunityRunResult): Table[] {
  return [
    eligibilityTable(r),
    budgetTable(r),
    monthlyTable(r),
    memberMethodTable(r),
    reconciliationTable(r),
    indicatorTable(r),
    regionPointsTable(r),
    ...(r.burden.length > 0 ? [burdenTable(r)] : []),
  ];
}

export async function writeCommunityWorkbook(
  r: CommunityRunResult,
  dir: string,
  lang: 'zh' | 'en' = 'zh',
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `community-${r.year}.xlsx`);
  await writeXlsx(file, communityTables(r), lang);
  return file;
}

/** A few lines per community for the terminal. */
export function communitySummaryText(r: CommunityRunResult, lang: 'zh' | 'en'): string {
  const y = fenToYuan;
  const lines: string[] = [];
  for (const c of r.communities) {
    if (!c.result) {
      lines.push(
        lang === 'zh'
          ? `${c.community.name}：不实行总额付费，成员单位分别结算（${c.eligibility.reasons.map((x) => x.zh).join('；')}）`
          : `${c.community.id}: no global budget, members settled one by one (${c.eligibility.reasons.map((x) => x.en).join('; ')})`,
      );
      continue;
    }
    const t = c.result.total;
    lines.push(
      lang === 'zh'
        ? `${c.community.name}：预算 ${y(t.budget)} 元，按支付方式所得 ${y(t.methodsPaid)}，纳入预算的实际支出 ${y(t.actual)}，考核得分 ${c.performance.score}（系数 ${formatRatio(c.performance.coefficient, 2)}），医共体年度应得 ${y(t.communityYear)}，清算支付额 ${y(t.clearing)}`
        : `${c.community.id}: budget ${y(t.budget)} yuan, paid by the methods ${y(t.methodsPaid)}, actual ${y(t.actual)}, score ${c.performance.score} (coefficient ${formatRatio(c.performance.coefficient, 2)}), community’s year ${y(t.communityYear)}, clearing ${y(t.clearing)}`,
    );
  }
  for (const c of r.communities) {
    const warned = c.performance.indicators.filter((i) => i.warning);
    if (warned.length > 0)
      lines.push(
        lang === 'zh'
          ? `  ${c.community.name}预警：${warned.map((i) => `${INDICATOR_LABEL[i.id].zh} ${i.value ? formatRatio(ratio(i.value.num * 100n, i.value.den), 1) : '—'}%`).join('，')}`
          : `  ${c.community.id} warnings: ${warned.map((i) => `${INDICATOR_LABEL[i.id].en} ${i.value ? formatRatio(ratio(i.value.num * 100n, i.value.den), 1) : '—'}%`).join(', ')}`,
      );
  }
  const region = r.burden.find((b) => b.scope === 'region');
  if (region)
    lines.push(
      (lang === 'zh' ? '患者负担比例（按机构等级）：' : 'patient share by level: ') +
        region.rows
          .map(
            (x) =>
              `${lang === 'zh' ? LEVEL_ZH[x.level] : x.level} ${x.burden ? formatRatio(ratio(x.burden.num * 100n, x.burden.den), 1) : '—'}%`,
          )
          .join('  '),
    );
  return lines.join('\n');
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
