/**
 * Result statuses of the grouper, with the reference's status words (OpenDRG enum keys) and their Chinese text.
 * The kernel stores a status as its index in `DRG_STATUSES`.
 */
/**
 * The statuses, in the order the kernel stores them (its index); the pack schema's enum is built from this list.
 * Kept free of zod so that the grouping workers, which import this file, load without the schema library.
 */
export const DRG_STATUSES = [
  'SUCCESS',
  'FAIL',
  'CHECK_FAILED',
  'QY',
  'ZD_NOT_MAPPING',
  'SS_NOT_MAPPING',
  'ZD_NOT_VALID',
  'SS_NOT_VALID',
  'ZD_NOT_MATCH_GENDER',
  'MAIN_ZD_NOT_MDC',
  'SS_ERROR',
  'NEWBORN_ERROR',
  'NO_DIAGNOSIS',
  'ZD_GRAY',
  'SS_GRAY',
] as const;

export type DrgStatus = (typeof DRG_STATUSES)[number];

export const STATUS_SUCCESS = 0;
export const STATUS_FAIL = 1;
export const STATUS_CHECK_FAILED = 2;
export const STATUS_QY = 3;
export const STATUS_ZD_NOT_MAPPING = 4;
export const STATUS_SS_NOT_MAPPING = 5;

/** Chinese and English text of each status. */
export const DRG_STATUS_TEXT: Readonly<Record<DrgStatus, { zh: string; en: string }>> = {
  SUCCESS: { zh: '分组成功', en: 'grouped' },
  FAIL: { zh: '无法入组', en: 'not groupable' },
  CHECK_FAILED: { zh: '信息校验不通过', en: 'input check failed' },
  QY: { zh: '歧义病例', en: 'ambiguous case (OR procedure unrelated to the principal diagnosis)' },
  ZD_NOT_MAPPING: { zh: '诊断编码无法映射', en: 'diagnosis code has no mapping' },
  SS_NOT_MAPPING: { zh: '手术编码无法映射', en: 'procedure code has no mapping' },
  ZD_NOT_VALID: { zh: '诊断编码无效', en: 'invalid diagnosis code' },
  SS_NOT_VALID: { zh: '手术编码无效', en: 'invalid procedure code' },
  ZD_NOT_MATCH_GENDER: { zh: '诊断与性别不符', en: 'diagnosis does not match sex' },
  MAIN_ZD_NOT_MDC: { zh: '主要诊断不属于任何 MDC', en: 'principal diagnosis is in no MDC' },
  SS_ERROR: { zh: '手术信息错误', en: 'procedure error' },
  NEWBORN_ERROR: { zh: '新生儿信息错误', en: 'newborn data error' },
  NO_DIAGNOSIS: { zh: '无诊断', en: 'no diagnosis' },
  ZD_GRAY: { zh: '主要诊断为灰码（不可用于分组的编码）', en: 'principal diagnosis is a gray (not-to-be-used) code' },
  SS_GRAY: { zh: '主要手术操作为灰码（不可用于分组的编码）', en: 'main procedure is a gray (not-to-be-used) code' },
};

/** Whether a string is one of the grouper's statuses (a trace or a stored row carries it as a plain string). */
export function isDrgStatus(s: string): s is DrgStatus {
  return Object.hasOwn(DRG_STATUS_TEXT, s);
}

/** A grouper status (SUCCESS, FAIL, QY, …) in words; undefined for a string that is no grouper status. */
export function drgStatusText(status: string, lang: 'zh' | 'en'): string | undefined {
  return isDrgStatus(status) ? DRG_STATUS_TEXT[status][lang] : undefined;
}

/** Labels of the two CHS-DRG input checks (both importers give them the same words). */
export const INPUT_CHECK_LABELS = {
  sexEmpty: '性别为空 / sex is empty',
  newbornWithoutWeight: '新生儿（0 岁且 ≤28 天）无出生体重 / newborn without birth weight',
} as const;

export function statusIndex(status: DrgStatus): number {
  return DRG_STATUSES.indexOf(status);
}
