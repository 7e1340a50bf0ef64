/**
 * Report tables of hospital mode (医院端): the expected year by institution and month, profit and loss by group,
 * department and doctor with their indicators, the most loss-making groups and departments, and every case's
 * estimate. Pure row builders; numbers stay numbers (money in fen, shown as yuan by the writers).
 */

import { departmentName } from '../codes/departments.ts';
import type { ProfitLine } from '../hospital/profit.ts';
import { mostLoss } from '../hospital/profit.ts';
import { positionText } from '../hospital/render.ts';
import type { HospitalYear } from '../hospital/year.ts';
import { formatRatio } from '../model/money.ts';
import { groupLabel, methodLabel } from './labels.ts';
import { type Column, col, type Row, type Table } from './table.ts';

type Lang = 'zh' | 'en';

const dec = (x: number | null, places = 4) => (x === null ? null : Math.round(x * 10 ** places) / 10 ** places);

const CODE_WORD: Record<ProfitLine['dimension'], [string, string, string, string]> = {
  institution: ['机构名称', 'institution name', '', ''],
  group: ['病组名称', 'group name', '病组编码', 'group code'],
  department: ['科室名称', 'department name', '出院科别', 'department'],
  doctor: ['主诊医师姓名', 'attending doctor', '主诊医师代码', 'doctor code'],
};

function lineColumns(d: ProfitLine['dimension'], method: 'dip' | 'drg'): Column[] {
  const [nameZh, nameEn, codeZh, codeEn] = CODE_WORD[d];
  const groupCode: [string, string] = method === 'dip' ? ['病种编码', 'DIP group'] : [codeZh, codeEn];
  const groupName: [string, string] = method === 'dip' ? ['病种名称', 'DIP group name'] : [nameZh, nameEn];
  return [
    col('institution', 'text', '机构编码', 'institution'),
    ...(d === 'institution'
      ? [col('name', 'text', nameZh, nameEn)]
      : d === 'group'
        ? [col('code', 'text', ...groupCode), col('name', 'text', ...groupName)]
        : [col('code', 'text', codeZh, codeEn), col('name', 'text', nameZh, nameEn)]),
    col('cases', 'int', '病例数', 'cases'),
    col('cost', 'money', '医疗费用总额', 'total medical cost'),
    col('payment', 'money', '预测支付金额', 'expected payment'),
    col('fund', 'money', '统筹基金支付（预测）', 'pooled-fund payment (expected)'),
    col('profit', 'money', '预测盈亏金额', 'expected profit/loss'),
    col('low', 'int', '低倍率病例数', 'low-cost cases'),
    col('high', 'int', '高倍率病例数', 'high-cost cases'),
    col('deviatingShare', 'decimal', '偏差病例比例', 'deviating-case share'),
    method === 'drg'
      ? col('cmi', 'decimal', 'CMI（病例组合指数）', 'CMI (case-mix index)')
      : col('averagePoints', 'decimal', '次均点数', 'average points per case'),
    col('timeIndex', 'decimal', '时间消耗指数', 'time consumption index'),
    col('costIndex', 'decimal', '费用消耗指数', 'cost consumption index'),
    col('deaths', 'int', '死亡人数', 'deaths'),
    col('lowRiskCases', 'int', '低风险组病例数', 'low-risk group cases'),
    col('lowRiskDeaths', 'int', '低风险组死亡人数', 'low-risk group deaths'),
    col('lowRiskMortality', 'decimal', '低风险组病例死亡比例', 'low-risk group mortality'),
  ];
}

function lineRow(l: ProfitLine, lang: Lang): Row {
  const ungrouped = l.dimension === 'group' && l.code === '';
  return {
    institution: l.institutionCode,
    // A group by its stable code (`C34#surgery`), as every file writes it; its name in words beside it (walk6).
    code: l.code,
    // A department by its name in the reader's language (the terminal showed 03 内科; the CSV had the code alone).
    // as the statements' groups sheet says an ungrouped line (and not the bare word a reader takes for an enum)
    name: ungrouped
      ? lang === 'zh'
        ? '未入组'
        : '(ungrouped)'
      : l.dimension === 'department'
        ? departmentName(l.code, lang) || l.name
        : l.dimension === 'group'
          ? l.name || (/[|#]/.test(l.code) ? groupLabel(l.code, lang) : '')
          : l.name,
    cases: l.cases,
    cost: l.cost,
    payment: l.payment,
    fund: l.fund,
    profit: l.profit,
    low: l.lowCost,
    high: l.highCost,
    deviatingShare: dec(l.deviatingShare),
    cmi: dec(l.cmi),
    averagePoints: dec(l.averagePoints),
    timeIndex: dec(l.timeIndex),
    costIndex: dec(l.costIndex),
    deaths: l.deaths,
    lowRiskCases: l.lowRiskCases,
    lowRiskDeaths: l.lowRiskDeaths,
    lowRiskMortality: dec(l.lowRiskMortality, 6),
  };
}

/** The 合计 row of a set of lines: sums, and shares from the sums. */
function totalRow(lines: readonly ProfitLine[], lang: Lang): Row {
  const s = (f: (l: ProfitLine) => number) => lines.reduce((t, l) => t + f(l), 0);
  const cases = s((l) => l.cases);
  const lrCases = s((l) => l.lowRiskCases);
  const lrDeaths = s((l) => l.lowRiskDeaths);
  return {
    institution: lang === 'zh' ? '合计' : 'total',
    cases,
    cost: s((l) => l.cost),
    payment: s((l) => l.payment),
    fund: s((l) => l.fund),
    profit: s((l) => l.profit),
    low: s((l) => l.lowCost),
    high: s((l) => l.highCost),
    deviatingShare: dec(cases > 0 ? (s((l) => l.lowCost) + s((l) => l.highCost)) / cases : 0),
    deaths: s((l) => l.deaths),
    lowRiskCases: lrCases,
    lowRiskDeaths: lrDeaths,
    lowRiskMortality: dec(lrCases > 0 ? lrDeaths / lrCases : null, 6),
  };
}

function lineTable(
  name: string,
  [zh, en]: [zh: string, en: string],
  d: ProfitLine['dimension'],
  lines: readonly ProfitLine[],
  method: 'dip' | 'drg',
  lang: Lang,
  total = true,
): Table {
  return {
    name,
    zh,
    en,
    columns: lineColumns(d, method),
    rows: [...lines.map((l) => lineRow(l, lang)), ...(total && lines.length > 0 ? [totalRow(lines, lang)] : [])],
  };
}

/** Every table of a hospital year; `top` lines in the loss rankings. */
export function hospitalTables(y: HospitalYear, lang: Lang, top = 10): Table[] {
  const b = y.book;
  const m = b.method;
  const groupWord = m === 'dip' ? '病种' : '病组';
  const groupsEn = m === 'dip' ? 'DIP groups' : 'DRGs';
  const monthCols: Column[] = [
    col('institution', 'text', '机构编码', 'institution'),
    col('month', 'text', '月份', 'month'),
    col('cases', 'int', '病例数', 'cases'),
    col('points', 'points', '点数', 'points'),
    col('amountClaims', 'money', '按金额支付', 'paid as amounts'),
    col('payment', 'money', '预测支付金额', 'expected payment'),
    col('cost', 'money', '医疗费用总额', 'total medical cost'),
    col('patientPaid', 'money', '患者负担金额', 'paid by patients'),
    col('fund', 'money', '统筹基金支付（预测）', 'pooled-fund payment (expected)'),
    col('profit', 'money', '预测盈亏金额', 'expected profit/loss'),
  ];
  const monthRows: Row[] = y.months.map((x) => ({ ...x, institution: x.institutionCode }));
  if (monthRows.length > 0) {
    const s = (k: 'cases' | 'points' | 'amountClaims' | 'payment' | 'cost' | 'patientPaid' | 'fund' | 'profit') =>
      y.months.reduce((t, x) => t + x[k], 0);
    monthRows.push({
      institution: lang === 'zh' ? '合计' : 'total',
      cases: s('cases'),
      points: s('points'),
      amountClaims: s('amountClaims'),
      payment: s('payment'),
      cost: s('cost'),
      patientPaid: s('patientPaid'),
      fund: s('fund'),
      profit: s('profit'),
    });
  }
  const caseCols: Column[] = [
    col('setlId', 'text', '结算ID', 'settlement id'),
    col('institution', 'text', '机构编码', 'institution'),
    col('department', 'text', '出院科别', 'department'),
    col('doctorCode', 'text', '主诊医师代码', 'doctor code'),
    col('doctorName', 'text', '主诊医师姓名', 'attending doctor'),
    col('group', 'text', `${groupWord}编码`, m === 'dip' ? 'DIP group' : 'DRG'),
    col('groupName', 'text', `${groupWord}名称`, m === 'dip' ? 'DIP group name' : 'DRG name'),
    col('position', 'text', '病例类型', 'case type'),
    // DIP / DRG, or the carve-out that pays the case outside them (按床日付费, 按病种付费; R-PAY-BEDDAY, R-PAY-DISEASE)
    col('method', 'text', '支付方式', 'payment method'),
    ...(m === 'drg' ? [col('rw', 'decimal', '权重', 'relative weight')] : []),
    col('standardPoints', 'points', '标准点数', 'standard points'),
    col('points', 'points', '病例点数', 'points'),
    // Not 病例点数 (reconcile reads that column as the points claimed): the points a case paid its cost is worth.
    col('costPaidPoints', 'points', '按实际费用折算点数', 'points of a case paid its cost'),
    col('standardPayment', 'money', '支付标准金额', 'payment standard'),
    col('low', 'money', '低倍率界值金额', 'low-cost threshold'),
    col('high', 'money', '高倍率界值金额', 'high-cost threshold'),
    col('cost', 'money', '医疗费用总额', 'total medical cost'),
    col('payment', 'money', '预测支付金额', 'expected payment'),
    col('fund', 'money', '统筹基金支付（预测）', 'pooled-fund payment (expected)'),
    col('profit', 'money', '预测盈亏金额', 'expected profit/loss'),
    col('prompts', 'text', '事前提示说明', 'before-care prompts'),
  ];
  const caseRow = (e: HospitalYear['estimates'][number]): Row => {
    return {
      setlId: e.setlId,
      institution: e.institutionCode,
      department: e.department,
      doctorCode: e.doctorCode,
      doctorName: e.doctorName,
      // the stable code, as the agency's cases sheet writes it (walk6); the name in the reader's language beside it
      group: e.group,
      groupName:
        e.group === null ? e.groupName : e.groupName || (e.method === 'dip' ? groupLabel(e.group, lang) : null),
      position: positionText(e.position, lang),
      method: methodLabel(e.method, lang),
      rw: e.weight ? Number(formatRatio(e.weight, 4)) : null,
      standardPoints: e.standardPoints,
      points: e.points,
      costPaidPoints: e.costPaidPoints,
      standardPayment: e.standardPayment,
      low: e.thresholds?.low ?? null,
      high: e.thresholds?.high ?? null,
      cost: e.cost,
      payment: e.expectedPayment,
      fund: e.expectedFund,
      profit: e.profit,
      prompts: e.prompts.map((p) => (lang === 'zh' ? p.zh : p.en)).join(lang === 'zh' ? '；' : '; '),
    };
  };
  // A case QC would reject is not paid as it is (R-DATA-1): its type says so and its points and money are blank; it
  // showed 正常病例 with an expected payment as if priced. Its group, standard and thresholds stay (to correct it).
  const caseRows = function* (list: readonly HospitalYear['estimates'][number][], rejected = false): Generator<Row> {
    for (const e of list) {
      if (rejected) {
        yield {
          ...caseRow(e),
          position: lang === 'zh' ? '质控将拒收' : 'QC would reject',
          points: null,
          costPaidPoints: null,
          payment: null,
          fund: null,
          profit: null,
        };
        continue;
      }
      yield caseRow(e);
    }
  };
  return [
    lineTable('hospital-institutions', ['医院预测汇总', 'expected year'], 'institution', b.institutions, m, lang),
    { name: 'hospital-months', zh: '按月预测', en: 'by month', columns: monthCols, rows: monthRows },
    lineTable('hospital-groups', [`${groupWord}盈亏`, `profit by ${groupsEn}`], 'group', b.groups, m, lang),
    lineTable('hospital-departments', ['科室盈亏', 'profit by department'], 'department', b.departments, m, lang),
    lineTable('hospital-doctors', ['医师盈亏', 'profit by doctor'], 'doctor', b.doctors, m, lang),
    lineTable(
      'hospital-loss-groups',
      [`亏损最多的${groupWord}`, `${groupsEn} that lose most`],
      'group',
      mostLoss(b.groups, top),
      m,
      lang,
      false,
    ),
    lineTable(
      'hospital-loss-departments',
      ['亏损最多的科室', 'departments that lose most'],
      'department',
      mostLoss(b.departments, top),
      m,
      lang,
      false,
    ),
    {
      name: 'hospital-cases',
      zh: '病例预测明细',
      en: 'cases',
      columns: caseCols,
      rows: { [Symbol.iterator]: () => caseRows(y.estimates) },
    },
    // R-DATA-1: the cases QC would reject, with their prompts: not in any table above (not paid as they are).
    {
      name: 'hospital-rejected',
      zh: '质控将拒收的病例',
      en: 'cases QC would reject',
      columns: caseCols,
      rows: { [Symbol.iterator]: () => caseRows(y.rejected, true) },
    },
  ];
}
