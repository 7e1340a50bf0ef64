/**
 * Report tables of a reconciliation (对账): every difference with its reason and the money at stake, and the
 * totals by reason with a 合计 row. Pure row builders; money in fen, points in 0.0001 points (numbers stay numbers).
 */

import { dipGroupCodesIn } from '../grouping/dip/treatment.ts';
import { type AgencyAmounts, isRealDifference, REASON_TEXT, type Reconciliation } from '../hospital/reconcile.ts';
import { methodLabel, SETTLED_AMOUNT, statusLabel } from './labels.ts';
import { col, type Row, type Table } from './table.ts';

type Lang = 'zh' | 'en';

/**
 * `amounts`: where the agency's per-case amounts came from — the run's stored 病例结算金额 (the amount column says so)
 * or, for a run without them, points × point value half-up per case (the column says that instead). The totals list
 * the real differences first, with their subtotal when some cases differ only by the fen split (分配尾差).
 */
export function reconcileTables(r: Reconciliation, lang: Lang, amounts: AgencyAmounts = 'stored'): Table[] {
  const word = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const reason = (k: keyof typeof REASON_TEXT) => REASON_TEXT[k][lang === 'zh' ? 0 : 1];
  // The group columns hold the stable codes every file writes (K35#surgery, K35.8|47.0901; walk6); codes inside the
  // words of a path or a parting step read as the statements' names spell them: K35 综合病种（相关手术）, K35.8 + 47.0901.
  const text = (v: string) => dipGroupCodesIn(v, lang);
  const path = (steps: readonly { zh: string; en: string }[]) => text(steps.map((s) => s[lang]).join(' → '));
  const lines: Row[] = r.lines.map((l) => ({
    reason: reason(l.reason),
    setlId: l.setlId,
    institution: l.institution,
    month: l.month,
    agencyMethod: l.agencyMethod ? methodLabel(l.agencyMethod, lang) : null,
    agencyGroup: l.agencyGroup,
    hospitalGroup: l.hospitalGroup,
    agencyStatus: l.agencyStatus === null ? null : statusLabel(l.agencyStatus, lang),
    hospitalStatus: l.hospitalStatus === null ? null : statusLabel(l.hospitalStatus, lang),
    agencyPoints: l.agencyPoints,
    hospitalPoints: l.hospitalPoints,
    agencyAmount: l.agencyAmount,
    hospitalAmount: l.hospitalAmount,
    atStake: l.atStake,
    parting: l.parting ? text(l.parting[lang]) : null,
    agencyPath: l.paths ? path(l.paths.agency) : null,
    hospitalPath: l.paths?.hospital ? path(l.paths.hospital) : null,
  }));
  const row = (t: { reason: keyof typeof REASON_TEXT; cases: number; atStake: number }): Row => ({
    reason: reason(t.reason),
    cases: t.cases,
    atStake: t.atStake,
  });
  const real = r.totals.filter((t) => isRealDifference(t.reason));
  const split = r.totals.filter((t) => !isRealDifference(t.reason));
  const subtotal =
    split.length > 0
      ? [
          {
            reason: word('实际差异小计（不含分配尾差）', 'real differences (without the fen split)'),
            cases: real.reduce((s, t) => s + t.cases, 0),
            atStake: real.reduce((s, t) => s + t.atStake, 0),
          },
        ]
      : [];
  const totals: Row[] = [
    ...real.map(row),
    ...subtotal,
    ...split.map(row),
    { reason: word('合计', 'total'), cases: r.lines.length, atStake: r.atStake },
  ];
  const agencyAmount =
    amounts === 'stored'
      ? col('agencyAmount', 'money', `经办${SETTLED_AMOUNT[0]}`, `agency ${SETTLED_AMOUNT[1]}`)
      : col(
          'agencyAmount',
          'money',
          '经办金额（点数×点值逐例四舍五入）',
          'agency amount (points × point value, half-up per case)',
        );
  return [
    {
      name: 'reconcile-differences',
      zh: '对账差异明细',
      en: 'Differences',
      columns: [
        col('reason', 'text', '差异原因', 'reason'),
        col('setlId', 'text', '结算ID', 'setl_id'),
        col('institution', 'text', '机构编码', 'institution'),
        col('month', 'text', '月份', 'month'),
        col('agencyMethod', 'text', '经办支付方式', 'agency payment method'),
        col('agencyGroup', 'text', '经办分组', 'agency group'),
        col('hospitalGroup', 'text', '医院分组', 'hospital group'),
        col('agencyStatus', 'text', '经办病例类型', 'agency status'),
        col('hospitalStatus', 'text', '医院病例类型', 'hospital status'),
        col('agencyPoints', 'points', '经办点数', 'agency points'),
        col('hospitalPoints', 'points', '医院点数', 'hospital points'),
        agencyAmount,
        col('hospitalAmount', 'money', '医院金额', 'hospital amount'),
        col('atStake', 'money', '差额（经办−医院）', 'at stake (agency − hospital)'),
        col('parting', 'text', '分组路径分歧', 'where the grouping paths part'),
        col('agencyPath', 'text', '经办分组路径', 'agency grouping path'),
        col('hospitalPath', 'text', '医院分组路径（按本院编码）', 'hospital grouping path (its own coding)'),
      ],
      rows: lines,
    },
    {
      name: 'reconcile-totals',
      zh: '对账差异汇总',
      en: 'Totals by reason',
      columns: [
        col('reason', 'text', '差异原因', 'reason'),
        col('cases', 'int', '条数', 'lines'),
        col('atStake', 'money', '差额（经办−医院）', 'at stake (agency − hospital)'),
      ],
      rows: totals,
    },
  ];
}
