/**
 * 月度预结算点值 / the pool's monthly point values: each month's pre-settlement point value and how it was set (R-DIP-6,
 * 002 四(三) "根据上年度统筹基金实际支付医疗机构住院费用总额的月平均值的一定比例，确定月度预结算总额"), from what the run
 * stored (run_pool_months: the point value, the quota and the steps) — nothing settled again. The figures a step shows
 * (当月总点数, 患者负担, 当月定额金额, 按总额测算的点值, 年初点值) are read back from the stored step, each in a column of its
 * kind (money, points, decimal) so the workbook holds numbers with a format; the rule applied and its clause as words.
 */
import { formatRatio, parseDecimal, ratio, yuanToFen } from '../model/money.ts';
import { toPoints } from '../model/points.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { POINT_VALUE_PLACES } from './settlement-rows.ts';
import { col, type Row, type Table } from './table.ts';

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

export function poolMonthsTable(s: PoolSettlement): Table {
  // The rule applied, in both languages (an enum-like column: the zh stays in the row, the reader's words are shown).
  const words = new Map<string, string>();
  const rows: Row[] = s.months.map((m) => {
    const first = m.steps[0];
    const values = Object.assign({}, ...m.steps.map((st) => st.values ?? {})) as Record<string, unknown>;
    const how = m.steps.map((st) => st.zh).join('；');
    words.set(how, m.steps.map((st) => st.en).join('; '));
    // A month without points sets no point value (its first step's result is —): blank, not 0.000000.
    const none = first?.result === '—';
    return {
      month: m.month,
      pointValue: none ? null : formatRatio(ratio(m.pointValue.num, m.pointValue.den * 100n), POINT_VALUE_PLACES),
      quota: m.quota,
      points: pointsOf(values.当月总点数),
      patientPaid: fenOf(values.患者负担),
      amounts: fenOf(values.当月定额金额),
      byItems: fenOf(values.特例单议按项目付费),
      // The monthly-quota rule's own point value (before a cap at the opening value, the cap step keeps it).
      fromQuota: pointValueOf(
        values.按总额测算的点值 ?? (values.月度预结算总额 !== undefined ? first?.result : undefined),
      ),
      opening: pointValueOf(values.年初点值),
      how,
      // The clauses cited as a basis cites them, in brackets: the policy's own words in either language.
      clause: clausesCited(m.steps.map((st) => st.clause)),
    } satisfies Row;
  });
  return {
    name: `${s.poolId}-month-point-values`,
    zh: '月度预结算点值',
    en: 'monthly point values',
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
      col('fromQuota', 'decimal', '按总额测算的点值（元/点）', 'point value from the quota (yuan/point)', {
        digits: POINT_VALUE_PLACES,
      }),
      col('opening', 'decimal', '年初点值（元/点）', 'opening point value (yuan/point)', {
        digits: POINT_VALUE_PLACES,
      }),
      col('how', 'text', '确定方法', 'how it was set', {
        label: (v, lang) => (lang === 'zh' ? v : (words.get(v) ?? v)),
      }),
      col('clause', 'text', '依据', 'clause'),
    ],
    rows,
  };
}

/** The distinct clauses of the steps in brackets (`[002 四(三) …]`), as every basis cites a clause; '' when none. */
function clausesCited(clauses: readonly (string | undefined)[]): string {
  const distinct = [...new Set(clauses.filter((c): c is string => !!c))];
  return distinct.map((c) => `[${c}]`).join(' ');
}
