/**
 * 月度预结算点值 / the pool's monthly point values: each month's pre-settlement point value and how it was set (R-DIP-6,
 * 002 四(三) "根据上年度统筹基金实际支付医疗机构住院费用总额的月平均值的一定比例，确定月度预结算总额"), from what the run
 * stored (run_pool_months: the point value, the quota and the steps) — nothing settled again. The figures a step shows
 * (当月总点数, 患者负担, 当月定额金额, 按总额测算的点值) are read back from the stored step, each in a column of its kind (money,
 * points, decimal) so the workbook holds numbers with a format. 年初点值 is the pool's, the same every month (the value a
 * month is compared with under the cap). 按总额测算的点值 is shown only when it is not the month's point value (the cap
 * took the opening value instead); 确定方法 names the rule that fixed the month's value, with the values compared (the
 * quota's value within the policy's cap at the opening value, the opening value where the cap took it, the quota's
 * value where the policy sets no cap, 取年初点值, 取政策规定值), 计算依据 holds its formula with the clause cited in
 * brackets, as every basis does. A DRG pool at a fixed 费率 has no point value: its sheet is 结算池月度预结算（费率法）,
 * each month its fixed amounts, patients' payments, what is due, the prepay ratio and the prepay (the institutions'
 * lines added up), without the point-value columns and without the monthly quota unless a month was capped at it.
 */
import { formatRatio, parseDecimal, ratio, yuanToFen } from '../model/money.ts';
import { toPoints } from '../model/points.ts';
import { PROVISIONAL_STEP_ZH, QUOTA_CAP_ZH } from '../settlement/monthly.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { POINT_VALUE_PLACES, RATIO_PLACES } from './settlement-rows.ts';
import { col, type Lang, type Row, type Table } from './table.ts';

/** A stored step's value as money (fen) or points (0.0001), null when the step does not carry it. */
function fenOf(v: unknown): number | null {
  return typeof v === 'string' && /^-?\d+(\.\d{1,2})?$/.test(v) ? yuanToFen(v) : null;
}
function pointsOf(v: unknown): number | null {
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? toPoints(parseDecimal(v)) : null;
}
/** A point value text (`11.133336`, `19.894636 元/点`) as it was stored; null for a month without one (`—`). */
function pointValueOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(-?\d+(?:\.\d+)?)( 元\/点)?$/.exec(v.trim());
  return m ? m[1]! : null;
}

/** How a month's pre-settlement point value was set, in words (确定方法), from its stored steps. */
type MonthMethod = readonly [zh: string, en: string];

function monthMethod(
  steps: PoolSettlement['months'][number]['steps'],
  fromQuota: string | null,
  opening: string,
): MonthMethod | null {
  const first = steps[0];
  const values = Object.assign({}, ...steps.map((st) => st.values ?? {})) as Record<string, unknown>;
  // A DRG pool at a fixed 费率 (R-PAY-DRG, run/drg-pool.ts): the month is its fixed amounts, no point value.
  if (first?.rule === 'R-PAY-DRG')
    return [
      '费率法：按当月定额金额减患者负担预结算，不用点值',
      'base-rate method: the month’s fixed amounts less patient payments, no point value',
    ];
  if (values.月度预结算总额 !== undefined) {
    if (first?.result === '—') return ['当月无点数，无预结算点值', 'no points this month: no point value'];
    const q = fromQuota ?? '';
    const yuan = (v: string) => [`${v} 元/点`, `${v} yuan/point`] as const;
    const [qZh, qEn] = yuan(q);
    const [oZh, oEn] = yuan(opening);
    // Which rule fixed the month's value (walk6 #4: "（不高于年初点值，未按年初点值封顶）" read as a contradiction):
    // the opening value under the policy's cap, the quota's value within the cap, or the quota's value without one.
    if (values.按总额测算的点值 !== undefined)
      return [
        `按年初点值 ${oZh}：按月度预结算总额测算为 ${qZh}，高于年初点值，按政策以年初点值封顶`,
        `the opening point value ${oEn}: the monthly quota gave ${qEn}, above the opening value, and the policy caps at it`,
      ];
    const said = first?.zh ?? '';
    if (said.includes(QUOTA_CAP_ZH.cap))
      return [
        `按月度预结算总额测算为 ${qZh}：未超过年初点值 ${oZh}，按测算值预结算（政策规定超过年初点值时按年初点值）`,
        `the monthly quota’s ${qEn}: not above the opening point value ${oEn}, so it stands (the policy takes the opening value only above it)`,
      ];
    const above = fromQuota !== null && Number(fromQuota) > Number(opening);
    // The policy sets no cap: said by the step, or (a run stored before it said so) shown by a value above the
    // opening one that stood.
    if (said.includes(QUOTA_CAP_ZH.none) || above)
      return [
        `按月度预结算总额测算为 ${qZh}：政策未规定按年初点值封顶，按测算值预结算`,
        `the monthly quota’s ${qEn}: the policy sets no cap at the opening point value, so it stands`,
      ];
    // A run stored before the step said the policy's cap, with a value at or below the opening one: the rule is all
    // that is known.
    return [`按月度预结算总额测算为 ${qZh}`, `the monthly quota’s ${qEn}`];
  }
  if (first?.zh === PROVISIONAL_STEP_ZH.opening) return ['取年初点值', 'the opening point value'];
  if (first?.zh === PROVISIONAL_STEP_ZH.fixed) return ['取政策规定值', 'the value the policy sets'];
  return null;
}

export function poolMonthsTable(s: PoolSettlement): Table {
  // Enum-like text columns: the zh stays in the row, the reader's words are shown (en by the zh it stands for).
  const words = new Map<string, string>();
  const opening = formatRatio(ratio(s.openingPointValue.num, s.openingPointValue.den * 100n), POINT_VALUE_PLACES);
  const rows: Row[] = s.months.map((m) => {
    const first = m.steps[0];
    const values = Object.assign({}, ...m.steps.map((st) => st.values ?? {})) as Record<string, unknown>;
    // A month without points sets no point value (its first step's result is —): blank, not 0.000000.
    const none = first?.result === '—';
    const pointValue = none ? null : formatRatio(ratio(m.pointValue.num, m.pointValue.den * 100n), POINT_VALUE_PLACES);
    // The monthly-quota rule's own point value: the first step's result (before a cap at the opening value).
    const quotaValue = values.月度预结算总额 !== undefined ? pointValueOf(first?.result) : null;
    // The formulas of the steps, with their clauses cited in brackets (计算依据), in the reader's language.
    const cited = clausesCited(m.steps.map((st) => st.clause));
    const basis = [m.steps.map((st) => st.zh).join('；'), cited].filter((x) => x).join(' ');
    words.set(basis, [m.steps.map((st) => st.en).join('; '), cited].filter((x) => x).join(' '));
    const method = monthMethod(m.steps, quotaValue, opening);
    if (method) words.set(method[0], method[1]);
    return {
      month: m.month,
      pointValue,
      quota: m.quota,
      points: pointsOf(values.当月总点数),
      patientPaid: fenOf(values.患者负担),
      amounts: fenOf(values.当月定额金额),
      byItems: fenOf(values.特例单议按项目付费),
      // Shown only when the month's point value is another (capped at the opening value): else it repeats it.
      fromQuota: quotaValue !== null && quotaValue !== pointValue ? quotaValue : null,
      opening,
      how: method ? method[0] : m.steps.map((st) => st.zh).join('；'),
      basis,
      // The pool's month as the institutions' lines add up (shown for a pool at a fixed 费率, whose month is its fixed
      // amounts less the patients' payments × the prepay ratio).
      gross: m.lines.reduce((sum, l) => sum + l.gross, 0),
      prepayRatio: m.lines[0] ? formatRatio(m.lines[0].prepayRatio, RATIO_PLACES) : null,
      prepay: m.lines.reduce((sum, l) => sum + l.prepay, 0),
    } satisfies Row;
  });
  const inWords = (v: string, lang: Lang) => (lang === 'zh' ? v : (words.get(v) ?? v));
  // A DRG pool at a fixed 费率 (R-PAY-DRG) has no points and no point value: no point-value columns (the opening value
  // 93.506494 of walk5 #5 stood beside months of fixed amounts only).
  const rateOnly = s.summary?.baseRate !== undefined && Number(s.summary.totalPoints) === 0;
  const pointCols = new Set(['pointValue', 'points', 'fromQuota', 'opening']);
  // … and its sheet is named for what it holds, the months' fixed amounts less patients' payments × the prepay ratio,
  // not 月度预结算点值; the monthly quota only where a month was capped at it (`overQuota: cap`), else it was an empty
  // column (walk6 #6).
  const rateCols = new Set(['gross', 'prepayRatio', 'prepay']);
  const anyQuota = s.months.some((m) => m.quota !== null && m.quota !== undefined);
  const shown = (key: string) => (rateOnly ? !pointCols.has(key) && (key !== 'quota' || anyQuota) : !rateCols.has(key));
  return {
    name: rateOnly ? `${s.poolId}-month-pre-settlement` : `${s.poolId}-month-point-values`,
    zh: rateOnly ? '结算池月度预结算（费率法）' : '月度预结算点值',
    en: rateOnly ? 'pool pre-settlement (base rate)' : 'monthly point values',
    columns: [
      col('month', 'text', '月份', 'month'),
      col('pointValue', 'decimal', '预结算点值（元/点）', 'pre-settlement point value (yuan/point)', {
        digits: POINT_VALUE_PLACES,
      }),
      col('quota', 'money', '月度预结算总额（元）', 'monthly pre-settlement total (yuan)'),
      col('points', 'points', '当月总点数', "the month's total points"),
      col('patientPaid', 'money', '患者负担（元）', 'patient payments (yuan)'),
      col('amounts', 'money', '当月定额金额（元）', "the month's fixed amounts (yuan)"),
      col('byItems', 'money', '特例单议按项目付费（元）', 'special review paid fee-for-service (yuan)'),
      col(
        'fromQuota',
        'decimal',
        '按总额测算的点值（元/点，按年初点值封顶前）',
        'point value from the quota (yuan/point, before the cap at the opening value)',
        { digits: POINT_VALUE_PLACES },
      ),
      col('opening', 'decimal', '年初点值（元/点）', 'opening point value (yuan/point)', {
        digits: POINT_VALUE_PLACES,
      }),
      col(
        'gross',
        'money',
        '应预结算（定额金额 − 患者负担，元）',
        'pre-settlement due (fixed amounts − patient payments)',
      ),
      col('prepayRatio', 'decimal', '预结算比例', 'prepay ratio', { digits: RATIO_PLACES }),
      col('prepay', 'money', '预结算额（元）', 'prepay (yuan)'),
      col('how', 'text', '确定方法', 'how it was set', { label: inWords }),
      col('basis', 'text', '计算依据', 'basis', { label: inWords }),
    ].filter((c) => shown(c.key)),
    rows,
  };
}

/** The distinct clauses of the steps in brackets (`[002 四(三) …]`), as every basis cites a clause; '' when none. */
function clausesCited(clauses: readonly (string | undefined)[]): string {
  const distinct = [...new Set(clauses.filter((c): c is string => !!c))];
  return distinct.map((c) => `[${c}]`).join(' ');
}
