/**
 * Explanations: every engine returns a trace of steps with their inputs, the parameter values used and the
 * clause they come from, so that any number can be traced (`yibao explain …`). One format for all engines.
 */

/** A value shown in an explanation: text, a number, or a flag. Money is shown as yuan text. */
export type TraceValue = string | number | boolean | null;

export interface TraceStep {
  /** Requirement id from domain.md, e.g. "R-DIP-3". */
  rule: string;
  /** Clause of the policy document or specification, e.g. "002 四(三)2" or a policy file's `source`. */
  clause?: string;
  /** Short description in Chinese (the default for users) and English. */
  zh: string;
  en: string;
  /** Inputs and parameter values used by this step. */
  values?: Record<string, TraceValue>;
  /** The step's result. */
  result?: TraceValue;
}

/**
 * A step's clause from the policy values it applies (their `source`s), each cited once: two values taken from the
 * same clause (a community's advanceMonths and advanceBasis, both 二(四)) name it once, not twice.
 */
export function clauseOf(...sources: string[]): string {
  return [...new Set(sources)].join('; ');
}

export interface Explanation {
  /** What is explained, e.g. "case 2025000123" or "settlement H001 2025". */
  subject: string;
  steps: TraceStep[];
  /**
   * An institution's settlement in a pool that pays no points (a DRG pool at a fixed 费率, R-PAY-DRG, or any pool
   * whose year has no points): its heading names a 结算池 / settlement pool, not a 点数池 / point pool.
   */
  pointFree?: boolean;
}

import { valueLabel, valueText } from './explain-labels.ts';

/**
 * A value as the reader reads it: text in their language, an absent value as a dash, a flag as 是/否 (yes/no) — a
 * capitation head's step printed 一类门特 = false in zh.
 */
function shown(v: TraceValue, lang: 'zh' | 'en'): string {
  if (typeof v === 'string') return valueText(v, lang);
  if (v === null) return '—';
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  return String(v);
}

export function renderExplanation(e: Explanation, lang: 'zh' | 'en' = 'zh'): string {
  // The subject's leading word is English ("settlement H001 2025"); zh output names it in Chinese.
  const lines = [lang === 'zh' ? e.subject.replace(/^settlement /, '机构结算 ').replace(/^case /, '病例 ') : e.subject];
  e.steps.forEach((s, i) => {
    const head = `${i + 1}. [${s.rule}${s.clause ? ` · ${s.clause}` : ''}] ${lang === 'zh' ? s.zh : s.en}`;
    lines.push(head);
    // A value that is absent (no DRG for an ungrouped case) reads as a dash, not "null".
    for (const [k, v] of Object.entries(s.values ?? {})) lines.push(`     ${valueLabel(k, lang)} = ${shown(v, lang)}`);
    if (s.result !== undefined) lines.push(`     → ${shown(s.result, lang)}`);
  });
  return lines.join('\n');
}
