/**
 * Per-bed-day payment policy (按床日付费, R-PAY-BEDDAY, R-DIP-4): disease categories paid per bed-day, the stages
 * of a stay (day ranges with falling rates), daily rates by category × institution type × stage (from policy or
 * calibrated from history), and the conversion into points for a DIP region.
 *
 * 资府办函〔2018〕52号 二(八): "对精神病、安宁疗护、医疗康复等需要长期住院治疗且日均费用较稳定的疾病，可采取按床日付费的
 * 方式。按照不同疾病发生、发展、转归的规律，治疗各阶段的费用特征及医疗机构的类别，制定差别化支付标准。"
 * 内蒙古 区域点数法总额预算和按病种分值付费工作方案 四(二): "对于精神类、康复类及安宁疗护等住院时间较长的病例使用床日付费，
 * 并确定分值。"
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, zNonNegInt, zNonNegRatio, zPositiveInt, zYuan } from '../values.ts';

export const zInstitutionType = z.enum([
  'general',
  'tcm',
  'psychiatric',
  'rehabilitation',
  'primary',
  'maternal-child',
]);

const category = z
  .object({
    code: z.string().min(1),
    zh: z.string().min(1),
    /** The category's name in English output (statements, API in en); the zh name when absent. */
    en: z.string().min(1).optional(),
    /** ICD-10 prefixes of the principal diagnosis (主要诊断). */
    diagnosisPrefixes: z.array(z.string().min(1)).min(1),
    /** Institution types whose stays in this category are paid per bed-day. */
    institutionTypes: z.array(zInstitutionType).min(1),
    /** Shorter stays are not per-diem cases (they go to the region's main method). */
    minLosDays: zNonNegInt,
  })
  .strict();

/** Stage of a stay: days `fromDay`..`toDay` counted from admission (day 1); `toDay: null` = open end. */
const stage = z.object({ fromDay: zPositiveInt, toDay: zPositiveInt.nullable() }).strict();

const stages = z
  .array(stage)
  .min(1)
  .superRefine((list, ctx) => {
    list.forEach((s, i) => {
      const expectedFrom = i === 0 ? 1 : (list[i - 1]!.toDay ?? Number.NaN) + 1;
      if (s.fromDay !== expectedFrom)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'fromDay'],
          message: `stage ${i + 1} must start on day ${expectedFrom}`,
        });
      if (s.toDay !== null && s.toDay < s.fromDay)
        ctx.addIssue({ code: 'custom', path: [i, 'toDay'], message: `stage ${i + 1} ends before it starts` });
      if (i === list.length - 1 && s.toDay !== null)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'toDay'],
          message: 'the last stage must be open-ended (toDay: null)',
        });
    });
  });

const rateRow = z
  .object({ category: z.string().min(1), institutionType: zInstitutionType, stageRates: z.array(zYuan).min(1) })
  .strict();

const rates = z.discriminatedUnion('method', [
  /** Daily rates written in the policy (元/床日), one per stage. */
  z.object({ method: z.literal('table'), table: z.array(rateRow).min(1) }).strict(),
  /**
   * Rates calibrated from history: the mean daily cost (Σ cost ÷ Σ bed-days) of past stays of the category at the
   * institution type, × one factor per stage (falling rates), when at least `minCases` stays support it.
   */
  z
    .object({ method: z.literal('calibrate'), stageFactors: z.array(zNonNegRatio).min(1), minCases: zPositiveInt })
    .strict(),
]);

const values = z
  .object({
    categories: param(z.array(category).min(1)),
    stages: param(stages),
    rates: param(rates),
    /** `amount`: the claim is the per-diem standard in fen; `points`: converted into DIP points (R-DIP-4). */
    settleAs: param(z.enum(['amount', 'points'])),
    /** 参考点值 (元/点) for the conversion: points = amount ÷ reference point value. */
    referencePointValue: param(zNonNegRatio),
    /** Readmission window for the long-stay indicators (再住院间隔天数). */
    readmissionWindowDays: param(zPositiveInt),
  })
  .strict();

export const perDiemKind: PolicyKind<typeof values> = {
  kind: 'per-diem',
  zh: '按床日付费',
  en: 'Per-bed-day payment',
  values,
  example: `categories: { value: [{ code: PSY, zh: 精神病, diagnosisPrefixes: [F20], institutionTypes: [psychiatric], minLosDays: 1 }], source: "资府办函〔2018〕52号 二(八)" }
stages: { value: [{ fromDay: 1, toDay: 60 }, { fromDay: 61, toDay: null }], source: "资府办函〔2018〕52号 二(八)" }
rates: { value: { method: table, table: [{ category: PSY, institutionType: psychiatric, stageRates: [260, 220] }] }, source: "本地按床日付费标准" }
settleAs: { value: points, source: "内蒙古 DIP 工作方案 四(二)" }
referencePointValue: { value: 10, source: "本地 DIP 结算办法 参考点值" }
readmissionWindowDays: { value: 31, source: "DIP 技术规范 31天再住院" }`,
};
