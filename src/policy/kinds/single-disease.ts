/**
 * Single-disease fixed payment (按病种付费, R-PAY-DISEASE): a catalog of ≥ 100 diseases with clinical-pathway-like
 * inclusion (principal diagnosis and procedure), day surgery and outpatient disease payment, standards by
 * institution level (written, or calibrated from history), and what happens to a case that leaves the pathway.
 *
 * 资府办函〔2018〕52号 二(三): "实施按病种付费的病种数量不少于100种"；二(六): "原则上对诊疗方案和出入院标准比较明确、诊疗技术成熟、
 * 质量可控且费用稳定的病种，实行按病种付费。……以既往费用数据和医保基金支付能力为基础……科学合理确定病种收付费标准……逐步将日间
 * 手术以及符合条件的中西医病种门诊治疗纳入按病种付费范围。"
 */
import { z } from 'zod';
import { DISCHARGE_WAYS } from '../../model/case.ts';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zEnName, zNonNegInt, zNonNegRatio, zPositiveInt, zShare, zYuan } from '../values.ts';

const standards = z.object({ '3': zYuan, '2': zYuan, '1': zYuan, primary: zYuan }).partial().strict();

const entry = z
  .object({
    code: z.string().min(1),
    zh: z.string().min(1),
    /** The disease's name in English, shown in en output (else its zh). */
    en: zEnName.optional(),
    /** `day-surgery` entries match inpatient stays no longer than `maxLosDays` (日间手术); `outpatient` 门诊按病种. */
    setting: z.enum(['inpatient', 'day-surgery', 'outpatient']),
    /** ICD-10 prefixes of the principal diagnosis. */
    diagnoses: z.array(z.string().min(1)).min(1),
    /** ICD-9-CM-3 prefixes, one of which the case must have; [] = no procedure required (保守治疗). */
    procedures: z.array(z.string().min(1)),
    /** Pathway length of stay: longer leaves the pathway (inpatient); the inclusion limit for day surgery. */
    maxLosDays: zNonNegInt,
    /** Published standards by institution level (元); a level without one is calibrated from history. */
    standards: standards.optional(),
  })
  .strict();

const catalog = z
  .array(entry)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.code))
        ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `disease code ${e.code} appears twice` });
      seen.add(e.code);
    });
  });

const values = z
  .object({
    catalog: param(catalog),
    /** 出径: when a matched case leaves the pathway. */
    pathwayExit: param(
      z
        .object({
          /** Stay longer than the entry's `maxLosDays`. */
          losAboveMax: z.boolean(),
          /** 离院方式 codes that leave the pathway (5 死亡, 2 医嘱转院, 4 非医嘱离院…). */
          dischargeWays: z.array(z.enum(DISCHARGE_WAYS)),
          /** A secondary diagnosis absent at admission (入院病情 4 "无") is a complication (并发症). */
          complicationOnset: z.boolean(),
          /** Secondary-diagnosis prefixes that always leave the pathway (e.g. T81 手术并发症). */
          complicationDiagnoses: z.array(z.string().min(1)),
        })
        .strict(),
    ),
    /** The method that pays a case leaving the pathway. */
    fallbackTo: param(z.enum(['dip', 'drg', 'ffs'])),
    /**
     * Calibration of standards from history: in-pathway cases of the entry at the level, trimmed at the given
     * quantiles, mean × `adjust`; a level with fewer than `minCases` uses all levels together.
     */
    calibration: param(
      z.object({ minCases: zPositiveInt, trimLow: zShare, trimHigh: zShare, adjust: zNonNegRatio }).strict(),
    ),
    /**
     * What the fund pays for a case at its standard inside the inpatient pool (DIP or DRG): `standard-less-patient` =
     * the standard − what the patient paid (at least 0), paid first from the pool's fund, so the institution receives
     * the standard for the encounter (000 二(六) 按病种收费、付费的政策衔接: one standard both charged and paid);
     * `pool-ratio` = the standard × the pool's fund payment ratio, valued like any fixed amount in the pool.
     */
    fundShare: paramOr(
      z.enum(['standard-less-patient', 'pool-ratio']),
      'standard-less-patient',
      'yibao default: 资府办函〔2018〕52号 二(六)“统筹做好按病种收费、付费的政策衔接……科学合理确定病种收付费标准”——基金支付 = 病种定额 − 患者负担 (state fundShare in the single-disease policy)',
    ),
  })
  .strict();

export const singleDiseaseKind: PolicyKind<typeof values> = {
  kind: 'single-disease',
  zh: '按病种付费',
  en: 'Single-disease fixed payment',
  values,
  example: `catalog: { value: [{ code: SD001, zh: 急性阑尾炎阑尾切除术, setting: inpatient, diagnoses: [K35], procedures: ["47.0"], maxLosDays: 7, standards: { "3": 6500, "2": 5500 } }], source: "资府办函〔2018〕52号 二(六)" }
pathwayExit: { value: { losAboveMax: true, dischargeWays: ["2", "4", "5"], complicationOnset: true, complicationDiagnoses: [T81] }, source: "本地按病种付费办法 出径标准" }
fallbackTo: { value: dip, source: "本地按病种付费办法 出径病例按 DIP 结算" }
calibration: { value: { minCases: 10, trimLow: 0.025, trimHigh: 0.975, adjust: 1 }, source: "资府办函〔2018〕52号 二(六) 以既往费用数据为基础" }`,
};
