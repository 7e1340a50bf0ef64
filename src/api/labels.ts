/** Bilingual labels of codes that appear in API tables (glossary words), so an exported sheet reads as text. */
import {
  type CodeSet,
  DISCHARGE_WAY as DISCHARGE_WAY_WORDS,
  HOSPITAL_LEVEL,
  INSTITUTION_TYPE as INSTITUTION_TYPE_WORDS,
  INSURANCE_TYPE,
  SEX as SEX_WORDS,
} from '../model/code-words.ts';
import { METHOD_ZH } from '../model/method-names.ts';

export type Lang = 'zh' | 'en';
type Labels = Readonly<Record<string, readonly [zh: string, en: string]>>;

// The enumerated fields of the master data and the settlement list share their words with ingest (one word for one
// thing): src/model/code-words.ts.
const fromSet = (set: CodeSet): Labels => Object.fromEntries(set.map((w) => [w.code, [w.zh, w.en] as const]));

export const LEVEL: Labels = fromSet(HOSPITAL_LEVEL);
export const INSTITUTION_TYPE: Labels = fromSet(INSTITUTION_TYPE_WORDS);
export const INSURANCE: Labels = fromSet(INSURANCE_TYPE);
export const SEX: Labels = fromSet(SEX_WORDS);
export const DISCHARGE_WAY: Labels = fromSet(DISCHARGE_WAY_WORDS);

export const ROLE: Labels = {
  agency: ['医保经办机构', 'insurance agency'],
  institution: ['定点医疗机构', 'designated institution'],
  community: ['医共体牵头医院', 'lead hospital'],
};

/** The label of `code` in `labels`, or the code itself when the list has none. */
export function label(labels: Labels, code: string | null | undefined, lang: Lang = 'zh'): string {
  if (code === null || code === undefined) return '';
  const l = labels[code];
  return l ? l[lang === 'en' ? 1 : 0] : code;
}

/** The methods' names as the statements and the CLI give them (one word for one thing: src/model/method-names.ts). */
export const METHOD: Labels = {
  dip: [METHOD_ZH.dip, 'DIP'],
  drg: [METHOD_ZH.drg, 'DRG'],
  'per-diem': [METHOD_ZH['per-diem'], 'per-bed-day payment'],
  'single-disease': [METHOD_ZH['single-disease'], 'single-disease payment'],
  capitation: [METHOD_ZH.capitation, 'capitation'],
  'family-doctor': [METHOD_ZH['family-doctor'], 'family-doctor fee'],
  ffs: [METHOD_ZH.ffs, 'fee-for-service'],
};

export const UNIT_STATUS: Labels = {
  paid: ['正常病例', 'normal case'],
  'low-cost': ['低倍率病例', 'low-cost case'],
  'high-cost': ['高倍率病例', 'high-cost case'],
  'special-review': ['特例单议', 'special review'],
  ungrouped: ['未入组', 'ungrouped'],
  excluded: ['除外', 'excluded'],
  fallback: ['转按项目', 'fallback'],
};
