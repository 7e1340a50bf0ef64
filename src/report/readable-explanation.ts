/**
 * An explanation as a reader sees it (glossary.md), for every face that shows one (the CLI's `explain`, the API's
 * case and estimate explanations, the workbench): enum values a trace carries (`comprehensive`, `dip`, a DRG
 * grouper status, a calibrated weight table) in the reader's words; the engines' values stay as they are in JSON
 * that asks for no language.
 */

import { drgStatusText } from '../grouping/drg/status.ts';
import { INSTITUTION_TYPE, wordOfCode } from '../model/code-words.ts';
import { type Explanation, renderExplanation, type TraceStep } from '../model/explain.ts';
import { valueLabel, valueText } from '../model/explain-labels.ts';
import { cellWords } from '../payment/capitation/risk.ts';
import {
  groupCodesIn,
  groupKindLabel,
  groupLabel,
  groupProceduresLabel,
  levelLabel,
  matchLabel,
  methodLabel,
  statusLabel,
} from './labels.ts';

const SETTLED_BY: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  items: ['按项目', 'by items'],
  points: ['按点数', 'by points'],
};

/** The DIP policy's `deviationStandard` (src/policy/kinds/dip.ts) in words; its source is the step's clause. */
const DEVIATION_STANDARD: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  'group-mean-cost': ['上一年度同级别病种次均费用', 'the previous year’s same-level group mean cost'],
  'payment-standard': ['同级别病种支付标准', 'the same-level payment standard'],
};

/**
 * Where a single disease's standard or a per-diem rate came from (`basis` of src/payment/single-disease/standards.ts
 * and src/payment/per-diem/rates.ts).
 */
const STANDARD_BASIS: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  policy: ['政策公布标准', 'published standard'],
  calibrated: ['按历史费用测算', 'calibrated from history'],
  'calibrated-level': ['按本级别历史费用测算', 'calibrated from this level’s history'],
  'calibrated-pooled': ['按全部级别历史费用测算', 'calibrated from all levels’ history'],
};

/** Enum values a trace carries (`comprehensive`, `dip`), in the reader's words; JSON keeps the values. */
export const ENUM_VALUE: Record<string, (v: string, lang: 'zh' | 'en') => string> = {
  匹配步骤: matchLabel,
  病种类型: groupKindLabel,
  病种手术操作: groupProceduresLabel,
  级别: levelLabel,
  医院等级: levelLabel,
  level: levelLabel,
  // DRG grouper status (SUCCESS, FAIL, QY, …); a unit status otherwise.
  status: (v, lang) => drgStatusText(v, lang) ?? statusLabel(v, lang),
  // A DRG weight table calibrated by the run (src/run/drg-pool.ts words it in English).
  weightTable: (v, lang) => {
    const m = /^calibrated from (\d+) history cases \((.*)\)$/s.exec(v);
    return m && lang === 'zh' ? `按 ${m[1]} 例历史病例测算（${m[2]}）` : v;
  },
  // A DIP core group by its codes (`K35.8 + 47.0100`, `J18.9（无手术操作）`), as the statements show it.
  病种: (v, lang) => groupLabel(v, lang),
  支付方式: methodLabel,
  状态: statusLabel,
  // A special-review decision's basis (src/payment/dip/explain.ts): by items or by points.
  结算方式: (v, lang) => SETTLED_BY[v]?.[lang === 'zh' ? 0 : 1] ?? v,
  偏差判定标准: (v, lang) => DEVIATION_STANDARD[v]?.[lang === 'zh' ? 0 : 1] ?? v,
  // A capitation head's risk cell (`age<65/no-class1`): its age band and class-1 disease in words. The trace keys it
  // `cell` (风险分组 is its label, and the value read age65+/no-class1 in zh); `readableExplanation` words it with the
  // policy's age threshold (`riskCellWords`).
  风险分组: cellWords,
  cell: cellWords,
  // A single disease's standard or a per-diem rate: published by the policy or calibrated from history.
  basis: (v, lang) => STANDARD_BASIS[v]?.[lang === 'zh' ? 0 : 1] ?? v,
  // A per-bed-day stage's daily rate: the policy's table or calibrated from past stays (the trace keeps the value).
  rateBasis: (v, lang) => STANDARD_BASIS[v]?.[lang === 'zh' ? 0 : 1] ?? v,
  // A per-bed-day institution type (general, psychiatric, …): a stay with no daily rate for its type showed
  // 机构类型 = general.
  institutionType: (v, lang) => wordOfCode(INSTITUTION_TYPE, v, lang),
};

/**
 * A capitation head's risk cell in words with the policy's age threshold (R-CAP-2, riskAgeThreshold): the cell's
 * name says `age65+` / `age<65` whatever the threshold (src/payment/capitation/risk.ts `cellName`), and
 * `cellWords` says 65; the threshold is the step's riskAgeThreshold value, else the one its risk model states
 * (`风险格（年龄 ≥ 70 × 一类门特）`). A step that states none is worded by `cellWords`.
 */
export function riskCellWords(name: string, step: Pick<TraceStep, 'zh' | 'values'>, lang: 'zh' | 'en'): string {
  // The step's own value when it keeps one (riskAgeThreshold), else the threshold its risk model's words state.
  const kept = step.values?.riskAgeThreshold;
  const threshold = typeof kept === 'number' ? String(kept) : /年龄 ≥ (\d+)/.exec(step.zh)?.[1];
  const [age, klass] = name.split('/');
  const old = age === 'age65+' ? true : age === 'age<65' ? false : undefined;
  const one = klass === 'class1' ? true : klass === 'no-class1' ? false : undefined;
  if (threshold === undefined || old === undefined || one === undefined) return cellWords(name, lang);
  if (lang === 'zh') return `${threshold} 岁${old ? '及以上' : '以下'}、${one ? '有' : '无'}一类门特`;
  return `${old ? `${threshold} and over` : `under ${threshold}`}, ${one ? 'with' : 'without'} a class-1 disease`;
}

/**
 * A per-bed-day step's text as a run stored it with its trace before the words went into the trace: `机构类型 general`,
 * `第 >180 天`, `Per-diem category REH at an institution of type general`, `Days 1-60` — in the reader's words, as
 * the step reads when the case is explained again from the snapshot.
 */
function perDiemStepText(st: TraceStep): Pick<TraceStep, 'zh' | 'en'> {
  if (st.rule !== 'R-PAY-BEDDAY') return { zh: st.zh, en: st.en };
  const zh = st.zh
    .replace(/机构类型 ([a-z]+)/, (_, t: string) => `机构类型 ${wordOfCode(INSTITUTION_TYPE, t, 'zh')}`)
    .replace(/^第 >(\d+) 天/, (_, n: string) => `第 ${Number(n) + 1} 天起`)
    .replace(/^第 (\d+)-(\d+) 天/, '第 $1–$2 天');
  const en = st.en
    .replace(
      /^Per-diem category (\S+) at an institution of type ([a-z]+)/,
      (_, c: string, t: string) =>
        `Per-bed-day category ${c}, institution type ${wordOfCode(INSTITUTION_TYPE, t, 'en')}`,
    )
    .replace(/^Days >(\d+):/, (_, n: string) => `Day ${Number(n) + 1} on:`)
    .replace(/^Days (\d+)-(\d+):/, 'Days $1–$2:');
  return { zh, en };
}

/**
 * An explanation printed as every CLI command prints one (`explain case`, `explain settlement`, `dip settle --explain`,
 * `community settle --explain`, `drg case`): the readable layer, then the numbered steps.
 */
export function readableExplanationText(e: Explanation, lang: 'zh' | 'en'): string {
  return renderExplanation(readableExplanation(e, lang), lang);
}

/** A DIP core group's code, the whole text: diagnosis | procedures joined by + (`K35.8|47.0100+54.5100`, `J18.9|`). */
const CORE_GROUP = /^[A-Z][0-9A-Z.]*\|[0-9A-Za-z.+]*$/;

/**
 * An explanation as a reader sees it (glossary.md): DIP comprehensive-group codes `C34#conservative` as
 * `C34 综合病种（保守治疗）` and core groups `K35.8|47.0100` as `K35.8 + 47.0100`, match steps, levels, methods and
 * statuses in words, the subject's method named. Codes of DRGs and institutions stay as they are.
 */
export function readableExplanation<E extends Explanation>(e: E, lang: 'zh' | 'en'): E {
  // A two-language reason is cut to the reader's language before its group codes are put in words: afterwards
  // its English half would carry Chinese words and could no longer be told apart (`… / no core group … I63 综合病种`).
  // A result that is a DIP core group's code (`K35.8|47.0100`) reads as the statements label it.
  // Units inside a value or result in the reader's words as the CLI prints them (`15.944937 元/点` → `15.944937
  // yuan/point`: the API's en statement showed 元/点 on every point-value step, walk4 #13).
  const text = (v: string) => (CORE_GROUP.test(v) ? groupLabel(v, lang) : groupCodesIn(valueText(v, lang), lang));
  return {
    ...e,
    subject: readableSubject(text(e.subject), lang, e.pointFree === true),
    steps: e.steps.map((st) => ({
      ...st,
      ...perDiemStepText(st),
      ...(st.values
        ? {
            values: Object.fromEntries(
              Object.entries(st.values).map(([k, v]) => [
                k,
                typeof v !== 'string'
                  ? v
                  : k === 'cell'
                    ? riskCellWords(v, st, lang)
                    : ENUM_VALUE[k]
                      ? ENUM_VALUE[k](v, lang)
                      : text(v),
              ]),
            ),
          }
        : {}),
      ...(typeof st.result === 'string' ? { result: text(st.result) } : {}),
    })),
  };
}

/**
 * The subject's parenthesis in words: a case's `(dip, RUN)` as （按病种分值付费（DIP），结算运行 RUN） / (DIP, settlement
 * run RUN) — the run id had no label — and an institution's `(POOL)` as （点数池 POOL） / (point pool POOL), zh in
 * full-width punctuation. A pool that pays no points (a fixed 费率, R-PAY-DRG) is （结算池 POOL） / (settlement pool POOL).
 */
function readableSubject(subject: string, lang: 'zh' | 'en', pointFree = false): string {
  const zh = lang === 'zh';
  const unit = /^(.*) \((dip|drg|per-diem|single-disease|capitation|family-doctor|ffs), ([^()]+)\)$/.exec(subject);
  if (unit) {
    const [, head, method, run] = unit;
    const m = methodLabel(method!, lang);
    return zh ? `${head}（${m}，结算运行 ${run}）` : `${head} (${m}, settlement run ${run})`;
  }
  const pool = /^(settlement \S+ \S+) \(([^()]+)\)$/.exec(subject);
  if (pool) {
    const [zhPool, enPool] = pointFree ? ['结算池', 'settlement pool'] : ['点数池', 'point pool'];
    return zh ? `${pool[1]}（${zhPool} ${pool[2]}）` : `${pool[1]} (${enPool} ${pool[2]})`;
  }
  return subject;
}

/**
 * For a face that shows the values itself (the API for the workbench): the explanation made readable, and each step's
 * value keys in the reader's words beside them (`weightTable` → 权重表), so no identifier reaches zh text.
 */
export function labelledExplanation<E extends Explanation>(
  e: E,
  lang: 'zh' | 'en',
): E & { steps: (TraceStep & { valueLabels?: Record<string, string> })[] } {
  const r = readableExplanation(e, lang);
  return {
    ...r,
    steps: r.steps.map((st) =>
      st.values
        ? { ...st, valueLabels: Object.fromEntries(Object.keys(st.values).map((k) => [k, valueLabel(k, lang)])) }
        : st,
    ),
  };
}
