/** `yibao explain flag ID`: the rule, its logic and parameters, the subject, the evidence and the review (R-MON-4). */
import type { Explanation, TraceValue } from '../model/explain.ts';
import { fenToYuan, formatRatio } from '../model/money.ts';
import type { Review } from './assessment.ts';
import {
  AMOUNT_NOTE,
  conditionText,
  DECISION_LABEL,
  detectorLabel,
  evidenceLabel,
  evidenceValue,
  paramLabel,
  paramValueText,
  RESULT_LABEL,
  SEVERITY_LABEL,
  STAGE_LABEL,
  windowText,
} from './labels.ts';
import type { Flag, MonitorRule } from './types.ts';

/**
 * A rule's logic and parameters in the reader's words (walk2 #9: zh read `detector = split-admission`,
 * `windowDays = 15`, `exceptLists = chemotherapy`): the detector and each parameter by its label, a word value
 * (a pair relation, a diagnosis list) by its label; numbers, codes and list names of the region's own as written.
 */
function logicValues(rule: MonitorRule, lang: 'zh' | 'en'): Record<string, TraceValue> {
  const l = rule.logic;
  if ('where' in l) {
    return Object.fromEntries(
      l.where.map((w, i) => [
        lang === 'en' ? `condition ${i + 1}` : `条件 ${i + 1}`,
        conditionText(w.field, w.op, Array.isArray(w.value) ? w.value.join('、') : String(w.value), lang),
      ]),
    );
  }
  const out: Record<string, TraceValue> = {
    [lang === 'en' ? 'detector' : '检测方法']: detectorLabel(l.detector, lang),
  };
  const note = AMOUNT_NOTE[l.detector];
  if (note)
    out[lang === 'en' ? 'how the amount at issue is counted' : '涉及金额的计法'] = lang === 'en' ? note[1] : note[0];
  for (const [k, v] of Object.entries(l.params ?? {})) {
    out[paramLabel(k, lang)] =
      typeof v === 'object' && v !== null && 'num' in v && 'den' in v
        ? formatRatio(v as { num: bigint; den: bigint })
            .replace(/(\.\d*?)0+$/, '$1')
            .replace(/\.$/, '')
        : Array.isArray(v)
          ? v.map((x) => paramValueText(String(x), lang)).join(lang === 'en' ? ', ' : '、')
          : typeof v === 'string'
            ? paramValueText(v, lang)
            : (v as TraceValue);
  }
  return out;
}

export function explainFlag(
  flag: Flag,
  rule: MonitorRule | undefined,
  review: Review | undefined,
  lang: 'zh' | 'en',
): Explanation {
  const L = (p: [string, string]) => (lang === 'en' ? p[1] : p[0]);
  const steps: Explanation['steps'] = [];
  if (rule) {
    steps.push({
      rule: 'R-MON-2',
      clause: rule.clause,
      zh: `规则 ${rule.id} ${rule.name}：结果类型 ${L(RESULT_LABEL[rule.result])}，时间窗 ${windowText(rule.window, 'zh')}，环节 ${rule.stages.map((s) => STAGE_LABEL[s][0]).join('、')}`,
      en: `rule ${rule.id} ${rule.nameEn}: result ${L(RESULT_LABEL[rule.result])}, window ${windowText(rule.window, 'en')}, stages ${rule.stages.map((s) => STAGE_LABEL[s][1]).join(', ')}`,
      values: logicValues(rule, lang),
    });
  }
  steps.push({
    rule: 'R-MON-4',
    zh:
      flag.scope === 'case'
        ? `病例 ${flag.setlId}（机构 ${flag.institutionCode}，${flag.period}）`
        : `机构 ${flag.institutionCode}（${flag.period} 年度）`,
    en:
      flag.scope === 'case'
        ? `case ${flag.setlId} (institution ${flag.institutionCode}, ${flag.period})`
        : `institution ${flag.institutionCode} (year ${flag.period})`,
    values: Object.fromEntries(
      Object.entries(flag.evidence).map(([k, v]) => [evidenceLabel(k, lang), evidenceValue(k, v, lang)]),
    ),
    result: `${L(SEVERITY_LABEL[flag.severity])} · ${lang === 'en' ? 'amount at issue' : '涉及金额'} ${fenToYuan(flag.amount)}`,
  });
  const decision = review?.decision ?? 'open';
  steps.push({
    rule: 'R-MON-4',
    zh: `复核：${DECISION_LABEL[decision][0]}${review ? `（${review.reviewer}，${review.at.slice(0, 10)}：${review.reason}）` : ''}`,
    en: `review: ${DECISION_LABEL[decision][1]}${review ? ` (${review.reviewer}, ${review.at.slice(0, 10)}: ${review.reason})` : ''}`,
    ...(review?.decision === 'confirmed'
      ? { result: `${lang === 'en' ? 'audit deduction' : '审核扣款'} ${fenToYuan(review.amount ?? flag.amount)}` }
      : {}),
  });
  return { subject: `${lang === 'en' ? 'flag' : '疑点'} ${flag.flagId}`, steps };
}
