/**
 * What the region publishes for its hospitals (医保部门公布的付费参数), as a hospital's insurance office holds it:
 * the case method, the point value (published, or the hospital's own forecast) or — under the DRG base-rate method —
 * nothing more, the designated institutions with their levels, the tables (a DIP catalog, or a DRG scheme with its
 * weights) and, when published, the low-risk groups. The method's own rules (deviating cases, coefficients) come
 * from the region's `dip` or `drg` policy file next to this one. Used by `yibao estimate` and `yibao hospital`.
 */
import { z } from 'zod';
import { type Ratio, ratio } from '../../model/money.ts';
import type { PolicyKind } from '../kind.ts';
import { param, zNonNegRatio, zShare, zYuan } from '../values.ts';

/**
 * An exact fraction "num/den" as the agency's settlement writes a value no decimal holds exactly (a year-end point
 * value 1215/70 元/点, a fund payment ratio 77/110), so that a hospital prices its cases to the fen as the agency did.
 */
const zFraction = z
  .string()
  .regex(/^\s*\d+\s*\/\s*[1-9]\d*\s*$/, { message: 'expected a decimal number or a fraction such as "1215/70"' })
  .transform((v): Ratio => {
    const [num, den] = v.split('/').map((x) => BigInt(x.trim())) as [bigint, bigint];
    return ratio(num, den);
  });
/** A number ≥ 0 as a decimal or an exact fraction. */
const zExactNonNeg = z.union([zFraction, zNonNegRatio]);
/** A share between 0 and 1 as a decimal or an exact fraction. */
const zExactShare = z.union([
  zFraction.refine((r) => r.num <= r.den, { message: 'expected a share between 0 and 1' }),
  zShare,
]);

const institution = z
  .object({
    code: z.string().min(1),
    name: z.string().min(1),
    level: z.enum(['3', '2', '1', 'primary']),
    /** 机构类型, for the per-bed-day rates set by type; general when absent (primary at level 基层). */
    type: z.enum(['general', 'tcm', 'psychiatric', 'rehabilitation', 'primary', 'maternal-child']).optional(),
  })
  .strict();

const values = z
  .object({
    /** DIP 按病种分值付费 or CHS-DRG. */
    method: param(z.enum(['dip', 'drg'])),
    /** 点值 in 元/点 with its basis: `published` by the agency, or the hospital's `forecast`; `none` under a base rate. */
    pointValue: param(
      z.union([
        z.literal('none'),
        z.object({ yuanPerPoint: zExactNonNeg, basis: z.enum(['published', 'forecast']) }).strict(),
      ]),
    ),
    /**
     * 基金支付比例 of the year end (points × point value × ratio) when published; `patient-paid`: the fund's part
     * is the payment less what the patient paid (the monthly pre-settlement's rule).
     */
    fundPaymentRatio: param(z.union([z.literal('patient-paid'), zExactShare])),
    /**
     * 参考点值 (元/点) the deviating cases are judged and cost-paid cases scored by, as the agency's run applied it (its
     * opening point value), when the `dip` policy states none; absent: the catalog's, else the point value above.
     */
    referencePointValue: param(zExactNonNeg).optional(),
    /** The designated institutions the cases come from (定点医疗机构) and their levels (医院等级). */
    institutions: param(z.array(institution).min(1)),
    /**
     * Published tables, paths relative to this file: DIP `catalog` (JSON written by yibao, or CSV/XLSX as
     * `dip import` reads it); DRG `scheme` (pack, CHS-DRG 1.1 folder or scheme workbook), `weights` (`drg,rw`) and
     * the `referenceBaseRate` (元) that turns an RW into the DRG's mean cost for the outlier thresholds.
     */
    tables: param(
      z
        .object({
          catalog: z.string().min(1).optional(),
          scheme: z.string().min(1).optional(),
          weights: z.string().min(1).optional(),
          referenceBaseRate: zYuan.optional(),
          /**
           * DIP: the previous year's mean cost of each group at each institution level (上一年度同级别病种次均费用), the
           * deviating-case standard under the `dip` policy's `deviationStandard: group-mean-cost` (CSV as the
           * settlement's published folder writes it: group code, level, mean cost in yuan and exactly in fen).
           */
          groupMeans: z.string().min(1).optional(),
        })
        .strict(),
    ),
    /** 低风险组 as published (group codes), or `computed` from the cases at hand. */
    lowRiskGroups: param(z.union([z.literal('computed'), z.array(z.string().min(1))])),
  })
  .strict();

export const publishedKind: PolicyKind<typeof values> = {
  kind: 'published',
  zh: '公布的付费参数（医院端）',
  en: 'Published payment parameters (hospital side)',
  values,
  example: `method: { value: dip, source: "示范市医保局 2025 年 DIP 付费通知" }
pointValue: { value: { yuanPerPoint: "9.5", basis: forecast }, source: "本院按上年度清算点值预测" }
fundPaymentRatio: { value: patient-paid, source: "未公布基金支付比例：按病例支付减患者负担估算" }
institutions: { value: [{ code: H99010200001, name: 示范市第一人民医院, level: "3" }], source: "定点医疗机构服务协议" }
tables: { value: { catalog: catalog.json }, source: "示范市 2025 年病种分值目录（公布）" }
lowRiskGroups: { value: computed, source: "未公布：按本院病例计算" }`,
};
