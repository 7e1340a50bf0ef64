/**
 * Row builders for settlement statements of any point pool (src/settlement): per-institution monthly
 * pre-settlement statements (月度预结算单), annual statements (年度清算单), the region summary (统筹区汇总) and
 * group surplus/overspend (病种结余超支). Pure. (R-DIP-6, R-BUD-2, R-BUD-5)
 */
import { formatRatioShort } from '../settlement/point-value.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { formatPointValue } from '../settlement/value.ts';
import { pointValueRuleLabel, statusLabel } from './labels.ts';
import { col, type Row, type Table } from './table.ts';

export function monthlyTable(s: PoolSettlement): Table {
  return {
    name: `${s.poolId}-monthly`,
    zh: '月度预结算单',
    columns: [
      col('institution', 'text', '医疗机构', 'institution'),
      col('month', 'text', '月份', 'month'),
      col('units', 'int', '病例数', 'units'),
      col('points', 'points', '点数', 'points'),
      col('amountClaims', 'money', '定额结算金额', 'fixed amounts'),
      col('pointValue', 'decimal', '预结算点值(元/点)', 'provisional point value'),
      col('value', 'money', '点数金额', 'value'),
      col('patientPaid', 'money', '患者负担', 'patient payments'),
      col('gross', 'money', '应预结算', 'gross'),
      col('prepayRatio', 'decimal', '预结算比例', 'prepay ratio'),
      col('prepay', 'money', '预结算额', 'prepay'),
      col('deposit', 'money', '质量保证金', 'deposit'),
      col('deductions', 'money', '审核扣款', 'deductions'),
      col('payment', 'money', '本月支付', 'payment'),
    ],
    rows: (function* () {
      for (const i of s.institutions) {
        for (const l of i.monthly) {
          yield {
            institution: l.institutionCode,
            month: l.month,
            units: l.units,
            points: l.points,
            amountClaims: l.amountClaims,
            pointValue: formatPointValue(l.pointValue),
            value: l.value,
            patientPaid: l.patientPaid,
            gross: l.gross,
            prepayRatio: formatRatioShort(l.prepayRatio),
            prepay: l.prepay,
            deposit: l.deposit,
            deductions: l.deductions,
            payment: l.payment,
          } satisfies Row;
        }
      }
    })(),
  };
}

export function annualTable(s: PoolSettlement): Table {
  const pv = formatPointValue(s.pointValue.pointValue);
  const fpr = formatRatioShort(s.fundPaymentRatio);
  return {
    name: `${s.poolId}-annual`,
    zh: '年度清算单',
    columns: [
      col('institution', 'text', '医疗机构', 'institution'),
      col('level', 'text', '医院等级', 'level'),
      col('units', 'int', '病例数', 'units'),
      col('points', 'points', '总点数', 'points'),
      col('amountClaims', 'money', '定额结算金额', 'fixed amounts'),
      col('pointValue', 'decimal', '年度点值(元/点)', 'point value'),
      col('fundPaymentRatio', 'decimal', '基金支付比例', 'fund payment ratio'),
      col('billed', 'money', '医疗总费用(按项目)', 'item billing'),
      col('ffsFund', 'money', '按项目基金应付', 'fund share by items'),
      col('gross', 'money', '年度应付(点数×点值×比例)', 'gross'),
      col('difference', 'money', '结余(+)/超支(−)', 'surplus/overspend'),
      col('afterSharing', 'money', '结余留用超支分担后', 'after sharing'),
      col('assessment', 'decimal', '考核系数', 'assessment'),
      col('afterAssessment', 'money', '考核后', 'after assessment'),
      col('deductions', 'money', '审核扣款', 'deductions'),
      col('yearEnd', 'money', '年度清算额', 'year-end amount'),
      col('advance', 'money', '年初预付', 'advance'),
      col('monthlyPaid', 'money', '月度已支付', 'monthly paid'),
      col('depositHeld', 'money', '质量保证金', 'deposit held'),
      col('clearing', 'money', '清算支付额', 'clearing payment'),
    ],
    rows: s.institutions.map(
      (i): Row => ({
        institution: i.institutionCode,
        level: i.level ?? '',
        units: i.units,
        points: i.points,
        amountClaims: i.amountClaims,
        pointValue: pv,
        fundPaymentRatio: fpr,
        billed: i.billed,
        ffsFund: i.ffsFund,
        gross: i.gross,
        difference: i.gross - i.ffsFund,
        afterSharing: i.afterSharing,
        assessment: formatRatioShort(i.assessment),
        afterAssessment: i.afterAssessment,
        deductions: i.deductions,
        yearEnd: i.yearEnd,
        advance: i.advance,
        monthlyPaid: i.monthlyPaid,
        depositHeld: i.depositHeld,
        clearing: i.clearing,
      }),
    ),
  };
}

export function regionTable(s: PoolSettlement): Table {
  const r = s.summary;
  const line = (item: string, en: string, value: string | number, kind: 'money' | 'text' = 'text'): Row => ({
    item,
    en,
    value: kind === 'money' ? null : value,
    money: kind === 'money' ? (value as number) : null,
  });
  return {
    name: `${s.poolId}-region`,
    zh: '统筹区汇总',
    columns: [
      col('item', 'text', '项目', 'item'),
      col('en', 'text', 'Item', 'item (en)'),
      col('value', 'text', '数值', 'value'),
      col('money', 'money', '金额(元)', 'amount (yuan)'),
    ],
    rows: [
      line('统筹区', 'region', s.region),
      line('年度', 'year', s.year),
      line('病例数', 'units', r.units),
      line('其他方式结算(排除)病例数', 'excluded units', r.excludedUnits),
      ...Object.entries(r.byStatus)
        .sort()
        .map(([k, v]) => line(`状态 ${statusLabel(k, 'zh')}`, `status ${statusLabel(k, 'en')}`, v)),
      line('医疗机构数', 'institutions', r.institutions),
      line('总点数', 'total points', (r.totalPoints / 10_000).toFixed(4)),
      line('年初点值(元/点)', 'opening point value', formatPointValue(s.openingPointValue)),
      line('年度点值(元/点)', 'year-end point value', formatPointValue(s.pointValue.pointValue)),
      line(
        '点值规则',
        'point value rule',
        `${pointValueRuleLabel(s.pointValue.rule, 'zh')} ${pointValueRuleLabel(s.pointValue.rule, 'en')}`,
      ),
      line('基金支付比例', 'fund payment ratio', formatRatioShort(s.fundPaymentRatio)),
      line('基金预算', 'fund', r.fund, 'money'),
      line('按点值分配', 'allocated', r.allocated, 'money'),
      line('结余留用超支分担后', 'after sharing', r.afterSharing, 'money'),
      line('审核扣款', 'deductions', r.deductions, 'money'),
      line('年度清算额合计', 'year-end total', r.yearEnd, 'money'),
      line('年初预付合计', 'advances', r.advance, 'money'),
      line('月度已支付合计', 'monthly paid', r.monthlyPaid, 'money'),
      line('质量保证金合计', 'deposit held', r.depositHeld, 'money'),
      line('清算支付额合计', 'clearing total', r.clearing, 'money'),
      line('基金结余(+)/超支(−)', 'fund balance', r.fundBalance, 'money'),
      line('医疗总费用(按项目)', 'billed', r.billed, 'money'),
      line('患者负担', 'patient payments', r.patientPaid, 'money'),
      line('结余留用机构数', 'institutions with surplus', r.institutionsWithSurplus),
    ],
  };
}

export function groupTable(s: PoolSettlement): Table {
  return {
    name: `${s.poolId}-groups`,
    zh: '病种结余超支',
    columns: [
      col('method', 'text', '支付方式', 'method'),
      col('group', 'text', '病种/分组', 'group'),
      col('units', 'int', '病例数', 'units'),
      col('points', 'points', '点数', 'points'),
      col('value', 'money', '病种付费额(点数×点值)', 'value'),
      col('billed', 'money', '按项目费用', 'item billing'),
      col('difference', 'money', '结余(+)/超支(−)', 'difference'),
    ],
    rows: s.groups.map((g): Row => ({ ...g })),
  };
}
