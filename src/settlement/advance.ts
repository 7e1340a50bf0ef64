/**
 * Start-of-year advance (年初预付, R-BUD-5): 0–2 months of funds by institution level and credit.
 *
 * 000 §4: "各级医保经办机构视医院级别及信誉情况，年初向定点医疗机构预付 0-2 个月医保资金，年底办理决算" — the months
 * by level are the policy's `advanceMonths`; an institution whose credit the agency judges otherwise has its own
 * number (`advanceMonths.byInstitution`), within the same 0–2 months. 年底办理决算: the advance is recovered at the
 * year end — the clearing payment is the year-end amount less what the months paid and less the advance.
 * advance = last year's fund payment to the institution ÷ 12 × months, rounded half-up to the fen.
 */
import type { TraceStep } from '../model/explain.ts';
import type { InstitutionLevel } from '../model/institution.ts';
import { divRound, type Fen, fenToYuan, type Ratio } from '../model/money.ts';
import type { Cited } from '../policy/values.ts';
import { formatRatioShort } from './point-value.ts';

export function startOfYearAdvance(
  lastYearFundPaid: Fen,
  level: InstitutionLevel | undefined,
  months: Cited<Partial<Record<InstitutionLevel, Ratio>>>,
  /** Months the agency set for this institution by its credit (信誉), in place of its level's. */
  byCredit?: Ratio,
): { advance: Fen; step: TraceStep } {
  const byLevel = level ? months.value[level] : undefined;
  const m = byCredit ?? byLevel;
  if (!m) {
    return {
      advance: 0,
      step: {
        rule: 'R-BUD-5',
        clause: months.source,
        zh: `年初预付：该级别（${level ?? '未知'}）无预付规定，预付 0`,
        en: `start-of-year advance: no rule for level ${level ?? 'unknown'}, advance 0`,
        result: '0.00',
      },
    };
  }
  const advance = Number(divRound(BigInt(lastYearFundPaid) * m.num, m.den * 12n, 'half-up'));
  const credit = byCredit !== undefined;
  return {
    advance,
    step: {
      rule: 'R-BUD-5',
      clause: months.source,
      zh: credit
        ? '年初预付 = 上年度基金支付额 ÷ 12 × 预付月数（按本机构信誉约定，不按级别），四舍五入到分；年底清算时扣回'
        : '年初预付 = 上年度基金支付额 ÷ 12 × 预付月数（按医院级别），四舍五入到分；年底清算时扣回',
      en: credit
        ? 'start-of-year advance = last year’s fund payment ÷ 12 × the months set for this institution by its credit, not its level (half-up); recovered at the year end'
        : 'start-of-year advance = last year’s fund payment ÷ 12 × months by level (half-up); recovered at the year end',
      values: {
        本机构上年度基金支付: fenToYuan(lastYearFundPaid),
        医院等级: level ?? '',
        ...(credit
          ? { 按级别预付月数: byLevel ? formatRatioShort(byLevel) : '—', 按信誉预付月数: formatRatioShort(m) }
          : {}),
        预付月数: formatRatioShort(m),
      },
      result: fenToYuan(advance),
    },
  };
}
