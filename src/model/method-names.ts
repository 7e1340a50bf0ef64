/**
 * The payment methods' and unit statuses' names in user-facing text, from ../shared/glossary.md (one word for one
 * thing): zh output never shows an enum value (`single-disease`, `high-cost`), en output never a Chinese label.
 */
import type { MethodId, UnitResult } from './unit-result.ts';

export const METHOD_ZH: Record<MethodId, string> = {
  dip: '按病种分值付费（DIP）',
  drg: '按疾病诊断相关分组付费（DRG）',
  'per-diem': '按床日付费',
  'single-disease': '按病种付费',
  capitation: '按人头付费',
  'family-doctor': '家庭医生签约服务费',
  ffs: '按项目付费',
};

export const METHOD_EN: Record<MethodId, string> = {
  dip: 'DIP',
  drg: 'DRG',
  'per-diem': 'per-bed-day payment',
  'single-disease': 'single-disease payment',
  capitation: 'capitation',
  'family-doctor': 'the family-doctor contract fee',
  ffs: 'fee-for-service',
};

export const STATUS_ZH: Record<UnitResult['status'], string> = {
  paid: '正常病例',
  'low-cost': '低倍率病例',
  'high-cost': '高倍率病例',
  'special-review': '特例单议',
  ungrouped: '未入组',
  excluded: '除外',
  fallback: '转按项目',
};

export const STATUS_EN: Record<UnitResult['status'], string> = {
  paid: 'normal case',
  'low-cost': 'low-cost case',
  'high-cost': 'high-cost case',
  'special-review': 'special review',
  // A case type in words, never the status value itself: "ungrouped" alone in a cell read as the identifier (and
  // xlsx_check takes it for one beside Chinese institution names); the glossary word + "case" as for the others.
  ungrouped: 'ungrouped case',
  excluded: 'excluded case',
  fallback: 'fallback case',
};
