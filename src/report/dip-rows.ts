/**
 * Row builders for DIP per-case results (病例分值明细) and the catalog (病种分值目录). Pure; cases stream.
 * (R-DIP-1…5)
 */
import type { Catalog } from '../grouping/dip/catalog.ts';
import type { Ratio } from '../model/money.ts';
import { mulRatio } from '../model/money.ts';
import type { DipCaseResult, DipEngine } from '../payment/dip/engine.ts';
import { valueOfPoints } from '../settlement/value.ts';
import { col, type Row, type Table } from './table.ts';

export function dipCaseTable(
  results: Iterable<DipCaseResult>,
  engine: DipEngine,
  payment?: { pointValue: Ratio; fundPaymentRatio: Ratio },
  name = 'dip-cases',
): Table {
  const scale = engine.coefficients.scale;
  const d = engine.coefficients.decimals;
  return {
    name,
    zh: '病例分值明细',
    columns: [
      col('setlId', 'text', '结算ID', 'settlement id'),
      col('institution', 'text', '医疗机构', 'institution'),
      col('month', 'text', '出院月份', 'month'),
      col('status', 'text', '状态', 'status'),
      col('match', 'text', '入组方式', 'match'),
      col('group', 'text', '病种', 'group'),
      col('score', 'points', '病种分值', 'score'),
      col('institutionCoefficient', 'decimal', '等级系数', 'institution coefficient'),
      col('auxSubtype', 'text', '辅助目录亚型', 'auxiliary subtype'),
      col('auxCoefficient', 'decimal', '辅助系数', 'auxiliary coefficient'),
      col('basePoints', 'points', '基础分值', 'base points'),
      col('deviation', 'text', '偏差类型', 'deviation'),
      col('points', 'points', '病例分值', 'points'),
      col('amount', 'money', '定额金额', 'fixed amount'),
      col('cost', 'money', '医疗总费用', 'total cost'),
      col('fundPay', 'money', '统筹基金支付', 'fund paid'),
      col('patientPaid', 'money', '患者负担', 'patient paid'),
      ...(payment
        ? [
            col('payment', 'money', '病种付费额(分值×点值)', 'payment'),
            col('fundShare', 'money', '其中基金支付', 'fund share'),
          ]
        : []),
      col('reason', 'text', '说明', 'note'),
    ],
    rows: (function* () {
      for (const r of results) {
        const row: Row = {
          setlId: r.setlId,
          institution: r.institutionCode,
          month: r.month,
          status: r.status,
          match: r.match,
          group: r.group,
          score: r.score,
          institutionCoefficient: r.institutionCoefficient ? (r.institutionCoefficient / scale).toFixed(d) : '',
          auxSubtype: r.auxSubtype,
          auxCoefficient: (r.auxCoefficient / scale).toFixed(d),
          basePoints: r.basePoints,
          deviation: r.deviation,
          points: r.points,
          amount: r.amount,
          cost: r.cost,
          fundPay: r.fundPay,
          patientPaid: r.patientPaid,
          reason: r.reason ?? '',
        };
        if (payment) {
          const value =
            r.status === 'excluded' ? 0 : r.claim === 'amount' ? r.amount : valueOfPoints(r.points, payment.pointValue);
          row.payment = value;
          row.fundShare = mulRatio(value, payment.fundPaymentRatio, 'half-up');
        }
        yield row;
      }
    })(),
  };
}

export function catalogTable(c: Catalog): Table {
  return {
    name: `${c.id}`,
    zh: '病种分值目录',
    columns: [
      col('code', 'text', '病种编码', 'code'),
      col('kind', 'text', '病种类型', 'kind'),
      col('dx', 'text', '主要诊断编码', 'diagnosis'),
      col('procedures', 'text', '手术操作编码', 'procedures'),
      col('treatment', 'text', '治疗方式', 'treatment'),
      col('name', 'text', '病种名称', 'name'),
      col('score', 'points', '分值', 'score'),
      col('cases', 'int', '病例数', 'cases'),
      col('meanCost', 'money', '次均费用', 'mean cost'),
      col('cv', 'decimal', '变异系数', 'CV'),
      col('primary', 'text', '基层病种', 'primary care'),
      col('auxiliary', 'text', '辅助目录', 'auxiliary'),
      col('flags', 'text', '标记', 'flags'),
    ],
    rows: c.groups.map(
      (g): Row => ({
        code: g.code,
        kind: g.kind === 'core' ? '核心' : '综合',
        dx: g.dx,
        procedures: g.procedures.join('+'),
        treatment: g.treatment,
        name: g.name ?? g.officialCode ?? '',
        score: g.score,
        cases: g.cases,
        meanCost: g.meanCost,
        cv: g.cv === null ? '' : g.cv.toFixed(4),
        primary: g.primaryCare ? '是' : '否',
        auxiliary: g.auxiliary.map((a) => `${a.subtype}=${a.coefficient}`).join(' '),
        flags: g.flags.join(' '),
      }),
    ),
  };
}
