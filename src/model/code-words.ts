/**
 * Enumerated input fields (代码取值) with their words in Chinese and English (../shared/glossary.md): the code
 * stored, the word shown for it, and the other words a person types for it in a file (综合医院 for `general`,
 * 三级甲等 for level 3, 男 for 1). Ingest accepts any of them and stores the code; messages list the words of the
 * language asked for, so zh text never shows an English code such as `general`.
 */

import { DISCHARGE_WAY_DEATH } from './case.ts';

export interface CodeWord {
  /** The code stored (4101 interface value or our enum). */
  code: string;
  /** The word shown in zh and en text. */
  zh: string;
  en: string;
  /**
   * A shorter word for where the context already names the insurance (a table's 险种 column, a compact line): 职工
   * for 职工医保. Taken as this code on input too.
   */
  short?: { zh: string; en: string };
  /** Other words taken as this code on input (compared trimmed, case-insensitive). */
  also?: readonly string[];
}

export type CodeSet = readonly CodeWord[];

/** 医院等级 hosp_lv. A grade (甲等/乙等) is not part of the level: 三级甲等 is level 3. */
export const HOSPITAL_LEVEL: CodeSet = [
  {
    code: '3',
    zh: '三级',
    en: 'level 3',
    also: ['三级医院', '三级甲等', '三级乙等', '三级丙等', '三甲', '三乙', '三级特等'],
  },
  { code: '2', zh: '二级', en: 'level 2', also: ['二级医院', '二级甲等', '二级乙等', '二级丙等', '二甲', '二乙'] },
  { code: '1', zh: '一级', en: 'level 1', also: ['一级医院', '一级甲等', '一级乙等', '一级丙等'] },
  { code: 'primary', zh: '基层', en: 'primary care', also: ['基层医疗机构', 'primary-care institution'] },
];

/** 机构类型 inst_type. */
export const INSTITUTION_TYPE: CodeSet = [
  { code: 'general', zh: '综合医院', en: 'general hospital', also: ['综合', 'general'] },
  { code: 'tcm', zh: '中医医院', en: 'TCM hospital', also: ['中医', '中医院', 'TCM'] },
  {
    code: 'psychiatric',
    zh: '精神专科医院',
    en: 'psychiatric hospital',
    also: ['精神专科', '精神病医院', '精神病专科医院', 'psychiatric'],
  },
  { code: 'rehabilitation', zh: '康复医院', en: 'rehabilitation hospital', also: ['康复', 'rehabilitation'] },
  {
    code: 'primary',
    zh: '基层医疗机构',
    en: 'primary-care institution',
    also: ['基层', '社区卫生服务中心', '乡镇卫生院', 'primary care'],
  },
  {
    code: 'maternal-child',
    zh: '妇幼保健院',
    en: 'maternal and child health hospital',
    also: ['妇幼', '妇幼保健机构', '妇幼保健计划生育服务中心', 'maternal and child'],
  },
];

/** 险种类型 insutype (4101: 310 职工基本医疗保险, 390 城乡居民基本医疗保险). */
export const INSURANCE_TYPE: CodeSet = [
  {
    code: '310',
    zh: '职工医保',
    en: 'employee insurance',
    short: { zh: '职工', en: 'employee' },
    also: ['职工基本医疗保险', '城镇职工基本医疗保险', '职工医疗保险'],
  },
  {
    code: '390',
    zh: '居民医保',
    en: 'resident insurance',
    short: { zh: '居民', en: 'resident' },
    also: ['城乡居民基本医疗保险', '城乡居民医保', '居民基本医疗保险', '居民医疗保险'],
  },
];

/** The INSURANCE_TYPE entry of the model's fund (险种): employee = 310, resident = 390. */
const insuranceTypeOf = (t: 'employee' | 'resident'): CodeWord =>
  INSURANCE_TYPE.find((x) => x.code === (t === 'employee' ? '310' : '390'))!;

/** The model's fund (险种) in words, from INSURANCE_TYPE (glossary: 职工医保 / 居民医保). */
export function insuranceTypeWord(t: 'employee' | 'resident', lang: 'zh' | 'en'): string {
  return insuranceTypeOf(t)[lang];
}

/** The fund's short word (职工 / 居民; en employee / resident), for a 险种 column or a line that names the insurance. */
export function insuranceTypeShortWord(t: 'employee' | 'resident', lang: 'zh' | 'en'): string {
  return insuranceTypeOf(t).short![lang];
}

/** 性别 gend (GB/T 2261.1: 1 男, 2 女, 9 未说明的性别). */
export const SEX: CodeSet = [
  { code: '1', zh: '男', en: 'male', also: ['男性'] },
  { code: '2', zh: '女', en: 'female', also: ['女性'] },
  { code: '9', zh: '未说明', en: 'unknown', also: ['未说明的性别'] },
];

/** 离院方式 dscg_way (4101: 1 医嘱离院, 2 医嘱转院, 3 医嘱转社区卫生服务机构/乡村卫生院, 4 非医嘱离院, 5 死亡, 9 其他). */
export const DISCHARGE_WAY: CodeSet = [
  { code: '1', zh: '医嘱离院', en: 'discharged' },
  { code: '2', zh: '医嘱转院', en: 'transferred', also: ['转院'] },
  {
    code: '3',
    zh: '转社区/乡镇卫生院',
    en: 'to community care',
    also: ['转社区', '医嘱转社区卫生服务机构/乡镇卫生院', '医嘱转社区卫生服务机构/乡村卫生院', '医嘱转社区'],
  },
  { code: '4', zh: '非医嘱离院', en: 'left against advice', also: ['非医嘱'] },
  { code: DISCHARGE_WAY_DEATH, zh: '死亡', en: 'died', also: ['death'] },
  { code: '9', zh: '其他', en: 'other' },
];

/** 收费项目等级 chrgitm_lv (01 甲类, 02 乙类, 03 丙类). */
export const CATALOG_CLASS: CodeSet = [
  { code: '01', zh: '甲类', en: 'class A', also: ['甲', 'A'] },
  { code: '02', zh: '乙类', en: 'class B', also: ['乙', 'B'] },
  { code: '03', zh: '丙类', en: 'class C', also: ['丙', 'C'] },
];

/** The word of a code in the language asked for (精神专科医院 / psychiatric hospital for `psychiatric`); an unknown code as it is. */
export function wordOfCode(set: CodeSet, code: string, lang: 'zh' | 'en'): string {
  const w = set.find((x) => x.code === code);
  return w ? w[lang] : code;
}

/** The codes of a set, in order. */
export function codesOf(set: CodeSet): string[] {
  return set.map((w) => w.code);
}

/**
 * Every word taken as a code of the set on input, lower-cased, → its code: the code itself, its zh and en words and
 * the others. Two codes sharing a word is a mistake in the set and throws.
 */
export function inputWords(set: CodeSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of set) {
    for (const word of [w.code, w.zh, w.en, ...(w.short ? [w.short.zh, w.short.en] : []), ...(w.also ?? [])]) {
      const key = word.trim().toLowerCase();
      const seen = out.get(key);
      if (seen !== undefined && seen !== w.code)
        throw new Error(`code word "${word}" names both ${seen} and ${w.code}`);
      out.set(key, w.code);
    }
  }
  return out;
}

/** The code a typed word stands for, or undefined (trimmed, case-insensitive). */
export function codeOfWord(set: CodeSet, word: string): string | undefined {
  return inputWords(set).get(word.trim().toLowerCase());
}

/**
 * The allowed values as a person reads them: zh `三级（3）/二级（2）/…/基层`, `综合医院/中医医院/…` (a numeric code
 * beside its word, never an English code); en `3 (level 3)/…/general (general hospital)`.
 */
export function allowedText(set: CodeSet, lang: 'zh' | 'en'): string {
  return set
    .map((w) => {
      if (lang === 'en') return w.en === w.code ? w.code : `${w.code} (${w.en})`;
      return /^[0-9]+$/.test(w.code) ? `${w.zh}（${w.code}）` : w.zh;
    })
    .join('/');
}
