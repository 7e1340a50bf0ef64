/**
 * Facts of the ICD-10 classification used by settlement-list QC (R-DATA-1: 性别与诊断不符、年龄与诊断不符):
 * diagnosis ranges that belong to one sex or to an age span. Kept as data — the QC turns this table into SQL,
 * and `sexConflict` / `ageConflict` check a single case (R-MON-3: rules that run at discharge as well).
 *
 * Sources
 * - Sex: the block and category titles of ICD-10 (WHO ICD-10 Tabular List, 2019 edition; national edition
 *   GB/T 14396-2016《疾病分类与代码》, on which ICD-10 医保版 is built). A block is listed when its title
 *   names the sex's organs or states (e.g. N40–N51 "Diseases of male genital organs / 男性生殖器官疾病").
 * - Age: chapter XV (O00–O99, pregnancy, childbirth and the puerperium) limited to ages 10–55, and chapter XVI
 *   (P00–P96, certain conditions originating in the perinatal period) limited to patients under one year, as
 *   settlement-list QC rules commonly apply them (年龄与诊断不符). These bounds are QC conventions, not part of
 *   the classification (WHO lets chapter XVI be used later in life when the condition began perinatally), so
 *   each entry names its source and a region may replace the table.
 *
 * Ranges compare code prefixes with the dot removed: "D07.0"–"D07.3" matches D07.0xx … D07.3xx.
 */
import type { Sex } from '../model/case.ts';

export interface SexSpecificRange {
  from: string;
  to: string;
  /** The only sex the range may be coded for: 1 male, 2 female. */
  sex: '1' | '2';
  zh: string;
  en: string;
  source: string;
}

export interface AgeSpecificRange {
  from: string;
  to: string;
  /** Inclusive bounds in completed years (年龄). maxAgeYears 0 = under one year. */
  minAgeYears?: number;
  maxAgeYears?: number;
  zh: string;
  en: string;
  source: string;
}

const WHO = 'WHO ICD-10 Tabular List (2019), block/category title; GB/T 14396-2016';
const f = (from: string, to: string, zh: string, en: string): SexSpecificRange => ({
  from,
  to,
  sex: '2',
  zh,
  en,
  source: WHO,
});
const m = (from: string, to: string, zh: string, en: string): SexSpecificRange => ({
  from,
  to,
  sex: '1',
  zh,
  en,
  source: WHO,
});

export const SEX_SPECIFIC_RANGES: readonly SexSpecificRange[] = [
  f('C51', 'C58', '女性生殖器官恶性肿瘤', 'Malignant neoplasms of female genital organs'),
  m('C60', 'C63', '男性生殖器官恶性肿瘤', 'Malignant neoplasms of male genital organs'),
  f('D06', 'D06', '子宫颈原位癌', 'Carcinoma in situ of cervix uteri'),
  f('D07.0', 'D07.3', '女性生殖器官原位癌', 'Carcinoma in situ of female genital organs'),
  m('D07.4', 'D07.6', '男性生殖器官原位癌', 'Carcinoma in situ of male genital organs'),
  f('D25', 'D28', '女性生殖器官良性肿瘤', 'Benign neoplasms of female genital organs'),
  m('D29', 'D29', '男性生殖器官良性肿瘤', 'Benign neoplasm of male genital organs'),
  f('D39', 'D39', '女性生殖器官动态未定肿瘤', 'Neoplasm of uncertain behaviour of female genital organs'),
  m('D40', 'D40', '男性生殖器官动态未定肿瘤', 'Neoplasm of uncertain behaviour of male genital organs'),
  f('E28', 'E28', '卵巢功能障碍', 'Ovarian dysfunction'),
  m('E29', 'E29', '睾丸功能障碍', 'Testicular dysfunction'),
  m('N40', 'N51', '男性生殖器官疾病', 'Diseases of male genital organs'),
  f('N70', 'N77', '女性盆腔器官炎性疾病', 'Inflammatory diseases of female pelvic organs'),
  f('N80', 'N98', '女性生殖道非炎性疾患', 'Noninflammatory disorders of female genital tract'),
  f('O00', 'O99', '妊娠、分娩和产褥期', 'Pregnancy, childbirth and the puerperium'),
  f('Q50', 'Q52', '女性生殖器官先天性畸形', 'Congenital malformations of female genital organs'),
  m('Q53', 'Q55', '男性生殖器官先天性畸形', 'Congenital malformations of male genital organs'),
  m('R86', 'R86', '男性生殖器官标本异常所见', 'Abnormal findings in specimens from male genital organs'),
  f('R87', 'R87', '女性生殖器官标本异常所见', 'Abnormal findings in specimens from female genital organs'),
];

export const AGE_SPECIFIC_RANGES: readonly AgeSpecificRange[] = [
  {
    from: 'P00',
    to: 'P96',
    maxAgeYears: 0,
    zh: '起源于围生期的某些情况（限 1 岁以下）',
    en: 'Certain conditions originating in the perinatal period (under one year only)',
    source: 'ICD-10 chapter XVI P00–P96; settlement-list QC convention 年龄与诊断不符 (age < 1 year)',
  },
  {
    from: 'O00',
    to: 'O99',
    minAgeYears: 10,
    maxAgeYears: 55,
    zh: '妊娠、分娩和产褥期（限 10–55 岁）',
    en: 'Pregnancy, childbirth and the puerperium (ages 10–55)',
    source: 'ICD-10 chapter XV O00–O99; settlement-list QC convention 年龄与诊断不符 (ages 10–55)',
  },
];

/** "d07.41" → "D0741": the form ranges are compared in. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replaceAll('.', '');
}

function inRange(code: string, from: string, to: string): boolean {
  const c = normaliseCode(code);
  const lo = normaliseCode(from);
  const hi = normaliseCode(to);
  return c.slice(0, lo.length) >= lo && c.slice(0, hi.length) <= hi;
}

/** The sex-specific range a diagnosis conflicts with for this sex, if any (unknown sex 9 never conflicts). */
export function sexConflict(code: string, sex: Sex): SexSpecificRange | undefined {
  if (sex !== '1' && sex !== '2') return undefined;
  return SEX_SPECIFIC_RANGES.find((r) => r.sex !== sex && inRange(code, r.from, r.to));
}

/** The age-specific range a diagnosis conflicts with at this age in completed years, if any. */
export function ageConflict(code: string, ageYears: number): AgeSpecificRange | undefined {
  return AGE_SPECIFIC_RANGES.find(
    (r) =>
      inRange(code, r.from, r.to) &&
      ((r.minAgeYears !== undefined && ageYears < r.minAgeYears) ||
        (r.maxAgeYears !== undefined && ageYears > r.maxAgeYears)),
  );
}
