/**
 * Row builders for DIP per-case results (病例分值明细) and the catalog (病种分值目录). Pure; cases stream.
 * (R-DIP-1…5)
 */
import type { Catalog } from '../grouping/dip/catalog.ts';
import { languagePart } from '../model/explain-labels.ts';
import type { Ratio } from '../model/money.ts';
import { mulRatio } from '../model/money.ts';
import type { DipCaseResult, DipEngine } from '../payment/dip/engine.ts';
import { valueOfPoints } from '../settlement/value.ts';
import {
  auxiliaryLabel,
  catalogFlagsLabel,
  deviationLabel,
  groupCodesIn,
  groupLabel,
  matchLabel,
  statusLabel,
  treatmentLabel,
} from './labels.ts';
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
      col('status', 'text', '病例类型', 'case type', { label: statusLabel }),
      col('match', 'text', '入组方式', 'match', { label: matchLabel }),
      col('group', 'text', '病种', 'group', { label: groupLabel }),
      col('score', 'points', '病种分值', 'score'),
      col('institutionCoefficient', 'decimal', '等级系数', 'institution coefficient'),
      col('auxSubtype', 'text', '辅助目录亚型', 'auxiliary subtype', { label: auxiliaryLabel }),
      col('auxCoefficient', 'decimal', '辅助系数', 'auxiliary coefficient'),
      col('basePoints', 'points', '基础分值', 'base points'),
      col('deviation', 'text', '偏差类型', 'deviation', { label: deviationLabel }),
      col('points', 'points', '病例分值', 'points'),
      col('amount', 'money', '定额金额', 'fixed amount'),
      col('cost', 'money', '医疗总费用', 'total cost'),
      col('fundPay', 'money', '统筹基金支付', 'fund paid'),
      col('patientPaid', 'money', '患者负担', 'patient paid'),
      ...(payment
        ? [
            col('payment', 'money', '病种付费额（分值×点值）', 'payment'),
            col('fundShare', 'money', '其中基金支付', 'fund share'),
          ]
        : []),
      // a reason kept in both languages (中文 / English), in the reader's, with its group codes in words
      col('reason', 'text', '说明', 'note', { label: (v, lang) => groupCodesIn(languagePart(v, lang), lang) }),
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

/**
 * The catalog (病种分值目录). A group's name is its publisher's (imported) or, for a calibrated group, the names of its
 * diagnosis and procedures from the code lists (`codeNames`, code → name), when the lists hold them.
 */
/**
 * A DIP group's name (病种名称): its catalog name, else the names of its diagnosis and procedures from `codeNames`
 * (`诊断名称（手术操作名称+…）`), else its official code; '' when none is known.
 */
export function catalogGroupName(g: Catalog['groups'][number], codeNames: ReadonlyMap<string, string>): string {
  if (g.name) return g.name;
  const dx = codeNames.get(g.dx);
  if (!dx) return g.officialCode ?? '';
  const procs = g.procedures.map((p) => codeNames.get(p)).filter((n): n is string => n !== undefined);
  return procs.length > 0 ? `${dx}（${procs.join('+')}）` : dx;
}

export function catalogTable(c: Catalog, codeNames: ReadonlyMap<string, string> = new Map()): Table {
  const nameOf = (g: Catalog['groups'][number]): string => catalogGroupName(g, codeNames);
  return {
    name: `${c.id}`,
    zh: '病种分值目录',
    en: 'DIP catalog',
    columns: [
      // the stable code (`K35#surgery`, `K35.8|47.0100`), the same in zh and en and in every file; the name in words
      col('code', 'text', '病种编码', 'code'),
      col('kind', 'text', '病种类型', 'kind', {
        label: (v, lang) => (lang === 'zh' ? v : v === '核心病种' ? 'core' : 'comprehensive'),
      }),
      col('dx', 'text', '主要诊断编码', 'diagnosis'),
      col('procedures', 'text', '手术操作编码', 'procedures'),
      col('treatment', 'text', '治疗方式', 'treatment', { label: treatmentLabel }),
      // its name, else (a comprehensive group, a core group the code lists do not name) its codes in words
      col('name', 'text', '病种名称', 'name', { label: (v, lang) => (/[|#]/.test(v) ? groupLabel(v, lang) : v) }),
      col('score', 'points', '分值', 'score'),
      col('cases', 'int', '病例数', 'cases'),
      col('meanCost', 'money', '次均费用', 'mean cost'),
      col('cv', 'decimal', '变异系数', 'CV', { digits: 4 }),
      col('primary', 'text', '基层病种', 'primary care', {
        label: (v, lang) => (lang === 'zh' ? v : v === '是' ? 'yes' : 'no'),
      }),
      col('auxiliary', 'text', '辅助目录', 'auxiliary', { label: auxiliaryLabel }),
      col('flags', 'text', '标记', 'flags', { label: catalogFlagsLabel }),
    ],
    rows: c.groups.map(
      (g): Row => ({
        code: g.code,
        kind: g.kind === 'core' ? '核心病种' : '综合病种',
        dx: g.dx,
        procedures: g.procedures.join('+'),
        treatment: g.treatment,
        name: nameOf(g) || g.code,
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
