/**
 * A traced grouping as a yibao `Explanation` (the one format every engine returns; see model/explain.ts).
 * Requirement R-PAY-DRG: MDC → ADRG → DRG with CC/MCC severity and the exclusion table.
 */
import type { Explanation, TraceStep } from '../../model/explain.ts';
import { languagePart } from '../../model/explain-labels.ts';
import type { DrgGroupResult } from './group-case.ts';
import { DRG_STATUS_TEXT } from './status.ts';

const RULE = 'R-PAY-DRG';

export function drgTraceToExplanation(subject: string, result: DrgGroupResult): Explanation {
  const trace = result.trace;
  const steps: TraceStep[] = [];
  if (!trace) {
    steps.push(resultStep(result));
    return { subject, steps };
  }
  const clause = `${trace.scheme} ${trace.version}`;
  for (const n of trace.codeNotes) {
    steps.push({
      rule: RULE,
      clause,
      zh: `${n.kind === 'diagnosis' ? '诊断' : '手术'}编码 ${n.code}（第 ${n.position} 个）不在方案编码表中，不参与任何规则`,
      en: `${n.kind} code ${n.code} (position ${n.position}) is unknown to the scheme and matches no rule`,
    });
  }
  const skipped: string[] = [];
  let enteredWithoutAdrg: string | null = null;
  for (const s of trace.steps) {
    if (enteredWithoutAdrg !== null && s.step === 'mdc') {
      steps.push({
        rule: RULE,
        clause,
        zh: `${enteredWithoutAdrg} 中没有满足规则的 ADRG，继续尝试后续 MDC`,
        en: `no ADRG of ${enteredWithoutAdrg} matched; trying the next MDCs`,
      });
      enteredWithoutAdrg = null;
    }
    switch (s.step) {
      case 'inputCheck':
        if (s.triggered) {
          // A scheme's check label is kept as "中文 / English" (the importers'): each language its own half.
          steps.push({
            rule: RULE,
            clause,
            zh: `信息校验不通过：${languagePart(s.label, 'zh')}`,
            en: `input check failed: ${languagePart(s.label, 'en')}`,
          });
        }
        break;
      case 'mdc':
        if (!s.entered) {
          skipped.push(s.mdc);
          break;
        }
        if (skipped.length > 0) steps.push(skippedStep(skipped.splice(0), clause));
        steps.push({ rule: RULE, clause, zh: `进入 ${s.mdc} ${s.name}`, en: `entered ${s.mdc} (${s.name})` });
        enteredWithoutAdrg = s.mdc;
        break;
      case 'ambiguity':
        if (s.hit) {
          enteredWithoutAdrg = null;
          steps.push({ rule: RULE, clause, zh: `${s.mdc} 歧义病例（QY）`, en: `${s.mdc}: ambiguous case (QY)` });
        }
        break;
      case 'adrg':
        if (s.matched) {
          enteredWithoutAdrg = null;
          steps.push({
            rule: RULE,
            clause,
            zh: `入 ADRG ${s.adrg} ${s.name}（${s.ruleLabel || '规则满足'}）`,
            en: `ADRG ${s.adrg} ${s.name} matched`,
            result: s.adrg,
          });
        }
        break;
      case 'secondary':
        steps.push({
          rule: RULE,
          clause,
          zh: `第 ${s.position} 诊断 ${s.code} ${s.name} 为 ${s.list}，排除表 ${s.table}${
            s.counted ? '，计入' : `，与主诊断排除表 ${s.principalTable} 相同，被排除`
          }`,
          en: `diagnosis ${s.position} ${s.code} is ${s.list} (table ${s.table}) ${
            s.counted ? 'and counts' : `but is excluded by the principal's table ${s.principalTable}`
          }`,
          values: { code: s.code, list: s.list, table: s.table, principalTable: s.principalTable },
          result: s.counted,
        });
        break;
      case 'drg':
        if (s.held) {
          steps.push({
            rule: RULE,
            clause,
            zh: `入组 ${s.drg} ${s.name}`,
            en: `DRG ${s.drg} ${s.name}`,
            result: s.drg,
          });
        }
        break;
    }
  }
  if (skipped.length > 0) steps.push(skippedStep(skipped, clause));
  steps.push(resultStep(result));
  return { subject, steps };
}

function skippedStep(mdcs: string[], clause: string): TraceStep {
  return {
    rule: RULE,
    clause,
    zh: `未进入或未在其中入组：${mdcs.join(', ')}`,
    en: `not entered, or no ADRG matched: ${mdcs.join(', ')}`,
  };
}

function resultStep(r: DrgGroupResult): TraceStep {
  const text = DRG_STATUS_TEXT[r.status];
  return {
    rule: RULE,
    zh: `结果：${text.zh}`,
    en: `result: ${text.en}`,
    values: { mdc: r.mdc, adrg: r.adrg, drg: r.drg, status: r.status },
    result: r.drg,
  };
}
