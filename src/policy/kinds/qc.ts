/**
 * Settlement-list quality-control settings (结算清单质控, R-DATA-1) that a region may tune: bounds, the sex- and
 * age-specific diagnosis tables (default: the ICD-10 classification facts in src/codes; a region may give its own),
 * and how severe a conflicting secondary diagnosis is (reject the list, or accept it with a warning).
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zNonNegInt, zPositiveInt } from '../values.ts';

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
    /**
     * Sex- and age-specific diagnosis ranges (性别与诊断不符、年龄与诊断不符): `classification` = the ICD-10 table of
     * src/codes/icd10-classification.ts; `table` = the region's own ranges (code prefixes, dot optional).
     */
    diagnosisTables: paramOr(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('classification') }).strict(),
        z
          .object({
            method: z.literal('table'),
            sex: z.array(
              z
                .object({
                  from: z.string().min(1),
                  to: z.string().min(1),
                  sex: z.enum(['1', '2']),
                  zh: z.string().min(1),
                  en: z.string().min(1),
                })
                .strict(),
            ),
            age: z.array(
              z
                .object({
                  from: z.string().min(1),
                  to: z.string().min(1),
                  minAgeYears: zNonNegInt.optional(),
                  maxAgeYears: zNonNegInt.optional(),
                  zh: z.string().min(1),
                  en: z.string().min(1),
                })
                .strict(),
            ),
          })
          .strict(),
      ]),
      { method: 'classification' },
      'yibao default: ICD-10 分类的性别、年龄限定诊断（src/codes/icd10-classification.ts）',
    ),
    /**
     * A secondary diagnosis (其他诊断) that conflicts with sex or age: `reject` the list like a principal one, or
     * `warn` (the list is accepted and the conflict reported). A conflicting principal diagnosis always rejects.
     */
    secondaryDiagnosisConflict: paramOr(
      z.enum(['reject', 'warn']),
      'reject',
      'yibao default: 其他诊断与性别、年龄不符亦拒收 (state secondaryDiagnosisConflict in the QC policy)',
    ),
    /**
     * One 就诊ID (mdtrt_id) settled again — another setl_id, same person, institution, admission and discharge
     * dates (重复结算; monitoring flags it as YB-CS-007 with the fund payment at issue): `warn` accepts the list and
     * reports it at ingest, `reject` refuses the later settlement (the smaller setl_id stands). Both are defensible:
     * a re-settlement after a refund (退费重结) carries the same 就诊ID, and the settlement list does not say the
     * first was reversed; a region whose lists carry only valid settlements rejects.
     */
    duplicateVisit: paramOr(
      z.enum(['reject', 'warn']),
      'warn',
      'yibao default: 同一就诊ID再次结算仅提示，由智能监控列为疑点 (state duplicateVisit in the QC policy)',
    ),
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
nwbAgeToleranceDays: { value: 1, source: "医保结算清单填写规范 年龄不足1周岁的年龄（天）；本地质控规则 1.6" }
diagnosisTables: { value: { method: classification }, source: "ICD-10 医保版 分类" }
secondaryDiagnosisConflict: { value: warn, source: "本地质控规则 2.3 其他诊断冲突仅提示" }
duplicateVisit: { value: reject, source: "本地质控规则 2.4 同一就诊ID重复结算退回" }`,
};
