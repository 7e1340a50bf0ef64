/**
 * Start-of-year advance (年初预付, R-BUD-5): 0–2 months of funds by institution level and credit.
 *
 * 000 §4: "可按协议约定向定点医疗机构预付 1 个月左右的医保资金" (months per level are policy).
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
): { advance: Fen; step: TraceStep } {
  const m = level ? months.value[level] : undefined;
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
  return {
    advance,
    step: {
      rule: 'R-BUD-5',
      clause: months.source,
      zh: '年初预付 = 上年度基金支付额 ÷ 12 × 预付月数（四舍五入到分）',
      en: 'start-of-year advance = last year’s fund payment ÷ 12 × months (half-up)',
      values: {
        本机构上年度基金支付: fenToYuan(lastYearFundPaid),
        医院等级: level ?? '',
        预付月数: formatRatioShort(m),
      },
      result: fenToYuan(advance),
    },
  };
}
