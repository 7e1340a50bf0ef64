/**
 * Diagnosis codes that may not stand as the principal diagnosis (不能作为主要诊断的编码). Classification facts kept
 * as data, each with its source, like ./icd10-classification.ts: the ICD-10 instructions say these codes
 * are used only in addition to another code, so a settlement list with one of them first is sent back by QC.
 *
 * Ranges compare code prefixes with the dot removed ("V01"–"Y98" matches V01.000 … Y98.x00).
 */
import { normaliseCode } from './icd10-classification.ts';

export interface SecondaryOnlyRange {
  from: string;
  to: string;
  zh: string;
  en: string;
  source: string;
}

const WHO = 'WHO ICD-10 Volume 1 (2019)';

export const SECONDARY_ONLY_RANGES: readonly SecondaryOnlyRange[] = [
  {
    from: 'V01',
    to: 'Y98',
    zh: '损伤、中毒的外部原因（第二十章）',
    en: 'external causes of morbidity (chapter XX)',
    source: `${WHO} chapter XX note: used as a secondary code to a code from another chapter`,
  },
  {
    from: 'B95',
    to: 'B97',
    zh: '细菌、病毒和其他传染性病原体',
    en: 'bacterial, viral and other infectious agents',
    source: `${WHO} B95–B97 note: provided for use as supplementary or additional codes`,
  },
  {
    from: 'Z37',
    to: 'Z37',
    zh: '分娩的结局',
    en: 'outcome of delivery',
    source: `${WHO} Z37 note: an additional code on the mother's record`,
  },
  {
    from: 'U82',
    to: 'U85',
    zh: '对抗微生物药物和抗肿瘤药物的耐药性',
    en: 'resistance to antimicrobial and antineoplastic drugs',
    source: `${WHO} U82–U85 note: supplementary codes`,
  },
];

/** Why `code` may not be the principal diagnosis, or undefined when it may. Asterisk codes (*) never stand alone. */
export function notValidAsPrincipal(code: string): SecondaryOnlyRange | undefined {
  if (code.includes('*')) {
    return {
      from: code,
      to: code,
      zh: '星号编码（临床表现），须与剑号编码（病因）同用',
      en: 'an asterisk (manifestation) code, used only with its dagger (aetiology) code',
      source: `${WHO} 3.1.3 dagger and asterisk convention`,
    };
  }
  const c = normaliseCode(code);
  return SECONDARY_ONLY_RANGES.find((r) => c.slice(0, r.from.length) >= r.from && c.slice(0, r.to.length) <= r.to);
}
