/**
 * Chinese and English words for the enum values that reach a reader (glossary.md): a unit's status and the
 * year-end point-value rule. In zh output no English enum word appears. Pure.
 */
import type { UnitResult } from '../model/unit-result.ts';
import type { PointValueRule } from '../settlement/rules.ts';

const STATUS: Record<UnitResult['status'], [zh: string, en: string]> = {
  paid: ['正常病例', 'normal'],
  'low-cost': ['低倍率病例', 'low-cost'],
  'high-cost': ['高倍率病例', 'high-cost'],
  'special-review': ['特例单议', 'special review'],
  ungrouped: ['未入组', 'ungrouped'],
  excluded: ['其他方式', 'excluded'],
  fallback: ['转按项目', 'fallback'],
};

const RULE: Record<PointValueRule['kind'], [zh: string, en: string]> = {
  floating: ['浮动点值', 'floating'],
  fixed: ['固定点值', 'fixed'],
  elastic: ['弹性点值', 'elastic'],
};

/** A unit status in the reader's language; an unknown value is shown as it is. */
export function statusLabel(status: string, lang: 'zh' | 'en'): string {
  const l = STATUS[status as UnitResult['status']];
  return l ? l[lang === 'zh' ? 0 : 1] : status;
}

/** A point-value rule (`floating`, `fixed`, `elastic`) in the reader's language. */
export function pointValueRuleLabel(rule: string, lang: 'zh' | 'en'): string {
  const l = RULE[rule as PointValueRule['kind']];
  return l ? l[lang === 'zh' ? 0 : 1] : rule;
}
