/**
 * Settlement-list quality-control settings (结算清单质控, R-DATA-1) that a region may tune. The
 * classification facts (which diagnoses are sex- or age-specific) are code data in src/codes, not policy.
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, zPositiveInt } from '../values.ts';

const values = z
  .object({
    /** Longest plausible stay; longer is an error (a date or LOS typo). */
    maxLosDays: param(zPositiveInt),
    /** Oldest plausible age in years. */
    maxAgeYears: param(zPositiveInt),
    /** Plausible newborn birth/admission weight range in grams (新生儿出生体重). */
    newbornWeightG: param(z.object({ min: zPositiveInt, max: zPositiveInt }).strict()),
    /** Tolerance in days between act_ipt_days and the admission/discharge dates. */
    losToleranceDays: param(z.number().int().nonnegative()),
    /**
     * Tolerance in years between the age (年龄, 实足年龄) and the complete years from the birth date to the
     * admission date. Optional: without it the age/birth-date check is skipped and reported as skipped.
     */
    ageToleranceYears: param(z.number().int().nonnegative()).optional(),
    /** Tolerance in days between nwb_age (年龄(天)) and the days from the birth date to the admission date. */
    nwbAgeToleranceDays: param(z.number().int().nonnegative()).optional(),
  })
  .strict();

export const qcKind: PolicyKind<typeof values> = {
  kind: 'qc',
  zh: '结算清单质控参数',
  en: 'Settlement-list quality control',
  values,
  example: `maxLosDays: { value: 365, source: "医保结算清单填写规范 实际住院天数" }
maxAgeYears: { value: 130, source: "本地质控规则 1.2" }
newbornWeightG: { value: { min: 100, max: 9999 }, source: "医保结算清单填写规范 新生儿出生体重" }
losToleranceDays: { value: 1, source: "本地质控规则 1.4" }
ageToleranceYears: { value: 1, source: "医保结算清单填写规范 年龄（实足年龄）；本地质控规则 1.5" }
nwbAgeToleranceDays: { value: 1, source: "医保结算清单填写规范 年龄不足1周岁的年龄（天）；本地质控规则 1.6" }`,
};
