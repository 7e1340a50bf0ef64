/** Bilingual labels of codes that appear in API tables (glossary words), so an exported sheet reads as text. */
export type Lang = 'zh' | 'en';
type Labels = Readonly<Record<string, readonly [zh: string, en: string]>>;

export const LEVEL: Labels = {
  '3': ['三级', 'level 3'],
  '2': ['二级', 'level 2'],
  '1': ['一级', 'level 1'],
  primary: ['基层', 'primary care'],
};

export const INSTITUTION_TYPE: Labels = {
  general: ['综合', 'general'],
  tcm: ['中医', 'TCM'],
  psychiatric: ['精神专科', 'psychiatric'],
  rehabilitation: ['康复', 'rehabilitation'],
  primary: ['基层医疗机构', 'primary-care institution'],
  'maternal-child': ['妇幼', 'maternal and child'],
};

export const INSURANCE: Labels = {
  '310': ['职工医保', 'employee insurance'],
  '390': ['居民医保', 'resident insurance'],
};

export const SEX: Labels = { '1': ['男', 'male'], '2': ['女', 'female'], '9': ['未说明', 'unknown'] };

export const DISCHARGE_WAY: Labels = {
  '1': ['医嘱离院', 'discharged'],
  '2': ['医嘱转院', 'transferred'],
  '3': ['转社区/乡镇卫生院', 'to community care'],
  '4': ['非医嘱离院', 'left against advice'],
  '5': ['死亡', 'died'],
  '9': ['其他', 'other'],
};

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

export const METHOD: Labels = {
  dip: ['按病种分值付费（DIP）', 'DIP'],
  drg: ['按病组付费（DRG）', 'DRG'],
  'per-diem': ['按床日付费', 'per-bed-day payment'],
  'single-disease': ['按病种付费', 'single-disease payment'],
  capitation: ['按人头付费', 'capitation'],
  'family-doctor': ['家庭医生签约服务费', 'family-doctor fee'],
  ffs: ['按项目付费', 'fee-for-service'],
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
