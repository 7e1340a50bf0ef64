/**
 * Stages of a long stay (治疗阶段) and the bed-days that fall in each. Days are counted from admission: day 1 is
 * the first bed-day; a stay of `losDays` (实际住院天数) has bed-days 1..losDays. R-PAY-BEDDAY.
 *
 * 资府办函〔2018〕52号 二(八): "按照不同疾病发生、发展、转归的规律，治疗各阶段的费用特征及医疗机构的类别，制定差别化支付标准。"
 */

export interface Stage {
  fromDay: number;
  /** Inclusive; null = open end. */
  toDay: number | null;
}

/** Bed-days of a stay in each stage, in stage order; they add up to `losDays`. */
export function daysPerStage(losDays: number, stages: readonly Stage[]): number[] {
  if (!Number.isInteger(losDays) || losDays < 0)
    throw new RangeError(`length of stay must be a whole number ≥ 0, got ${losDays}`);
  return stages.map((s) => {
    const last = s.toDay === null ? losDays : Math.min(losDays, s.toDay);
    return Math.max(0, last - s.fromDay + 1);
  });
}

export function stageLabel(s: Stage): string {
  return s.toDay === null ? `>${s.fromDay - 1}` : `${s.fromDay}-${s.toDay}`;
}

/**
 * A stage as a reader says it: 第 1–60 天 / days 1–60, and an open last stage 第 181 天起 / day 181 on (its
 * explanation step read 第 >180 天).
 */
export function stageWords(s: Stage, lang: 'zh' | 'en'): string {
  if (s.toDay === null) return lang === 'zh' ? `第 ${s.fromDay} 天起` : `day ${s.fromDay} on`;
  return lang === 'zh' ? `第 ${s.fromDay}–${s.toDay} 天` : `days ${s.fromDay}–${s.toDay}`;
}
